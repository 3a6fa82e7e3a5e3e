"""Workers of the simulation's process pool end with the process that started them."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corridors.processes import process_alive

_KILLED_STUDY = """
import os, sys, time
from pathlib import Path
import corridors.simulation.replications as rep

def stuck(model, seed, horizon_h):  # a replication that would run for minutes
    Path(sys.argv[1], str(os.getpid())).touch()
    time.sleep(300)

class Model:  # stands in for a SimulationModel: nothing to check
    def validate(self):
        pass

rep._one = stuck
rep.run_replications(Model(), replications=2, seed=1, executor="process", workers=2)
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_killed_study_leaves_no_simulation_worker(tmp_path: Path) -> None:
    """kill -9 of a process running replications on its pool: its workers exit too."""
    started = tmp_path / "workers"
    started.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_STUDY, str(started)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(list(started.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(p.name) for p in started.iterdir()]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(workers) == 2  # both replications were running in pool workers
    gone_by = time.monotonic() + 15
    while time.monotonic() < gone_by and any(process_alive(p) for p in workers):
        time.sleep(0.1)
    assert not [p for p in workers if process_alive(p)]
