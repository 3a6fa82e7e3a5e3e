"""Scenarios as the dashboard sees them: shipped or edited, checked like a file, run as jobs.

The functions here only load and call the library (``corridors.scenarios``); they run
in the server (to check a form before queuing it) and in the job workers (to run it).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, cast

import pandas as pd

from corridors.network import Network
from corridors.scenarios.io import (
    LoadedScenario,
    ScenarioInputs,
    load_inputs,
    network_names,
    read_scenario_text,
)
from corridors.scenarios.store import ResultsStore, RunRecord
from corridors.studies.scenario import forecast, run_and_store
from corridors.web.jobs import WorkerCalls


def scenario_inputs(
    name: str,
    *,
    text: str | None = None,
    network_path: Path | None = None,
    network: Network | None = None,
) -> ScenarioInputs:
    """The inputs of a shipped (or file) scenario, with its text replaced by ``text``.

    The edited text is checked exactly as the file would be (same messages, with the
    line and field), against the network and the measures catalogue of the scenario.

    Raises
    ------
    ScenarioError
        Every problem of the scenario (or of the edited text).
    """
    inputs = load_inputs(name, network_path=network_path, network=network)
    if text is None:
        return inputs
    label = f"{inputs.loaded.path.name} (edited)"
    scenario, smap = read_scenario_text(
        text,
        file=label,
        names=network_names(inputs.network),
        catalogue=inputs.catalogue,
        folder=inputs.loaded.path.parent,  # a demand table is relative to the scenario file
    )
    loaded = LoadedScenario(scenario, text, inputs.loaded.path, smap)
    return dataclasses.replace(inputs, loaded=loaded)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a table as JSON-ready dicts (NaN as null, times as ISO text)."""
    out: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso"))
    return out


class ServerStore:
    """The results store as a worker sees it: each write is sent to the server.

    Only the call the scenario runners make is offered.
    """

    def __init__(self, calls: WorkerCalls) -> None:
        self._calls = calls

    def write_run(self, record: RunRecord, result: Any, **kwargs: Any) -> str:
        """Send a finished run to the server's store; return its id."""
        self._calls.call("write_run", record, result, **kwargs)
        return record.run_id


def run_task(
    *,
    scenario: str,
    text: str | None,
    network_path: str | None,
    horizon: int | None,
    appraise: bool,
    calls: WorkerCalls,
) -> dict[str, Any]:
    """Job: run a scenario once (and rank its measures) and store it."""
    inputs = scenario_inputs(
        scenario, text=text, network_path=Path(network_path) if network_path else None
    )
    store = cast(ResultsStore, ServerStore(calls))
    run_id, result = run_and_store(
        inputs,
        store=store,
        horizon=horizon,
        appraise_measures=appraise,
        progress=calls.progress,
    )
    return {"run_id": run_id, "scenario": inputs.scenario.name, "info": result.info}


def forecast_task(
    *,
    scenario: str,
    text: str | None,
    network_path: str | None,
    horizon: int | None,
    samples: int,
    calls: WorkerCalls,
) -> dict[str, Any]:
    """Job: a Monte Carlo forecast, each draw stored as it completes."""
    inputs = scenario_inputs(
        scenario, text=text, network_path=Path(network_path) if network_path else None
    )
    store = cast(ResultsStore, ServerStore(calls))
    fc = forecast(
        inputs,
        to_year=horizon,
        samples=samples,
        store=store,
        executor="sequential",
        progress=calls.progress,
    )
    return {
        "sweep_id": fc.outcome.sweep_id,
        "scenario": inputs.scenario.name,
        "runs": fc.outcome.completed,
        "run_ids": fc.outcome.run_ids,
        "bands": records(fc.bands),
    }
