"""Fit the behavioural parameters to observed corridor volumes, transit times and prices.

Parameters of the behavioural model (:mod:`~corridors.scenarios.calibration.parameters`)
are fitted so that modelled volumes match observed ones, year by year, in the
least-squares sense on logarithms (a 2021 volume of 0.6 Mt weighs as much as a 2023
volume of 2.8 Mt), and so that modelled times and prices of route segments fall in
their observed ranges (:mod:`~corridors.scenarios.calibration.observations`). The
routes of every year are found once per value of the parameters that change the
network or the value of time; other trials only re-solve the corridor split.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import approx_fprime, least_squares

from corridors.bounded_cache import made_once
from corridors.demand.classes import CONTAINER_PAYLOAD_T
from corridors.network.model import Network
from corridors.scenarios.calibration.observations import observations, residual_vector
from corridors.scenarios.calibration.parameters import (
    Parameter,
    apply_parameters,
    current_value,
    default_parameters,
    on_log_scale,
    rebuilds_routes,
    search_unit,
)
from corridors.scenarios.calibration.result import (
    CalibrationResult,
    bounds_and_identification,
    fit_quality,
    fit_table,
)
from corridors.scenarios.calibration.route_targets import PriceTarget, TimeTarget
from corridors.scenarios.calibration.route_values import route_target_values
from corridors.scenarios.constants import constant_shares, market_scales
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.spec import Behaviour, MeasureCatalogue, Scenario
from corridors.scenarios.targets import (
    CEILING_TOLERANCE_PCT,
    FIT_YEARS,
    TITR_OBSERVED_T,
    Target,
    target_values,
)

logger = logging.getLogger(__name__)

MAX_RUNNERS = 8
"""Runners (routes of every year) kept for parameters that change the network."""

CONSTANT_PENALTY = 10.0
"""Weight of a constant's excess over ``max_constant_share``: a residual of
``10 ln(|share| / aim)``, so a constant 5 % over (0.26 for an aim of 0.2475) weighs as
much as a volume 63 % off (ln 1.63 = 0.49 = 10 ln 1.05)."""

AIM = 0.99
"""The penalty starts at 99 % of the limit: a soft bound is crossed a little where the
data pull, and the fit should land within the limit, not just above it."""


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
    route_targets: Sequence[TimeTarget | PriceTarget] = (),
    parameters: Sequence[Parameter] | None = None,
    fit_years: Sequence[int] | None = None,
    starts: int = 4,
    design: int | None = None,
    reliability: Mapping[str, float] | None = None,
    max_constant_share: float | None = None,
) -> CalibrationResult:
    """Fit behavioural parameters to observed corridor volumes, transit times and prices.

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
        Observed volume series (default: ``observed_t`` on ``corridor``, or the TITR
        series).
    route_targets : sequence of TimeTarget or PriceTarget
        Observed times and prices of route segments (ranges), fitted in every year
        the scenario covers (:mod:`corridors.scenarios.calibration.route_targets`).
    parameters : sequence of Parameter, optional
        What to fit (default: ``asc.<corridor>`` and ``scale``).
    fit_years : sequence of int, optional
        Years of the volume targets fitted (default: every observed year the scenario
        covers, up to 2023 for the shipped series); other covered years are
        out-of-sample checks.
    starts : int
        Starting points of the local search (the best of a coarse design first); 0:
        no search, the scenario's own values evaluated (fit table, errors, bounds).
    design : int, optional
        Random points of the coarse design (default: 12 per parameter).
    reliability : mapping of corridor to hours, optional
        Reliability buffers overriding the scenario's (the study passes simulated
        ones with ``behaviour.reliability: simulate``).
    max_constant_share : float, optional
        Keep each corridor constant within this share of its corridor's mean
        generalised cost over the fitted years (issue 11 asks 0.25): above it, the
        search pays ``CONSTANT_PENALTY x ln(|share| / (AIM x limit))`` per corridor, a
        soft bound the data can only cross at a cost (default: no limit). The fit's RMSE
        and tables leave the penalty out.

    Returns
    -------
    CalibrationResult

    Raises
    ------
    ValueError
        When no observed year to fit is inside the scenario's years, or a time or
        price target's segment is not on its market's route.
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
    rows = observations(targets, route_targets, covered=covered, fit_years=fit_set)
    fitted = [o for o in rows if o.in_sample]
    if not any(o.kind == "volume" for o in fitted):
        raise ValueError(
            f"no observed year to fit is inside the scenario's "
            f"{scenario.base_year}-{scenario.horizon}"
        )
    years = sorted({o.year for o in rows})
    boxes = tuple(m.id for m in scenario.demand.markets if m.containers)
    node_ids = frozenset(network.nodes["node_id"])
    names = [p.name for p in params]
    log_scale = [on_log_scale(n) for n in names]
    per_x = [search_unit(n) for n in names]
    rebuild = [rebuilds_routes(n) for n in names]

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
    runners: dict[tuple[float, ...], ScenarioRunner] = {}
    converged = [True]
    final: list[ScenarioResult] = []

    def shares_of_constants(cv: pd.DataFrame, sc: Scenario) -> pd.DataFrame:
        """Each constant of ``sc`` as a share of its corridor's cost over the fitted years."""
        return constant_shares(
            cv,
            sc.behaviour.risk_premium_usd_teu,
            years=sorted(fit_set),
            market_scale=market_scales(sc),
        )

    def runner_for(sc: Scenario, values: Sequence[float]) -> ScenarioRunner:
        # one runner (routes) per value of the parameters that change the network
        key = tuple(v for v, r in zip(values, rebuild, strict=True) if r)
        return made_once(
            runners,
            key,
            lambda: ScenarioRunner(network, sc, catalogue=catalogue, reliability=reliability),
            keep=MAX_RUNNERS,
        )

    def modelled(values: Sequence[float], *, last: bool = False) -> dict[tuple[str, int], float]:
        sc = apply_parameters(scenario, names, values, node_ids=node_ids)
        runner = runner_for(sc, values)
        result = runner.run(behaviour=sc.behaviour, disruptions=sc.disruptions, warn=last)
        converged[0] = bool(result.info["converged"])
        cv = result.corridor_volumes
        if last:
            final.append(result)
        if max_constant_share is not None:
            aim = AIM * max_constant_share
            shares = shares_of_constants(cv, sc)["share"]
            excess[:] = [
                CONSTANT_PENALTY * math.log(abs(v) / aim)
                if math.isfinite(v) and abs(v) > aim
                else 0.0
                for v in shares
            ]
        out: dict[tuple[str, int], float] = {}
        for t in targets:
            for y, v in target_values(cv, t, years, container_markets=boxes).items():
                out[t.name, y] = v
        out |= route_target_values(
            route_targets,
            years,
            routes=runner.route,
            bottlenecks=result.bottlenecks,
            disruptions=sc.disruptions,
            vot=sc.behaviour.cost_parameters().vot,
        )
        return out

    excess: list[float] = []  # the constants' penalties of the last evaluation

    def residuals(x: NDArray[np.float64]) -> NDArray[np.float64]:
        r = residual_vector(fitted, modelled(from_x(x)))
        return np.concatenate([r, np.asarray(excess, dtype=np.float64)])

    x0 = np.clip(to_x([current_value(scenario, n) for n in names]), lo, hi)
    start = modelled(from_x(x0))
    missing = [f"{o.target} {o.year}" for o in rows if not math.isfinite(start[o.target, o.year])]
    if missing:
        raise ValueError(
            "no modelled value (the market has no route on the corridor, or the route "
            f"misses the segment's ends) for {', '.join(missing)}"
        )
    if starts == 0:  # the scenario's own values, evaluated and not searched
        x_best = x0
        jac = np.atleast_2d(approx_fprime(x0, residuals))
        success, message = True, "evaluated at the scenario's values (no search)"
    else:
        x_best, jac, success, message = _search(
            residuals, x0, lo, hi, starts=starts, design=design, seed=scenario.seed
        )
    values = from_x(x_best)
    fitted_params = dict(zip(names, values, strict=True))
    pred = modelled(values, last=True)
    frame = fit_table(rows, pred)
    quality = fit_quality(frame)
    exceeded = frame["error_pct"] > CEILING_TOLERANCE_PCT
    over = frame[frame["ceiling"] & frame["in_sample"] & exceeded]
    at_bound, unidentified = bounds_and_identification(names, x_best, lo, hi, jac)
    fitted_scenario = apply_parameters(scenario, names, values, node_ids=node_ids)
    logger.info("calibrated %s: %s", corridor, fitted_params)
    first = targets[0]
    predicted_t = {
        y: pred[first.name, y] * (1.0 if first.unit == "t" else CONTAINER_PAYLOAD_T)
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
        success=success,
        converged=converged[0],
        message=message,
        scenario=fitted_scenario,
        predicted_t=predicted_t,
        observed_t={y: v for y, v in first.observed.items() if y in covered},
        constant_shares=shares_of_constants(final[-1].corridor_volumes, fitted_scenario),
        rmse_log_by_kind=quality.rmse_log_by_kind,
    )


def _search(
    residuals: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    x0: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    *,
    starts: int,
    design: int | None,
    seed: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64], bool, str]:
    """The best of ``starts`` local searches: its point, Jacobian, success and message."""
    # a coarse random design first: the split saturates (all or nothing) far from the
    # optimum, where a local method stalls; then local searches from the best points
    rng = np.random.default_rng(seed)
    n_design = 12 * len(x0) if design is None else design
    points = [x0, *[lo + (hi - lo) * rng.random(len(x0)) for _ in range(n_design)]]
    scored = sorted(((float((residuals(x) ** 2).sum()), i) for i, x in enumerate(points)))
    best = None
    for _, i in scored[: max(1, starts)]:
        fit = least_squares(
            residuals,
            x0=points[i],
            bounds=(lo, hi),
            xtol=1e-12,
            ftol=1e-12,
            gtol=1e-12,
            max_nfev=400,
        )
        if best is None or fit.cost < best.cost:
            best = fit
    assert best is not None
    return best.x, np.asarray(best.jac, dtype=float), bool(best.success), str(best.message)
