"""HTML reports: escaping, self-containment, best-value highlighting, determinism."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from corridors.reports.charts import queue_chart
from corridors.reports.errors import ReportError
from corridors.reports.html import (
    Section,
    Table,
    compare_report,
    format_number,
    html_table,
    png_data_uri,
    render_report,
)
from corridors.reports.svgmap import MapLine, MapPoint, render_map

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
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collector:
    p = _Collector()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def report() -> str:
    lines = [
        MapLine(MIDDLE, color="#e4572e", width=3, tooltip=EVIL),
        MapLine(NORTH, color="#2e86ab", width=3),
    ]
    points = [MapPoint(108.94, 34.34, label="Xi'an"), MapPoint(6.76, 51.43, label=EVIL)]
    return compare_report(
        title="Xi'an → Duisburg " + EVIL,
        origin="Xi'an",
        destination="Duisburg",
        rows=ROWS,
        lines=lines,
        points=points,
        notes=[EVIL],
        generated_by="corridors test " + EVIL,
    )


def test_report_escapes_data(report: str) -> None:
    p = _parse(report)
    assert not any(tag == "script" for tag, _ in p.tags)
    assert not any(tag == "img" and attrs.get("src") == "x" for tag, attrs in p.tags)
    assert not any(k.startswith("on") for _, attrs in p.tags for k in attrs)
    assert "&lt;script&gt;" in report
    # the text survives intact once unescaped (title, subtitle, table, notes, map, footer)
    assert sum(EVIL in t for t in p.text) >= 5


def test_report_is_self_contained(report: str) -> None:
    p = _parse(report)
    for _tag, attrs in p.tags:
        for key in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith(("data:image/png;base64,", "#")), (key, value)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", report)
    assert "@import" not in report
    assert "<link" not in report
    # the only http(s) text is the SVG namespace, which browsers never fetch
    urls = set(re.findall(r"https?://[^\s\"'<>]+", report))
    assert urls == {"http://www.w3.org/2000/svg"}


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
    assert '<img src="data:image/png;base64,' in report  # the bar charts


def test_report_deterministic() -> None:
    kwargs = {
        "title": "T",
        "origin": "A",
        "destination": "B",
        "rows": ROWS[:2],
        "lines": [MapLine(MIDDLE, color="#e4572e")],
        "points": [],
        "generated_by": "t",
    }
    assert compare_report(**kwargs) == compare_report(**kwargs)  # type: ignore[arg-type]


def test_compare_report_rejects_bad_input() -> None:
    with pytest.raises(ReportError, match="no corridor rows"):
        compare_report(
            title="T", origin="A", destination="B", rows=[], lines=[], points=[], generated_by="t"
        )
    bad = [{**ROWS[0], "color": "red;background:url(http://x)"}]
    with pytest.raises(ReportError, match="not a colour"):
        compare_report(
            title="T", origin="A", destination="B", rows=bad, lines=[], points=[], generated_by="t"
        )


def test_render_report_generic_sections() -> None:
    df = pd.DataFrame(
        {"Place": ["Aktau", EVIL], "Queue (trucks)": [1234.0, 5.5], "Open": [True, False]}
    )
    png = queue_chart([0, 1, 2], [0, 3, 1])
    svg = render_map(
        points=[MapPoint(51.17, 43.65, label="Aktau")], width_px=400, resolution="110m"
    )
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
            Section(heading="Map", svg=svg, png=png, png_alt="chart", caption="cap"),
        ],
        generated_by="test",
    )
    p = _parse(html)
    assert not any(tag in ("script", "img") and attrs.get("src") == "x" for tag, attrs in p.tags)
    assert "<script" not in html
    assert '<td class="num best">1,234</td>' in html
    assert '<td class="num">5.50</td>' in html
    assert "<td>yes</td>" in html
    assert '<span class="swatch" style="background: #123456"></span>Aktau' in html
    assert html.count("<svg") == 1
    assert html.count("<img") == 1


def test_section_svg_must_be_an_svg() -> None:
    with pytest.raises(ReportError, match="SVG"):
        render_report(title="x", sections=[Section(heading="h", svg="<div>hi</div>")])
    with pytest.raises(ReportError, match="scripts"):
        render_report(
            title="x", sections=[Section(heading="h", svg="<svg><script>alert(1)</script></svg>")]
        )


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
    with pytest.raises(ReportError, match="PNG"):
        png_data_uri(b"GIF89a")
