"""``corridors relief`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path


def test_relief_json_gives_tonnes_per_day_per_route_and_mode(
    run_cli, tmp_path: Path, report_content
) -> None:
    out = tmp_path / "relief.json"
    report = tmp_path / "relief.html"
    res = run_cli(
        "relief",
        "--to",
        "Kahramanmaras",
        "--from",
        "OTS",
        "--within",
        "72h",
        "--close",
        "iskenderun_port,hatay_airport",
        "--format",
        "json",
        "-o",
        str(out),
        "--report",
        str(report),
    )
    assert res.code == 0, res.err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["tonnes_per_day_by_mode"]) == {"road", "rail", "air", "sea"}
    assert all(
        {"depot", "mode", "hours", "tonnes_per_day", "links"} <= set(r) for r in data["routes"]
    )
    assert data["closed"] == ["hatay_airport", "iskenderun_port"]
    assert all(
        {"id", "from", "to", "flow_t", "capacity_t", "utilisation"} <= set(r) for r in data["links"]
    )
    html = report.read_text(encoding="utf-8")
    drawn = {p["id"]: p for p in report_content(html).features()}
    by_id = {r["id"]: r for r in (*data["links"], *data["nodes"])}
    assert set(drawn) == set(by_id)  # the map draws what the JSON lists, nothing more
    assert all(drawn[k]["tonnes_per_day"] == by_id[k]["tonnes_per_day"] for k in drawn)
    assert "Relief to kahramanmaras" in html


def test_relief_table_and_csv(run_cli) -> None:
    res = run_cli("relief", "--to", "Kahramanmaras", "--from", "Baku,Ankara", "--within", "3d")
    assert res.code == 0, res.err
    assert "By mode" in res.out
    assert "baku > tbilisi" in res.out
    res = run_cli("relief", "--to", "Kahramanmaras", "--from", "Baku", "-f", "csv")
    assert res.code == 0, res.err
    assert res.out.splitlines()[0].startswith("element,id,name,from,to,mode,flow_t,capacity_t")


def test_relief_bad_options_exit_2(run_cli) -> None:
    res = run_cli("relief", "--to", "Kahramanmars")
    assert res.code == 2
    assert "did you mean" in res.err
    res = run_cli("relief", "--to", "Kahramanmaras", "--within", "soon")
    assert res.code == 2
    assert "72h" in res.err
    res = run_cli("relief", "--to", "Kahramanmaras", "--close", "iskenderun")
    assert res.code == 0, res.err  # an alias of the port
    res = run_cli("relief", "--to", "Kahramanmaras", "--close", "iskenderun_prt")
    assert res.code == 2
    assert "iskenderun_port" in res.err


def test_relief_geojson(run_cli) -> None:
    res = run_cli("relief", "--to", "Hatay", "--from", "Ankara", "-f", "geojson")
    assert res.code == 0, res.err
    fc = json.loads(res.out)
    assert {f["properties"]["element"] for f in fc["features"]} == {"link", "node"}
