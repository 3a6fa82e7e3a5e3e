"""Demand no route carries is reported (never dropped): served + unserved = demand.

Toy network (tests/scenarios/toy), 2024-2026, no growth. Closure ``x`` shuts the
Northern corridor and ``y`` the Aktau-Baku ferry (m2) from 1 January to 2 July 2025:
182 of 365 days. Markets:

* ``boxes`` Xian -> Duisburg, 10,000 TEU, any corridor: no route while both are shut
  (neither alone cuts it): 10,000 x 182 / 365 TEU unserved in 2025, ``closed: x, y``;
* ``to_russia`` Xian -> Russian Border, 2,000 TEU, Northern only: 2,000 x 182 / 365 TEU
  in 2025, ``closed: x`` (the ferry closure does not touch it);
* ``grain`` Duisburg -> Russian Border, 50,000 t of dry bulk, Northern only: 50,000 x
  182 / 365 t (5,000 x 182 / 365 TEU-equivalents at 10 t) in 2025, ``closed: x``;
* ``nowhere`` Xian -> Aktau, 1,000 TEU, Northern only, which never reaches Aktau:
  1,000 TEU every year, ``no route``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from corridors.network import read_network
from corridors.scenarios.model import run_scenario
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.spec import Scenario
from corridors.scenarios.store import ResultsStore, RunRecord

HERE = Path(__file__).parent
F = 182 / 365

MARKETS = [
    {"id": "boxes", "origin": "Xian", "destination": "Duisburg", "volume": 10000},
    {
        "id": "to_russia",
        "origin": "Xian",
        "destination": "Russian Border",
        "volume": 2000,
        "corridors": ["northern"],
    },
    {
        "id": "grain",
        "origin": "Duisburg",
        "destination": "Russian Border",
        "volume": 50000,
        "unit": "t",
        "commodity": "dry_bulk",
        "corridors": ["northern"],
    },
    {
        "id": "nowhere",
        "origin": "Xian",
        "destination": "Aktau",
        "volume": 1000,
        "corridors": ["northern"],
    },
]
CLOSURES = [
    {
        "id": "x",
        "corridors": ["northern"],
        "closed": True,
        "start": "2025-01-01",
        "end": "2025-07-02",
    },
    {"id": "y", "links": ["m2"], "closed": True, "start": "2025-01-01", "end": "2025-07-02"},
]


def _data() -> dict[str, object]:
    return {
        "name": "unserved",
        "base_year": 2024,
        "horizon": 2026,
        "demand": {"markets": [{**m, "growth": 0.0} for m in MARKETS]},
        "disruptions": CLOSURES,
        "behaviour": {"value_of_time_usd_teu_h": 20, "logit_scale_per_usd": 0.001},
    }


@pytest.fixture(scope="module")
def result() -> ScenarioResult:
    return run_scenario(read_network(HERE / "toy"), Scenario.model_validate(_data()))


def test_unserved_demand_by_hand(result: ScenarioResult) -> None:
    un = result.unserved
    got = {
        (int(r.year), r.market): (r.origin, r.destination, r.cargo_class, r.unit, r.reason)
        for r in un.itertuples()
    }
    assert got == {
        (2024, "nowhere"): ("Xian", "Aktau", "containers", "TEU", "no route"),
        (2025, "nowhere"): ("Xian", "Aktau", "containers", "TEU", "no route"),
        (2026, "nowhere"): ("Xian", "Aktau", "containers", "TEU", "no route"),
        (2025, "boxes"): ("Xian", "Duisburg", "containers", "TEU", "closed: x, y"),
        (2025, "to_russia"): ("Xian", "Russian Border", "containers", "TEU", "closed: x"),
        (2025, "grain"): ("Duisburg", "Russian Border", "dry_bulk", "t", "closed: x"),
    }
    volume = un.set_index(["year", "market"])
    assert volume.loc[(2025, "boxes"), "volume"] == pytest.approx(10000 * F, rel=1e-12)
    assert volume.loc[(2025, "to_russia"), "volume"] == pytest.approx(2000 * F, rel=1e-12)
    assert volume.loc[(2025, "grain"), "volume"] == pytest.approx(50000 * F, rel=1e-12)
    assert volume.loc[(2025, "grain"), "volume_teu"] == pytest.approx(5000 * F, rel=1e-12)
    for year in (2024, 2025, 2026):
        assert volume.loc[(year, "nowhere"), "volume"] == pytest.approx(1000.0)


def test_served_plus_unserved_is_the_demand(result: ScenarioResult) -> None:
    served = result.corridor_volumes.groupby(["year", "market"])["volume_teu"].sum()
    lost = result.unserved.groupby(["year", "market"])["volume_teu"].sum()
    demand = result.markets.set_index(["year", "market"])["volume_teu"]
    assert len(demand) == 12
    for key, d in demand.items():
        assert float(served.get(key, 0.0)) + float(lost.get(key, 0.0)) == pytest.approx(
            float(d), rel=1e-9
        )
    # in the native unit too: the grain's tonnes served and unserved
    cv = result.corridor_volumes
    grain_t = cv[(cv["market"] == "grain") & (cv["year"] == 2025)]["volume_t"].sum()
    assert grain_t == pytest.approx(50000 * (1 - F), rel=1e-9)


def test_unserved_is_stored(result: ScenarioResult, tmp_path: Path) -> None:
    with ResultsStore(tmp_path / "s.duckdb") as store:
        rid = store.write_run(RunRecord("unserved", "h", "text", seed=1, kind="run"), result)
        back = store.table("unserved", rid)
    pd.testing.assert_frame_equal(
        back.reset_index(drop=True),
        result.unserved.reset_index(drop=True),
        check_dtype=False,
    )


def test_the_run_report_lists_the_unserved_demand(result: ScenarioResult) -> None:
    from corridors.reports.run_report import result_report

    html = result_report(read_network(HERE / "toy"), result, info={"scenario_name": "u"})
    section = html[html.index("Unserved demand in 2026 (no route, or no room)") :]
    assert "Xian" in section
    assert "Aktau" in section
    assert "no route" in section
    assert "closed: x" not in section  # 2026 has no closure: only the unreachable pair


def test_run_prints_the_unserved_demand_at_80_columns(run_cli, tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "unserved.yaml"
    store = tmp_path / "runs.duckdb"
    data = _data() | {"network": str(HERE / "toy")}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    code = "from corridors.cli.app import main\nmain()\n"
    proc = subprocess.run(
        [sys.executable, "-c", code, "run", str(path), "--store", str(store), "--to", "2025"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "unserved demand in 2025" in out
    table = out[out.index("unserved demand in 2025") :]
    rows = {
        cells[0]: cells[1:]
        for line in table.splitlines()
        if line.startswith("│ ")
        for cells in ([c.strip() for c in line.strip("│").split("│")],)
    }
    # a year: 10,000 x 182 / 365 = 4,986 TEU; 50,000 t x 182 / 365 = 24,932 t; ...
    assert rows == {
        "boxes": ["Xian - Duisburg", "4,986", "TEU", "closed: x, y"],
        "grain": ["Duisburg - Russian Border", "24,932", "t", "closed: x"],
        "nowhere": ["Xian - Aktau", "1,000", "TEU", "no route"],
        "to_russia": ["Xian - Russian Border", "997", "TEU", "closed: x"],
    }
    # the stored run shows the same table
    run_id = proc.stderr.split("stored run ")[1].split()[0]
    shown = run_cli("runs", "show", run_id, "--store", str(store))
    assert shown.code == 0, shown.err
    assert "unserved demand in 2025" in shown.out
    assert "Duisburg - Russian Border" in shown.out
