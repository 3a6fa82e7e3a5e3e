"""Run many samples of a scenario: one by one, on a local process pool, or on Dask.

One function, :func:`run_samples`, evaluates a list of :class:`Sample` (index, seed
and values of the varied variables) with the executor asked for and hands each result
to a callback *in the calling process as it completes*; the callers store each run in
its own transaction (:meth:`corridors.scenarios.store.ResultsStore.write_run`), so the
runs finished before an interruption are kept.

Inputs are loaded once per worker, never per run: a local pool's initializer reads
the network when the worker starts (memoised by folder and modification time), and on
Dask the job is scattered once to every worker and each worker warms the same cache
before the first task. Each task then carries only its sample (index, seed, values);
the per-run work (:func:`evaluate`) is pure, so every executor gives identical results.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from corridors.errors import CorridorsError
from corridors.network.model import Network
from corridors.processes import exit_with_parent
from corridors.scenarios.model import run_scenario
from corridors.scenarios.network_states import MeasuredNetworks, measures_key, run_measures
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.spec import Measure, MeasureCatalogue, Scenario
from corridors.scenarios.variables import apply_sample

logger = logging.getLogger(__name__)

Executor = Literal["sequential", "processes", "dask"]


@dataclass(frozen=True)
class Sample:
    """One run of a sweep: its index, seed and the values of the varied variables."""

    index: int
    seed: int
    values: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    """What every run of a sweep shares.

    Attributes
    ----------
    scenario : Scenario
        The scenario the samples change.
    catalogue : MeasureCatalogue or None
        Measures the scenario names.
    network_path : str or None
        Network folder (workers read it once); or
    network : Network or None
        The network itself (sent to workers with each task).
    measure_ids : tuple of str or None
        Measures in force instead of the scenario's own.
    reliability : dict of str to float or None
        Reliability buffers per corridor, hours (computed once by the study).
    """

    scenario: Scenario
    catalogue: MeasureCatalogue | None = None
    network_path: str | None = None
    network: Network | None = None
    measure_ids: tuple[str, ...] | None = None
    reliability: dict[str, float] | None = None


def seeds_for(base_seed: int, n: int) -> list[int]:
    """Independent 32-bit seeds for ``n`` runs, derived from ``base_seed``."""
    ss = np.random.SeedSequence(base_seed)
    return [int(child.generate_state(1)[0]) for child in ss.spawn(n)]


@lru_cache(maxsize=4)
def _read_network_cached(path: str, mtime: float) -> Network:  # mtime: part of the cache key
    from corridors.network import read_network  # noqa: PLC0415

    return read_network(path)


def job_network(job: Job) -> Network:
    """The network of a job (read once per process when given as a folder)."""
    if job.network is not None:
        return job.network
    if job.network_path is None:
        raise ValueError("a job needs a network or a network folder")
    p = Path(job.network_path)
    stamp = max((f.stat().st_mtime for f in p.glob("*.csv")), default=0.0)
    return _read_network_cached(str(p), stamp)


def warm_worker(job: Job) -> None:
    """Load a job's inputs in this process (pool initializer, Dask ``client.run``)."""
    if job.network is None and job.network_path is not None:
        job_network(job)


def _start_pool_worker(job: Job, parent_pid: int) -> None:
    """Initializer of a local pool's worker: end with the sweep, then load the inputs."""
    exit_with_parent(parent_pid)
    warm_worker(job)


class ExecutorError(CorridorsError, RuntimeError):
    """The executor asked for cannot run the samples (e.g. no Dask scheduler answers)."""


DASK_CONNECT_TIMEOUT_S = 10.0
"""Seconds to wait for a Dask scheduler to answer before giving up."""


SHARED_NETWORKS = 2
"""Measured networks a process keeps for the jobs it runs (a sweep's samples share one)."""

_KEPT: list[MeasuredNetworks] = []
"""This process's measured networks, latest first (a worker's memo of its inputs, like
the network it reads once: :func:`job_network`)."""


def _measured_networks(
    net: Network, measures: list[Measure], measure_links: frozenset[str]
) -> MeasuredNetworks:
    key = measures_key(measures, measure_links)
    kept = _KEPT
    for found in kept:
        if found.network is net and found.key == key:
            return found
    made = MeasuredNetworks(net, measures, measure_links)
    kept.insert(0, made)
    del kept[SHARED_NETWORKS:]
    return made


def evaluate(job: Job, sample: Sample) -> tuple[int, ScenarioResult]:
    """Run one sample of a job; return its index and result (runs in a worker).

    The samples of a job change adjustments, behaviour and demand, never the measures:
    the networks of each year with the measures in force
    (:class:`~corridors.scenarios.network_states.MeasuredNetworks`) are built once per
    process and network, and shared by its samples.
    """
    net = job_network(job)
    scenario = apply_sample(job.scenario, sample.values, node_ids=frozenset(net.node_index))
    measure_ids = list(job.measure_ids) if job.measure_ids else None
    measures, measure_links = run_measures(scenario, job.catalogue, ids=measure_ids)
    result = run_scenario(
        net,
        scenario,
        catalogue=job.catalogue,
        measure_ids=measure_ids,
        reliability=job.reliability,
        networks=_measured_networks(net, measures, measure_links),
    )
    return sample.index, result


OnResult = Callable[[Sample, ScenarioResult], None]

WORKER_PRELOAD = ("corridors.scenarios.model", "corridors.scenarios.variables", "corridors.network")
"""Modules the local pool's fork server imports once for all its workers."""


def default_workers() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_samples(
    job: Job,
    samples: Sequence[Sample],
    *,
    on_result: OnResult,
    executor: Executor = "processes",
    workers: int | None = None,
    dask_address: str | None = None,
    dask_client: Any = None,
) -> int:
    """Evaluate samples and hand each result to ``on_result`` as it completes.

    Parameters
    ----------
    job : Job
        Scenario, catalogue and network shared by all samples.
    samples : sequence of Sample
        Runs to make.
    on_result : callable
        Called in this process with ``(sample, result)`` for each completed run, in
        completion order (store it there: one transaction per run).
    executor : {"sequential", "processes", "dask"}
        One by one here, on a local process pool, or on a Dask cluster.
    workers : int, optional
        Processes of the local pool (default: all cores).
    dask_address : str, optional
        Scheduler address (``tcp://host:8786``) for ``executor="dask"``.
    dask_client : distributed.Client, optional
        A client already connected (used instead of ``dask_address``).

    Returns
    -------
    int
        Runs completed.
    """
    by_index = {s.index: s for s in samples}
    if executor == "sequential" or not samples:
        for s in samples:
            _, result = evaluate(job, s)
            on_result(s, result)
        return len(samples)
    if executor == "processes":
        return _run_pool(job, samples, by_index, on_result, workers or default_workers())
    if executor == "dask":
        return _run_dask(
            job, samples, by_index, on_result, address=dask_address, client=dask_client
        )
    raise ValueError(f"unknown executor {executor!r}")


def _run_pool(
    job: Job,
    samples: Sequence[Sample],
    by_index: dict[int, Sample],
    on_result: OnResult,
    workers: int,
) -> int:
    ctx = multiprocessing.get_context("forkserver")
    # the fork server imports the model once; every worker forks from it already warm
    ctx.set_forkserver_preload(list(WORKER_PRELOAD))
    done = 0
    with ProcessPoolExecutor(
        max_workers=min(workers, len(samples)),
        mp_context=ctx,
        initializer=_start_pool_worker,
        initargs=(job, os.getpid()),
    ) as pool:
        # keep a bounded number of tasks in flight so an interruption wastes little
        pending: set[Future[tuple[int, ScenarioResult]]] = set()
        queue = list(samples)[::-1]
        limit = 2 * workers
        try:
            while queue or pending:
                while queue and len(pending) < limit:
                    pending.add(pool.submit(evaluate, job, queue.pop()))
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    index, result = fut.result()
                    on_result(by_index[index], result)
                    done += 1
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise
    return done


def _run_dask(
    job: Job,
    samples: Sequence[Sample],
    by_index: dict[int, Sample],
    on_result: OnResult,
    *,
    address: str | None,
    client: Any,
) -> int:
    from distributed import Client, as_completed  # noqa: PLC0415

    own = client is None
    if own:
        if address is None:
            raise ValueError("executor 'dask' needs a scheduler address or a client")
        try:
            client = Client(  # type: ignore[no-untyped-call]
                address, timeout=DASK_CONNECT_TIMEOUT_S, set_as_default=False
            )
        except (OSError, TimeoutError, ValueError) as exc:
            msg = (
                f"no Dask scheduler answers at {address} (waited "
                f"{DASK_CONNECT_TIMEOUT_S:g} s): {exc}; start one with 'dask scheduler' "
                "or run without --dask"
            )
            raise ExecutorError(msg) from None
    done = 0
    try:
        job_future = client.scatter(job, broadcast=True)
        client.run(warm_worker, job)  # every worker reads the network before the first task
        futures = [client.submit(evaluate, job_future, s, pure=False) for s in samples]
        try:
            for fut in as_completed(futures):  # type: ignore[no-untyped-call]
                index, result = fut.result()
                on_result(by_index[index], result)
                done += 1
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        if own:
            client.close()
    return done
