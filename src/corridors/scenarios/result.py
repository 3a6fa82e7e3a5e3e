"""What a scenario run produces: tables of volumes, flows, times and rankings."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

CORRIDOR_VOLUME_COLUMNS: tuple[str, ...] = (
    "year",
    "market",
    "corridor",
    "volume_teu",
    "volume_t",
    "share",
    "cost_usd_teu",
    "hours",
    "usd_teu",
)
LINK_FLOW_COLUMNS: tuple[str, ...] = (
    "year",
    "link_id",
    "volume_teu",
    "volume_ab_teu",
    "volume_ba_teu",
)
TRANSIT_TIME_COLUMNS: tuple[str, ...] = ("year", "corridor", "p50_h", "p90_h", "p95_h", "mean_h")
BOTTLENECK_COLUMNS: tuple[str, ...] = (
    "year",
    "element",
    "cargo",
    "volume_teu",
    "capacity_teu",
    "utilisation",
    "shadow_price_usd_teu",
    "queue_h",
)
MARKET_COLUMNS: tuple[str, ...] = ("year", "market", "volume_teu", "logsum_usd_teu")
UNSERVED_COLUMNS: tuple[str, ...] = (
    "year",
    "market",
    "origin",
    "destination",
    "cargo_class",
    "unit",
    "volume",
    "volume_teu",
    "reason",
)
RANKING_COLUMNS: tuple[str, ...] = (
    "rank",
    "measure_id",
    "capex_usd",
    "volume_gain_teu",
    "hours_saved",
    "usd_saved",
    "usd_saved_per_usd",
    "npv_usd",
    "rents_usd",
    "npv_with_rents_usd",
)
"""Columns of a ranking of measures (:func:`corridors.scenarios.appraisal.appraise`).

``rank`` (1 = best by ``usd_saved_per_usd``, then ``npv_usd``; missing for the
``package`` of all measures), ``capex_usd`` (USD), ``volume_gain_teu`` (target corridor,
horizon year, TEU), ``hours_saved`` (TEU-hours over the modelled years), ``usd_saved``
(shippers' surplus gained over the modelled years, undiscounted, USD),
``usd_saved_per_usd`` (benefit-cost ratio of the discounted shippers' surplus) and
``npv_usd`` (net present value of the shippers' surplus, USD) rank the measures.
``rents_usd`` is the change in scarcity rents over the modelled years (undiscounted, USD):
each full element's shadow price (USD per TEU-equivalent) times its flow
(TEU-equivalents a year), summed over elements and years, measure against reference. It
is a transfer to the element's owner where the owner prices its scarce capacity and
lost where a queue rations it; ``npv_with_rents_usd`` is the NPV counting it as a
benefit (the transfer case). Neither changes the order. Appended last: the results
store adds them to an older store's table (``scenarios.store_tables``).
"""


def empty(columns: tuple[str, ...]) -> pd.DataFrame:
    """An empty frame with these columns."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass(frozen=True)
class ScenarioResult:
    """Result of one scenario run.

    Attributes
    ----------
    corridor_volumes : pandas.DataFrame
        One row per year, market and corridor: ``volume_teu`` (TEU a year),
        ``volume_t`` (tonnes a year), ``share``, congested generalised cost
        ``cost_usd_teu`` (USD per TEU), ``hours`` (congested transit time) and
        ``usd_teu`` (money cost, USD per TEU).
    link_flows : pandas.DataFrame
        Volume on each link by year, TEU(-equivalents) a year: ``volume_teu`` both
        directions, ``volume_ab_teu`` from the link's ``from_node_id`` to its
        ``to_node_id`` and ``volume_ba_teu`` back (a link's capacity is per direction,
        ``link.csv``).
    transit_times : pandas.DataFrame
        Volume-weighted transit-time percentiles by year and corridor (``all``: every
        corridor), hours.
    rankings : pandas.DataFrame
        Ranking of measures (empty unless the run appraised measures), columns
        :data:`RANKING_COLUMNS`.
    markets : pandas.DataFrame
        Volume (TEU) and expected generalised cost (logsum, USD per TEU) of each
        market by year; the logsum change times the volume is the shippers' gain.
    info : dict
        Convergence and other scalars (``max_iterations``, ``max_gap``, ``converged``).
    unserved : pandas.DataFrame
        Demand no route carries, by year, market and O-D pair (``origin``,
        ``destination`` as the market names them): its ``cargo_class`` and ``unit``,
        ``volume`` (in that unit a year) and ``volume_teu`` (TEU-equivalents a year),
        weighed by the share of the year it had no route, and the ``reason``
        (``closed: <disruption ids>`` when the closures active then cut every route the
        market has without them, ``capacity: <elements>`` for what a full element could
        not pass whatever the price (:mod:`corridors.scenarios.rationing`), else
        ``no route``). Served plus unserved is the
        demand: ``corridor_volumes`` plus ``unserved`` add up to ``markets``.
    bottlenecks : pandas.DataFrame
        Every capacitated element (``node:<id>``, ``link:<id>@<from>``,
        ``water:<ports>@<side>``) by year and cargo class it limits (``all``,
        ``containers``, ``general``): volume and capacity (TEU or TEU-equivalents a
        year), utilisation and the shadow price shippers meet there under hard
        capacity limits (USD per TEU; 0 when the element is not full or limits are
        soft) and the mean queueing delay at the element (``queue_h``, hours; 0
        where its queue is unknown or under the older ``soft``/``hard``/``ports``
        limits), weighed over the year's segments.
    """

    corridor_volumes: pd.DataFrame
    link_flows: pd.DataFrame
    transit_times: pd.DataFrame
    rankings: pd.DataFrame = field(default_factory=lambda: empty(RANKING_COLUMNS))
    markets: pd.DataFrame = field(default_factory=lambda: empty(MARKET_COLUMNS))
    info: dict[str, float | int | bool | str] = field(default_factory=dict)
    bottlenecks: pd.DataFrame = field(default_factory=lambda: empty(BOTTLENECK_COLUMNS))
    unserved: pd.DataFrame = field(default_factory=lambda: empty(UNSERVED_COLUMNS))

    def busiest(
        self, *, year: int | None = None, threshold: float = 0.9, top: int = 10
    ) -> pd.DataFrame:
        """Elements at or above ``threshold`` utilisation in ``year``, fullest first.

        ``year`` defaults to the last year; at most ``top`` rows.
        """
        b = self.bottlenecks
        if b.empty:
            return b
        y = int(b["year"].max()) if year is None else year
        sel = b[(b["year"] == y) & (b["utilisation"].astype(float) >= threshold)]
        return sel.sort_values(
            ["utilisation", "shadow_price_usd_teu"], ascending=False, kind="stable"
        ).head(top)

    def volumes_by_corridor(self) -> pd.DataFrame:
        """Volume a year per corridor (rows: years; columns: corridors), TEU."""
        cv = self.corridor_volumes
        return cv.pivot_table(
            index="year", columns="corridor", values="volume_teu", aggfunc="sum", fill_value=0.0
        )
