"""Independent replications, in parallel, merged into confidence intervals.

Replication ``i`` of a study with seed ``s`` runs with the ``i``-th child of
``numpy.random.SeedSequence(s)``: its result does not depend on how many workers
ran the study or in which order, so a study is reproducible bit for bit whether it
ran on a process pool or one replication after another.

Each metric is merged over the replications as mean +- t(0.975, n-1) * s / sqrt(n)
(Student's t interval on the replication means, the standard method of independent
replications; Law, *Simulation Modeling and Analysis*, 5th ed., section 9.4).
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from corridors.processes import exit_with_parent
from corridors.simulation import results as res
from corridors.simulation.engine import simulate
from corridors.simulation.model import SimulationModel
from corridors.simulation.results import RunResult

__all__ = [
    "Replications",
    "confidence_intervals",
    "replication_seeds",
    "run_replications",
]

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called with (replications done, replications in all) as they finish."""


def replication_seeds(seed: int, replications: int) -> list[np.random.SeedSequence]:
    """The seed sequence of each replication of a study seeded with ``seed``."""
    if replications < 1:
        raise ValueError(f"replications must be >= 1, got {replications}")
    return np.random.SeedSequence(int(seed)).spawn(replications)


def _one(
    model: SimulationModel, seed: np.random.SeedSequence, horizon_h: float | None
) -> RunResult:
    return simulate(model, seed=seed, horizon_h=horizon_h, validate=False)


def confidence_intervals(
    frames: Sequence[pd.DataFrame],
    *,
    keys: Sequence[str],
    metrics: Sequence[str],
    level: float = 0.95,
) -> pd.DataFrame:
    """Merge one table per replication into means with confidence intervals.

    Parameters
    ----------
    frames : sequence of pandas.DataFrame
        The same table from each replication.
    keys : sequence of str
        Columns identifying a row (e.g. origin, destination, corridor).
    metrics : sequence of str
        Numeric columns to merge.
    level : float
        Confidence level of the two-sided interval.

    Returns
    -------
    pandas.DataFrame
        ``keys``, ``replications`` (how many had the row), then for each metric
        ``m`` its mean ``m``, standard deviation ``m_sd`` across replications and the
        interval ``m_lo``, ``m_hi`` (NaN with a single replication).
    """
    tagged = [f.assign(_rep=i) for i, f in enumerate(frames) if len(f)]
    cols = [*keys, "replications"] + [f"{m}{s}" for m in metrics for s in ("", "_sd", "_lo", "_hi")]
    if not tagged:
        return pd.DataFrame(columns=cols)
    data = pd.concat(tagged, ignore_index=True)
    g = data.groupby(list(keys), sort=True, dropna=False)
    out = g.size().rename("replications").to_frame()
    n = out["replications"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tq = np.where(n > 1, stats.t.ppf(0.5 + level / 2.0, np.maximum(n - 1, 1)), np.nan)
        for m in metrics:
            mean = g[m].mean()
            sd = g[m].std(ddof=1)
            half = tq * sd.to_numpy() / np.sqrt(n)
            out[m] = mean
            out[f"{m}_sd"] = sd
            out[f"{m}_lo"] = mean.to_numpy() - half
            out[f"{m}_hi"] = mean.to_numpy() + half
    return out.reset_index()[cols]


@dataclass(frozen=True, eq=False)
class Replications:
    """The runs of a study and their merged statistics.

    Attributes
    ----------
    runs : tuple of RunResult
        One per replication, in replication order.
    seed : int
        Seed of the study.
    wall_s : float
        Wall time of the whole study, seconds.
    """

    runs: tuple[RunResult, ...]
    seed: int
    wall_s: float = 0.0

    def __len__(self) -> int:
        return len(self.runs)

    def transit_percentiles(
        self, *, by: Sequence[str] = ("origin", "destination", "corridor"), level: float = 0.95
    ) -> pd.DataFrame:
        """Transit-time percentiles per group, mean and interval over replications."""
        metrics = ["mean_h", *(f"p{p}_h" for p in res.PERCENTILES), "shipments"]
        frames = [res.transit_percentiles(r, by=by) for r in self.runs]
        return confidence_intervals(frames, keys=by, metrics=metrics, level=level)

    def resources(self, *, level: float = 0.95) -> pd.DataFrame:
        """Waiting, queue and utilisation of every resource, merged over replications."""
        frames = [res.resource_table(r) for r in self.runs]
        metrics = [
            "arrivals",
            "served",
            "mean_wait_h",
            "p95_wait_h",
            "mean_queue",
            "max_queue",
            "utilisation",
            "closed_h",
        ]
        return confidence_intervals(frames, keys=["resource", "kind"], metrics=metrics, level=level)

    def throughput(self, *, level: float = 0.95) -> pd.DataFrame:
        """Shipments, TEU and tonnes per O-D and corridor, merged over replications."""
        frames = [res.throughput_table(r) for r in self.runs]
        metrics = ["entered", "arrived", "in_system", "teu_arrived", "tonnes_arrived"]
        return confidence_intervals(
            frames, keys=["origin", "destination", "corridor"], metrics=metrics, level=level
        )

    def summary(self) -> pd.DataFrame:
        """One row per replication: shipments, arrived, in system, events, wall time."""
        return pd.DataFrame(
            {
                "replication": np.arange(len(self.runs)),
                "shipments": [r.n_shipments for r in self.runs],
                "arrived": [r.n_arrived for r in self.runs],
                "in_system": [r.n_in_system for r in self.runs],
                "sailings": [len(r.s_ship) for r in self.runs],
                "events": [r.events for r in self.runs],
                "wall_s": [r.wall_s for r in self.runs],
            }
        )


def run_replications(
    model: SimulationModel,
    *,
    replications: int = 20,
    seed: int = 1,
    horizon_h: float | None = None,
    executor: Literal["process", "serial"] | Executor = "process",
    workers: int | None = None,
    progress: Progress | None = None,
) -> Replications:
    """Run independent replications of a model and keep them for merging.

    Parameters
    ----------
    model : SimulationModel
        What to simulate (validated once, here).
    replications : int
        Number of replications.
    seed : int
        Seed of the study; replication ``i`` uses its ``i``-th child seed sequence.
    horizon_h : float, optional
        Simulated time per replication, hours (default ``model.horizon_h``).
    executor : "process", "serial" or concurrent.futures.Executor
        ``process``: a new :class:`~concurrent.futures.ProcessPoolExecutor`
        (default) whose workers end with this process (killed with ``kill -9``, it
        leaves none running; :func:`corridors.processes.exit_with_parent`);
        ``serial``: one after another in this process; or an executor of your own
        (e.g. a Dask ``distributed`` client's executor).
    workers : int, optional
        Worker processes (default: CPUs available, at most ``replications``).
    progress : callable, optional
        Called as ``progress(done, replications)`` when a replication finishes.

    Returns
    -------
    Replications
        The runs, in replication order.
    """
    model.validate()
    seeds = replication_seeds(seed, replications)
    out: list[RunResult | None] = [None] * replications
    t0 = time.perf_counter()
    n_workers = workers or min(replications, _cpus())
    if executor == "serial" or (executor == "process" and n_workers <= 1):
        for i, ss in enumerate(seeds):
            out[i] = _one(model, ss, horizon_h)
            if progress is not None:
                progress(i + 1, replications)
    else:
        pool: Executor = (
            ProcessPoolExecutor(
                max_workers=n_workers, initializer=exit_with_parent, initargs=(os.getpid(),)
            )
            if executor == "process"
            else executor
        )
        try:
            futures = {pool.submit(_one, model, ss, horizon_h): i for i, ss in enumerate(seeds)}
            for done, fut in enumerate(as_completed(futures), start=1):
                out[futures[fut]] = fut.result()
                if progress is not None:
                    progress(done, replications)
        finally:
            if executor == "process":
                pool.shutdown(wait=True, cancel_futures=True)
    wall = time.perf_counter() - t0
    runs = tuple(r for r in out if r is not None)
    log.info("%d replications in %.2f s", len(runs), wall)
    return Replications(runs=runs, seed=int(seed), wall_s=wall)


def _cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def t_interval(values: Sequence[float], *, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided Student's t interval of independent values: (mean, lo, hi)."""
    x = np.asarray(values, dtype=float)
    m = float(x.mean())
    if len(x) < 2:
        return m, math.nan, math.nan
    half = float(stats.t.ppf(0.5 + level / 2.0, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))
    return m, m - half, m + half
