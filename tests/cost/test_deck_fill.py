"""A ferry's deck-filling chain: by hand, and against the process drawn at random.

The wait for the rest of a deck (:func:`corridors.cost.deck_fill.deck_fill`), hours:
whole and split shipments, a maximum wait, mixes of sizes on unequal ships. The ferry
line around it (the queue of sailings, storms, the simulated ships):
``tests/cost/test_ferry_queue.py``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest

from corridors.cost.queueing import deck_fill


def test_whole_shipments_without_a_maximum_wait_wait_for_the_rest_of_the_deck() -> None:
    # 5 shipments a deck, one every 4 h: the k-th of a load waits for 5 - k more, 4 h
    # each; mean (5 - 1) / 2 x 4 = 8 h
    f = deck_fill(0.25, shipment_units=10, deck_units=[50], max_wait_h=math.inf)
    assert f.wait_h == pytest.approx(8.0)
    assert f.shipments_per_sailing == pytest.approx(5.0)
    assert f.full_share == pytest.approx(1.0)


def test_two_a_deck_with_a_maximum_wait_is_the_batch_queue_with_a_time_out() -> None:
    # the first of a pair waits min(X, W) (X exponential), the second 0; a pair forms
    # with probability p = 1 - exp(-lambda W): mean (1 - e^{-lambda W}) / lambda / (1 + p)
    lam, w = 0.05, 48.0
    p = 1.0 - math.exp(-lam * w)
    f = deck_fill(lam, shipment_units=25, deck_units=[50, 50], max_wait_h=w)
    assert f.wait_h == pytest.approx(p / lam / (1.0 + p), rel=1e-12)
    assert f.shipments_per_sailing == pytest.approx(1.0 + p)
    assert f.full_share == pytest.approx(p)


def test_split_shipments_wait_for_the_ship_of_their_last_wagon() -> None:
    # 25-wagon groups on 54-wagon ships, no maximum wait: the last wagon of a group
    # lands at each of the 54 places of a ship equally often; with j free places after
    # it, ceil(j / 25) more groups must come: 25 x 1 + 25 x 2 + 3 x 3 = 84 over 54,
    # so 84 / 54 intervals between arrivals, one more than (n - 1) / 2 for n = 2.16
    lam = 0.05
    f = deck_fill(lam, shipment_units=25, deck_units=[54], max_wait_h=math.inf)
    assert f.wait_h == pytest.approx(84.0 / 54.0 / lam, rel=1e-9)
    assert f.shipments_per_sailing == pytest.approx(54.0 / 25.0)


def test_a_mix_of_one_size_is_that_size() -> None:
    # the same chain: a mix listing one size (and a size with no arrivals) is the size
    for w in (0.0, 20.0, 48.0, math.inf):
        for decks in ([50], [54, 54, 56], [100, 40]):
            one = deck_fill(0.1, shipment_units=27, deck_units=decks, max_wait_h=w)
            mix = deck_fill(
                0.1, shipment_units=[(27, 2.5), (50, 0.0)], deck_units=decks, max_wait_h=w
            )
            assert mix == one


def test_groups_and_trains_on_a_deck_of_two_groups_by_hand() -> None:
    """Groups of 25 wagons (share p) and trains of 50 (q) on 50-wagon decks, by hand.

    In units of 25: a fresh ship (state 0) waits for a second shipment after a group
    (area p P / lambda, P = 1 - e^{-lambda W} the chance one comes within the maximum
    wait, 1 + p P shipments); a train after a group is split and leaves 1 unit
    (probability p P q). A ship starting with that unit takes the next shipment within
    W (area P / lambda, P shipments) and keeps 1 unit if it is a train (q P). The
    stationary ratio r = pi_1 / pi_0 = p q P / (1 - q P); the mean wait is
    P (p + r) / lambda / (1 + p P + r P): 1 / (2 lambda) at any p > 0 without a
    maximum wait, though trains alone never wait (each fills a deck).
    """
    lam = 0.09
    for p in (0.05, 0.3, 0.93):
        q = 1.0 - p
        for w in (12.0, 48.0, math.inf):
            big_p = 1.0 - math.exp(-lam * w)
            r = p * q * big_p / (1.0 - q * big_p)
            f = deck_fill(lam, shipment_units=[(25, p), (50, q)], deck_units=[50], max_wait_h=w)
            assert f.wait_h == pytest.approx(
                big_p * (p + r) / lam / (1.0 + p * big_p + r * big_p), rel=1e-12
            )
            assert f.shipments_per_sailing == pytest.approx(
                (1.0 + p * big_p + r * big_p) / (1.0 + r), rel=1e-12
            )
        assert deck_fill(
            lam, shipment_units=[(25, p), (50, q)], deck_units=[50], max_wait_h=math.inf
        ).wait_h == pytest.approx(1.0 / (2.0 * lam), rel=1e-12)
    alone = deck_fill(lam, shipment_units=50, deck_units=[50], max_wait_h=math.inf)
    assert alone.wait_h == 0.0
    # the mean size (27 wagons) is not the mix: every ship then ends on a split group,
    # about (n + 1) / (2 lambda) with n = 50 / 27, near three times 1 / (2 lambda)
    mean = deck_fill(lam, shipment_units=27, deck_units=[50], max_wait_h=math.inf)
    assert mean.wait_h > 2.5 / (2.0 * lam)


def _fill_by_monte_carlo(
    lam: float, mix: list[tuple[int, float]], decks: list[int], w: float, n: int, seed: int
) -> npt.NDArray[np.float64]:
    """Waits of ``n`` shipments filling ships in turn, the process drawn as stated."""
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.exponential(1.0 / lam, n))
    sizes = rng.choice([g for g, _ in mix], n, p=[p for _, p in mix])
    wait = np.full(n, np.nan)
    i, left, owner, sail, ship = 0, 0, -1, 0.0, 0
    while i < n:
        deck = decks[ship % len(decks)]
        ship += 1
        aboard: list[int] = []
        clock = None
        fill = 0
        if left:  # the rest of a split shipment boards at once, and starts the clock
            aboard, fill, clock = [owner], min(left, deck), sail
            left -= fill
        while fill < deck and not left:
            if clock is not None and t[i] > clock + w:
                sail = clock + w
                break
            clock = t[i] if clock is None else clock
            room = deck - fill
            fill += min(sizes[i], room)
            if sizes[i] > room:
                left, owner = int(sizes[i] - room), i
            else:
                aboard.append(i)
            sail = t[i]
            i += 1
            if i == n:
                break
        for s in aboard:
            wait[s] = sail - t[s]
    return wait


def test_a_three_size_mix_on_unequal_ships_matches_the_process_drawn_at_random() -> None:
    """Sizes 25, 27 and 50 on ships of 54 and 56 in turn, a 48 h maximum wait.

    200,000 shipments, one seed; the waits of successive shipments are correlated, so
    the tolerance (2 %, about 0.3 h) is four standard errors of the mean of 100 batch
    means (the batches' spread over sqrt(100)).
    """
    lam, mix, decks, w = 0.08, [(25, 0.6), (27, 0.3), (50, 0.1)], [54, 56], 48.0
    waits = _fill_by_monte_carlo(lam, mix, decks, w, 200_000, seed=5)[1000:-1000]
    batches = waits[: len(waits) // 100 * 100].reshape(100, -1)
    batches = np.array([np.nanmean(b) for b in batches])
    se = float(np.std(batches, ddof=1) / math.sqrt(len(batches)))
    f = deck_fill(lam, shipment_units=mix, deck_units=decks, max_wait_h=w)
    assert 4.0 * se < 0.02 * f.wait_h
    assert f.wait_h == pytest.approx(float(np.nanmean(waits)), rel=0.02)
