"""``corridors report run | scenario``: self-contained HTML reports of scenario runs."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow


def test_report_scenario_writes_a_self_contained_page(run_cli, tmp_path, report_content):
    out = tmp_path / "baseline.html"
    res = run_cli(
        "report", "scenario", "baseline-2024", "--to", "2025", "--no-appraisal", "-o", str(out)
    )
    assert res.code == 0, res.err
    html = out.read_text()
    drawn = report_content(html)
    # the map of flows: the train paths from Alashankou full in 2025, ringed with their
    # shadow price
    paths = next(p for p in drawn.features() if p["id"] == "alashankou-dostyk")
    assert paths["utilisation"] == pytest.approx(1.0, abs=1e-3)
    assert paths["shadow_price_usd_teu"] > 0
    assert paths["bottleneck"] is True
    # the chart of volumes: one line per corridor, 2024 and 2025
    (chart,) = drawn.charts
    years = {v["year"] for v in chart["data"]["values"]}
    assert years == {2024, 2025}
    assert "Middle Corridor (TITR)" in {v["corridor"] for v in chart["data"]["values"]}
    # nothing is fetched: no script or stylesheet from elsewhere
    assert drawn.external == []


def test_report_run_of_a_stored_run(run_cli, tmp_path, report_content):
    store = tmp_path / "runs.duckdb"
    res = run_cli("run", "baseline-2024", "--to", "2025", "--no-appraisal", "--store", str(store))
    assert res.code == 0, res.err
    run_id = re.search(r"stored run (\S+)", res.err).group(1)
    out = tmp_path / "run.html"
    res = run_cli("report", "run", run_id[:6], "--store", str(store), "-o", str(out))
    assert res.code == 0, res.err
    html = out.read_text()
    assert run_id in html
    assert len(report_content(html).maps) == 1
    assert "Bottlenecks in 2025" in html


def test_report_of_unknown_run_or_scenario_fails_cleanly(run_cli, tmp_path):
    store = tmp_path / "runs.duckdb"
    run_cli("run", "baseline-2024", "--to", "2024", "--no-appraisal", "--store", str(store))
    out = tmp_path / "x.html"
    res = run_cli("report", "run", "rnope", "--store", str(store), "-o", str(out))
    assert res.code == 1  # as `runs show`: the store has no such run
    assert "error: no run 'rnope'" in res.err
    res = run_cli("report", "scenario", "baseline-2042", "-o", str(out))
    assert res.code == 2
    assert "baseline-2024" in res.err
    assert not out.exists()
