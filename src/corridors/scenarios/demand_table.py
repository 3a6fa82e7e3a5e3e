"""A scenario's markets from a demand table: one 2024 demand for ``run`` and ``assign``.

A scenario may write ``demand: {table: ../demand-2024.csv, table_markets: [...]}``
instead of its markets: the rows of the table (read once, by
:func:`corridors.demand.read_demand`) become the markets the corridor split routes,
each in the native unit of its cargo class (containers in TEU, bulk in tonnes). The
rows of one table market are grouped (:attr:`~corridors.scenarios.spec.Demand.grouping`):

* ``od``: each origin-destination pair and commodity is a market of its own;
* ``country``: pairs with the same origin and destination countries form one market;
* ``market``: one market per table market and commodity.

Rows with different values of time (``value_of_time_usd_h``, USD per unit-hour) are
never grouped together: each value is a segment of its market, with the cost of time
it carries (blank: the scenario's ``behaviour.value_of_time_usd_teu_h``). A group is
sent between the places of its largest pair (its volume is the group's).
``table_markets`` give each table market its growth, its corridors and the share of
the table's volume that chooses among corridors. No I/O here: the table is read by
:mod:`corridors.scenarios.io`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from corridors.demand.classes import cargo_class
from corridors.errors import Problem
from corridors.scenarios.spec import Demand, Market, TableMarket

__all__ = ["table_markets"]

LINE = "_line"
"""Column of the demand frame holding each row's line in the file."""


def _value_of_time(row: pd.Series) -> float | None:
    """The row's value of time, USD per unit-hour (``None``: blank, the scenario's)."""
    value = row.get("value_of_time_usd_h")
    if value is None or pd.isna(value):
        return None
    return float(value)


def _group_key(
    row: pd.Series, grouping: str, place: Mapping[str, str], country: Mapping[str, str]
) -> tuple[str | float | None, ...]:
    market, commodity = str(row["market"]), str(row["commodity"])
    origin, destination = str(row["origin"]), str(row["destination"])
    vot = _value_of_time(row)  # rows worth more or less per hour are segments of their own
    if grouping == "market":
        return (market, commodity, vot)
    if grouping == "country":
        o, d = place.get(origin, origin), place.get(destination, destination)
        return (market, commodity, vot, country.get(o, o), country.get(d, d))
    return (market, commodity, vot, origin.casefold(), destination.casefold())


def table_markets(
    frame: pd.DataFrame,
    demand: Demand,
    *,
    file: str,
    place: Mapping[str, str] | None = None,
    country: Mapping[str, str] | None = None,
) -> tuple[list[Market], list[Problem]]:
    """The markets of a demand table under a scenario's demand settings.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as :func:`corridors.demand.read_demand` returns it.
    demand : Demand
        The scenario's demand (``grouping`` and ``table_markets``).
    file : str
        The table's file name, for problems.
    place : mapping of str to str, optional
        Node id of each place written in the table (``country`` grouping).
    country : mapping of str to str, optional
        Country of each node id (``country`` grouping).

    Returns
    -------
    markets : list of Market
        One per group, in the table's order, volume in the class's unit.
    problems : list of Problem
        Rows whose market is blank or whose unit is not their class's (crude in TEU).
    """
    settings: dict[str, TableMarket] = {m.id: m for m in demand.table_markets}
    problems: list[Problem] = []
    groups: dict[tuple[str | float | None, ...], list[int]] = {}
    lines = frame[LINE].to_numpy() if LINE in frame.columns else range(2, len(frame) + 2)
    for i, (line, (_, row)) in enumerate(zip(lines, frame.iterrows(), strict=True)):
        market = row["market"]
        if not isinstance(market, str) or not market.strip():
            problems.append(
                Problem(
                    file,
                    int(line),
                    "market",
                    None,
                    "a scenario's demand table needs the market of every row",
                    "name the market (e.g. china_eu) that its growth and corridors come from",
                )
            )
            continue
        cls = cargo_class(str(row["commodity"]))
        if row["unit"] != cls.unit:
            problems.append(
                Problem(
                    file,
                    int(line),
                    "unit",
                    str(row["unit"]),
                    f"{cls.name} is counted in {cls.unit}",
                    f"write the volume in {cls.unit}",
                )
            )
            continue
        key = _group_key(row, demand.grouping, place or {}, country or {})
        groups.setdefault(key, []).append(i)
    markets: list[Market] = []
    volume = frame["volume"].to_numpy(dtype=float)
    for rows in groups.values():
        first = frame.iloc[rows[0]]
        market_id = str(first["market"])
        s = settings.get(market_id, TableMarket(id=market_id))
        largest = max(rows, key=lambda r: volume[r])
        top = frame.iloc[largest]
        total = float(volume[rows].sum()) * s.share
        if total <= 0.0:
            continue
        markets.append(
            Market(
                id=market_id,
                name=s.name,
                origin=str(top["origin"]),
                destination=str(top["destination"]),
                volume=total,
                unit=str(first["unit"]),
                commodity=str(first["commodity"]),
                value_of_time_usd_h=_value_of_time(first),
                growth=s.growth,
                growth_by_year=s.growth_by_year,
                corridors=s.corridors,
                source=s.source or f"{file}, {len(rows)} row(s)",
            )
        )
    return markets, problems
