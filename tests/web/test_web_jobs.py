"""The job queue: results, progress, failures, cancelling a running worker, store calls."""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest

from corridors.errors import CorridorsError
from corridors.web.jobs import JobQueue, JobState, WorkerCalls

pytestmark = pytest.mark.slow  # each job starts a Python process


def add_task(*, a: int, b: int, calls: WorkerCalls) -> dict[str, Any]:
    calls.progress(1, 2)
    stored = calls.call("remember", a + b, wait_reply=True)
    calls.progress(2, 2)
    return {"sum": a + b, "stored": stored}


def failing_task(*, calls: WorkerCalls) -> dict[str, Any]:
    calls.progress(1, 3)
    raise CorridorsError("the network has no such corridor")


def crashing_task(*, calls: WorkerCalls) -> dict[str, Any]:
    raise ZeroDivisionError("division by zero")


def deaf_task(*, seconds: float, calls: WorkerCalls) -> dict[str, Any]:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a worker stuck where SIGTERM is ignored
    calls.progress(0, 1)
    time.sleep(seconds)
    return {"slept": seconds}


def sleeping_task(*, seconds: float, calls: WorkerCalls) -> dict[str, Any]:
    calls.progress(0, 1)
    time.sleep(seconds)
    return {"slept": seconds}


@pytest.fixture
def queue():
    seen: list[tuple[str, tuple]] = []

    def store_call(name: str, args: tuple, kwargs: dict) -> Any:
        if name != "remember":
            raise CorridorsError(f"no store call {name!r}")
        seen.append((name, args))
        return f"stored {args[0]}"

    q = JobQueue(store_call=store_call, workers=2)
    q.seen = seen  # type: ignore[attr-defined]
    yield q
    q.shutdown()


def test_a_job_returns_its_result_and_progress(queue):
    job = queue.submit("test", "add", add_task, a=2, b=3)
    done = queue.wait(job.job_id, timeout=60)
    assert done.state == JobState.DONE
    assert done.result == {"sum": 5, "stored": "stored 5"}
    assert (done.done, done.total) == (2, 2)
    assert queue.seen == [("remember", (5,))]
    assert done.to_dict()["progress"] == 1.0


def test_a_failing_job_reports_the_error(queue):
    job = queue.wait(queue.submit("test", "fail", failing_task).job_id, timeout=60)
    assert job.state == JobState.FAILED
    assert job.error == "the network has no such corridor"
    crash = queue.wait(queue.submit("test", "crash", crashing_task).job_id, timeout=60)
    assert crash.state == JobState.FAILED
    assert crash.error == "ZeroDivisionError: division by zero"


def test_cancelling_a_running_job_stops_its_process(queue):
    job = queue.submit("test", "sleep", sleeping_task, seconds=60)
    deadline = time.monotonic() + 30
    while job.state != JobState.RUNNING and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.state == JobState.RUNNING
    process = job.process
    queue.cancel(job.job_id)
    assert job.state == JobState.CANCELLED
    assert process is not None
    assert not process.is_alive()
    # a finished job stays as it is
    assert queue.cancel(job.job_id).state == JobState.CANCELLED


def test_cancelling_stops_a_worker_that_ignores_sigterm(queue):
    """A worker deaf to SIGTERM is killed once the grace period (5 s) is over."""
    job = queue.submit("test", "deaf", deaf_task, seconds=60)
    deadline = time.monotonic() + 30
    while job.done == 0 and job.total == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # until the worker has set its signal handler and reported
    assert job.state == JobState.RUNNING
    process = job.process
    assert process is not None
    queue.cancel(job.job_id)
    assert job.state == JobState.CANCELLED
    assert not process.is_alive()


def test_jobs_wait_for_a_free_worker(queue):
    jobs = [queue.submit("test", f"sleep {i}", sleeping_task, seconds=1.0) for i in range(3)]
    time.sleep(0.5)
    states = [j.state for j in jobs]
    assert states.count(JobState.RUNNING) <= 2
    for j in jobs:
        assert queue.wait(j.job_id, timeout=60).state == JobState.DONE


def test_a_failed_job_reads_as_failed_through_the_api(client):
    jobs = client.app.state.jobs
    job = jobs.submit("run", "fails on purpose", failing_task)
    jobs.wait(job.job_id, timeout=60)
    body = client.get(f"/api/jobs/{job.job_id}").json()
    assert body["state"] == "failed"
    assert body["error"] == "the network has no such corridor"
    assert body["result"] is None
    assert (body["done"], body["total"]) == (1, 3)
