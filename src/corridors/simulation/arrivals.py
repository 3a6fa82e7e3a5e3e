"""When shipments enter a replication: seeds and arrival times.

All randomness of a run comes from ``numpy.random.Generator`` streams spawned from the
replication's seed; :func:`fresh_seed_sequence` makes the same seed give the same run
however often it is used, and :func:`arrival_times` draws a generator's entries.
"""

from __future__ import annotations

import math

import numpy as np

from corridors.simulation.model import ShipmentGenerator

__all__ = ["arrival_times", "fresh_seed_sequence"]


def fresh_seed_sequence(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    """A new :class:`numpy.random.SeedSequence` equal to ``seed`` with no children spawned.

    Spawning mutates a seed sequence; copying it first makes ``simulate(model,
    seed=ss)`` give the same result however often it is called with ``ss``.
    """
    if isinstance(seed, np.random.SeedSequence):
        return np.random.SeedSequence(
            seed.entropy, spawn_key=seed.spawn_key, pool_size=seed.pool_size
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    return np.random.SeedSequence(int(seed))


def arrival_times(g: ShipmentGenerator, horizon_h: float, rng: np.random.Generator) -> np.ndarray:
    """Entry times of a generator's shipments within ``horizon_h``, hours.

    Given ``times``; a ``timetable`` every ``24 / per_day`` hours from ``offset_h``;
    or Poisson (exponential gaps of mean ``24 / per_day``) drawn in batches from ``rng``.
    """
    if g.arrivals == "times":
        t = np.asarray(g.times_h, dtype=float)
        return t[t < horizon_h]
    if g.per_day <= 0:
        return np.empty(0)
    if g.arrivals == "timetable":
        head = 24.0 / g.per_day
        n = max(0, math.ceil((horizon_h - g.offset_h) / head - 1e-12))
        t = g.offset_h + head * np.arange(n)
        return t[t < horizon_h]
    mean_gap = 24.0 / g.per_day
    expected = horizon_h / mean_gap
    chunks: list[np.ndarray] = []
    last = 0.0
    while last < horizon_h:
        gaps = rng.exponential(mean_gap, int(expected + 6.0 * math.sqrt(expected) + 16))
        t = last + np.cumsum(gaps)
        chunks.append(t)
        last = float(t[-1])
    t = np.concatenate(chunks)
    return t[t < horizon_h]
