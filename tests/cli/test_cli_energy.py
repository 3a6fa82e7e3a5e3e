"""``corridors energy flow|route`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path


def test_energy_flow_json_lists_links_and_nodes_with_the_agreed_keys(
    run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "flows.json"
    res = run_cli(
        "energy",
        "flow",
        "--commodity",
        "crude",
        "--year",
        "2024",
        "--scenario",
        "cpc-outage-30d",
        "--format",
        "json",
        "-o",
        str(out),
    )
    assert res.code == 0, res.err
    data = json.loads(out.read_text(encoding="utf-8"))
    keys = {"id", "from", "to", "flow_t", "capacity_t", "utilisation", "shadow_price_usd_t"}
    assert all(keys <= set(r) for r in data["links"])
    assert all(keys <= set(r) for r in data["nodes"])
    tankers = next(r for r in data["links"] if r["id"] == "aktau-dubendi-tankers")
    assert tankers["utilisation"] == 1.0
    assert tankers["shadow_price_usd_t"] > 500
    assert data["scenario"] == "cpc-outage-30d"


def test_energy_flow_table_names_what_binds(run_cli) -> None:
    res = run_cli("energy", "flow", "--scenario", "caspian-tankers-plus-4")
    assert res.code == 0, res.err
    assert "aktau_oil" in res.out
    assert "stranded" in res.out


def test_energy_flow_csv_and_html_report(run_cli, tmp_path: Path, report_content) -> None:
    report = tmp_path / "power.html"
    res = run_cli(
        "energy", "flow", "-c", "power", "--year", "2030", "-f", "csv", "--report", str(report)
    )
    assert res.code == 0, res.err
    header, *rows = res.out.splitlines()
    assert header.split(",")[7:11] == [
        "flow_mw",
        "capacity_mw",
        "utilisation",
        "shadow_price_usd_mwh",
    ]
    cable = next(r for r in rows if ",black_sea_cable," in r)
    assert ",1000.0,1000.0,1.0,80.0," in cable
    html = report.read_text(encoding="utf-8")
    # the map is the dashboard's energy layer: the full cable, its shadow price, ringed
    (cable,) = [p for p in report_content(html).features() if p["id"] == "black_sea_cable"]
    assert cable["utilisation"] == 1.0
    assert cable["shadow_price_usd_mwh"] == 80.0
    assert report_content(html).maps[0]["layers"][0]["priceKey"] == "shadow_price_usd_mwh"
    assert "Black Sea submarine cable" in html


def test_energy_route_from_tengiz(run_cli) -> None:
    res = run_cli(
        "energy",
        "route",
        "--commodity",
        "crude",
        "--from",
        "Tengiz",
        "--volume",
        "2.2Mt",
        "--format",
        "json",
    )
    assert res.code == 0, res.err
    routes = json.loads(res.out)["routes"]
    assert abs(sum(r["flow_t"] for r in routes) - 2.2e6) < 1
    assert all("cost_usd_bbl" in r for r in routes)


def test_energy_bad_input_exits_with_one_clear_message(run_cli, tmp_path: Path) -> None:
    res = run_cli("energy", "route", "--from", "Tengis", "--volume", "2.2Mt")
    assert res.code == 2
    assert "did you mean 'tengiz'" in res.err
    res = run_cli("energy", "route", "--from", "Tengiz", "--volume", "2.2 Mtons")
    assert res.code == 2
    assert "unknown unit" in res.err
    res = run_cli("energy", "flow", "--scenario", "cpc-outage")
    assert res.code != 0
    assert "did you mean 'cpc-outage-30d'" in res.err
    res = run_cli("energy", "flow", "--format", "xml")
    assert res.code == 2
    bad = tmp_path / "typo.yaml"
    bad.write_text(
        "name: typo\nkind: energy\nyear: 2024\nchanges:\n  - nod: aktau_oil\n", encoding="utf-8"
    )
    out = tmp_path / "never.json"
    res = run_cli("energy", "flow", "--scenario", str(bad), "-f", "json", "-o", str(out))
    assert res.code != 0
    assert "typo.yaml, line 5" in res.err
    assert "did you mean 'node'" in res.err
    assert not out.exists()


def test_energy_flow_geojson_for_maps(run_cli) -> None:
    res = run_cli("energy", "flow", "--scenario", "cpc-outage-30d", "-f", "geojson")
    assert res.code == 0, res.err
    fc = json.loads(res.out)
    assert fc["type"] == "FeatureCollection"
    tankers = next(f for f in fc["features"] if f["id"] == "aktau-dubendi-tankers")
    assert tankers["geometry"]["type"] == "LineString"
    assert tankers["properties"]["utilisation"] == 1.0
    assert any(f["geometry"]["type"] == "Point" for f in fc["features"])
