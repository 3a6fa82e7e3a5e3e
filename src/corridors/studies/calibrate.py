"""Calibration study: fit the corridor choice to the history and store the fitted run.

``corridors calibrate`` runs :func:`calibrate_scenario`: the reliability buffers (when
the scenario simulates them), the fit (:func:`corridors.scenarios.calibration.calibrate`),
when asked, the fit file the scenarios name (:mod:`corridors.scenarios.fit_file`) and,
when a store is given, one run of the fitted scenario stored with the fit table.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from corridors.atomic import write_text
from corridors.scenarios.calibration import CalibrationResult, calibrate, history_parameters
from corridors.scenarios.calibration.route_targets import (
    PriceTarget,
    TimeTarget,
    default_price_targets,
    default_time_targets,
)
from corridors.scenarios.fit_file import fit_text
from corridors.scenarios.io import ScenarioInputs, dump_scenario, scenario_hash
from corridors.scenarios.model import run_scenario
from corridors.scenarios.store import ResultsStore, RunRecord
from corridors.scenarios.targets import default_targets
from corridors.studies.reliability import scenario_buffers


@dataclass(frozen=True)
class CalibrationStudy:
    """A fit and where it was stored.

    Attributes
    ----------
    fit : CalibrationResult
        Parameters, fit table, errors.
    run_id : str or None
        The stored run of the fitted scenario (``None``: not stored).
    """

    fit: CalibrationResult
    run_id: str | None


def calibrate_scenario(
    inputs: ScenarioInputs,
    *,
    titr_only: bool = False,
    starts: int = 4,
    store: Path | None = None,
    max_constant_share: float | None = 0.25,
    write_fit: Path | None = None,
) -> CalibrationStudy:
    """Fit the scenario's behaviour to the observed history; store the fitted run.

    Parameters
    ----------
    inputs : ScenarioInputs
        A scenario covering the observed years, its network and catalogue.
    titr_only : bool
        Fit only the target corridor's constant and the logit scale to TITR cargo;
        otherwise every volume series of :func:`default_targets` and the time and
        price targets (:func:`default_time_targets`, :func:`default_price_targets`) of
        the scenario's markets, with :func:`history_parameters`.
    starts : int
        Local searches to start (0: none, the scenario's values evaluated).
    store : Path, optional
        Results store the fitted run (with its fit table and errors in ``info``) is
        written to; opened only once the fit is done.
    max_constant_share : float, optional
        Keep each corridor constant within this share of its corridor's mean generalised
        cost (a soft bound, :func:`~corridors.scenarios.calibration.fit.calibrate`;
        ``None``: no limit). Issue 11 asks for 0.25.
    write_fit : Path, optional
        Fit file to (over)write with the fitted values (:func:`fit_source` says how they
        were obtained); the scenarios that name it take them.

    Returns
    -------
    CalibrationStudy
    """
    sc = inputs.scenario
    buffers = scenario_buffers(inputs.network, sc)
    if titr_only:
        fit = calibrate(
            inputs.network, sc, catalogue=inputs.catalogue, starts=starts, reliability=buffers
        )
    else:
        markets = {m.id for m in sc.demand.markets}
        candidates: list[TimeTarget | PriceTarget] = [
            *default_time_targets(),
            *default_price_targets(),
        ]
        routes = [t for t in candidates if t.segment.market in markets]
        priced = sorted({d for t in routes if isinstance(t, PriceTarget) for d in t.surcharges})
        fit = calibrate(
            inputs.network,
            sc,
            catalogue=inputs.catalogue,
            targets=default_targets(),
            route_targets=routes,
            parameters=history_parameters(sc, priced=priced),
            starts=starts,
            reliability=buffers,
            max_constant_share=max_constant_share,
        )
    if write_fit is not None:
        source = fit_source(fit, scenario=sc.name, starts=starts, titr_only=titr_only)
        write_text(
            write_fit,
            fit_text(fit.scenario, list(fit.parameters), name=write_fit.stem, source=source),
        )
    if store is None:
        return CalibrationStudy(fit, None)
    result = run_scenario(
        inputs.network, fit.scenario, catalogue=inputs.catalogue, reliability=buffers
    )
    info = (
        dict(result.info)
        | {f"fit.{k}": v for k, v in fit.parameters.items()}
        | {
            "rmse_log": fit.rmse_log,
            "r2_log": fit.r2_log,
            "rmse_log_holdout": fit.rmse_log_holdout,
        }
        | {f"rmse_log.{k}": v for k, v in fit.rmse_log_by_kind.items()}
    )
    result = dataclasses.replace(result, info=info)
    text = dump_scenario(fit.scenario)
    record = RunRecord(
        scenario_name=sc.name,
        scenario_hash=scenario_hash(text),
        scenario_text=text,
        seed=sc.seed,
        kind="calibration",
    )
    with ResultsStore(store) as db:
        run_id = db.write_run(record, result, calibration_fit=fit.fit)
    return CalibrationStudy(fit, run_id)


def fit_source(
    fit: CalibrationResult, *, scenario: str, starts: int, titr_only: bool = False
) -> str:
    """How a fit was obtained, for its fit file: command, errors, constants, bounds."""
    cs = fit.constant_shares
    shares = " / ".join(
        f"{c} {100.0 * float(x):.1f} %" for c, x in zip(cs["corridor"], cs["share"], strict=True)
    )
    targets = (
        "TITR cargo (--titr-only)"
        if titr_only
        else "the volumes, times and prices of docs/calibration.md (corridor-facts.md)"
    )
    text = (
        f"`corridors calibrate {scenario}` ({starts} starts) to {targets}: RMSE(log) "
        f"{fit.rmse_log:.3f} fitted, {fit.rmse_log_holdout:.3f} held out; constants {shares} "
        "of their corridors' mean generalised cost"
    )
    for what, names in (
        ("at a bound", fit.at_bound),
        ("not identified", fit.unidentified),
        ("ceiling exceeded", fit.ceilings_exceeded),
    ):
        text += f"; {what}: {', '.join(names) or 'none'}"
    return text
