"""Self-contained HTML reports: summary cards, maps, tables and charts in one file.

The page is rendered from a jinja2 template shipped with the package
(``templates/report.html.j2``) with autoescaping on. Maps are drawn by the dashboard's
map component (Leaflet, :mod:`corridors.reports.mapview`) and charts by Vega-Lite
(:mod:`corridors.reports.vegalite`); both libraries, the component, the Natural Earth
base map and the data are inlined, so the file opens offline and makes no request (no
CDN, no web font, no tile server). Every string that comes from data is escaped; the
same input gives the same bytes (no timestamp unless the caller puts one in
``generated_by``).

* :func:`compare_report` - the corridor comparison for one origin-destination pair
  (``corridors report compare``).
* :func:`render_report` - a generic report made of :class:`Section` objects.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any, Literal

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from corridors.reports import vegalite
from corridors.reports.assets import json_script, report_scripts, report_styles
from corridors.reports.basemap import ATLAS_SOURCE, countries_geojson
from corridors.reports.errors import ReportError
from corridors.reports.mapview import MapView, routes_layer

Best = Literal["min", "max"]

FONT_STACK = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
    "'Noto Sans', 'Liberation Sans', 'DejaVu Sans', sans-serif"
)
"""CSS font stack of the reports (system fonts only, no web fonts)."""

_COLOR_RE = re.compile(
    r"^(#[0-9a-fA-F]{3,4}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8}|[a-zA-Z]{3,20}"
    r"|rgba?\(\s*[0-9.%,\s]+\)|hsla?\(\s*[0-9.%,\sdeg]+\))$"
)


def check_color(value: str, what: str) -> str:
    """Return a colour stripped of blanks, or raise :class:`ReportError` naming ``what``.

    Accepted: ``#rgb``, ``#rgba``, ``#rrggbb``, ``#rrggbbaa``, a CSS colour name,
    ``rgb()``/``rgba()`` and ``hsl()``/``hsla()``. Anything else (which could break out
    of a style attribute) is refused.
    """
    if not isinstance(value, str) or not _COLOR_RE.match(value.strip()):
        raise ReportError(f"{what}: {value!r} is not a colour (use #rrggbb, a CSS name or rgb())")
    return value.strip()


@dataclass(frozen=True)
class Table:
    """A DataFrame with presentation options for :class:`Section`.

    Attributes
    ----------
    frame : pandas.DataFrame
        The data; column names are headers. A header ``"Cost (USD)"`` is shown as
        "Cost" with "USD" as a unit line under it.
    formats : mapping of str to str
        Format spec per column (``",.0f"``, ``".1f"``, ``".0%"``); numbers otherwise get
        thousands separators and 0-2 decimals depending on their size.
    best : mapping of str to {"min", "max"}
        Columns whose best value (lowest or highest) is highlighted.
    swatches : mapping of str to str
        Colour swatch drawn before a cell of ``swatch_column`` with that text.
    swatch_column : str, optional
        Column that receives swatches (default: the first column).
    index : bool
        Show the DataFrame index as the first column.
    note : str, optional
        Small text under the table.
    """

    frame: pd.DataFrame
    formats: Mapping[str, str] = field(default_factory=dict)
    best: Mapping[str, Best] = field(default_factory=dict)
    swatches: Mapping[str, str] = field(default_factory=dict)
    swatch_column: str | None = None
    index: bool = False
    note: str | None = None


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


def _is_missing(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float | np.floating) and not math.isfinite(float(v))


def format_number(v: object, spec: str | None = None) -> str:
    """Format a number for a table: thousands separators, 0-2 decimals by size, "—" if missing.

    Parameters
    ----------
    v : object
        The value; non-numbers are returned as ``str(v)``.
    spec : str, optional
        Explicit format spec (e.g. ``",.1f"``).

    Returns
    -------
    str
        The formatted text (not escaped).
    """
    if _is_missing(v):
        return "—"
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if isinstance(v, int | np.integer):
        return format(int(v), spec or ",d")
    if isinstance(v, float | np.floating):
        f = float(v)
        if spec:
            return format(f, spec)
        a = abs(f)
        if a >= 100 or f == int(f):
            return f"{f:,.0f}"
        if a >= 10:
            return f"{f:,.1f}"
        return f"{f:,.2f}"
    return str(v)


def _split_unit(header: str) -> tuple[str, str | None]:
    h = header.strip()
    if h.endswith(")") and " (" in h:
        name, unit = h[:-1].rsplit(" (", 1)
        return name, unit
    return h, None


def html_table(table: pd.DataFrame | Table) -> Markup:
    """Render a DataFrame as an escaped HTML table.

    Parameters
    ----------
    table : DataFrame or Table
        Data and presentation options.

    Returns
    -------
    markupsafe.Markup
        ``<table>...</table>``; every header and cell text is HTML-escaped.
    """
    t = table if isinstance(table, Table) else Table(frame=table)
    df = t.frame.reset_index() if t.index else t.frame
    columns = [str(c) for c in df.columns]
    swatch_col = t.swatch_column or (columns[0] if columns else None)
    swatches = {k: check_color(v, f"swatch colour of {k!r}") for k, v in t.swatches.items()}
    numeric = {
        c: bool(pd.api.types.is_numeric_dtype(df[c])) and not pd.api.types.is_bool_dtype(df[c])
        for c in df.columns
    }
    best_vals: dict[str, float] = {}
    for col, how in t.best.items():
        if col not in df.columns:
            raise ReportError(f"Table.best names column {col!r} which the table does not have")
        vals = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=np.float64)
        vals = vals[np.isfinite(vals)]
        if len(vals):
            best_vals[col] = float(vals.min() if how == "min" else vals.max())
    out = ["<table>", "<thead><tr>"]
    for c, name in zip(df.columns, columns, strict=True):
        label, unit = _split_unit(name)
        cls = ' class="num"' if numeric[c] else ""
        unit_html = f'<span class="unit">{escape(unit)}</span>' if unit else ""
        out.append(f'<th scope="col"{cls}>{escape(label)}{unit_html}</th>')
    out.append("</tr></thead>")
    out.append("<tbody>")
    for row in df.itertuples(index=False, name=None):
        out.append("<tr>")
        for c, name, v in zip(df.columns, columns, row, strict=True):
            classes = []
            if numeric[c]:
                classes.append("num")
            if _is_missing(v):
                classes.append("missing")
            elif c in best_vals:
                try:
                    if float(v) == best_vals[c]:
                        classes.append("best")
                except (TypeError, ValueError):
                    pass
            text = escape(format_number(v, t.formats.get(name)))
            if name == swatch_col and str(v) in swatches:
                text = (
                    f'<span class="swatch" style="background: {escape(swatches[str(v)])}">'
                    f"</span>{text}"
                )
            cls = f' class="{" ".join(classes)}"' if classes else ""
            out.append(f"<td{cls}>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return Markup("".join(out))  # noqa: S704 - every piece above is escaped


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


def _page(
    *,
    title: str,
    sections: Sequence[Section],
    subtitle: str | None = None,
    kicker: str | None = None,
    lede: str | None = None,
    cards: Sequence[Mapping[str, str]] = (),
    generated_by: str = "",
) -> str:
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
    return _page(
        title=title, sections=sections, subtitle=subtitle, lede=lede, generated_by=generated_by
    )


_COMPARE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("days", "Transit time (days)", ",.1f"),
    ("days_p95", "Bad case, p95 (days)", ",.1f"),
    ("usd", "Cost (USD)", ",.0f"),
    ("kg_co2e", "Emissions (kg CO2e)", ",.0f"),
    ("km", "Distance (km)", ",.0f"),
    ("borders", "Border crossings", ",.0f"),
    ("transfers", "Transfers", ",.0f"),
)


def _num(v: object) -> float:
    if _is_missing(v):
        return math.nan
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def compare_report(
    *,
    title: str,
    origin: str,
    destination: str,
    rows: Sequence[Mapping[str, Any]],
    routes: Sequence[Mapping[str, Any]],
    notes: Sequence[str] = (),
    generated_by: str,
    subtitle: str | None = None,
    include_chart: bool = True,
) -> str:
    """Render the corridor comparison report for one origin-destination pair.

    Parameters
    ----------
    title : str
        Page title.
    origin, destination : str
        Place names, shown in the subtitle and summary.
    rows : sequence of mapping
        One per corridor with keys ``corridor`` (id), ``name``, ``color`` (#rrggbb),
        ``days`` (door-to-door transit time, days), ``usd`` (cost, USD), ``kg_co2e``
        (emissions, kg CO2e), ``km`` (distance, km), ``borders`` (border crossings) and
        ``transfers`` (mode or gauge transfers); optional ``days_p95`` (bad-case
        transit time, days). Missing values show as "—".
    routes : sequence of mapping
        The routes drawn on the map: ``corridor``, ``name``, ``color`` and ``geometry``
        (a FeatureCollection of legs), as :func:`corridors.reports.mapview.route_entry`.
    notes : sequence of str
        Assumptions and caveats, listed at the end.
    generated_by : str
        Footer text naming the tool, version and dataset.
    subtitle : str, optional
        Replaces the default "origin → destination" subtitle (e.g. to name the cargo).
    include_chart : bool
        Add bar charts of days, cost and emissions.

    Returns
    -------
    str
        A complete HTML document.
    """
    if not rows:
        raise ReportError("compare_report: no corridor rows to compare")
    recs: list[dict[str, Any]] = []
    for i, r in enumerate(rows):
        if "name" not in r and "corridor" not in r:
            raise ReportError(f"compare_report: row {i} has neither 'corridor' nor 'name'")
        name = str(r.get("name") or r.get("corridor"))
        color = check_color(
            str(r.get("color") or vegalite.PALETTE[i % len(vegalite.PALETTE)]),
            f"colour of corridor {name!r}",
        )
        rec: dict[str, Any] = {
            "corridor": str(r.get("corridor", name)),
            "name": name,
            "color": color,
        }
        for key, _header, _fmt in _COMPARE_COLUMNS:
            rec[key] = _num(r.get(key))
        recs.append(rec)

    # summary cards: fastest, cheapest, cleanest
    cards: list[dict[str, str]] = []
    sentences: list[str] = []
    for key, what, unit, spec, word in (
        ("days", "Fastest", "days", ",.1f", "fastest"),
        ("usd", "Cheapest", "USD", ",.0f", "cheapest"),
        ("kg_co2e", "Lowest emissions", "kg CO2e", ",.0f", "lowest-emission"),
    ):
        cands = [r for r in recs if math.isfinite(r[key])]
        if not cands:
            continue
        best = min(cands, key=lambda r: (r[key], r["name"]))
        value = format(best[key], spec)
        cards.append(
            {
                "what": what,
                "value": value,
                "unit": unit,
                "who": best["name"],
                "color": best["color"],
            }
        )
        sentences.append(f"the {word} is {best['name']} ({value} {unit})")
    summary = (
        f"{len(recs)} corridor{'s' if len(recs) != 1 else ''} compared from {origin} "
        f"to {destination}"
    )
    summary += (
        (
            ": "
            + ", ".join(sentences[:-1])
            + (" and " if len(sentences) > 1 else "")
            + sentences[-1]
            + "."
        )
        if sentences
        else "."
    )

    present = [
        c
        for c in _COMPARE_COLUMNS
        if c[0] != "days_p95" or any(math.isfinite(r["days_p95"]) for r in recs)
    ]
    frame = pd.DataFrame(
        {
            "Corridor": [r["name"] for r in recs],
            **{header: [r[key] for r in recs] for key, header, _f in present},
        }
    )
    table = Table(
        frame=frame,
        formats={header: spec for _k, header, spec in present},
        best={header: "min" for _k, header, _f in present},
        swatches={r["name"]: r["color"] for r in recs},
        note="★ best value in each column (lowest). Costs and emissions are per shipment "
        "as modelled; see the notes below.",
    )
    chips = [(r["name"], r["color"]) for r in recs]
    sections = [
        Section(
            heading="Routes",
            map=MapView(layers=[routes_layer(routes)]),
            chips=chips,
            caption="Hover a line for details. Lines follow the modelled legs (rail, road, "
            "ferry, sea); sea and ferry legs are dashed.",
        ),
        Section(heading="Comparison", table=table),
    ]
    if include_chart:
        sections.append(
            Section(
                heading="At a glance",
                chart=vegalite.comparison_bars(recs, label_key="name", color_key="color"),
                chart_alt="Bar charts of transit time, cost and emissions per corridor",
            )
        )
    if notes:
        sections.append(Section(heading="Notes and assumptions", bullets=list(notes)))
    return _page(
        title=title,
        kicker="Corridor comparison",
        subtitle=subtitle if subtitle is not None else f"{origin} → {destination}",
        lede=summary,
        cards=cards,
        sections=sections,
        generated_by=generated_by,
    )


__all__ = [
    "FONT_STACK",
    "Section",
    "Table",
    "check_color",
    "compare_report",
    "format_number",
    "html_table",
    "render_report",
]
