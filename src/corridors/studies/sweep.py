"""A sweep: the scenario run for Latin-hypercube draws of varied ranges (``corridors sweep``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corridors.scenarios.io import ScenarioInputs
from corridors.scenarios.store import ResultsStore
from corridors.scenarios.sweep import Executor
from corridors.scenarios.variables import (
    UnmatchedVariableError,
    Vary,
    draw_uniform,
    unmatched_variables,
)
from corridors.studies.sample_runs import SweepOutcome, plan_samples, run_samples_stored
from corridors.studies.scenario_run import Progress


def check_varies(inputs: ScenarioInputs, varies: Sequence[Vary]) -> None:
    """Check that every varied variable's target exists (before a store is opened).

    Raises
    ------
    UnmatchedVariableError
        When a varied variable's target (country, corridor, link, market) matches
        nothing: the sweep would change nothing.
    """
    unmatched = unmatched_variables(
        [v.variable for v in varies], network=inputs.network, scenario=inputs.scenario, where="vary"
    )
    if unmatched:
        raise UnmatchedVariableError(unmatched, what="the varied variables")


def sweep(
    inputs: ScenarioInputs,
    varies: Sequence[Vary],
    *,
    samples: int,
    seed: int | None = None,
    store: ResultsStore | None = None,
    executor: Executor = "processes",
    workers: int | None = None,
    dask_address: str | None = None,
    dask_client: Any = None,
    progress: Progress | None = None,
) -> SweepOutcome:
    """Run the scenario for ``samples`` draws of the varied ranges (Latin hypercube).

    Each completed run is stored in its own transaction as it arrives.

    Raises
    ------
    UnmatchedVariableError
        When a varied variable's target (country, corridor, link, market) matches
        nothing: the sweep would change nothing. Raised before any run.
    """
    scenario = inputs.scenario
    check_varies(inputs, varies)
    base_seed = scenario.seed if seed is None else seed
    runs, sweep_record = plan_samples(
        inputs,
        scenario,
        kind="sweep",
        base_seed=base_seed,
        values=draw_uniform(varies, n=samples, seed=base_seed),
        variables={v.variable: [v.low, v.high] for v in varies},
        store=store,
    )
    return run_samples_stored(
        inputs,
        scenario,
        runs,
        kind="sweep",
        store=store,
        sweep_record=sweep_record,
        executor=executor,
        workers=workers,
        dask_address=dask_address,
        dask_client=dask_client,
        progress=progress,
    )
