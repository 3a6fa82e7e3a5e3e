"""Calibration study: fit the corridor choice to the history and store the fitted run.

``corridors calibrate`` runs :func:`calibrate_scenario`: the reliability buffers (when
the scenario simulates them), the fit (:func:`corridors.scenarios.calibration.calibrate`)
and, when a store is given, one run of the fitted scenario stored with the fit table.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from corridors.scenarios.calibration import CalibrationResult, calibrate, history_parameters
from corridors.scenarios.calibration.route_targets import (
    PriceTarget,
    TimeTarget,
    default_price_targets,
    default_time_targets,
)
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
