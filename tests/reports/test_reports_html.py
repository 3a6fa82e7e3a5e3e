"""HTML reports: escaping, self-containment, best-value highlighting, determinism, maps as data."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from corridors.reports import vegalite
from corridors.reports.errors import ReportError
from corridors.reports.html import (
    Section,
    Table,
    compare_report,
    format_number,
    html_table,
    render_report,
)
from corridors.reports.mapview import MapView, flows_layer, routes_layer

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
MIDDLE = [
    (108.94, 34.34),
    (80.4, 44.2),
    (51.17, 43.65),
    (49.42, 39.95),
    (44.8, 41.7),
    (43.1, 40.6),
    (28.98, 41.01),
    (6.76, 51.43),
]
NORTH = [(108.94, 34.34), (80.4, 44.2), (73.0, 49.8), (37.6, 55.75), (23.7, 52.1), (6.76, 51.43)]
ROWS = [
    {
        "corridor": "titr",
        "name": "Middle Corridor",
        "color": "#e4572e",
        "days": 19.5,
        "usd": 6850.0,
        "kg_co2e": 1420.0,
        "km": 7420.0,
        "borders": 5,
        "transfers": 3,
    },
    {
        "corridor": "north",
        "name": "Northern",
        "color": "#2e86ab",
        "days": 16.0,
        "usd": 7400.0,
        "kg_co2e": 1180.0,
        "km": 9800.0,
        "borders": 3,
        "transfers": 2,
    },
    {
        "corridor": "evil",
        "name": EVIL,
        "color": "#6a994e",
        "days": 23.0,
        "usd": 12345.0,
        "kg_co2e": None,
        "km": 8100.0,
        "borders": 5,
        "transfers": 2,
    },
]


class _Collector(HTMLParser):
    """Tags, text outside scripts, and the JSON of ``<script type="application/json">``."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in = dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is None:
            self.text.append(data)
        else:
            self.scripts.append((self._in, data))

    def json_blocks(self, kind: str) -> list[dict]:
        return [
            json.loads(text)
            for attrs, text in self.scripts
            if attrs.get("type") == "application/json" and kind in attrs
        ]


def _route(corridor: str, name: str, color: str, coords: list[tuple[float, float]]) -> dict:
    line = {"type": "LineString", "coordinates": [list(c) for c in coords]}
    feature = {
        "type": "Feature",
        "geometry": line,
        "properties": {"mode": "rail", "description": name + " leg"},
    }
    geometry = {"type": "FeatureCollection", "features": [feature]}
    return {"corridor": corridor, "name": name, "color": color, "geometry": geometry}


def _parse(html: str) -> _Collector:
    p = _Collector()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def report() -> str:
    routes = [
        _route("titr", EVIL, "#e4572e", MIDDLE),
        _route("north", "Northern", "#2e86ab", NORTH),
    ]
    return compare_report(
        title="Xi'an → Duisburg " + EVIL,
        origin="Xi'an",
        destination="Duisburg",
        rows=ROWS,
        routes=routes,
        notes=[EVIL],
        generated_by="corridors test " + EVIL,
    )


def test_report_escapes_data(report: str) -> None:
    p = _parse(report)
    # the only scripts are the inlined libraries and the JSON data blocks, none from data
    assert not any(tag == "img" and attrs.get("src") == "x" for tag, attrs in p.tags)
    assert not any(k.startswith("on") for _, attrs in p.tags for k in attrs)
    assert "&lt;script&gt;" in report
    # the text survives intact once unescaped (title, subtitle, table, notes, footer)
    assert sum(EVIL in t for t in p.text) >= 4
    # in the map's JSON the text is inert (no "<" at all) and decodes to itself
    (view,) = p.json_blocks("data-map")
    assert view["layers"][0]["routes"][0]["name"] == EVIL
    for attrs, text in p.scripts:
        if attrs.get("type") == "application/json":
            assert "<" not in text


def test_report_is_self_contained(report: str) -> None:
    p = _parse(report)
    for tag, attrs in p.tags:
        for key in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(key)
            assert value is None or value.startswith("#"), (tag, key, value)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", report)
    assert "@import" not in report
    assert "<link" not in report
    # Leaflet, Vega, Vega-Lite, the map component and report.js are inlined, once each
    libraries = [a for a, text in p.scripts if a.get("type") is None]
    assert len(libraries) == 5
    assert "CorridorMap = { create" in report
    # the base map is inlined once: Natural Earth countries, Kazakhstan among them
    (basemap,) = [json.loads(text) for a, text in p.scripts if a.get("id") == "corridors-basemap"]
    assert "Kazakhstan" in {f["properties"]["name"] for f in basemap["features"]}


def test_report_summary_and_best_values(report: str) -> None:
    p = _parse(report)
    text = " ".join(p.text)
    assert "the fastest is Northern (16.0 days)" in text
    assert "the cheapest is Middle Corridor (6,850 USD)" in text
    assert "12,345" in text  # thousands separators
    assert "—" in text  # missing emissions
    best_cells = re.findall(r'<td class="num best">([^<]*)</td>', report)
    # in document order: Middle (cost, km), Northern (days, kg, borders, transfers),
    # the third row ties on transfers
    assert best_cells == ["6,850", "7,420", "16.0", "1,180", "3", "2", "2"]
    assert 'Transit time<span class="unit">days</span>' in report
    # the bar charts: one Vega-Lite panel per metric, the bars the table's values
    (bars,) = p.json_blocks("data-chart")
    days = {v["corridor"]: v["value"] for v in bars["hconcat"][0]["data"]["values"]}
    assert days == {"Middle Corridor": 19.5, "Northern": 16.0, EVIL: 23.0}
    kg = {v["corridor"] for v in bars["hconcat"][2]["data"]["values"]}
    assert kg == {"Middle Corridor", "Northern"}  # the missing value has no bar


def test_report_deterministic() -> None:
    kwargs = {
        "title": "T",
        "origin": "A",
        "destination": "B",
        "rows": ROWS[:2],
        "routes": [_route("titr", "Middle", "#e4572e", MIDDLE)],
        "generated_by": "t",
    }
    assert compare_report(**kwargs) == compare_report(**kwargs)  # type: ignore[arg-type]


def test_compare_report_rejects_bad_input() -> None:
    with pytest.raises(ReportError, match="no corridor rows"):
        compare_report(title="T", origin="A", destination="B", rows=[], routes=[], generated_by="t")
    bad = [{**ROWS[0], "color": "red;background:url(http://x)"}]
    with pytest.raises(ReportError, match="not a colour"):
        compare_report(
            title="T", origin="A", destination="B", rows=bad, routes=[], generated_by="t"
        )


def test_render_report_generic_sections() -> None:
    df = pd.DataFrame(
        {"Place": ["Aktau", EVIL], "Queue (trucks)": [1234.0, 5.5], "Open": [True, False]}
    )
    point = {"type": "Point", "coordinates": [51.17, 43.65]}
    props = {"element": "node", "name": EVIL, "flow": 5.0, "utilisation": 0.95}
    geo = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": point, "properties": props}],
    }
    layer = flows_layer(geo, flow_key="flow", unit="t")
    html = render_report(
        title="Ports",
        sections=[
            Section(
                heading="Queues " + EVIL,
                paragraphs=["Para " + EVIL],
                table=Table(
                    frame=df, best={"Queue (trucks)": "max"}, swatches={"Aktau": "#123456"}
                ),
            ),
            Section(
                heading="Map",
                map=MapView(layers=[layer], bbox=(40.0, 35.0, 60.0, 50.0), caption="cap"),
                chart=vegalite.gap_chart([0.1, 0.01], target=0.05),
                chart_alt="chart",
            ),
        ],
        generated_by="test",
    )
    p = _parse(html)
    assert not any(tag in ("script", "img") and attrs.get("src") == "x" for tag, attrs in p.tags)
    assert '<td class="num best">1,234</td>' in html
    assert '<td class="num">5.50</td>' in html
    assert "<td>yes</td>" in html
    assert '<span class="swatch" style="background: #123456"></span>Aktau' in html
    (view,) = p.json_blocks("data-map")
    assert view["bounds"] == [[35.0, 40.0], [50.0, 60.0]]  # Leaflet's [[south, west], ...]
    assert view["layers"][0]["geojson"]["features"][0]["properties"]["name"] == EVIL
    (chart,) = p.json_blocks("data-chart")
    assert [v["gap"] for v in chart["data"]["values"]] == [0.1, 0.01]
    assert "cap" in p.text


def test_a_page_without_maps_or_charts_carries_no_script() -> None:
    html = render_report(title="t", sections=[Section(heading="h", paragraphs=["p"])])
    assert "<script" not in html
    assert "<style>" in html  # its own style sheet only


def test_map_view_checks_its_layers() -> None:
    with pytest.raises(ReportError, match="unknown layer kind"):
        MapView(layers=[{"kind": "tiles"}])
    with pytest.raises(ReportError, match="height_px"):
        MapView(layers=[routes_layer([])], height_px=10)


def test_html_table_and_format_number() -> None:
    assert format_number(1234567.0) == "1,234,567"
    assert format_number(12.345) == "12.3"
    assert format_number(1.2345) == "1.23"
    assert format_number(float("nan")) == "—"
    assert format_number(None) == "—"
    assert format_number(0.25, ".0%") == "25%"
    table = html_table(pd.DataFrame({"a<b": ["<i>x</i>"]}))
    assert "a&lt;b" in table
    assert "&lt;i&gt;x&lt;/i&gt;" in table
