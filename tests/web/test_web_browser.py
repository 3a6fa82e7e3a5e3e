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

import pytest

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

    # the run is listed and opens from the runs tab by permalink
    open_page(page, f"{dashboard}/?view=runs&run={run_id}")
    page.wait_for_selector("#run-title")
    assert page.locator("#run-title").get_attribute("data-run") == run_id
    page.screenshot(path=tmp_path / "runs.png")

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
    offline = page.context.browser.new_context(offline=True)
    try:
        asked: list[str] = []
        view = offline.new_page()
        view.route("**/*", lambda route: (asked.append(route.request.url), route.continue_()))
        view.goto(report.as_uri())
        assert view.locator("svg").count() >= 1
        assert view.locator("svg path").count() > 50
        charts = view.locator("img[src^='data:image/png']")
        assert charts.count() >= 1
        assert charts.first.evaluate("img => img.complete && img.naturalWidth > 0")
        assert [u for u in asked if not u.startswith("file:")] == []
        view.screenshot(path=tmp_path / "report.png", full_page=False)
    finally:
        offline.close()
    for name in ("compare", "bosporus-closed", "scenario", "runs", "energy", "report"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000
