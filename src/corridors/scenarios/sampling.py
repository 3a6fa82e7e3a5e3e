"""Drawing samples: Latin hypercube over a sweep's ranges, Monte Carlo of uncertain inputs.

Reproducible from a seed; draws stay within each variable's declared bounds
(:data:`~corridors.scenarios.variable_checks.VALUE_RANGES`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.stats import qmc

from corridors.errors import Problem, ScenarioError
from corridors.scenarios.spec import Uncertain
from corridors.scenarios.variable_checks import check_range, value_range
from corridors.scenarios.vary import Vary


def draw_uniform(varies: Sequence[Vary], *, n: int, seed: int) -> list[dict[str, float]]:
    """Draw ``n`` samples of the ranges by Latin hypercube sampling (reproducible)."""
    if not varies:
        return [{} for _ in range(n)]
    unit = qmc.LatinHypercube(d=len(varies), seed=np.random.default_rng(seed)).random(n)
    lows = np.array([v.low for v in varies])
    highs = np.array([v.high for v in varies])
    values = lows + unit * (highs - lows)
    return [{v.variable: float(values[i, j]) for j, v in enumerate(varies)} for i in range(n)]


MAX_REDRAWS = 1000
"""Rounds of redrawing out-of-bounds normal draws before giving up."""


def _normal_within(rng: np.random.Generator, u: Uncertain, n: int) -> NDArray[np.float64]:
    """Normal draws truncated to the variable's declared bounds (rejection: redraw).

    A growth rate drawn at or below -1 (-100 %) or a factor below 0 is redrawn, so the
    draws follow the normal distribution truncated to :data:`VALUE_RANGES`; draws
    already inside are the plain normal draws of the same seed.
    """
    mean, sd = float(u.mean or 0.0), float(u.sd or 1.0)
    x = rng.normal(mean, sd, n)
    bounds = value_range(u.variable)
    if bounds is None:
        return x
    lo, hi, open_low, what = bounds
    for _ in range(MAX_REDRAWS):
        bad = ((x <= lo) if open_low else (x < lo)) | (x > hi)
        if not bad.any():
            return x
        x[bad] = rng.normal(mean, sd, int(bad.sum()))
    raise ScenarioError(
        [
            Problem(
                "uncertainty",
                None,
                "mean",
                f"{u.variable}: normal({mean:g}, {sd:g})",
                f"{u.variable} is {what} within {lo:g}..{hi:g}: this normal distribution "
                "almost never draws inside",
            )
        ]
    )


def draw_uncertain(uncertain: Sequence[Uncertain], *, n: int, seed: int) -> list[dict[str, float]]:
    """Draw ``n`` Monte Carlo samples of the uncertain inputs (reproducible).

    Normal draws are truncated to the variable's declared bounds
    (:data:`VALUE_RANGES`, e.g. a growth rate stays above -1 = -100 %) by redrawing
    the draws outside; a uniform or triangular range reaching outside them is
    rejected (:class:`~corridors.errors.ScenarioError`) before anything is drawn.
    """
    problems = [
        p
        for u in uncertain
        if u.distribution != "normal"
        for p in check_range(
            u.variable, float(u.low or 0.0), float(u.high or 0.0), where="uncertainty"
        )
    ]
    if problems:
        raise ScenarioError(problems, what="the uncertain inputs")
    rng = np.random.default_rng(seed)
    columns: dict[str, NDArray[np.float64]] = {}
    for u in uncertain:
        if u.distribution == "uniform":
            columns[u.variable] = rng.uniform(float(u.low or 0.0), float(u.high or 0.0), n)
        elif u.distribution == "triangular":
            low, high, mode = float(u.low or 0.0), float(u.high or 0.0), float(u.mode or 0.0)
            columns[u.variable] = (
                rng.triangular(low, mode, high, n) if high > low else np.full(n, low)
            )
        else:
            columns[u.variable] = _normal_within(rng, u, n)
    return [{k: float(v[i]) for k, v in columns.items()} for i in range(n)]
