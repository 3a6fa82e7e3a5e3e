"""``corridors assign --report``: the HTML assignment map."""

from __future__ import annotations

from pathlib import Path

import pytest

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


def test_report_has_map_top_bottleneck_and_no_external_url(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, report_content
) -> None:
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "origin,destination,commodity,volume,unit,value_of_time_usd_h,source\n"
        "Alpha,Echo,containers,3000,TEU,16.7,test\n"
        "Alpha,Echo,containers,2000,TEU,5,test\n"
    )
    report = tmp_path / "assign.html"
    code, _out, err = run_cli(
        "assign",
        str(MINI),
        str(demand),
        "--link-model",
        "--gap",
        "1e-5",
        "-o",
        str(tmp_path / "flows.csv"),
        "--report",
        str(report),
    )
    assert code == 0, err
    html = report.read_text()
    drawn = report_content(html)
    assert len(drawn.maps) == 2  # the whole network and the Middle Corridor region
    assert drawn.maps[1]["bounds"] == [[34.0, 26.0], [54.0, 84.0]]
    nodes = {p["id"]: p for p in drawn.features() if p["element"] == "node"}
    assert nodes["xb"]["utilisation"] == pytest.approx(5.0, rel=1e-3)
    assert nodes["xb"]["bottleneck"] is True
    links = [p for p in drawn.features() if p["element"] == "link"]
    assert max(p["flow"] for p in links) == pytest.approx(5000.0, rel=1e-3)
    assert [c["layer"][0]["encoding"]["y"]["scale"] for c in drawn.charts] == [{"type": "log"}]
    assert drawn.external == []
    # the border node Bravo (xb, 1000 TEU/yr) carries all 5000 TEU: v/c 5, the top one
    assert "Top bottleneck: Bravo" in html
    assert "5.00" in html
    assert "containers@5" in html
    assert "containers@16.7" in html
    assert not list(tmp_path.glob(".assign.html.*"))


def test_report_error_leaves_no_file(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "origin,destination,commodity,volume,unit,source\nAlpha,Nowhere,containers,5,TEU,test\n"
    )
    report = tmp_path / "assign.html"
    code, _, err = run_cli(
        "assign",
        str(MINI),
        str(demand),
        "--link-model",
        "-o",
        str(tmp_path / "flows.csv"),
        "--report",
        str(report),
    )
    assert code == 1  # an unknown place inside the demand file: bad content, exit 1
    assert "Nowhere" in err
    assert not report.exists()
    assert not (tmp_path / "flows.csv").exists()
    assert list(tmp_path.iterdir()) == [demand]


def test_report_failure_writes_neither_file(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from corridors.reports import assignment_map
    from corridors.reports.errors import ReportError

    def broken(*args: object, **kwargs: object) -> str:
        raise ReportError("map failed")

    monkeypatch.setattr(assignment_map, "assignment_report", broken)
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "origin,destination,commodity,volume,unit,source\nAlpha,Echo,containers,5,TEU,test\n"
    )
    report = tmp_path / "assign.html"
    code, _, err = run_cli(
        "assign",
        str(MINI),
        str(demand),
        "--link-model",
        "-o",
        str(tmp_path / "flows.csv"),
        "--report",
        str(report),
    )
    assert code == 1, err
    assert "map failed" in err
    assert sorted(tmp_path.iterdir()) == [demand]


def test_corridor_model_report_has_the_flow_map(run_cli, tmp_path: Path) -> None:
    """Without --link-model the report is the run report of the equilibrium's year."""
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "origin,destination,commodity,volume,unit,year,market,source\n"
        "Alpha,Echo,containers,600,TEU,2024,test,hand-made\n"
    )
    report = tmp_path / "assign.html"
    code, out, err = run_cli(
        "assign", str(MINI), str(demand), "-o", str(tmp_path / "f.csv"), "--report", str(report)
    )
    assert code == 0, err
    html = report.read_text()
    assert "Map of flows" in html
    assert "<svg" in html
    assert "demand.csv with assign" in html
    assert "with the behaviour of assign" in out
