"""The rows a calibration fits: every observed figure as a range, and its residual.

A volume is a point (low = high), a ceiling the range from 0 to it, a time or price the
range the sources give. The residual of a modelled value is 0 inside the range and the
log distance to the nearer end outside it, times the square root of the row's weight.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridors.scenarios.calibration.route_targets import PriceTarget, TimeTarget
from corridors.scenarios.targets import Target

KINDS = ("volume", "time", "price")
"""Kinds of targets, in the order the fit table lists them."""


@dataclass(frozen=True)
class Observation:
    """One observed figure of one target in one year.

    Attributes
    ----------
    target : str
        Target name.
    kind : {"volume", "time", "price"}
        Kind of target.
    corridor : str
        Corridor observed.
    unit : str
        Unit of ``low`` and ``high`` (t, TEU, d, h, share, FEU...).
    year : int
        Year.
    low, high : float
        The observed range (a point: equal; a ceiling: from 0).
    ceiling : bool
        A volume ceiling (only an excess counts).
    weight : float
        Weight of the residual.
    in_sample : bool
        Fitted (else an out-of-sample check).
    """

    target: str
    kind: str
    corridor: str
    unit: str
    year: int
    low: float
    high: float
    ceiling: bool
    weight: float
    in_sample: bool

    @property
    def observed(self) -> float:
        """The figure shown: the point, the ceiling, or the middle of the range."""
        return self.high if self.ceiling else 0.5 * (self.low + self.high)


def observations(
    volumes: Sequence[Target],
    routes: Sequence[TimeTarget | PriceTarget],
    *,
    covered: set[int],
    fit_years: set[int],
) -> list[Observation]:
    """Rows of the volume, time and price targets in the years the scenario covers.

    Volume targets are fitted in ``fit_years`` (other years are out-of-sample checks);
    time and price targets in every year they have.
    """
    out = [
        Observation(
            t.name,
            "volume",
            t.corridor,
            t.unit,
            y,
            0.0 if t.ceiling else v,
            v,
            t.ceiling,
            t.weight,
            y in fit_years,
        )
        for t in volumes
        for y, v in sorted(t.observed.items())
        if y in covered
    ]
    for r in routes:
        kind = "price" if isinstance(r, PriceTarget) else "time"
        out += [
            Observation(r.name, kind, r.segment.corridor, r.unit, y, lo, hi, False, r.weight, True)
            for y, (lo, hi) in sorted(r.observed.items())
            if y in covered
        ]
    return out


def range_residual(value: float, low: float, high: float) -> float:
    """``log(value / high)`` above the range, ``log(value / low)`` below it, else 0."""
    v = max(value, 1e-9)
    if v > high:
        return math.log(v / high)
    if low > 0 and v < low:
        return math.log(v / low)
    return 0.0


def residual_vector(
    rows: Sequence[Observation], modelled: dict[tuple[str, int], float]
) -> NDArray[np.float64]:
    """Weighted residuals of ``rows`` (NaN where the model has no value)."""
    return np.array(
        [
            math.sqrt(o.weight) * range_residual(modelled[o.target, o.year], o.low, o.high)
            if math.isfinite(modelled[o.target, o.year])
            else math.nan
            for o in rows
        ],
        dtype=np.float64,
    )
