"""Scenario studies: a run, a sweep and a forecast, written to a results store.

These functions are what the command line calls (``run``, ``sweep``, ``forecast``):
each run is stored in its own transaction as soon as it completes (in the calling
process), so an interrupted sweep keeps its completed runs and never leaves a partial
one. With ``behaviour.reliability: simulate`` the reliability buffers are simulated
once here (:mod:`corridors.studies.reliability`) and handed to every run.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from corridors.network.model import Network
from corridors.scenarios.appraisal import appraise
from corridors.scenarios.io import ScenarioInputs, dump_scenario, scenario_hash
from corridors.scenarios.model import run_scenario
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.spec import MeasureCatalogue, Scenario
from corridors.scenarios.store import ResultsStore, RunRecord, SweepRecord
from corridors.scenarios.sweep import Executor, Job, Sample, run_samples, seeds_for
from corridors.scenarios.variables import (
    UnmatchedVariableError,
    Vary,
    draw_uncertain,
    draw_uniform,
    unmatched_variables,
)
from corridors.studies.reliability import scenario_buffers

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""``(done, total)`` progress callback."""


def _record(
    inputs: ScenarioInputs, *, kind: str, seed: int, scenario: Scenario | None = None, **kw: Any
) -> RunRecord:
    text = inputs.loaded.text if scenario is None else dump_scenario(scenario)
    return RunRecord(
        scenario_name=inputs.scenario.name,
        scenario_hash=scenario_hash(text),
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

    record = _record(
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


CONVERGENCE_COLUMNS = ("sample_index", "iterations", "gap", "converged")
"""Columns of :attr:`SweepOutcome.convergence`."""


@dataclass(frozen=True)
class SweepOutcome:
    """What a sweep or forecast did.

    Attributes
    ----------
    sweep_id : str or None
        Identifier in the store.
    completed : int
        Runs completed (and stored).
    run_ids : list of str
        Stored runs in completion order.
    volumes : pandas.DataFrame
        Corridor volume by sample, year and corridor, TEU (sum over markets).
    convergence : pandas.DataFrame
        The equilibrium of each sample: ``sample_index``, ``iterations`` (most over its
        years), ``gap`` (largest over its years) and ``converged``.
    """

    sweep_id: str | None
    completed: int
    run_ids: list[str]
    volumes: pd.DataFrame
    convergence: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(CONVERGENCE_COLUMNS))
    )

    @property
    def max_iterations(self) -> int:
        """Most equilibrium iterations of any sample and year (0 without samples)."""
        return int(self.convergence["iterations"].max()) if len(self.convergence) else 0

    @property
    def max_gap(self) -> float:
        """Largest equilibrium gap of any sample and year (0 without samples)."""
        return float(self.convergence["gap"].max()) if len(self.convergence) else 0.0

    @property
    def all_converged(self) -> bool:
        """Whether every sample's equilibrium reached its tolerance."""
        return bool(self.convergence["converged"].all())


def _run_many(
    inputs: ScenarioInputs,
    scenario: Scenario,
    samples: list[Sample],
    *,
    kind: str,
    store: ResultsStore | None,
    sweep_record: SweepRecord | None,
    executor: Executor,
    workers: int | None,
    dask_address: str | None,
    dask_client: Any,
    progress: Progress | None,
) -> SweepOutcome:
    job = Job(
        scenario=scenario,
        catalogue=inputs.catalogue,
        network_path=inputs.network_path,
        reliability=scenario_buffers(inputs.network, scenario),
    )
    sweep_id = sweep_record.sweep_id if sweep_record is not None else None
    run_ids: list[str] = []
    frames: list[pd.DataFrame] = []
    convergence: list[tuple[int, int, float, bool]] = []
    text = inputs.loaded.text if scenario == inputs.scenario else dump_scenario(scenario)

    def on_result(sample: Sample, result: ScenarioResult) -> None:
        record = RunRecord(
            scenario_name=scenario.name,
            scenario_hash=scenario_hash(text),
            scenario_text=text,
            seed=sample.seed,
            kind=kind,
            sample=sample.values,
            sweep_id=sweep_id,
            sample_index=sample.index,
        )
        if store is not None:
            # the sweep's row goes in with its first run: a sweep with no run leaves none
            run_ids.append(store.write_run(record, result, sweep=sweep_record))
        cv = result.corridor_volumes
        totals = cv.groupby(["year", "corridor"], as_index=False)[["volume_teu", "volume_t"]].sum()
        totals.insert(0, "sample_index", sample.index)
        frames.append(totals)
        info = result.info
        convergence.append(
            (
                sample.index,
                int(info.get("max_iterations", 0)),
                float(info.get("max_gap", 0.0)),
                bool(info.get("converged", True)),
            )
        )
        if progress is not None:
            progress(len(frames), len(samples))

    done = run_samples(
        job,
        samples,
        on_result=on_result,
        executor=executor,
        workers=workers,
        dask_address=dask_address,
        dask_client=dask_client,
    )
    volumes = (  # in sample order, whatever the completion order: bands are bit-identical
        pd.concat(frames, ignore_index=True)
        .sort_values(["sample_index", "year", "corridor"], kind="stable")
        .reset_index(drop=True)
        if frames
        else pd.DataFrame(columns=["sample_index", "year", "corridor", "volume_teu", "volume_t"])
    )
    table = pd.DataFrame(convergence, columns=list(CONVERGENCE_COLUMNS))
    table = table.sort_values("sample_index", kind="stable").reset_index(drop=True)
    return SweepOutcome(sweep_id, done, run_ids, volumes, table)


def _plan_samples(
    inputs: ScenarioInputs,
    scenario: Scenario,
    *,
    kind: str,
    base_seed: int,
    values: list[dict[str, float]],
    variables: dict[str, Any],
    store: ResultsStore | None,
) -> tuple[list[Sample], SweepRecord | None]:
    """The samples of a sweep or forecast (one seed each) and, with a store, its record.

    The record is written with the first completed run (see :func:`_run_many`).
    """
    seeds = seeds_for(base_seed, len(values))
    runs = [Sample(i, seeds[i], v) for i, v in enumerate(values)]
    if store is None:
        return runs, None
    record = SweepRecord(
        kind=kind,
        scenario_name=scenario.name,
        scenario_hash=inputs.loaded.sha256,
        scenario_text=inputs.loaded.text,
        base_seed=base_seed,
        n_samples=len(values),
        variables=variables,
    )
    return runs, record


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
    runs, sweep_record = _plan_samples(
        inputs,
        scenario,
        kind="sweep",
        base_seed=base_seed,
        values=draw_uniform(varies, n=samples, seed=base_seed),
        variables={v.variable: [v.low, v.high] for v in varies},
        store=store,
    )
    return _run_many(
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


@dataclass(frozen=True)
class Forecast:
    """A Monte Carlo forecast: bands of corridor volume by year.

    Attributes
    ----------
    outcome : SweepOutcome
        The runs.
    bands : pandas.DataFrame
        ``year, corridor, mean, p05, p50, p95`` of the volume, TEU a year, plus the
        same in tonnes (``*_t``).
    """

    outcome: SweepOutcome
    bands: pd.DataFrame


def bands(volumes: pd.DataFrame, *, quantiles: Sequence[float] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
    """Mean and quantiles over samples of the corridor volume by year and corridor."""
    rows = []
    for (year, corridor), g in volumes.groupby(["year", "corridor"]):
        row: dict[str, object] = {
            "year": year,
            "corridor": corridor,
            "mean": float(g["volume_teu"].mean()),
        }
        for q in quantiles:
            row[f"p{round(q * 100):02d}"] = float(np.quantile(g["volume_teu"], q))
        row["mean_t"] = float(g["volume_t"].mean())
        for q in quantiles:
            row[f"p{round(q * 100):02d}_t"] = float(np.quantile(g["volume_t"], q))
        rows.append(row)
    return pd.DataFrame(rows)


def forecast(
    inputs: ScenarioInputs,
    *,
    to_year: int | None = None,
    samples: int = 100,
    seed: int | None = None,
    store: ResultsStore | None = None,
    executor: Executor = "processes",
    workers: int | None = None,
    dask_address: str | None = None,
    dask_client: Any = None,
    progress: Progress | None = None,
) -> Forecast:
    """Forecast year by year to ``to_year`` with Monte Carlo bands.

    The scenario's ``uncertainty`` inputs are drawn ``samples`` times; without any, a
    single run is made and the bands collapse on it.
    """
    scenario = inputs.scenario
    if to_year is not None:
        scenario = scenario.until(to_year)
    base_seed = scenario.seed if seed is None else seed
    n = samples if scenario.uncertainty else 1
    runs, sweep_record = _plan_samples(
        inputs,
        scenario,
        kind="forecast",
        base_seed=base_seed,
        values=draw_uncertain(scenario.uncertainty, n=n, seed=base_seed),
        variables={u.variable: u.model_dump(exclude_none=True) for u in scenario.uncertainty},
        store=store,
    )
    outcome = _run_many(
        inputs,
        scenario,
        runs,
        kind="forecast",
        store=store,
        sweep_record=sweep_record,
        executor=executor if n > 1 else "sequential",
        workers=workers,
        dask_address=dask_address,
        dask_client=dask_client,
        progress=progress,
    )
    return Forecast(outcome, bands(outcome.volumes))
