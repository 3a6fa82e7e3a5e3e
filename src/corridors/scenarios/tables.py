"""The tables of a scenario run, built year by year from the corridor splits."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from corridors.demand.classes import CargoClass
from corridors.scenarios.result import (
    BOTTLENECK_COLUMNS,
    CORRIDOR_VOLUME_COLUMNS,
    LINK_FLOW_COLUMNS,
    MARKET_COLUMNS,
    TRANSIT_TIME_COLUMNS,
    UNSERVED_COLUMNS,
    ScenarioResult,
    empty,
)

Row = dict[str, object]


def _weighted_percentiles(
    values: np.ndarray, weights: np.ndarray, qs: Sequence[float]
) -> list[float]:
    keep = weights > 0
    if not keep.any():
        return [math.nan] * len(qs)
    v, w = values[keep], weights[keep]
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cdf = np.cumsum(w) / w.sum()
    return [float(v[min(int(np.searchsorted(cdf, q - 1e-12)), len(v) - 1)]) for q in qs]


class ResultTables:
    """Rows of a scenario result, added one year at a time."""

    def __init__(self) -> None:
        self.cv_rows: list[Row] = []
        self.lf_rows: list[Row] = []
        self.tt_rows: list[Row] = []
        self.mk_rows: list[Row] = []
        self.el_rows: list[Row] = []
        self.un_rows: list[Row] = []

    def add_year(
        self,
        year: int,
        markets: Sequence[str],
        demand: np.ndarray,
        *,
        tonnes_per_teu: np.ndarray,
        volumes: Mapping[tuple[int, str], float],
        weighted: Mapping[tuple[int, str], Sequence[float]],
        logsums: np.ndarray,
        link_volumes: Mapping[tuple[str, bool], float],
        elements: Mapping[str, np.ndarray],
        times: Sequence[tuple[str, float, float]],
    ) -> None:
        """Add one year's rows.

        Parameters
        ----------
        year : int
            The year.
        markets : sequence of str
            Market id of each entry of ``demand``; the entries of one id (the O-D
            pairs of a demand table's market) are summed into one row, their
            costs and logsums weighed by their volumes.
        demand : array (markets,)
            Volume of each market, TEU a year.
        tonnes_per_teu : array (markets,)
            Tonnes per TEU(-equivalent) of each market's cargo class (for
            ``volume_t``).
        volumes : mapping of (market index, corridor) to float
            Volume a year, TEU, weighed by the shares of the year.
        weighted : mapping of (market index, corridor) to sequence of float
            Share-weighted generalised cost, hours, money cost and the weight.
        logsums : array (markets,)
            Expected generalised cost of each market, USD per TEU.
        link_volumes : mapping of (link id, forward) to float
            Volume a year on each link in each direction (``forward``: from its
            ``from_node_id`` to its ``to_node_id``), TEU.
        elements : mapping of element key to array
            Flow, capacity, shadow price and queueing delay (hours) of each
            capacitated element.
        times : sequence of (corridor, hours, volume)
            Transit times of the routes used and their volumes.
        """
        # the O-D pairs of one market (a demand table's rows) add up to one row
        order = list(dict.fromkeys(markets))
        total = dict.fromkeys(order, 0.0)
        logsum = dict.fromkeys(order, 0.0)
        for i, market in enumerate(markets):
            total[market] += float(demand[i])
            logsum[market] += float(demand[i]) * float(logsums[i])
        cv: dict[tuple[str, str], np.ndarray] = {}
        for (i, c), v in volumes.items():
            row = cv.setdefault((markets[i], c), np.zeros(6))
            row[0] += v
            row[1] += v * float(tonnes_per_teu[i])
            row[2:] += max(float(demand[i]), 1e-9) * np.asarray(weighted[i, c])
        for (market, c), (v, t, cost_w, hours_w, usd_w, w) in sorted(cv.items()):
            self.cv_rows.append(
                {
                    "year": year,
                    "market": market,
                    "corridor": c,
                    "volume_teu": v,
                    "volume_t": t,
                    "share": v / total[market] if total[market] > 0 else 0.0,
                    "cost_usd_teu": cost_w / w if w > 0 else math.nan,
                    "hours": hours_w / w if w > 0 else math.nan,
                    "usd_teu": usd_w / w if w > 0 else math.nan,
                }
            )
        for market in order:
            self.mk_rows.append(
                {
                    "year": year,
                    "market": market,
                    "volume_teu": total[market],
                    "logsum_usd_teu": (
                        logsum[market] / total[market]
                        if total[market] > 0
                        else float(logsums[list(markets).index(market)])
                    ),
                }
            )
        by_link: dict[str, list[float]] = {}
        for (lid, forward), v in link_volumes.items():
            by_link.setdefault(lid, [0.0, 0.0])[0 if forward else 1] += v
        self.lf_rows.extend(
            {
                "year": year,
                "link_id": lid,
                "volume_teu": ab + ba,
                "volume_ab_teu": ab,
                "volume_ba_teu": ba,
            }
            for lid, (ab, ba) in sorted(by_link.items())
        )
        for key, (flow, ecap, price, queue) in sorted(elements.items()):
            base, _, part = key.partition("#")
            self.el_rows.append(
                {
                    "year": year,
                    "element": base,
                    "cargo": {"teu": "containers", "general": "general"}.get(part, "all"),
                    "volume_teu": flow,
                    "capacity_teu": ecap,
                    "utilisation": flow / ecap if ecap > 0 else math.inf,
                    "shadow_price_usd_teu": price,
                    "queue_h": queue,
                }
            )
        if times:
            names = np.array([t[0] for t in times])
            hv = np.array([t[1] for t in times])
            wv = np.array([t[2] for t in times])
            for c in ["all", *sorted(set(names))]:
                sel = np.ones(len(names), bool) if c == "all" else names == c
                p50, p90, p95 = _weighted_percentiles(hv[sel], wv[sel], (0.5, 0.9, 0.95))
                total = wv[sel].sum()
                mean = float((hv[sel] * wv[sel]).sum() / total) if total > 0 else math.nan
                self.tt_rows.append(
                    {
                        "year": year,
                        "corridor": c,
                        "p50_h": p50,
                        "p90_h": p90,
                        "p95_h": p95,
                        "mean_h": mean,
                    }
                )

    def add_unserved(
        self,
        year: int,
        od: Sequence[tuple[str, str, str, CargoClass]],
        unserved: Mapping[tuple[int, str], float],
    ) -> None:
        """Add one year's demand that no route carried.

        Parameters
        ----------
        year : int
            The year.
        od : sequence of (market id, origin, destination, cargo class)
            Each market entry of the year's demand (the O-D pairs of a demand table's
            market share its id); a pair listed twice is added up.
        unserved : mapping of (market index, reason) to float
            TEU-equivalents a year without a route, weighed by the share of the year.
        """
        rows: dict[tuple[str, str, str, str, str], float] = {}
        classes: dict[str, CargoClass] = {}
        for (i, reason), teu in unserved.items():
            market, origin, destination, cls = od[i]
            classes[cls.name] = cls
            key = (market, origin, destination, cls.name, reason)
            rows[key] = rows.get(key, 0.0) + teu
        for (market, origin, destination, name, reason), teu in sorted(rows.items()):
            cls = classes[name]
            self.un_rows.append(
                {
                    "year": year,
                    "market": market,
                    "origin": origin,
                    "destination": destination,
                    "cargo_class": name,
                    "unit": cls.unit,
                    "volume": cls.native(teu),
                    "volume_teu": teu,
                    "reason": reason,
                }
            )

    def result(self, info: dict[str, float | int | bool | str]) -> ScenarioResult:
        """The scenario result of the years added, with ``info``."""

        def frame(rows: list[Row], columns: tuple[str, ...]) -> pd.DataFrame:
            return pd.DataFrame(rows, columns=list(columns)) if rows else empty(columns)

        return ScenarioResult(
            corridor_volumes=frame(self.cv_rows, CORRIDOR_VOLUME_COLUMNS),
            link_flows=frame(self.lf_rows, LINK_FLOW_COLUMNS),
            transit_times=frame(self.tt_rows, TRANSIT_TIME_COLUMNS),
            markets=pd.DataFrame(self.mk_rows, columns=list(MARKET_COLUMNS)),
            info=info,
            bottlenecks=frame(self.el_rows, BOTTLENECK_COLUMNS),
            unserved=frame(self.un_rows, UNSERVED_COLUMNS),
        )
