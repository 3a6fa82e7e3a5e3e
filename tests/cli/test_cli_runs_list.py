"""``corridors runs list``: single runs by default, samples of sweeps and forecasts only when
asked (a forecast stores its samples like a sweep: kind ``forecast``, one sweep id)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.scenarios.io import load_inputs
from corridors.scenarios.store import ResultsStore
from corridors.scenarios.variables import parse_vary
from corridors.studies.scenario import run_and_store, sweep

TOY = Path(__file__).resolve().parents[1] / "scenarios" / "files" / "toy.yaml"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[str]]:
    path = tmp_path_factory.mktemp("store") / "runs.duckdb"
    inputs = load_inputs(TOY)
    with ResultsStore(path) as db:
        run_id, _ = run_and_store(inputs, store=db, appraise_measures=False)
        assert run_id is not None
        varies = [parse_vary("tariff.middle=0.5..1.0")]
        sweep(inputs, varies, samples=3, seed=1, store=db, executor="sequential")
        samples = list(db.list_runs(kind="sweep")["run_id"])
    return path, run_id, samples


def test_default_lists_single_runs_and_summarises_sweeps(run_cli, store):
    path, run_id, samples = store
    assert len(samples) == 3
    r = run_cli("runs", "list", "--store", str(path))
    assert r.code == 0, r.err
    assert run_id in r.out
    assert not any(s in r.out for s in samples)  # no flood of samples
    assert "sweep" in r.out.split("sweeps")[-1]  # the sweep is one row of the sweeps table


def test_kind_and_scenario_filters(run_cli, store):
    path, run_id, samples = store
    r = run_cli("runs", "list", "--store", str(path), "--kind", "sweep")
    assert r.code == 0, r.err
    assert all(s in r.out for s in samples)
    assert run_id not in r.out
    r = run_cli("runs", "list", "--store", str(path), "--kind", "run", "--scenario", "nope")
    assert r.code == 0, r.err
    assert run_id not in r.out
    with ResultsStore(path, read_only=True) as db:
        name = db.run_info(run_id)["scenario_name"]
        assert list(db.list_runs(scenario=name, kind="run")["run_id"]) == [run_id]
        assert len(db.list_runs(scenario=name)) == 4
        assert list(db.list_runs(standalone=True)["run_id"]) == [run_id]


def test_unknown_kind_is_a_usage_error(run_cli, store):
    r = run_cli("runs", "list", "--store", str(store[0]), "--kind", "sample")
    assert r.code == 2
    assert r.err.startswith("error: Invalid value for '--kind': unknown kind 'sample'")


def test_no_store_yet_is_not_an_error(run_cli, tmp_path):
    r = run_cli("runs", "list", "--store", str(tmp_path / "none.duckdb"))
    assert r.code == 0, r.err
    assert r.out.startswith("no runs stored yet in ")
    assert list(tmp_path.iterdir()) == []
