"""A forecast: year by year with Monte Carlo bands of corridor volume (``corridors forecast``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from corridors.scenarios.io import ScenarioInputs
from corridors.scenarios.spec import Equilibrium
from corridors.scenarios.store import ResultsStore
from corridors.scenarios.sweep import Executor
from corridors.scenarios.variables import draw_uncertain
from corridors.studies.sample_runs import SweepOutcome, plan_samples, run_samples_stored
from corridors.studies.scenario_run import Progress


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
    equilibrium: Equilibrium | None = None,
) -> Forecast:
    """Forecast year by year to ``to_year`` with Monte Carlo bands.

    The scenario's ``uncertainty`` inputs are drawn ``samples`` times; without any, a
    single run is made and the bands collapse on it. ``equilibrium``: settings of the
    corridor split's solver replacing the scenario's (:meth:`Scenario.solved_with`).
    """
    scenario = inputs.scenario
    if to_year is not None:
        scenario = scenario.until(to_year)
    if equilibrium is not None:
        scenario = scenario.solved_with(equilibrium)
    base_seed = scenario.seed if seed is None else seed
    n = samples if scenario.uncertainty else 1
    runs, sweep_record = plan_samples(
        inputs,
        scenario,
        kind="forecast",
        base_seed=base_seed,
        values=draw_uncertain(scenario.uncertainty, n=n, seed=base_seed),
        variables={u.variable: u.model_dump(exclude_none=True) for u in scenario.uncertainty},
        store=store,
    )
    outcome = run_samples_stored(
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
