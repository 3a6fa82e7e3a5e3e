"""The tables the scenario commands print: runs, rankings, fits, constants, volumes."""

from __future__ import annotations

import math

import pandas as pd
from rich.console import Console
from rich.table import Table

__all__ = [
    "BOTTLENECK_HEADERS",
    "RANKING_NARROW",
    "constants_view",
    "fit_view",
    "frame_table",
    "print_wide",
    "rankings_view",
    "route_fit_view",
    "unserved_view",
    "volume_table",
]


def _fmt(x: object, digits: int = 0) -> str:
    if x is pd.NA or x is None:
        return "-"
    if isinstance(x, float):
        if math.isnan(x):
            return "-"
        if math.isinf(x):
            return "inf"
        return f"{x:,.{digits}f}"
    return str(x)


def frame_table(frame: pd.DataFrame, *, title: str, digits: dict[str, int] | None = None) -> Table:
    """A rich table of a data frame (numbers right-aligned)."""
    table = Table(title=title, title_justify="left")
    cells = [
        [_fmt(v, (digits or {}).get(c, 0)) for c, v in zip(frame.columns, row, strict=True)]
        for row in frame.itertuples(index=False)
    ]
    for k, col in enumerate(frame.columns):
        numeric = pd.api.types.is_numeric_dtype(frame[col])
        # numbers are never cut; text columns fold onto more lines when space is short
        width = max([len(str(col)), *(len(r[k]) for r in cells)]) if numeric else None
        table.add_column(
            str(col),
            justify="right" if numeric else "left",
            no_wrap=numeric,
            overflow="fold",
            min_width=width,
        )
    for r in cells:
        table.add_row(*r)
    return table


def print_wide(console: Console, table: Table) -> None:
    """Print ``table`` at the width it takes with no terminal to fit (``--wide``).

    Lines may be longer than the terminal; a table squeezed into it would lose its text
    columns beside numbers that are never cut.
    """
    width = console.measure(table, options=console.options.update_width(10_000)).maximum
    terminal = console.width
    console.width = max(width, terminal)
    try:
        console.print(table)
    finally:
        console.width = terminal


RANKING_NARROW = {
    "rank": "rank",
    "measure_id": "measure",
    "capex_usd": "capex M$",
    "volume_gain_teu": "TEU gain",
    "usd_saved_per_usd": "B/C",
    "npv_usd": "NPV M$",
}
"""Ranking columns shown by default (fits 80 columns); ``--wide`` shows them all."""

RANKING_WIDE = {
    "capex_usd": "capex M$",
    "usd_saved": "saved M$",
    "npv_usd": "NPV M$",
    "usd_saved_per_usd": "B/C",
    "rents_usd": "rents M$",
    "npv_with_rents_usd": "NPV+rents M$",
}
"""Headers of the ``--wide`` ranking (money in millions of USD)."""


def rankings_view(rankings: pd.DataFrame, *, wide: bool = False) -> pd.DataFrame:
    """The rankings as shown: money in millions of USD, fewer columns unless ``wide``.

    A ranking read from a store made before the rents were kept has no ``rents_usd``
    or ``npv_with_rents_usd``: the wide view shows the columns it has.
    """
    view = rankings.copy()
    for col in ("capex_usd", "usd_saved", "npv_usd", "rents_usd", "npv_with_rents_usd"):
        if col in view.columns:
            view[col] = view[col] / 1e6
    if wide:
        return view.rename(columns=RANKING_WIDE)
    return view[list(RANKING_NARROW)].rename(columns=RANKING_NARROW)


def fit_view(fit: pd.DataFrame) -> pd.DataFrame:
    """The volume rows of a calibration fit table as shown (thousands of t or TEU).

    ``sample`` says fit or held out, and whether the observed figure is a ceiling
    (only an excess counts).
    """
    if "kind" in fit.columns:
        fit = fit[fit["kind"] == "volume"]
    return pd.DataFrame(
        {
            "target": fit["target"],
            "year": fit["year"],
            "unit": "k" + fit["unit"],
            "observed": fit["observed"] / 1e3,
            "modelled": fit["modelled"] / 1e3,
            "error %": fit["error_pct"],
            "sample": fit["in_sample"].map({True: "fit", False: "held out"})
            + fit.get("ceiling", pd.Series(False, index=fit.index)).map(
                {True: " (ceiling)", False: ""}
            ),
        }
    )


_ROUTE_DIGITS = {"d": 1, "h": 1, "share": 2}
_ROUTE_UNITS = {"FEU": "USD/FEU", "TEU": "USD/TEU"}


def route_fit_view(fit: pd.DataFrame) -> pd.DataFrame:
    """The time and price rows of a calibration fit table as shown.

    ``observed`` is the observed range, ``error %`` the distance of the modelled value
    from it (0 inside).
    """
    sel = fit[fit["kind"] != "volume"] if "kind" in fit.columns else fit.iloc[0:0]

    def num(v: float, unit: str) -> str:
        return f"{v:,.{_ROUTE_DIGITS.get(unit, 0)}f}"

    return pd.DataFrame(
        {
            "target": sel["target"],
            "year": sel["year"],
            "unit": sel["unit"].map(lambda u: _ROUTE_UNITS.get(u, u)),
            "observed": [
                num(lo, u) if lo == hi else f"{num(lo, u)}-{num(hi, u)}"
                for lo, hi, u in zip(sel["low"], sel["high"], sel["unit"], strict=True)
            ],
            "modelled": [num(v, u) for v, u in zip(sel["modelled"], sel["unit"], strict=True)],
            "error %": sel["error_pct"],
        }
    )


def constants_view(shares: pd.DataFrame) -> pd.DataFrame:
    """Corridor constants and their share of the generalised cost, as shown (share in %)."""
    return pd.DataFrame(
        {
            "corridor": shares["corridor"],
            "constant": shares["constant_usd_teu"],
            "gen. cost": shares["cost_usd_teu"],
            "share %": 100.0 * shares["share"],
        }
    )


BOTTLENECK_HEADERS = {
    "volume_teu": "volume",
    "capacity_teu": "capacity",
    "utilisation": "use",
    "shadow_price_usd_teu": "price $/TEU",
}


def volume_table(cv: pd.DataFrame, values: str = "volume_teu") -> pd.DataFrame:
    """Volume (or ``values``) by year and corridor: a row per year, a column per corridor."""
    pivot = cv.pivot_table(
        index="year", columns="corridor", values=values, aggfunc="sum", fill_value=0.0
    )
    pivot.columns = [str(c) for c in pivot.columns]
    return pivot.reset_index()


def unserved_view(unserved: pd.DataFrame) -> tuple[str, pd.DataFrame] | None:
    """The demand no route (or no room at a full element) carried, as printed.

    Its last year, one row per O-D pair.

    Returns
    -------
    (title, table) or None
        ``None`` when every year's demand was served.
    """
    if unserved.empty:
        return None
    years = sorted({int(y) for y in unserved["year"]})
    last = unserved[unserved["year"] == years[-1]]
    view = pd.DataFrame(
        {
            "market": last["market"].astype(str),
            "from - to": last["origin"].astype(str) + " - " + last["destination"].astype(str),
            "volume": last["volume"].astype(float),
            "unit": last["unit"].astype(str),
            "reason": last["reason"].astype(str),
        }
    )
    span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    title = (
        f"unserved demand in {years[-1]}, a year (no route, or no room at a full element; "
        "left out of the volumes; "
        f"unserved in {span})"
    )
    return title, view.reset_index(drop=True)
