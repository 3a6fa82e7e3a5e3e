"""One run of a scenario: its reliability buffers, the ranking of its measures, stored.

``corridors run`` calls :func:`run_and_store`: the run is written to the results store
in its own transaction once it completes. With ``behaviour.reliability: simulate`` the
reliability buffers are simulated once here (:mod:`corridors.studies.reliability`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from corridors.network.model import Network
from corridors.scenarios.appraisal import appraise
from corridors.scenarios.io import ScenarioInputs, dump_scenario, scenario_hash
from corridors.scenarios.model import run_scenario
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.spec import MeasureCatalogue, Scenario
from corridors.scenarios.store import ResultsStore, RunRecord
from corridors.studies.reliability import scenario_buffers

Progress = Callable[[int, int], None]
"""``(done, total)`` progress callback."""


def run_record(
    inputs: ScenarioInputs, *, kind: str, seed: int, scenario: Scenario | None = None, **kw: Any
) -> RunRecord:
    """What identifies a run of ``inputs`` in the store (``scenario``: as run, if changed)."""
    text = inputs.loaded.text if scenario is None else dump_scenario(scenario)
    return RunRecord(
        scenario_name=inputs.scenario.name,
        scenario_hash=inputs.loaded.sha256 if scenario is None else scenario_hash(text),
        scenario_text=text,
        seed=seed,
        kind=kind,
        **kw,
    )


def scenario_run(
    network: Network,
    scenario: Scenario,
    *,
    catalogue: MeasureCatalogue | None = None,
    reliability: Mapping[str, float] | None = None,
    progress: Progress | None = None,
) -> ScenarioResult:
    """One run of a scenario (not stored), its reliability buffers simulated if it asks.

    ``reliability`` (hours per corridor) overrides the scenario's and the simulated
    buffers.
    """
    return run_scenario(
        network,
        scenario,
        catalogue=catalogue,
        reliability=scenario_buffers(network, scenario, given=reliability),
        progress=progress,
    )


def run_and_store(
    inputs: ScenarioInputs,
    *,
    store: ResultsStore | None,
    appraise_measures: bool = True,
    horizon: int | None = None,
    progress: Progress | None = None,
) -> tuple[str | None, ScenarioResult]:
    """Run a scenario once (with the ranking of its measures) and store it.

    Parameters
    ----------
    inputs : ScenarioInputs
        Scenario, network and catalogue.
    store : ResultsStore or None
        Where to write the run (``None``: not stored).
    appraise_measures : bool
        Also rank the scenario's measures (runs the scenario once per measure more).
    horizon : int, optional
        Last year, replacing the scenario's.
    progress : callable, optional
        ``(steps done, steps)``.

    Returns
    -------
    run id (or None), ScenarioResult
    """
    scenario = inputs.scenario
    if horizon is not None:
        scenario = scenario.until(horizon)
    measures = list(scenario.measures)
    steps = len(scenario.years) + (len(measures) + 2 if appraise_measures and measures else 0)

    def years_done(done: int, _total: int) -> None:
        if progress is not None:
            progress(done, steps)

    record = run_record(
        inputs, kind="run", seed=scenario.seed, scenario=None if horizon is None else scenario
    )
    buffers = scenario_buffers(inputs.network, scenario)
    result = run_scenario(
        inputs.network,
        scenario,
        catalogue=inputs.catalogue,
        reliability=buffers,
        progress=years_done,
    )
    if appraise_measures and measures:
        base = len(scenario.years)

        def appraisal_done(done: int, _total: int) -> None:
            if progress is not None:
                progress(base + done, steps)

        rankings, _ = appraise(
            inputs.network,
            scenario,
            catalogue=inputs.catalogue,
            progress=appraisal_done,
            reliability=buffers,
        )
        result = dataclasses.replace(result, rankings=rankings)
    run_id = store.write_run(record, result) if store is not None else None
    return run_id, result
