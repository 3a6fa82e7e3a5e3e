"""The dashboard in a real browser: Debian's chromium driven by Playwright (no download).

Starts ``corridors serve`` on a free loopback port, compares Xi'an to Duisburg, closes
the Bosporus, opens a permalink, runs a short scenario to completion, draws the energy
layer of the CPC outage and opens the exported HTML report with the network disabled.
Screenshots go to the test's tmp folder.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from corridors.scenarios.result import RANKING_COLUMNS, ScenarioResult, empty
from corridors.scenarios.store import ResultsStore, RunRecord

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists():  # pragma: no cover - depends on the machine
    pytest.skip(
        "Debian's chromium is not installed at /usr/bin/chromium (make browser installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = pytest.mark.slow

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert errors == [], errors


def open_offline(browser, path: Path, screenshot: Path) -> dict[str, int]:
    """Open a report with the network disabled; what it drew once its scripts ran.

    Fails if the page asks for anything but its own file or raises a script error.
    """
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    try:
        asked: list[str] = []
        errors: list[str] = []
        view = context.new_page()
        view.on("pageerror", lambda e: errors.append(str(e)))
        view.route("**/*", lambda route: (asked.append(route.request.url), route.continue_()))
        view.goto(path.as_uri())
        view.wait_for_selector("body[data-ready=true]", timeout=TIMEOUT_MS)
        shown = view.evaluate(
            """() => ({
              maps: Number(document.body.dataset.maps),
              charts: document.querySelectorAll('.chart svg.marks').length,
              countries: document.querySelectorAll('.map path.country').length,
              routes: document.querySelectorAll('.map path.route').length,
              flows: document.querySelectorAll('.map path.flow, .map path.energy-flow').length,
              bottlenecks: document.querySelectorAll('.map path.bottleneck').length,
            })"""
        )
        view.screenshot(path=screenshot, full_page=True)
    finally:
        context.close()
    assert errors == [], errors
    assert [u for u in asked if not u.startswith("file:")] == []
    assert shown["countries"] > 100 * shown["maps"]  # the inlined Natural Earth base map
    return shown


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")


def corridors_in_table(page) -> list[str]:
    return page.locator("#compare-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.corridor)"
    )


def corridors_on_map(page) -> set[str]:
    classes = page.locator("#map path.route").evaluate_all(
        "paths => paths.map(p => p.getAttribute('class'))"
    )
    return {c.split("route-")[1].split()[0] for c in classes}


def volumes(page, year: int) -> dict[str, float]:
    """Volume by corridor in ``year`` from the run's table (TEU a year)."""
    rows = page.locator("#run-volumes tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    return {c: float(v.replace(",", "")) for y, c, v in rows if y == str(year)}


def wait_for_table(page, previous: list[str] | None = None) -> list[str]:
    page.wait_for_function(
        "prev => { const rows = [...document.querySelectorAll('#compare-table tbody tr')]"
        ".map(r => r.dataset.corridor); return rows.length > 0 && rows.join() !== prev; }",
        arg=",".join(previous or []),
    )
    return corridors_in_table(page)


def test_compare_close_permalink_and_scenario(page, dashboard, tmp_path):
    q = urllib.parse.urlencode({"view": "compare", "origin": "Xi'an", "destination": "Duisburg"})
    open_page(page, f"{dashboard}/?{q}")
    table = wait_for_table(page)
    # the table has the corridors, and the map drew a route for each of them
    assert set(table) == {"northern", "southern", "middle", "sea_suez", "sea_cape"}
    assert corridors_on_map(page) == set(table)
    page.wait_for_selector("#chart-tcd svg")
    page.wait_for_selector("#chart-causes svg")
    page.screenshot(path=tmp_path / "compare.png")

    # the map exports as a PNG drawn in the page
    with page.expect_download() as download:
        page.click("#export-png")
    png = tmp_path / "map-export.png"
    download.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000

    # a search with an alias says which place it found
    page.fill("#destination", "")
    page.type("#destination", "Baku")
    page.wait_for_function(
        "document.querySelector('#destination-hint').textContent.includes('Alat')"
    )

    # Xi'an - Istanbul: closing the Bosporus takes the northern route (via Novorossiysk) away
    page.fill("#destination", "Istanbul")
    page.click("#compare-go")
    before = wait_for_table(page, table)
    assert "northern" in before
    page.check("#close-passages input[value=bosporus]")
    after = wait_for_table(page, before)
    assert "northern" not in after
    assert "northern" not in corridors_on_map(page)
    assert set(after) < set(before)
    page.screenshot(path=tmp_path / "bosporus-closed.png")

    # the URL is a permalink: a fresh page opens the same view
    link = page.url
    assert "close_passage=bosporus" in link
    fresh = page.context.new_page()
    open_page(fresh, link)
    assert wait_for_table(fresh) == after
    assert fresh.is_checked("#close-passages input[value=bosporus]")
    assert fresh.input_value("#destination") == "Istanbul"
    fresh.close()

    # with a scenario the table has the congested P50 and P90 next to the free-flow days
    q = urllib.parse.urlencode(
        {
            "view": "compare",
            "origin": "Xi'an",
            "destination": "Duisburg",
            "scenario": "baseline-2024",
        }
    )
    congested = page.context.new_page()
    open_page(congested, f"{dashboard}/?{q}")
    days = congested.locator("#compare-table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].slice(1, 4).map(c => Number(c.textContent)))"
    )
    assert days
    assert all(free <= p50 <= p90 for free, p50, p90 in days), days
    assert congested.input_value("#compare-scenario") == "baseline-2024"
    congested.close()

    # a short scenario runs to completion while the page shows its progress
    page.click("#tabs button[data-view=scenarios]")
    page.wait_for_function("document.querySelector('#scenario-yaml').value.length > 0")
    page.select_option("#scenario-list", "baseline-2024")
    page.wait_for_function("document.querySelector('#scenario-yaml').value.includes('2024')")
    page.fill("#run-to", "2025")
    page.uncheck("#run-appraise")
    page.click("#scenario-run")
    page.wait_for_selector("#job-state[data-state=done]", timeout=120_000)
    page.wait_for_selector("#run-title")
    page.wait_for_selector("#chart-volumes svg")
    assert page.locator("#map path.flow").count() > 10
    run_id = page.locator("#run-title").get_attribute("data-run")
    page.screenshot(path=tmp_path / "scenario.png")

    # the form: a growth rate out of bounds gets the file's message next to its field
    before = volumes(page, 2025)
    growth = page.locator('#scenario-growth input[data-market="china_eu"]')
    growth.fill("3")
    growth.dispatch_event("change")
    error = page.locator('.field-error[data-for="demand.table_markets[0].growth"]')
    page.wait_for_function("el => el.textContent.length > 0", arg=error.element_handle())
    assert "less than or equal to 1" in error.inner_text()
    # a faster-growing market and dearer sea freight in 2025 (a disruption's extra USD)
    growth.fill("0.5")
    growth.dispatch_event("change")
    card = page.locator("details.disruption", has_text="Freight rates easing")
    card.locator("summary").click()
    usd = card.locator('input[data-key="extra_usd_teu"]')
    usd.fill("4000")
    usd.dispatch_event("change")
    page.wait_for_function(
        "() => { const y = document.querySelector('#scenario-yaml').value;"
        " return y.includes('growth: 0.5') && y.includes('extra_usd_teu: 4000'); }"
    )
    assert page.locator(".field-error:not(:empty)").count() == 0
    page.screenshot(path=tmp_path / "scenario-form.png")
    page.click("#scenario-run")
    page.wait_for_function(
        "prev => { const t = document.querySelector('#run-title');"
        " return t && t.dataset.run !== prev; }",
        arg=run_id,
        timeout=120_000,
    )
    after = volumes(page, 2025)
    second = page.locator("#run-title").get_attribute("data-run")
    # China-EU rail-type containers (702,890 TEU in 2024) grow by half instead of 3 %:
    # 702,890 x 0.47 = 330k TEU more in 2025
    gained = sum(after.values()) - sum(before.values())
    assert 0.3e6 < gained < 0.36e6, (before, after)
    # every land corridor is full in 2025, the Northern at Malaszewicze (14 trains a day;
    # its Kaliningrad door closed since March 2022), the Middle at Alat's container
    # terminal, the Southern at the Lake Van ferry: they keep what they had, and the extra
    # cargo goes by sea, 3,250 USD/TEU dearer or not (measured without the browser:
    # +330,007 TEU by sea, +351 on the Southern, 0 on the Middle and Northern)
    for c in ("middle", "northern", "southern"):
        assert abs(after[c] - before[c]) < 0.01 * gained
    sea = [c for c in after if c.startswith("sea")]
    assert sum(after[c] for c in sea) - sum(before.get(c, 0.0) for c in sea) > 0.97 * gained

    # the run is listed and opens from the runs tab by permalink
    open_page(page, f"{dashboard}/?view=runs&run={run_id}")
    page.wait_for_selector("#run-title")
    assert page.locator("#run-title").get_attribute("data-run") == run_id
    page.screenshot(path=tmp_path / "runs.png")
    # the two runs side by side: the table of differences and the map of changes (the form's
    # faster growth adds cargo, so some links carry more in the second run)
    open_page(page, f"{dashboard}/?view=runs&run={run_id}&run={second}")
    page.wait_for_function(
        "() => (document.querySelector('#run-title') || {}).textContent?.includes('→')"
    )
    assert page.locator("#map path.flow").count() > 10
    assert "more in" in page.locator(".corridors-legend").inner_text()

    # the energy layer: the CPC outage draws its flows and lists the tankers as binding
    open_page(page, f"{dashboard}/?view=energy&layer=energy&scenario=cpc-outage-30d")
    page.wait_for_selector("#energy-title")
    assert page.locator("#map path.energy-flow").count() > 5
    assert "aktau-dubendi-tankers" in page.locator("#binding-table").inner_text()
    page.screenshot(path=tmp_path / "energy.png")

    # its HTML report opens offline with its map and chart
    report = tmp_path / "report.html"
    with urllib.request.urlopen(f"{dashboard}/api/runs/{run_id}/report.html") as r:
        report.write_bytes(r.read())
    shown = open_offline(page.context.browser, report, tmp_path / "report.png")
    assert shown["maps"] == 1
    assert shown["charts"] == 1
    assert shown["flows"] > 10  # the same run map as the dashboard's
    for name in (
        "compare",
        "bosporus-closed",
        "scenario",
        "scenario-form",
        "runs",
        "energy",
        "report",
    ):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000


def test_every_report_opens_offline_with_its_maps_and_charts(browser, run_cli, tmp_path):
    """Each command that writes a report: the page draws its maps and charts with no network."""
    data = Path(__file__).resolve().parents[2] / "src" / "corridors" / "datasets" / "eurasia"
    commands = {
        "compare": ["report", "compare", "Xi'an", "Duisburg"],
        "scenario": ["report", "scenario", "baseline-2024", "--to", "2025", "--no-appraisal"],
        "energy": ["energy", "flow", "-c", "crude", "--scenario", "cpc-outage-30d", "-f", "csv"],
        "relief": ["relief", "--to", "Kahramanmaras", "--close", "iskenderun_port", "-f", "csv"],
        "assign": ["assign", str(data), str(data / "demand-2024.csv")],
        "assign-link": [
            "assign",
            str(data),
            str(data / "demand-2024.csv"),
            "--link-model",
            "--gap",
            "0.01",
        ],
    }
    shown = {}
    for name, command in commands.items():
        out = tmp_path / f"{name}.html"
        if name in ("energy", "relief"):
            tail = ["--report", str(out)]
        elif name.startswith("assign"):
            tail = ["-o", str(tmp_path / "flows.csv"), "--report", str(out)]
        else:
            tail = ["-o", str(out)]
        res = run_cli(*command, *tail)
        assert res.code == 0, (name, res.err)
        shown[name] = open_offline(browser, out, tmp_path / f"{name}.png")
    assert shown["compare"]["routes"] >= 5 * 2  # five corridors, several legs each
    assert shown["compare"]["charts"] == 1
    assert shown["scenario"]["flows"] > 10
    assert shown["scenario"]["bottlenecks"] >= 1  # Alat, full in 2025
    assert shown["energy"]["bottlenecks"] >= 1  # the tankers bind in the CPC outage
    assert shown["relief"]["flows"] > 5
    # assign runs the model of `run`: its report is the run report of the year (Alat full)
    assert shown["assign"]["maps"] == 1
    assert shown["assign"]["flows"] > 10
    assert shown["assign"]["bottlenecks"] >= 1
    assert shown["assign-link"]["maps"] == 2  # the link model's flow map and its classes
    assert shown["assign-link"]["charts"] == 1


def test_a_run_shows_its_measures_with_the_rents(page, dashboard, tmp_path):
    """The run view's ranking has the shippers' surplus and the rents; a ranking stored
    before the rents were kept shows without them (and no script error)."""
    row = dict.fromkeys(RANKING_COLUMNS, 0.0) | {"rank": 1, "measure_id": "alat"}
    row |= {"usd_saved": 57.5e6, "rents_usd": 203.3e6, "npv_with_rents_usd": 558.6e6}
    result = ScenarioResult(
        corridor_volumes=empty(("year",)),
        link_flows=empty(("year",)),
        transit_times=empty(("year",)),
        rankings=pd.DataFrame([row], columns=list(RANKING_COLUMNS)),
    )
    store = tmp_path / "runs.duckdb"  # the dashboard's
    with ResultsStore(store) as s:
        old = s.write_run(RunRecord("old", "h", "text", seed=1), result)
    con = duckdb.connect(str(store))  # the table of a store made before the rents
    con.execute("ALTER TABLE measure_rankings DROP COLUMN npv_with_rents_usd")
    con.execute("ALTER TABLE measure_rankings DROP COLUMN rents_usd")
    con.close()
    with ResultsStore(store) as s:  # opened to write: the columns come back, empty
        new = s.write_run(RunRecord("new", "h", "text", seed=2), result)
    shown = {}
    for run_id in (old, new):
        open_page(page, f"{dashboard}/?view=runs&run={run_id}")
        page.wait_for_selector("#run-measures table")
        header = page.locator("#run-measures th").all_inner_texts()
        cells = page.locator("#run-measures tbody td").all_inner_texts()
        shown[run_id] = dict(zip(header, cells, strict=True))
    assert shown[new]["usd_saved"] == "57,500,000"
    assert shown[new]["rents_usd"] == "203,300,000"
    assert shown[new]["npv_with_rents_usd"] == "558,600,000"
    assert shown[old]["rents_usd"] == ""  # NULL in the older row
