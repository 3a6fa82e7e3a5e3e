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

The parts live in their own modules, re-exported here: the tables
(:mod:`corridors.reports.html_table`), the page and its sections
(:mod:`corridors.reports.page`) and the comparison page
(:mod:`corridors.reports.compare_page`).
"""

from __future__ import annotations

from corridors.reports.compare_page import compare_report
from corridors.reports.html_table import Table, check_color, format_number, html_table
from corridors.reports.page import FONT_STACK, Section, render_report

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
