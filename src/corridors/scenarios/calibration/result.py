"""What a calibration reports: fitted parameters, their status and the quality of the fit."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridors.scenarios.calibration.observations import KINDS, Observation, range_residual
from corridors.scenarios.constants import SHARE_COLUMNS
from corridors.scenarios.spec import Scenario


@dataclass(frozen=True)
class CalibrationResult:
    """Fitted parameters and the fit.

    Attributes
    ----------
    corridor : str
        The first target's corridor.
    parameters : dict of str to float
        Fitted values (``scale`` in 1/USD, others USD per TEU).
    bounds : dict of str to (float, float)
        Their bounds.
    at_bound : tuple of str
        Parameters that ended within 0.1 % of a bound while the fit still depends on
        them (a sign of a poor model).
    unidentified : tuple of str
        Parameters the fit does not depend on at its end (a tenth of the range moves
        the log errors by less than 0.001): e.g. the constant of a corridor the data
        leave empty. Its value is a lower (or upper) limit, not an estimate.
    ceilings_exceeded : tuple of str
        ``"<target> <year>"`` of fitted ceilings the model exceeds by more than
        :data:`~corridors.scenarios.targets.CEILING_TOLERANCE_PCT` (0.5 %).
    fit : pandas.DataFrame
        ``target, kind, corridor, unit, year, observed, low, high, modelled, error_pct,
        in_sample, ceiling`` (:func:`fit_table`).
    rmse_log, r2_log, r2_log_by_target, rmse_log_holdout, rmse_log_by_kind
        The quality of the fit (:class:`FitQuality`).
    success : bool
        The optimiser reports convergence.
    converged : bool
        The corridor split of the fitted model converged in every year.
    message : str
        The optimiser's message.
    scenario : Scenario
        The scenario with the fitted parameters.
    constant_shares : pandas.DataFrame
        Each corridor constant as a share of its corridor's mean generalised cost in the
        fitted run, volume-weighted over the markets and fitted years that use it
        (:func:`corridors.scenarios.constants.constant_shares`).
    """

    corridor: str
    parameters: dict[str, float]
    bounds: dict[str, tuple[float, float]]
    at_bound: tuple[str, ...]
    unidentified: tuple[str, ...]
    ceilings_exceeded: tuple[str, ...]
    fit: pd.DataFrame
    rmse_log: float
    r2_log: float
    r2_log_by_target: dict[str, float]
    rmse_log_holdout: float
    success: bool
    converged: bool
    message: str
    scenario: Scenario
    predicted_t: dict[int, float] = field(default_factory=dict)
    observed_t: dict[int, float] = field(default_factory=dict)
    constant_shares: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(SHARE_COLUMNS))
    )
    rmse_log_by_kind: dict[str, float] = field(default_factory=dict)

    @property
    def risk_premium_usd_teu(self) -> float:
        """Fitted constant of ``corridor``, USD per TEU."""
        return self.parameters.get(f"asc.{self.corridor}", math.nan)

    @property
    def logit_scale_per_usd(self) -> float:
        """Fitted logit scale, 1/USD per TEU."""
        return self.parameters.get("scale", math.nan)

    def table(self) -> list[tuple[int, float, float, float]]:
        """Rows ``(year, observed, modelled, error %)`` of the first target."""
        first = self.fit[self.fit["target"] == self.fit["target"].iloc[0]]
        return [
            (int(r.year), float(r.observed), float(r.modelled), float(r.error_pct))
            for r in first.itertuples()
        ]


def bounds_and_identification(
    names: Sequence[str],
    x: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    jac: NDArray[np.float64],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Parameters at a bound, and parameters the fit does not depend on.

    ``jac`` is the Jacobian of the residuals in the search variables at the fit. A
    parameter is not identified when moving it by a tenth of its range changes the
    residuals (log errors) by less than 0.001 in all: e.g. the constant of a
    corridor the fit leaves empty, whose exact value no observation pins down. A
    parameter at a bound (within 0.1 % of its range) that is identified is reported
    as at the bound.
    """
    at_bound: list[str] = []
    unidentified: list[str] = []
    for j, (n, v, a, b) in enumerate(zip(names, x, lo, hi, strict=True)):
        span = float(b - a)
        if float(np.linalg.norm(jac[:, j])) * 0.1 * span < 1e-3:
            unidentified.append(n)
        elif min(v - a, b - v) <= 1e-3 * span:
            at_bound.append(n)
    return tuple(at_bound), tuple(unidentified)


@dataclass(frozen=True)
class FitQuality:
    """Quality of a fit on logarithms.

    Attributes
    ----------
    rmse_log : float
        Root mean square of ``log(modelled / observed)`` over the fitted rows of the
        point volume targets (ceilings are not in it).
    r2_log : float
        Share of the variance of ``log(observed)`` explained, over the same rows
        (pooled over targets).
    r2_log_by_target : dict of str to float
        The same per volume target.
    rmse_log_holdout : float
        Root mean square of the log errors of the out-of-sample volume rows (NaN if
        none).
    rmse_log_by_kind : dict of str to float
        Root mean square of the unweighted residuals (log distance outside the range;
        0 inside) of the fitted rows of each kind (``volume`` with its ceilings,
        ``time``, ``price``).
    """

    rmse_log: float
    r2_log: float
    r2_log_by_target: dict[str, float]
    rmse_log_holdout: float
    rmse_log_by_kind: dict[str, float] = field(default_factory=dict)


def fit_table(
    rows: Sequence[Observation], modelled: Mapping[tuple[str, int], float]
) -> pd.DataFrame:
    """The fit table: one row per observation, with the modelled value.

    ``error_pct`` is the distance of the modelled value from the observed range (0
    inside it; from the point for volumes, from the ceiling when above it) and
    ``residual`` its log distance (unweighted).
    """
    table = []
    for o in rows:
        m = modelled[o.target, o.year]
        r = range_residual(m, o.low, o.high)
        near = o.high if m > o.high or o.low <= 0 else o.low
        table.append(
            {
                "target": o.target,
                "kind": o.kind,
                "corridor": o.corridor,
                "unit": o.unit,
                "year": o.year,
                "observed": o.observed,
                "low": o.low,
                "high": o.high,
                "modelled": m,
                "error_pct": 100.0 * (m / near - 1.0) if o.kind == "volume" or r else 0.0,
                "residual": r,
                "in_sample": o.in_sample,
                "ceiling": o.ceiling,
            }
        )
    return pd.DataFrame(table)


def fit_quality(frame: pd.DataFrame) -> FitQuality:
    """Quality of the fit table ``frame`` (columns of :attr:`CalibrationResult.fit`)."""
    kinds = frame["kind"] if "kind" in frame.columns else pd.Series("volume", index=frame.index)
    by_kind: dict[str, float] = {}
    for kind in KINDS:
        sel = frame[(kinds == kind) & frame["in_sample"]]
        if len(sel):
            by_kind[kind] = float(np.sqrt((sel["residual"].to_numpy(dtype=float) ** 2).mean()))
    frame = frame[kinds == "volume"]
    points = frame[~frame["ceiling"]]
    ins = points[points["in_sample"]]
    res = np.log(
        ins["modelled"].clip(lower=1e-9).to_numpy(dtype=float)
        / ins["observed"].to_numpy(dtype=float)
    )
    lobs = np.log(ins["observed"].to_numpy())
    ss_tot = float(((lobs - lobs.mean()) ** 2).sum())
    r2 = 1.0 - float((res**2).sum()) / ss_tot if ss_tot > 0 else math.nan
    by_target: dict[str, float] = {}
    for name, g in ins.groupby("target", sort=False):
        lo_g = np.log(g["observed"].to_numpy())
        r_g = np.log(g["modelled"].clip(lower=1e-9).to_numpy()) - lo_g
        tot = float(((lo_g - lo_g.mean()) ** 2).sum())
        by_target[str(name)] = 1.0 - float((r_g**2).sum()) / tot if tot > 0 else math.nan
    out = points[~points["in_sample"]]
    hold = np.log(
        out["modelled"].clip(lower=1e-9).to_numpy(dtype=float)
        / out["observed"].to_numpy(dtype=float)
    )
    return FitQuality(
        rmse_log=float(np.sqrt((res**2).mean())),
        r2_log=r2,
        r2_log_by_target=by_target,
        rmse_log_holdout=float(np.sqrt((hold**2).mean())) if len(hold) else math.nan,
        rmse_log_by_kind=by_kind,
    )
