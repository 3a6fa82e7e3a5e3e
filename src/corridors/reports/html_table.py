"""A report's tables: numbers formatted for reading, best values marked, all escaped.

:class:`Table` is a DataFrame with its presentation options; :func:`html_table` renders
it; :func:`format_number` writes a number with thousands separators and 0-2 decimals by
size; :func:`check_color` refuses a colour that could break out of a style attribute.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Literal

import numpy as np
import pandas as pd
from markupsafe import Markup

from corridors.reports.errors import ReportError

Best = Literal["min", "max"]

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


def is_missing(v: object) -> bool:
    """The value is missing: None, NA, NaT, NaN or infinite."""
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
    if is_missing(v):
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
            if is_missing(v):
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
