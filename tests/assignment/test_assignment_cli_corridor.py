"""``corridors assign`` (TNTP and corridor forms) and the corridor adapter."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridors.assignment.corridor import assign_corridors
from corridors.cost.parameters import CostParameters
from corridors.errors import DemandError
from corridors.network import read_network

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


def test_cli_tntp_writes_flow_table(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tntp_dir: Path
) -> None:
    target = tmp_path / "flows.csv"
    code, _, err = run_cli(
        "assign",
        "--tntp",
        str(tntp_dir / "SiouxFalls"),
        "--algorithm",
        "bfw",
        "--gap",
        "1e-4",
        "-o",
        str(target),
    )
    assert code == 0, err
    assert "converged" in err
    with target.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 76
    assert set(rows[0]) >= {"init_node", "term_node", "volume", "cost"}
    # total vehicle-time within 0.5 % of the best-known solution's at gap 1e-4
    best = pd.read_csv(tntp_dir / "SiouxFalls" / "SiouxFalls_flow.tntp", sep=r"\s+")
    ours = sum(float(r["volume"]) * float(r["cost"]) for r in rows)
    assert ours == pytest.approx(float((best["Volume"] * best["Cost"]).sum()), rel=5e-3)
    assert not list(tmp_path.glob(".flows.csv.*"))  # no temporary file left behind


def test_cli_without_inputs_is_a_clear_error(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, _, err = run_cli("assign", "-o", str(tmp_path / "x.csv"))
    assert code == 2
    assert "--tntp" in err
    assert not (tmp_path / "x.csv").exists()
    code, _, err = run_cli("assign", "--tntp", str(tmp_path), "-o", str(tmp_path / "x.csv"))
    assert code == 1  # the folder is there but holds no network: its content is wrong
    assert "_net.tntp" in err
    assert not (tmp_path / "x.csv").exists()


def _mini_demand(volume: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "origin": ["Alpha"],
            "destination": ["Echo"],
            "commodity": ["containers"],
            "volume": [volume],
            "unit": ["TEU"],
        }
    )


def test_corridor_assignment_reports_border_over_capacity() -> None:
    net = read_network(MINI)
    res = assign_corridors(
        net, _mini_demand(5000.0), params=CostParameters(unit="TEU"), gap=1e-6, max_iter=2000
    )
    r = res.result
    assert r.converged
    nodes = res.nodes().set_index("node_id")
    # every TEU from Alpha passes the border Bravo (capacity 1000 TEU/yr in the fixture)
    assert nodes.loc["xb", "throughput_teu_yr"] == pytest.approx(5000.0)
    assert nodes.loc["xb", "volume_capacity"] == pytest.approx(5.0)
    assert nodes.loc["xa", "throughput_teu_yr"] == pytest.approx(5000.0)
    worst = res.bottlenecks()
    assert "node:xb" in set(worst["label"])
    assert (worst["volume_capacity"] > 0.8).all()
    # conservation on the expanded graph
    eg = res.expanded
    bal = np.bincount(eg.head, r.flow, eg.n_vertices) - np.bincount(eg.tail, r.flow, eg.n_vertices)
    src, snk = eg.source("xa"), eg.sink("xe")
    expected = np.zeros(eg.n_vertices)
    expected[src], expected[snk] = -5000.0, 5000.0
    np.testing.assert_allclose(bal, expected, atol=1e-6)
    skims = res.skims()
    assert len(skims) == 1
    assert float(skims["hours"].iloc[0]) > 0
    routes = r.routes_frame()
    assert routes["share"].sum() == pytest.approx(1.0)


def test_corridor_demand_errors_are_collected() -> None:
    net = read_network(MINI)
    bad = pd.DataFrame(
        {
            "origin": ["Alpah", "Alpha"],
            "destination": ["Echo", "Nowhere"],
            "volume": [10.0, -1.0],
            "unit": ["TEU", "TEU"],
        }
    )
    with pytest.raises(DemandError) as err:
        assign_corridors(net, bad)
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {(2, "origin"), (3, "destination"), (3, "volume")}
    assert "Alpha" in str(err.value)


def test_cli_corridor_form(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "origin,destination,commodity,volume,unit,year,market,source\n"
        "Alpha,Echo,containers,5000,TEU,2024,test,hand-made\n"
    )
    target = tmp_path / "flows.csv"
    code, out, err = run_cli(
        "assign", str(MINI), str(demand), "--link-model", "--gap", "1e-5", "-o", str(target)
    )
    assert code == 0, err
    assert "node:xb" in out
    table = pd.read_csv(target)
    assert {"link_id", "from_node_id", "to_node_id", "flow_teu_yr"} <= set(table.columns)
    first = table[table["link_id"] == "l1"]
    assert first["flow_teu_yr"].sum() == pytest.approx(5000.0)
