"""``corridors forecast`` prints its bands and the convergence of every run's equilibrium."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

TOY = Path(__file__).resolve().parents[1] / "scenarios" / "files" / "toy.yaml"


def test_forecast_reports_the_equilibrium_of_its_runs(run_cli, tmp_path: Path) -> None:
    store = tmp_path / "r.duckdb"
    code, out, err = run_cli("forecast", str(TOY), "--store", str(store), "--sequential")
    assert code == 0, err
    assert "5-50-95 %" in out
    found = re.search(
        r"equilibrium: at most (\d+) iterations, largest gap (\S+) over (\d+) runs \(all converged\)",
        err,
    )
    assert found, err
    iterations, gap, runs = int(found[1]), float(found[2]), int(found[3])
    assert iterations >= 1
    assert 0.0 <= gap < 1e-6  # the toy scenario's tolerance is the default 1e-7
    with duckdb.connect(str(store), read_only=True) as con:
        stored = con.execute("select count(*) from runs where kind = 'forecast'").fetchone()
    assert stored is not None
    assert stored[0] == runs
