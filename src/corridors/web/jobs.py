"""A job queue for long work (scenario runs, forecasts): one worker process per job.

The server must stay responsive while a scenario runs for seconds or minutes, and a
user must be able to stop a run. Each job therefore runs in its own process (at most
``workers`` at a time, the others wait in the queue), talks to the server through a
pipe (progress, results, writes to the results store) and is stopped by terminating
its process. Results are written to the store by the server, never by the worker, so
one process owns the DuckDB file.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import multiprocessing
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, cast

from corridors.errors import CorridorsError

logger = logging.getLogger(__name__)

Task = Callable[..., dict[str, Any]]
"""A job's function: keyword arguments plus ``progress`` and ``calls``, returns JSON data."""

StoreCall = Callable[[str, tuple[Any, ...], dict[str, Any]], Any]
"""Runs a call (``write_run``) against the results store in the server."""


class JobState(enum.StrEnum):
    """Where a job is."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = frozenset({JobState.DONE, JobState.FAILED, JobState.CANCELLED})


@dataclass
class Job:
    """One unit of long work and what is known about it.

    Attributes
    ----------
    job_id : str
        Identifier.
    kind : str
        ``run`` or ``forecast``.
    title : str
        What the job does, for people.
    state : JobState
        Queued, running, done, failed or cancelled.
    done, total : int
        Progress in steps (``total`` 0 while unknown).
    result : dict, optional
        What the job returned (JSON-ready), once done.
    error : str, optional
        Why it failed.
    """

    job_id: str
    kind: str
    title: str
    task: Task = field(repr=False)
    arguments: Mapping[str, Any] = field(repr=False)
    state: JobState = JobState.QUEUED
    done: int = 0
    total: int = 0
    result: dict[str, Any] | None = None
    error: str | None = None
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    process: BaseProcess | None = field(default=None, repr=False)
    conn: Connection | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The job as JSON-ready data (no process handles)."""
        return {
            "job_id": self.job_id,
            "kind": self.kind,
            "title": self.title,
            "state": str(self.state),
            "done": self.done,
            "total": self.total,
            "progress": (self.done / self.total) if self.total else None,
            "result": self.result,
            "error": self.error,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


class WorkerCalls:
    """What a task uses inside its worker: progress reports and calls to the server.

    Parameters
    ----------
    conn : Connection
        The worker's end of the job's pipe.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def progress(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` steps."""
        self._conn.send(("progress", (int(done), int(total))))

    def call(self, name: str, *args: Any, wait_reply: bool = False, **kwargs: Any) -> Any:
        """Run ``name`` in the server (e.g. a store write); wait for its reply if asked."""
        self._conn.send(("call", (name, args, kwargs, wait_reply)))
        if not wait_reply:
            return None
        ok, value = self._conn.recv()
        if not ok:
            raise CorridorsError(str(value))
        return value


def _worker(task: Task, arguments: Mapping[str, Any], conn: Connection) -> None:
    """Body of a job's process: run the task and send back its result or error."""
    calls = WorkerCalls(conn)
    try:
        result = task(**arguments, calls=calls)
    except CorridorsError as exc:
        conn.send(("failed", str(exc)))
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    else:
        conn.send(("done", result))
    finally:
        conn.close()


class UnknownJobError(CorridorsError, KeyError):
    """No job with that id."""

    def __str__(self) -> str:
        return str(self.args[0])


class JobQueue:
    """Jobs waiting, running and finished, and the thread that drives them.

    Parameters
    ----------
    store_call : callable
        Runs a worker's call against the results store, in the server process.
    workers : int
        Jobs running at once.
    keep : int
        Finished jobs remembered (oldest forgotten first).
    """

    def __init__(self, *, store_call: StoreCall, workers: int = 2, keep: int = 200) -> None:
        self._store_call = store_call
        self._workers = max(1, workers)
        self._keep = keep
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        # Only one thread at a time may wait for a worker's exit: two threads calling
        # waitpid on one process race, and the loser sees a dead worker as alive.
        self._reaping = threading.Lock()
        self._stop = threading.Event()
        self._context = multiprocessing.get_context("spawn")
        self._thread = threading.Thread(target=self._loop, name="corridors-jobs", daemon=True)
        self._thread.start()

    # --- the API the web layer uses ------------------------------------------------------

    def submit(self, kind: str, title: str, task: Task, **arguments: Any) -> Job:
        """Queue a job; it starts as soon as a worker is free."""
        job = Job(uuid.uuid4().hex[:12], kind, title, task, dict(arguments))
        with self._lock:
            self._jobs[job.job_id] = job
            self._forget_old()
        logger.info("queued job %s: %s", job.job_id, title)
        return job

    def get(self, job_id: str) -> Job:
        """The job of that id.

        Raises
        ------
        UnknownJobError
            If there is none.
        """
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise UnknownJobError(f"no job {job_id!r}")
        return job

    def jobs(self) -> list[Job]:
        """Every job remembered, newest first."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created_at, reverse=True)

    def cancel(self, job_id: str) -> Job:
        """Stop a queued or running job (a finished job is left as it is)."""
        job = self.get(job_id)
        with self._lock:
            if job.state in FINISHED:
                return job
            process = job.process
            self._finish(job, JobState.CANCELLED)
        if process is not None:
            process.terminate()  # a signal only: harmless if the worker has gone
            with self._reaping:
                process.join(timeout=5)
                if process.is_alive():  # deaf to SIGTERM, or slow on a loaded machine
                    process.kill()  # cannot be ignored
                    process.join(timeout=30)
        logger.info("cancelled job %s", job_id)
        return job

    def wait(self, job_id: str, *, timeout: float = 60.0) -> Job:
        """Block until a job has finished (for tests and scripts), at most ``timeout`` s."""
        job = self.get(job_id)
        deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=timeout)
        while job.state not in FINISHED and dt.datetime.now(dt.UTC) < deadline:
            self._stop.wait(0.05)
        return job

    def shutdown(self) -> None:
        """Stop every job and the driving thread."""
        for job in self.jobs():
            if job.state not in FINISHED:
                self.cancel(job.job_id)
        self._stop.set()
        self._thread.join(timeout=5)

    # --- the driving thread --------------------------------------------------------------

    def _finish(self, job: Job, state: JobState, *, error: str | None = None) -> None:
        job.state = state
        job.error = error
        job.finished_at = dt.datetime.now(dt.UTC)

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.state in FINISHED]
        finished.sort(key=lambda j: j.created_at)
        for job in finished[: max(0, len(finished) - self._keep)]:
            del self._jobs[job.job_id]

    def _start_waiting(self) -> None:
        with self._lock:
            running = sum(j.state == JobState.RUNNING for j in self._jobs.values())
            waiting = sorted(
                (j for j in self._jobs.values() if j.state == JobState.QUEUED),
                key=lambda j: j.created_at,
            )
            for job in waiting[: max(0, self._workers - running)]:
                parent, child = self._context.Pipe()
                process = self._context.Process(
                    target=_worker,
                    args=(job.task, job.arguments, child),
                    name=f"corridors-job-{job.job_id}",
                    daemon=True,
                )
                with self._reaping:  # start() collects other ended workers (waitpid)
                    process.start()
                child.close()
                job.process, job.conn = process, parent
                job.state = JobState.RUNNING
                job.started_at = dt.datetime.now(dt.UTC)

    def _handle(self, job: Job, message: tuple[str, Any]) -> None:
        kind, payload = message
        if kind == "progress":
            job.done, job.total = payload
        elif kind == "call":
            name, args, kwargs, wait_reply = payload
            try:
                value = self._store_call(name, args, kwargs)
            except CorridorsError as exc:
                if wait_reply and job.conn is not None:
                    job.conn.send((False, str(exc)))
                else:
                    self._fail(job, str(exc))
                return
            if wait_reply and job.conn is not None:
                job.conn.send((True, value))
        elif kind == "done":
            job.result = payload
            with self._lock:
                self._finish(job, JobState.DONE)
        elif kind == "failed":
            with self._lock:
                self._finish(job, JobState.FAILED, error=str(payload))

    def _fail(self, job: Job, error: str) -> None:
        process = job.process
        with self._lock:
            self._finish(job, JobState.FAILED, error=error)
        if process is not None:
            process.terminate()  # a signal only: harmless if the worker has gone

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._start_waiting()
            with self._lock:
                live = {
                    j.conn: j for j in self._jobs.values() if j.state == JobState.RUNNING and j.conn
                }
            if not live:
                self._reap()
                self._stop.wait(0.05)
                continue
            for ready in wait(list(live), timeout=0.05):
                conn = cast(Connection, ready)
                job = live[conn]
                try:
                    message: tuple[str, Any] = conn.recv()
                except (EOFError, OSError):
                    self._ended(job)
                    continue
                self._handle(job, message)
            self._reap()

    def _reap(self) -> None:
        """Close the pipes of finished jobs and collect their processes."""
        with self._lock:
            ended = [j for j in self._jobs.values() if j.state in FINISHED and j.conn is not None]
        for job in ended:
            if job.conn is not None:
                job.conn.close()
                job.conn = None
            if job.process is not None:
                with self._reaping:  # collect it if it has gone; never block the loop
                    job.process.join(timeout=0)

    def _ended(self, job: Job) -> None:
        """The worker closed its pipe without saying done or failed: it died."""
        process = job.process
        if process is not None:
            with self._reaping:
                process.join(timeout=5)
        with self._lock:
            if job.state not in FINISHED:
                code = process.exitcode if process is not None else None
                self._finish(job, JobState.FAILED, error=f"worker stopped (exit code {code})")
