"""Results store (atomic runs), sweeps on every executor, and a sweep killed part-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from distributed import Client, LocalCluster

from corridors.processes import process_alive
from corridors.scenarios.io import load_inputs
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.spec import Scenario
from corridors.scenarios.store import ResultsStore, RunRecord, StoreError
from corridors.scenarios.variables import parse_vary
from corridors.studies.scenario import forecast, run_and_store, sweep

HERE = Path(__file__).parent
TOY = HERE / "files" / "toy.yaml"


@pytest.fixture(scope="module")
def inputs():  # type: ignore[no-untyped-def]
    return load_inputs(TOY)


def test_run_is_stored_and_shown(tmp_path: Path, inputs) -> None:  # type: ignore[no-untyped-def]
    with ResultsStore(tmp_path / "r.duckdb") as store:
        run_id, result = run_and_store(inputs, store=store)
        assert run_id is not None
        info = store.run_info(run_id[:6])
        assert info["scenario_hash"] == inputs.loaded.sha256
        assert info["scenario_text"] == inputs.loaded.text
        assert info["seed"] == 7
        cv = store.table("corridor_volumes", run_id)
        assert len(cv) == len(result.corridor_volumes)
        assert cv["volume_teu"].sum() == pytest.approx(result.corridor_volumes["volume_teu"].sum())
        ranks = store.table("measure_rankings", run_id)
        ranked = ranks.dropna(subset=["rank"]).sort_values("rank")
        assert list(ranked["rank"]) == list(range(1, len(ranked) + 1))
        assert list(ranked["measure_id"])[-1] == "zero_effect"
        # the rents' columns are stored as the appraisal made them
        kept = ranks.set_index("measure_id")[["rents_usd", "npv_with_rents_usd"]]
        made = result.rankings.set_index("measure_id")[["rents_usd", "npv_with_rents_usd"]]
        pd.testing.assert_frame_equal(kept.loc[made.index], made)
        # the package of all measures is stored, unranked (NULL), not as rank 0
        assert ranks.set_index("measure_id")["rank"].isna().to_dict() == {
            m: m == "package" for m in ranks["measure_id"]
        }
        assert store.diff(run_id, run_id)["delta_teu"].abs().max() == 0.0
        with pytest.raises(StoreError, match="no run"):
            store.run_info("nope")


def test_failed_write_leaves_nothing(tmp_path: Path, inputs) -> None:  # type: ignore[no-untyped-def]
    with ResultsStore(tmp_path / "r.duckdb") as store:
        _, good = run_and_store(inputs, store=None, appraise_measures=False)
        bad = ScenarioResult(
            good.corridor_volumes, good.link_flows.drop(columns="volume_teu"), good.transit_times
        )
        record = RunRecord("toy", "h", "text", seed=1)
        with pytest.raises(KeyError):
            store.write_run(record, bad)
        assert store.count("runs") == 0
        assert store.count("corridor_volumes") == 0


def test_sweep_same_on_every_executor(tmp_path: Path, inputs) -> None:  # type: ignore[no-untyped-def]
    varies = [parse_vary("tariff.middle=0.5..1.0")]
    results = {}
    with ResultsStore(tmp_path / "s.duckdb") as store:
        seq = sweep(inputs, varies, samples=4, seed=3, store=store, executor="sequential")
        results["sequential"] = seq
        results["processes"] = sweep(
            inputs, varies, samples=4, seed=3, store=store, executor="processes", workers=2
        )
        with (
            LocalCluster(
                n_workers=1,
                threads_per_worker=1,
                processes=False,  # type: ignore[no-untyped-call]
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
        ):  # type: ignore[no-untyped-call]
            results["dask"] = sweep(
                inputs, varies, samples=4, seed=3, store=store, executor="dask", dask_client=client
            )
        for outcome in results.values():
            assert outcome.completed == 4
            assert len(store.list_runs(sweep_id=outcome.sweep_id)) == 4
        assert store.count("runs") == 12
    ref = seq.volumes.sort_values(["sample_index", "year", "corridor"]).reset_index(drop=True)
    for name in ("processes", "dask"):
        got = results[name].volumes.sort_values(["sample_index", "year", "corridor"])
        pd.testing.assert_frame_equal(got.reset_index(drop=True), ref, check_exact=False)
    # a cheaper middle tariff moves cargo to the middle corridor
    by_sample = ref[(ref["year"] == 2031) & (ref["corridor"] == "middle")]
    assert by_sample["volume_teu"].nunique() == 4


def test_forecast_bands(inputs) -> None:  # type: ignore[no-untyped-def]
    sc = Scenario.model_validate(
        {
            **inputs.scenario.model_dump(),
            "uncertainty": [
                {
                    "variable": "demand.china_eu.growth",
                    "distribution": "uniform",
                    "low": 0.0,
                    "high": 0.1,
                }
            ],
        }
    )
    with_uncertainty = replace(inputs, loaded=replace(inputs.loaded, scenario=sc))
    fc = forecast(with_uncertainty, to_year=2033, samples=8, seed=1, executor="sequential")
    b = fc.bands.set_index(["year", "corridor"])
    assert sorted({y for y, _ in b.index}) == list(range(2024, 2034))
    assert b.loc[(2024, "middle"), "p05"] == pytest.approx(b.loc[(2024, "middle"), "p95"])
    last = fc.bands[(fc.bands["year"] == 2033) & (fc.bands["corridor"] == "middle")]
    p05, p50, p95 = (float(last[c].iloc[0]) for c in ("p05", "p50", "p95"))
    assert p05 < p50 < p95
    # every sample's equilibrium is reported: one row each, converged, within its tolerance
    conv = fc.outcome.convergence
    assert list(conv["sample_index"]) == list(range(8))
    assert conv["converged"].all()
    assert fc.outcome.all_converged
    assert 1 <= fc.outcome.max_iterations <= sc.behaviour.equilibrium.max_iterations
    assert 0.0 <= fc.outcome.max_gap <= sc.behaviour.equilibrium.tolerance


def _descendants(pid: int) -> set[int]:
    """Process ids below ``pid`` (children, grandchildren ...), from /proc."""
    parent_of: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent_of[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {c for c, p in parent_of.items() if p in frontier} - found
        found |= frontier
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("executor", [("--sequential",), ("--workers", "2")])
def test_killed_sweep_keeps_completed_runs(tmp_path: Path, executor: tuple[str, ...]) -> None:
    """kill -9 of a sweep: complete runs kept, no partial run, no worker left running."""
    db = tmp_path / "k.duckdb"
    cmd = [
        sys.executable,
        "-c",
        "from corridors.cli.app import main; main()",
        "-v",
        "sweep",
        str(TOY),
        "--vary",
        "border_time.KZ=0.5..1.0",
        "--vary",
        "tariff.middle=0.5..1.0",
        "--samples",
        "400",
        *executor,
        "--store",
        str(db),
    ]
    proc = subprocess.Popen(
        cmd,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert proc.stderr is not None
    stored = 0
    deadline = time.monotonic() + 120
    while stored < 5 and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        stored += "stored run" in line
    workers = _descendants(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert stored >= 5
    if executor != ("--sequential",):
        assert workers  # the fork server and the pool's workers were running
    gone_by = time.monotonic() + 15
    while time.monotonic() < gone_by and any(process_alive(p) for p in workers):
        time.sleep(0.1)
    assert not [p for p in workers if process_alive(p)]
    with ResultsStore(db, read_only=True) as store:
        n = store.count("runs")
        assert stored <= n < 400
        runs = store.list_runs()
        assert len(runs) == n
        # every stored run is complete: 2 corridors x 8 years of volumes, links, times
        for rid in runs["run_id"]:
            assert len(store.table("corridor_volumes", rid)) == 16
            assert len(store.table("transit_times", rid)) == 24
            assert len(store.table("link_flows", rid)) > 0
        assert store.list_sweeps()["stored"].iloc[0] == n


_KILLED_BEFORE_FIRST_RUN = """
import os, signal, sys
import corridors.scenarios.sweep as sw
from corridors.scenarios.io import load_inputs
from corridors.scenarios.store import ResultsStore
from corridors.scenarios.variables import parse_vary
from corridors.studies.scenario import forecast, sweep

def killed(job, sample):  # the first run is under way when kill -9 arrives
    os.kill(os.getpid(), signal.SIGKILL)

sw.evaluate = killed
kind, toy, db = sys.argv[1:]
inputs = load_inputs(toy)
with ResultsStore(db) as store:
    if kind == "sweep":
        sweep(inputs, [parse_vary("tariff.middle=0.5..1.0")], samples=4, store=store,
              executor="sequential")
    else:
        forecast(inputs, samples=4, store=store, executor="sequential")
"""


@pytest.mark.parametrize("kind", ["sweep", "forecast"])
def test_killed_before_first_run_leaves_no_sweep_record(tmp_path: Path, kind: str) -> None:
    """kill -9 before any run of a sweep or forecast finished: no sweep row, no run."""
    db = tmp_path / "k.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_BEFORE_FIRST_RUN, kind, str(TOY), str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with ResultsStore(db, read_only=True) as store:
        assert store.count("sweeps") == 0
        assert store.count("runs") == 0
        assert store.list_sweeps().empty


def test_sweep_record_is_written_with_its_first_run(tmp_path: Path, inputs) -> None:  # type: ignore[no-untyped-def]
    """The sweep's row exists once a run is stored, and only once however many runs."""
    varies = [parse_vary("tariff.middle=0.5..1.0")]
    with ResultsStore(tmp_path / "s.duckdb") as store:
        out = sweep(inputs, varies, samples=3, store=store, executor="sequential")
        sweeps = store.list_sweeps()
        assert list(sweeps["sweep_id"]) == [out.sweep_id]
        assert list(sweeps["stored"]) == [3]
        assert sweeps["n_samples"].iloc[0] == 3
