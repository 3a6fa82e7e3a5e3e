"""The runs of a sweep's or forecast's samples, each stored as soon as it completes.

Each run is stored in its own transaction in the calling process, so an interrupted
sweep keeps its completed runs and never leaves a partial one; the sweep's own row goes
in with its first run. The reliability buffers are simulated once and handed to every
sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from corridors.scenarios.io import ScenarioInputs, dump_scenario, scenario_hash
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.spec import Scenario
from corridors.scenarios.store import ResultsStore, RunRecord, SweepRecord
from corridors.scenarios.sweep import Executor, Job, Sample, run_samples, seeds_for
from corridors.studies.reliability import scenario_buffers
from corridors.studies.scenario_run import Progress

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


def run_samples_stored(
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
    """Run ``samples`` of ``scenario`` on ``executor``, storing each run as it completes.

    Returns the runs' corridor volumes and convergence in sample order, whatever the
    order the runs completed in.
    """
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
    as_read = scenario == inputs.scenario
    text = inputs.loaded.text if as_read else dump_scenario(scenario)
    digest = inputs.loaded.sha256 if as_read else scenario_hash(text)

    def on_result(sample: Sample, result: ScenarioResult) -> None:
        record = RunRecord(
            scenario_name=scenario.name,
            scenario_hash=digest,
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


def plan_samples(
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

    The record is written with the first completed run (see :func:`run_samples_stored`).
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
