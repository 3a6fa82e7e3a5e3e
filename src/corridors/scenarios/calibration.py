"""Calibrate the corridor choice to observed volumes.

Parameters of the behavioural model are fitted so that modelled volumes match
observed ones, year by year, in the least-squares sense on logarithms (a 2021 volume
of 0.6 Mt weighs as much as a 2023 volume of 2.8 Mt). A parameter is one of

* ``scale``: the logit scale, 1/USD per TEU (searched on its logarithm);
* ``nest_scale``: the nested logit's nest scale, in (0, 1];
* ``asc.<corridor>``: a corridor's constant (risk premium), USD per TEU;
* ``disruption.<id>``: the surcharge (``extra_usd_teu``) of one of the scenario's
  disruptions, USD per TEU - e.g. the risk premium shippers and insurers put on the
  Northern route from March 2022.

A target is an observed series of one corridor's volume (tonnes or TEU), over all
markets or some of them. The shipped targets are the TITR (Middle Corridor) cargo
in tonnes, the TITR containers in TEU (container markets only) and the
China-EU-China transit on the 1520 mm network (UTLC ERA, the Northern route) in TEU
(``corridor-facts.md``), and all Iran-Türkiye rail freight as a *ceiling* on the
Southern corridor (a one-sided target: only an excess counts). After the fit each
parameter is fitted, at a bound, or not identified (the fit does not depend on it,
e.g. the constant of a corridor the data leave empty). Years a target has but the fit leaves
out (``holdout``) are reported as out-of-sample checks. The routes of every year are
found once; each trial only re-solves the corridor split.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import least_squares

from corridors.network.model import Network
from corridors.scenarios.constants import SHARE_COLUMNS, constant_shares
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.spec import Behaviour, Disruption, MeasureCatalogue, Scenario
from corridors.scenarios.targets import (
    FIT_YEARS,
    TITR_OBSERVED_T,
    Target,
    target_values,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Parameter:
    """A parameter to fit and its bounds.

    Attributes
    ----------
    name : str
        ``scale``, ``nest_scale``, ``asc.<corridor>`` or ``disruption.<id>``.
    low, high : float
        Bounds (1/USD for ``scale``, none for ``nest_scale``, else USD per TEU).
    """

    name: str
    low: float
    high: float


def default_parameters(scenario: Scenario, corridor: str) -> tuple[Parameter, ...]:
    """The constant of ``corridor`` and the logit scale."""
    _ = scenario
    return (Parameter(f"asc.{corridor}", -50_000.0, 50_000.0), Parameter("scale", 1e-6, 0.1))


def history_parameters(scenario: Scenario) -> tuple[Parameter, ...]:
    """Rail corridors' constants, the logit scale and every Northern surcharge.

    The constants are those of the Middle and Northern corridors, and of the Southern
    one when a market may use it. The Northern surcharges are the scenario's
    disruptions on the ``northern`` corridor that add money (the sanctions risk
    premium from March 2022). With nests in the scenario's behaviour, the nest scale
    is fitted too.
    """
    # wide bounds: a corridor the data leave empty (the Southern one in 2021-2023)
    # needs a constant far above the others, and is then reported as not identified
    out = [
        Parameter("asc.middle", -100_000.0, 100_000.0),
        Parameter("asc.northern", -100_000.0, 100_000.0),
    ]
    if any(m.corridors and "southern" in m.corridors for m in scenario.demand.markets):
        out.append(Parameter("asc.southern", -100_000.0, 100_000.0))
    out.append(Parameter("scale", 1e-5, 0.05))
    if scenario.behaviour.nests:
        out.append(Parameter("nest_scale", 0.05, 1.0))
    for d in scenario.disruptions:
        if "northern" in d.corridors and not d.closed:
            out.append(Parameter(f"disruption.{d.id}", 0.0, 30_000.0))
    return tuple(out)


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
        ``"<target> <year>"`` of fitted ceilings the model exceeds by more than 0.5 %.
    fit : pandas.DataFrame
        ``target, corridor, unit, year, observed, modelled, error_pct, in_sample,
        ceiling``.
    rmse_log : float
        Root mean square of ``log(modelled / observed)`` over the fitted rows of the
        point targets (ceilings are not in it).
    r2_log : float
        Share of the variance of ``log(observed)`` explained, over the same rows
        (pooled over targets).
    r2_log_by_target : dict of str to float
        The same per target.
    rmse_log_holdout : float
        Root mean square of the log errors of the out-of-sample rows (NaN if none).
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


def corridor_tonnes(
    runner: ScenarioRunner, behaviour: Behaviour, corridor: str, years: Sequence[int]
) -> dict[int, float]:
    """Modelled tonnes a year on ``corridor`` with the given behaviour."""
    result = runner.run(behaviour=behaviour)
    cv = result.corridor_volumes
    totals = cv[cv["corridor"] == corridor].groupby("year")["volume_t"].sum()
    return {y: float(totals.get(y, 0.0)) for y in years}


def _apply(
    scenario: Scenario, names: Sequence[str], values: Sequence[float]
) -> tuple[Behaviour, list[Disruption]]:
    beh = scenario.behaviour
    premia = dict(beh.risk_premium_usd_teu)
    scale = beh.logit_scale_per_usd
    nest_scale = beh.nest_scale
    extra: dict[str, float] = {}
    for name, v in zip(names, values, strict=True):
        head, _, key = name.partition(".")
        if head == "scale":
            scale = float(v)
        elif head == "nest_scale":
            nest_scale = float(v)
        elif head == "asc":
            premia[key] = float(v)
        elif head == "disruption":
            extra[key] = float(v)
        else:
            raise ValueError(
                f"unknown parameter {name!r}; use scale, nest_scale, asc.<corridor> or "
                "disruption.<id>"
            )
    disruptions = [
        d.model_copy(update={"extra_usd_teu": extra[d.id]}) if d.id in extra else d
        for d in scenario.disruptions
    ]
    unknown = set(extra) - {d.id for d in scenario.disruptions}
    if unknown:
        raise ValueError(f"no disruption {sorted(unknown)} in scenario {scenario.name!r}")
    return (
        beh.model_copy(
            update={
                "risk_premium_usd_teu": premia,
                "logit_scale_per_usd": scale,
                "nest_scale": nest_scale,
            }
        ),
        disruptions,
    )


def _current(scenario: Scenario, name: str) -> float:
    head, _, key = name.partition(".")
    if head == "scale":
        return scenario.behaviour.logit_scale_per_usd
    if head == "nest_scale":
        return scenario.behaviour.nest_scale
    if head == "asc":
        return scenario.behaviour.risk_premium_usd_teu.get(key, 0.0)
    for d in scenario.disruptions:
        if d.id == key:
            return d.extra_usd_teu
    raise ValueError(f"unknown parameter {name!r}")


def _bounds_and_identification(
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


def calibrate(
    network: Network,
    scenario: Scenario,
    observed_t: Mapping[int, float] | None = None,
    *,
    catalogue: MeasureCatalogue | None = None,
    corridor: str | None = None,
    targets: Sequence[Target] | None = None,
    parameters: Sequence[Parameter] | None = None,
    fit_years: Sequence[int] | None = None,
    starts: int = 4,
    reliability: Mapping[str, float] | None = None,
) -> CalibrationResult:
    """Fit behavioural parameters to observed corridor volumes.

    Parameters
    ----------
    network : Network
        The network.
    scenario : Scenario
        A scenario covering the observed years (demand, disruptions of the time).
    observed_t : mapping of year to tonnes, optional
        Observed tonnes of ``corridor`` (a single target; ignored with ``targets``).
    catalogue : MeasureCatalogue, optional
        Measures the scenario names.
    corridor : str, optional
        Corridor of ``observed_t`` (default: the scenario's target corridor).
    targets : sequence of Target, optional
        Observed series (default: ``observed_t`` on ``corridor``, or the TITR series).
    parameters : sequence of Parameter, optional
        What to fit (default: ``asc.<corridor>`` and ``scale``).
    fit_years : sequence of int, optional
        Years fitted (default: every observed year the scenario covers, up to 2023
        for the shipped series); other covered years are out-of-sample checks.
    starts : int
        Starting points of the local search (the best of a coarse grid first).
    reliability : mapping of corridor to hours, optional
        Reliability buffers overriding the scenario's (the study passes simulated
        ones with ``behaviour.reliability: simulate``).

    Returns
    -------
    CalibrationResult

    Raises
    ------
    ValueError
        When no observed year to fit is inside the scenario's years.
    """
    corridor = corridor or scenario.target_corridor
    if targets is None:
        if observed_t is not None:
            targets = (Target("observed", corridor, dict(observed_t), "t"),)
        else:
            targets = (Target("TITR cargo", corridor, dict(TITR_OBSERVED_T), "t"),)
    params = tuple(parameters or default_parameters(scenario, corridor))
    covered = set(scenario.years)
    if fit_years is None:
        fit_years = FIT_YEARS if observed_t is None else sorted(observed_t)
    fit_set = set(fit_years) & covered
    rows = [(t, y) for t in targets for y in sorted(t.observed) if y in covered]
    fitted = [(t, y) for t, y in rows if y in fit_set]
    if not fitted:
        raise ValueError(
            f"no observed year to fit is inside the scenario's "
            f"{scenario.base_year}-{scenario.horizon}"
        )
    years = sorted({y for _, y in rows})
    runner = ScenarioRunner(network, scenario, catalogue=catalogue, reliability=reliability)
    boxes = tuple(m.id for m in scenario.demand.markets if m.containers)
    names = [p.name for p in params]
    log_scale = np.array([p.name == "scale" for p in params])
    unit = 1000.0  # money is searched in thousands of USD so all unknowns are O(1)

    # and the nest scale (0-1) as it is
    per_x = [1.0 if p.name == "nest_scale" else unit for p in params]

    def to_x(values: Sequence[float]) -> NDArray[np.float64]:
        return np.array(
            [
                math.log(v) if ls else v / u
                for v, ls, u in zip(values, log_scale, per_x, strict=True)
            ]
        )

    def from_x(x: NDArray[np.float64]) -> list[float]:
        return [
            float(math.exp(v)) if ls else float(v) * u
            for v, ls, u in zip(x, log_scale, per_x, strict=True)
        ]

    lo = to_x([p.low for p in params])
    hi = to_x([p.high for p in params])
    weights = np.array([math.sqrt(t.weight) for t, _ in fitted])
    log_obs = np.log(np.array([t.observed[y] for t, y in fitted]))
    one_sided = np.array([t.ceiling for t, _ in fitted])

    converged = [True]
    final_volumes: list[pd.DataFrame] = []

    def modelled(values: Sequence[float], *, final: bool = False) -> dict[tuple[str, int], float]:
        beh, dis = _apply(scenario, names, values)
        result = runner.run(behaviour=beh, disruptions=dis, warn=final)
        converged[0] = bool(result.info["converged"])
        cv = result.corridor_volumes
        if final:
            final_volumes.append(cv)
        out: dict[tuple[str, int], float] = {}
        for t in targets:
            for y, v in target_values(cv, t, years, container_markets=boxes).items():
                out[t.name, y] = v
        return out

    def residuals(x: NDArray[np.float64]) -> NDArray[np.float64]:
        pred = modelled(from_x(x))
        values = np.array([max(pred[t.name, y], 1e-9) for t, y in fitted])
        r = np.log(values) - log_obs
        r[one_sided] = np.maximum(r[one_sided], 0.0)  # a ceiling only counts when exceeded
        return np.asarray(weights * r, dtype=np.float64)

    # a coarse random design first: the split saturates (all or nothing) far from the
    # optimum, where a local method stalls; then local searches from the best points
    x0 = np.clip(to_x([_current(scenario, n) for n in names]), lo, hi)
    rng = np.random.default_rng(scenario.seed)
    design = [x0, *[lo + (hi - lo) * rng.random(len(params)) for _ in range(12 * len(params))]]
    scored = sorted(((float((residuals(x) ** 2).sum()), i) for i, x in enumerate(design)))
    best = None
    for _, i in scored[: max(1, starts)]:
        fit = least_squares(
            residuals,
            x0=design[i],
            bounds=(lo, hi),
            xtol=1e-12,
            ftol=1e-12,
            gtol=1e-12,
            max_nfev=400,
        )
        if best is None or fit.cost < best.cost:
            best = fit
    assert best is not None
    values = from_x(best.x)
    fitted_params = dict(zip(names, values, strict=True))
    pred = modelled(values, final=True)
    table = []
    for t, y in rows:
        o, m = t.observed[y], pred[t.name, y]
        table.append(
            {
                "target": t.name,
                "corridor": t.corridor,
                "unit": t.unit,
                "year": y,
                "observed": o,
                "modelled": m,
                "error_pct": 100.0 * (m / o - 1.0),
                "in_sample": y in fit_set,
                "ceiling": t.ceiling,
            }
        )
    frame = pd.DataFrame(table)
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
    over = frame[frame["ceiling"] & frame["in_sample"] & (frame["error_pct"] > 0.5)]
    at_bound, unidentified = _bounds_and_identification(
        names, best.x, lo, hi, np.asarray(best.jac, dtype=float)
    )
    beh, dis = _apply(scenario, names, values)
    logger.info("calibrated %s: %s", corridor, fitted_params)
    first = targets[0]
    predicted_t = {
        y: pred[first.name, y] * (1.0 if first.unit == "t" else scenario.behaviour.tonnes_per_teu)
        for y in years
        if (first.name, y) in pred
    }
    return CalibrationResult(
        corridor=first.corridor,
        parameters=fitted_params,
        bounds={p.name: (p.low, p.high) for p in params},
        at_bound=at_bound,
        unidentified=unidentified,
        ceilings_exceeded=tuple(f"{r.target} {r.year}" for r in over.itertuples()),
        fit=frame,
        rmse_log=float(np.sqrt((res**2).mean())),
        r2_log=r2,
        r2_log_by_target=by_target,
        rmse_log_holdout=float(np.sqrt((hold**2).mean())) if len(hold) else math.nan,
        success=bool(best.success),
        converged=converged[0],
        message=str(best.message),
        scenario=scenario.model_copy(update={"behaviour": beh, "disruptions": dis}),
        predicted_t=predicted_t,
        observed_t={y: v for y, v in first.observed.items() if y in covered},
        constant_shares=constant_shares(
            final_volumes[-1], beh.risk_premium_usd_teu, years=sorted(fit_set)
        ),
    )
