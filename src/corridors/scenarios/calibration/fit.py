"""Fit the behavioural parameters to observed corridor volumes.

Parameters of the behavioural model (:mod:`~corridors.scenarios.calibration.parameters`)
are fitted so that modelled volumes match observed ones, year by year, in the
least-squares sense on logarithms (a 2021 volume of 0.6 Mt weighs as much as a 2023
volume of 2.8 Mt). The routes of every year are found once; each trial only re-solves
the corridor split.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import least_squares

from corridors.network.model import Network
from corridors.scenarios.calibration.parameters import (
    Parameter,
    apply_parameters,
    current_value,
    default_parameters,
)
from corridors.scenarios.calibration.result import (
    CalibrationResult,
    bounds_and_identification,
    fit_quality,
)
from corridors.scenarios.constants import constant_shares
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.spec import Behaviour, MeasureCatalogue, Scenario
from corridors.scenarios.targets import (
    FIT_YEARS,
    TITR_OBSERVED_T,
    Target,
    target_values,
)

logger = logging.getLogger(__name__)


def corridor_tonnes(
    runner: ScenarioRunner, behaviour: Behaviour, corridor: str, years: Sequence[int]
) -> dict[int, float]:
    """Modelled tonnes a year on ``corridor`` with the given behaviour."""
    result = runner.run(behaviour=behaviour)
    cv = result.corridor_volumes
    totals = cv[cv["corridor"] == corridor].groupby("year")["volume_t"].sum()
    return {y: float(totals.get(y, 0.0)) for y in years}


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
        beh, dis = apply_parameters(scenario, names, values)
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
    x0 = np.clip(to_x([current_value(scenario, n) for n in names]), lo, hi)
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
    quality = fit_quality(frame)
    over = frame[frame["ceiling"] & frame["in_sample"] & (frame["error_pct"] > 0.5)]
    at_bound, unidentified = bounds_and_identification(
        names, best.x, lo, hi, np.asarray(best.jac, dtype=float)
    )
    beh, dis = apply_parameters(scenario, names, values)
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
        rmse_log=quality.rmse_log,
        r2_log=quality.r2_log,
        r2_log_by_target=quality.r2_log_by_target,
        rmse_log_holdout=quality.rmse_log_holdout,
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
