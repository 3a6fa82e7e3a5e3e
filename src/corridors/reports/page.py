"""A self-contained HTML report page: its sections rendered through the jinja2 template.

:class:`Section` is one block (paragraphs, a table, a map, a chart, bullets);
:func:`render_page` renders a page of them with the shipped template
(``templates/report.html.j2``), inlining the scripts, styles and base map when a map or
chart needs them; :func:`render_report` is the generic report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from corridors.reports.assets import json_script, report_scripts, report_styles
from corridors.reports.basemap import ATLAS_SOURCE, countries_geojson
from corridors.reports.html_table import Table, check_color, html_table
from corridors.reports.mapview import MapView

FONT_STACK = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
    "'Noto Sans', 'Liberation Sans', 'DejaVu Sans', sans-serif"
)
"""CSS font stack of the reports (system fonts only, no web fonts)."""


@dataclass(frozen=True)
class Section:
    """One block of a report.

    Attributes
    ----------
    heading : str
        Section heading.
    paragraphs : sequence of str
        Plain-text paragraphs (escaped).
    table : DataFrame or Table, optional
        A table (escaped; numbers formatted).
    map : MapView, optional
        A map drawn by the map component (:mod:`corridors.reports.mapview`).
    chart : mapping, optional
        A Vega-Lite specification (:mod:`corridors.reports.vegalite`), drawn in the page.
    chart_alt : str
        Text describing the chart (for screen readers).
    caption : str, optional
        Caption under the map (default: the map's own caption).
    bullets : sequence of str
        A bulleted list (notes, assumptions).
    chips : sequence of (label, colour)
        A colour legend shown above the map or table.
    """

    heading: str
    paragraphs: Sequence[str] = ()
    table: pd.DataFrame | Table | None = None
    map: MapView | None = None
    chart: Mapping[str, Any] | None = None
    chart_alt: str = ""
    caption: str | None = None
    bullets: Sequence[str] = ()
    chips: Sequence[tuple[str, str]] = ()


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("corridors.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _section_context(s: Section, index: int) -> dict[str, Any]:
    chips = [(label, check_color(color, f"chip colour of {label!r}")) for label, color in s.chips]
    note = s.table.note if isinstance(s.table, Table) else None
    caption = s.caption if s.caption is not None else (s.map.caption if s.map else None)
    return {
        "index": index,
        "heading": s.heading,
        "paragraphs": list(s.paragraphs),
        "table": html_table(s.table) if s.table is not None else None,
        "table_note": note,
        "map": json_script(s.map.spec()) if s.map is not None else None,
        "map_height": s.map.height_px if s.map is not None else 0,
        "chart": json_script(dict(s.chart)) if s.chart is not None else None,
        "chart_alt": s.chart_alt,
        "caption": caption,
        "bullets": list(s.bullets),
        "chips": chips,
    }


def render_page(
    *,
    title: str,
    sections: Sequence[Section],
    subtitle: str | None = None,
    kicker: str | None = None,
    lede: str | None = None,
    cards: Sequence[Mapping[str, str]] = (),
    generated_by: str = "",
) -> str:
    """Render a page: a title block (kicker, subtitle, lede, summary cards) and sections.

    Every string from data is escaped; scripts, styles and the base map are inlined
    only when a section draws a map or a chart.
    """
    template = _environment().get_template("report.html.j2")
    drawn = any(s.map is not None or s.chart is not None for s in sections)
    maps = any(s.map is not None for s in sections)
    return template.render(
        scripts=report_scripts() if drawn else [],
        styles=report_styles() if drawn else [],
        basemap=json_script(countries_geojson(resolution="110m")) if maps else None,
        title=title,
        subtitle=subtitle,
        kicker=kicker,
        lede=lede,
        cards=[
            {**c, "color": check_color(c.get("color", "#1d6fa5"), "card colour")} for c in cards
        ],
        sections=[_section_context(s, i) for i, s in enumerate(sections)],
        generated_by=generated_by,
        attribution=ATLAS_SOURCE,
        font_stack=Markup(FONT_STACK),  # noqa: S704 - a constant of this package
    )


def render_report(
    *,
    title: str,
    sections: Sequence[Section],
    subtitle: str | None = None,
    lede: str | None = None,
    generated_by: str = "corridors",
) -> str:
    """Render a generic self-contained HTML report.

    Parameters
    ----------
    title : str
        Page title and main heading.
    sections : sequence of Section
        The blocks of the page, in order.
    subtitle : str, optional
        Line under the title.
    lede : str, optional
        Summary paragraph under the title.
    generated_by : str
        Footer text naming the tool, version and inputs (add a date here if wanted).

    Returns
    -------
    str
        A complete HTML document.
    """
    return render_page(
        title=title, sections=sections, subtitle=subtitle, lede=lede, generated_by=generated_by
    )
