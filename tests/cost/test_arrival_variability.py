"""Arrival variability behind the queues upstream (cost.arrival_variability), by hand and
against small simulations of one queue (Lindley's recursion)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridors.cost.arrival_variability import (
    Streams,
    departure_scv,
    kept_share,
    queue_span_h,
    relaxation_h,
    seen_weight,
    shuffled_scv,
)
from corridors.cost.mean_waits import gg_c_wait_h


def test_the_pieces_by_hand() -> None:
    # M/D/1 at rho 0.5 with Poisson arrivals: 1 - rho^2 = 0.75, numbers or arrays
    assert float(departure_scv(1.0, rho=0.5, service_scv=0.0, servers=1)) == pytest.approx(0.75)
    many = departure_scv(np.ones(2), rho=np.array([0.5, 0.0]), service_scv=0.0, servers=1)
    assert many.tolist() == pytest.approx([0.75, 1.0])
    # a stream of half the flow, arriving with scv 0.2, weight 1: it keeps its own 0.2
    # when the queue is idle (0.75 of it) and takes half the services when busy:
    # 0.75 x 0.2 + 0.25 x (1 + 0.5 x (0 - 1)) = 0.275
    half = departure_scv(0.2, rho=0.5, service_scv=0.0, servers=1, share=0.5)
    assert float(half) == pytest.approx(0.275)
    # seen with weight 1/2: rho^2 w = 0.125; 0.875 x 1 + 0.125 x 0 = 0.875
    seen = departure_scv(1.0, rho=0.5, service_scv=0.0, servers=1, weight=0.5)
    assert float(seen) == pytest.approx(0.875)
    # relaxation 2 rho (1 + cs^2) E[S] / (c (1 - rho)^2): 2 x 0.25 x 1.25 x 1 / 0.5625
    assert float(relaxation_h(rho=0.25, service_h=1.0, service_cv=0.5, servers=1)) == pytest.approx(
        10.0 / 9.0
    )
    # the weight 1 / (1 + 1.5 t / T): a span of T / 1.5 sees half; none over no span
    assert float(seen_weight(20.0, relax_h=30.0)) == pytest.approx(0.5)
    assert float(seen_weight(0.0, relax_h=30.0)) == 1.0
    assert float(seen_weight(20.0, relax_h=np.inf)) == 1.0  # at capacity: no relaxation
    # a long span behind a queue that relaxes at once sees none of its regularity, without
    # an overflow warning (a calibration's extreme parameters reached it)
    assert float(seen_weight(1e300, relax_h=1e-300)) == 0.0
    # a queue waiting 2 h at rho 0.75 builds it over 2 / 0.25 = 8 h
    assert float(queue_span_h(2.0, rho=0.75)) == pytest.approx(8.0)
    assert float(queue_span_h(2.0, rho=1.0)) == math.inf
    # random delays of sd s keep t / (t + 2 s / sqrt(pi)): half over t = 2 s / sqrt(pi)
    assert float(kept_share(2.0 * 5.0 / math.sqrt(math.pi), spread_h=5.0)) == pytest.approx(0.5)
    assert float(kept_share(10.0, spread_h=0.0)) == 1.0
    assert float(kept_share(0.0, spread_h=1.0)) == 0.0
    assert float(shuffled_scv(0.75, kept=0.5)) == pytest.approx(0.875)


def _fifo_departures(arrivals: np.ndarray, services: np.ndarray) -> np.ndarray:
    """Departure times of one FIFO server (Lindley's recursion), hours."""
    out = np.empty_like(arrivals)
    last = 0.0
    for i, (a, s) in enumerate(zip(arrivals.tolist(), services.tolist(), strict=True)):
        last = max(a, last) + s
        out[i] = last
    return out


def _dispersion(times: np.ndarray, span_h: float) -> float:
    """Index of dispersion of the counts of ``times`` over spans of ``span_h`` hours."""
    edges = np.arange(1_000.0, float(times[-1]) - 1_000.0, span_h)
    counts = np.histogram(times, edges)[0]
    return float(counts.var() / counts.mean())


def test_md1_departures_lose_their_regularity_over_the_relaxation_time() -> None:
    # M/D/1 at rho 0.8, 1 h services, Poisson arrivals: relaxation time 40 h. Over short
    # spans the departures are as regular as the services (1 - rho^2 = 0.36), over
    # spans beyond the relaxation time as variable as the arrivals (1)
    rng = np.random.default_rng(1)
    arrivals = np.cumsum(rng.exponential(1.0 / 0.8, 300_000))
    departures = _fifo_departures(arrivals, np.ones(len(arrivals)))
    relax = float(relaxation_h(rho=0.8, service_h=1.0, service_cv=0.0, servers=1))
    assert relax == pytest.approx(40.0)
    for span in (4.0, 12.0, 40.0, 120.0):
        simulated = _dispersion(departures, span)
        weight = seen_weight(span, relax_h=relax)
        ours = float(departure_scv(1.0, rho=0.8, service_scv=0.0, servers=1, weight=weight))
        assert ours == pytest.approx(simulated, abs=0.11), span
    # the plain linking equation sees the services' regularity over any span
    assert _dispersion(departures, 120.0) > 0.9 > 0.36


def test_a_regular_stream_through_a_shared_queue_keeps_its_regularity() -> None:
    # trains every 2.5 h (regular) and as many Poisson trains share one server of 1 h,
    # gamma cv 0.5 (rho 0.8). The regular trains leave nearly as regular as they came;
    # splitting the queue's departures at random (QNA: p cd^2 + 1 - p) cannot go below
    # 1 - p = 0.5 for them
    rng = np.random.default_rng(2)
    n = 120_000
    regular = np.arange(n) * 2.5
    poisson = np.cumsum(rng.exponential(2.5, n))
    arrivals = np.concatenate([regular, poisson])
    is_regular = np.concatenate([np.ones(n, dtype=bool), np.zeros(n, dtype=bool)])
    order = np.argsort(arrivals, kind="stable")
    departures = _fifo_departures(arrivals[order], rng.gamma(4.0, 0.25, 2 * n))
    mine = departures[is_regular[order]]
    relax = float(relaxation_h(rho=0.8, service_h=1.0, service_cv=0.5, servers=1))
    for span in (4.0, 12.0, 40.0):
        simulated = _dispersion(mine, span)
        weight = seen_weight(span, relax_h=relax)
        ours = float(
            departure_scv(0.0, rho=0.8, service_scv=0.25, servers=1, weight=weight, share=0.5)
        )
        split = 0.5 * float(departure_scv(0.5, rho=0.8, service_scv=0.25, servers=1)) + 0.5
        assert ours == pytest.approx(simulated, abs=0.13), span
        assert split - simulated > 0.35
    assert _dispersion(mine, 40.0) < 0.1


def test_random_delays_shuffle_a_regular_stream_at_the_ends_of_each_span() -> None:
    # trains every hour, each moved by a normal delay of sd 5 h: over a span much
    # longer than 5 h the count varies only by the trains crossing its ends, an index
    # of dispersion 2 x 5 / (sqrt(pi) t): 1 - kept_share
    rng = np.random.default_rng(3)
    moved = np.sort(np.arange(400_000) * 1.0 + rng.normal(0.0, 5.0, 400_000))
    for span in (50.0, 200.0):
        lost = 1.0 - float(kept_share(span, spread_h=5.0))
        assert lost == pytest.approx(2.0 * 5.0 / (math.sqrt(math.pi) * span), rel=0.15)
        assert _dispersion(moved, span) == pytest.approx(lost, rel=0.15)


def test_a_queue_with_little_wait_sees_the_gaps_of_a_shuffled_regular_stream() -> None:
    # a saturated fixed 7 h path sends a train every 7 h (scv 0); each is moved by a
    # normal delay of sd 5.44 h (a border) before a fixed 2.4 h path (rho 0.34), which
    # waits far less than a gap: over its span alone the delays would make the trains
    # Poisson; over a gap they keep 7 / (7 + 2 x 5.44 / sqrt(pi)) of the regularity
    rng = np.random.default_rng(5)
    n, gap_h, sd_h, service_h = 100_000, 7.0, 5.44, 2.4
    moved = np.sort(np.arange(n) * gap_h + rng.normal(0.0, sd_h, n))[1_000:-1_000]
    between = np.diff(moved)
    simulated = float(np.mean(_fifo_departures(moved, np.full(len(moved), service_h)) - moved))
    simulated -= service_h
    streams = Streams.of([(0, []), (1, [(0, sd_h**2)])])
    rate = np.full(2, 1.0 / gap_h)

    def wait(gap: np.ndarray) -> tuple[float, float]:
        scv = streams.arrival_scv(
            rate,
            rho=np.array([1.0, service_h / gap_h]),
            service_cv=np.zeros(2),
            servers=np.ones(2),
            relax_h=np.array([np.inf, 1.0]),
            passes=np.zeros(2, dtype=bool),
            span_h=np.array([0.0, 0.5]),  # about the path's wait over its spare share
            gap_h=gap,
        )
        w = gg_c_wait_h(
            1.0 / gap_h,
            servers=1,
            service_h=service_h,
            service_cv=0.0,
            arrival_cv=math.sqrt(scv[1]),
        )
        return float(scv[1]), w

    scv, ours = wait(np.full(2, gap_h))
    kept = gap_h / (gap_h + 2.0 * sd_h / math.sqrt(math.pi))
    assert scv == pytest.approx(1.0 - kept)
    assert float(between.var() / between.mean() ** 2) == pytest.approx(scv, abs=0.06)
    assert simulated == pytest.approx(0.30, abs=0.03)
    assert ours == pytest.approx(simulated, rel=0.1)
    # without the gap the span of 0.5 h keeps 0.07: twice the simulated wait
    poissonish, too_much = wait(np.zeros(2))
    assert poissonish > 0.9
    assert too_much > 1.8 * simulated


def test_streams_walk_each_stream_through_its_queues_by_hand() -> None:
    # queue 0: a fixed 2 h path (rho 0.5); 0.25 trains an hour come from their origin,
    # half go on to queue 1 (a fixed 3 h path) behind a random delay of sd 5 h, half to
    # queue 2 straight (a fixed 1 h path)
    streams = Streams.of([(0, []), (1, [(0, 25.0)]), (2, [(0, 0.0)])])
    rate = np.array([0.25, 0.125, 0.125])
    rho = np.array([0.5, 0.375, 0.125])
    relax = relaxation_h(rho=rho, service_h=np.array([2.0, 3.0, 1.0]), service_cv=0.0, servers=1)
    span = np.array([0.0, 10.0, 0.0])
    gap = 1.0 / streams.flows(rate, 3)  # 4, 8 and 8 h: below queue 1's span
    scv = streams.arrival_scv(
        rate,
        rho=rho,
        service_cv=np.zeros(3),
        servers=np.ones(3),
        relax_h=relax,
        passes=np.zeros(3, dtype=bool),
        span_h=span,
        gap_h=gap,
    )
    # queue 1: the stream is half of queue 0's flow, seen over 10 h (relaxation 8 h:
    # weight 1 / (1 + 1.5 x 10 / 8)), then moved by the delay (kept 10 / (10 + 10 /
    # sqrt(pi)))
    weight = 1.0 / (1.0 + 1.5 * 10.0 / 8.0)
    out = 1.0 - 0.25 * weight + 0.25 * weight * (1.0 - 0.5)
    kept = 10.0 / (10.0 + 10.0 / math.sqrt(math.pi))
    assert float(relax[0]) == pytest.approx(8.0)
    assert scv.tolist() == pytest.approx([1.0, 1.0 + kept * (out - 1.0), 0.875])
    # queue 2 sees its half over no span: 0.75 x 1 + 0.25 x (1 - 0.5) = 0.875
    assert streams.flows(rate, 3).tolist() == pytest.approx([0.25, 0.125, 0.125])
    # a queue that passes its trains on (no limit, or spaced) leaves them as they came
    passed = streams.arrival_scv(
        rate,
        rho=rho,
        service_cv=np.zeros(3),
        servers=np.ones(3),
        relax_h=relax,
        passes=np.array([True, False, False]),
        span_h=span,
        gap_h=gap,
    )
    assert passed.tolist() == pytest.approx([1.0, 1.0, 1.0])
    # queue 2 (1 h) takes its trains straight from the 2 h path: spaced; queue 1 not
    # (a random delay between), nor queue 0 (from the origin)
    spaced = streams.spaced(
        rate,
        servers=np.ones(3),
        service_h=np.array([2.0, 3.0, 1.0]),
        service_cv=np.zeros(3),
    )
    assert spaced.tolist() == [False, False, True]
