r"""Door-to-door time of a route with its waits: quantiles of a sum of independent waits.

A route's time is its fixed part (running, handling, border clearance as the tables give
them) plus the wait at each element it passes
(:class:`~corridors.cost.queueing.WaitDistribution`): a queue, a closure, a scheduled
departure. The waits of different elements are taken as independent, and the year may be
cut into parts (a Caspian winter, a closure) each with its own route and waits, weighed by
its share of the year. The quantiles of the total are those of a fixed-seed vectorised
Monte Carlo draw (the same answer every time), exact enough for days: with the default
50,000 draws the P90 of a sum of exponentials is within about 1 % of its true value.

Example
-------
>>> from corridors.cost.queueing import WaitDistribution
>>> from corridors.cost.route_time import RoutePart, route_time_quantiles
>>> ferry = WaitDistribution(headway_h=24.0)  # a daily departure, cargo at random
>>> p50, p90 = route_time_quantiles([RoutePart(100.0, (ferry,))], (0.5, 0.9))
>>> round(p50), round(p90)  # 100 h + uniform(0, 24 h): 112 and 121.6 h
(112, 122)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from corridors.cost.queueing import WaitDistribution

__all__ = ["DEFAULT_SAMPLES", "RoutePart", "route_time_quantiles", "sample_waits"]

DEFAULT_SAMPLES = 50_000
"""Monte Carlo draws per route part."""


@dataclass(frozen=True, slots=True)
class RoutePart:
    """One route in one part of the year.

    Attributes
    ----------
    fixed_h : float
        Time that does not wait: running, handling, clearance, hours.
    waits : tuple of WaitDistribution
        The waits at the elements passed (independent).
    weight : float
        Share of the year this route is taken (> 0; the parts' weights are normalised).
    """

    fixed_h: float
    waits: tuple[WaitDistribution, ...] = ()
    weight: float = 1.0

    @property
    def mean_h(self) -> float:
        """Mean time, hours: the fixed part plus the mean waits."""
        return self.fixed_h + sum(w.mean_h for w in self.waits)


def sample_waits(
    waits: Sequence[WaitDistribution], *, samples: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    """Draws of the total wait at independent elements, hours (one value per draw).

    All elements are drawn at once (arrays ``elements x samples``); an element whose
    mean wait is infinite (at or above capacity) makes every total infinite.
    """
    total = np.zeros(samples)
    parts = [  # (probability, mean) of the queue and closure parts that are there
        (p, m)
        for w in waits
        for p, m in ((w.p_queue, w.queue_mean_h), (w.p_closure, w.closure_mean_h))
        if p > 0.0 and m > 0.0
    ]
    if parts:
        prob = np.array([p for p, _ in parts])[:, None]
        mean = np.array([m for _, m in parts])[:, None]
        shape = (len(parts), samples)
        hit = rng.random(shape) < prob
        draws = rng.exponential(1.0, shape) * np.where(hit, mean, 0.0)
        total += np.where(hit, draws, 0.0).sum(axis=0)
    heads = np.array([w.headway_h for w in waits if w.headway_h > 0.0])
    if len(heads):
        total += (rng.random((len(heads), samples)) * heads[:, None]).sum(axis=0)
    return total


def _weighted_quantiles(
    values: npt.NDArray[np.float64], weights: npt.NDArray[np.float64], qs: Sequence[float]
) -> npt.NDArray[np.float64]:
    order = np.argsort(values, kind="stable")
    v, cum = values[order], np.cumsum(weights[order])
    cum /= cum[-1]
    idx = np.searchsorted(cum, np.asarray(qs, dtype=float), side="left")
    out: npt.NDArray[np.float64] = v[np.minimum(idx, len(v) - 1)]
    return out


def route_time_quantiles(
    parts: Sequence[RoutePart],
    quantiles: Sequence[float] = (0.5, 0.9),
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
) -> tuple[float, ...]:
    """Quantiles of a route's door-to-door time over the parts of a year, hours.

    Parameters
    ----------
    parts : sequence of RoutePart
        The route (fixed time and waits) in each part of the year, with its weight.
    quantiles : sequence of float
        Probabilities in (0, 1), e.g. ``(0.5, 0.9)`` for P50 and P90.
    samples : int
        Monte Carlo draws per part.
    seed : int
        Seed of the draws (fixed: the same quantiles every call).

    Returns
    -------
    tuple of float
        One time per quantile, hours (``inf`` where an element is over capacity).

    Raises
    ------
    ValueError
        With no part, a weight that is not > 0, a quantile outside (0, 1) or
        ``samples`` < 1.
    """
    if not parts:
        raise ValueError("a route time needs at least one route part")
    if samples < 1:
        raise ValueError(f"samples must be >= 1, got {samples}")
    for q in quantiles:
        if not 0.0 < q < 1.0:
            raise ValueError(f"quantiles must be in (0, 1), got {q}")
    weights = np.array([p.weight for p in parts], dtype=float)
    if not (np.isfinite(weights).all() and (weights > 0).all()):
        raise ValueError(f"route part weights must be finite numbers > 0, got {weights.tolist()}")
    rng = np.random.default_rng(seed)
    values = np.concatenate(
        [p.fixed_h + sample_waits(p.waits, samples=samples, rng=rng) for p in parts]
    )
    if len(parts) == 1:  # no weights: the plain quantiles ("higher": inf stays inf)
        qs = np.quantile(values, np.asarray(quantiles, dtype=float), method="higher")
        return tuple(float(x) for x in qs)
    w = np.repeat(weights / weights.sum() / samples, samples)
    return tuple(float(x) for x in _weighted_quantiles(values, w, quantiles))
