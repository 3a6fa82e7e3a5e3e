"""The command line on the hand-made mini network: outputs, errors, exit codes."""

from __future__ import annotations

import csv
import json

import pytest


def test_compare_table(run_cli, mini_path):
    r = run_cli("compare", "Alpha", "Echo", "--network", str(mini_path), "--vot", "10")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    rows = [ln for ln in lines if "northern" in ln or "middle" in ln]
    assert "northern" in rows[0]  # cheapest first at VOT 10
    assert "1,980" in rows[0]
    assert "2,700" in rows[1]


def test_compare_json_fields(run_cli, mini_path):
    r = run_cli(
        "compare", "alfa", "ECHO", "-n", str(mini_path), "--unit", "tonne", "--format", "json"
    )
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["unit"] == "t"
    middle = next(x for x in data["routes"] if x["corridor"] == "middle")
    assert middle["usd"] == pytest.approx(270.0)
    assert middle["days"] == pytest.approx(87 / 24, abs=1e-3)
    assert {"corridor", "days", "usd", "kg_co2e", "km", "borders", "transfers", "legs"} <= set(
        middle
    )


def test_compare_csv_to_file(run_cli, mini_path, tmp_path):
    out = tmp_path / "cmp.csv"
    r = run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "-f", "csv", "-o", str(out))
    assert r.code == 0, r.err
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {row["corridor"] for row in rows} == {"middle", "northern"}


def test_unknown_place_is_one_line_with_suggestion(run_cli, mini_path):
    r = run_cli("compare", "Alpha", "Ecko", "-n", str(mini_path))
    assert r.code == 2
    assert r.err.strip() == "error: unknown place 'Ecko'; did you mean 'Echo'?"
    assert "Traceback" not in r.err


def test_unreachable_is_clear(run_cli, mini_copy):
    path = mini_copy / "link.csv"
    lines = [ln for ln in path.read_text().splitlines() if not ln.startswith(("l4,", "l6,"))]
    path.write_text("\n".join(lines) + "\n")
    r = run_cli("compare", "Alpha", "Echo", "-n", str(mini_copy))
    assert r.code == 1  # a failure while running, not a wrong command line
    assert r.err == "error: no route from Alpha to Echo\n"


def test_bad_unit_and_passage(run_cli, mini_path):
    r = run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "--unit", "barrel")
    assert r.code == 2
    assert "unknown unit 'barrel'" in r.err
    r = run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "--close", "suze")
    assert r.code == 2
    assert "(value 'suze'); did you mean 'suez'?" in r.err


def test_network_check_ok_and_problems(run_cli, mini_path, mini_copy):
    r = run_cli("network", "check", str(mini_path))
    assert r.code == 0
    assert "OK" in r.out
    assert "6 nodes, 7 links" in r.out
    path = mini_copy / "link.csv"
    path.write_text(
        path.read_text().replace(
            "l2,Bravo-Charlie,xb,xc,false,rail,500", "l2,Bravo-Charlie,xb,xq,false,rail,-500"
        )
    )
    r = run_cli("network", "check", str(mini_copy))
    assert r.code == 1
    assert "2 problems" in r.out
    assert (
        "link.csv, line 3, field 'to_node_id': no node with this id in node.csv (value 'xq')"
        in r.out
    )
    assert "link.csv, line 3, field 'length': must be at least 0.01 km (value '-500')" in r.out


def test_export_geojson(run_cli, mini_path, tmp_path):
    out = tmp_path / "mini.geojson"
    r = run_cli("network", "export", str(mini_path), "--format", "geojson", "-o", str(out))
    assert r.code == 0, r.err
    data = json.loads(out.read_text())
    kinds = [f["properties"]["feature_type"] for f in data["features"]]
    assert kinds.count("node") == 6
    assert kinds.count("link") == 7
    ferry = next(f for f in data["features"] if f["properties"].get("link_id") == "l3")
    assert len(ferry["geometry"]["coordinates"]) >= 2


def test_export_parquet_and_gmns(run_cli, mini_path, tmp_path):
    import pandas as pd

    r = run_cli("network", "export", str(mini_path), "-f", "parquet", "-o", str(tmp_path / "pq"))
    assert r.code == 0, r.err
    links = pd.read_parquet(tmp_path / "pq" / "link.parquet")
    assert len(links) == 7
    assert "km" in links.columns
    r = run_cli("network", "export", str(mini_path), "-f", "gmns", "-o", str(tmp_path / "g"))
    assert r.code == 0, r.err
    assert run_cli("network", "check", str(tmp_path / "g")).code == 0


def test_failed_run_leaves_no_output(run_cli, mini_path, tmp_path):
    out = tmp_path / "report.html"
    r = run_cli("report", "compare", "Alpha", "Nowhere", "-n", str(mini_path), "-o", str(out))
    assert r.code == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left either


def test_report_is_self_contained(run_cli, mini_path, tmp_path, report_content):
    out = tmp_path / "report.html"
    r = run_cli("report", "compare", "Alpha", "Echo", "-n", str(mini_path), "-o", str(out))
    assert r.code == 0, r.err
    html = out.read_text()
    drawn = report_content(html)
    assert drawn.external == []
    # the map draws one route per corridor compared, as the dashboard does
    (routes,) = drawn.maps[0]["layers"]
    assert routes["kind"] == "routes"
    assert {x["name"] for x in routes["routes"]} == {"Middle Corridor", "Northern route"}
    assert len(drawn.charts) == 1
    assert "Middle Corridor" in html
    assert "Northern route" in html
    for bad in ("@import", "url(http"):
        assert bad not in html


def test_schema_command_prints_dictionary(run_cli):
    r = run_cli("network", "schema")
    assert r.code == 0
    assert "## link.csv" in r.out


def test_version(run_cli):
    r = run_cli("--version")
    assert r.code == 0
    assert r.out.startswith("corridors ")


def test_routes_lists_k_alternatives(run_cli, mini_path):
    r = run_cli(
        "routes",
        "Alpha",
        "Echo",
        "-n",
        str(mini_path),
        "--year",
        "2030",
        "-k",
        "5",
        "--format",
        "json",
    )
    assert r.code == 0, r.err
    data = json.loads(r.out)["routes"]
    assert len(data) == 3  # only three loopless routes exist in 2030
    assert [x["corridor"] for x in data].count("middle") == 2
    r = run_cli("routes", "Alpha", "Echo", "-n", str(mini_path), "--corridor", "northern")
    assert r.code == 0, r.err
    assert "middle" not in r.out


def test_outputs_are_readable_by_others(run_cli, mini_path, tmp_path):
    import stat

    r = run_cli("network", "export", str(mini_path), "-f", "gmns", "-o", str(tmp_path / "g"))
    assert r.code == 0, r.err
    assert stat.S_IMODE((tmp_path / "g").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "g" / "node.csv").stat().st_mode) == 0o644
