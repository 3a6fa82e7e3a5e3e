"""A year's totals over its parts: each part's equilibrium weighed by its share of the year.

A year is cut into parts by its disruptions (a Caspian winter covers a quarter);
:class:`YearTotals` adds each part's :class:`~corridors.scenarios.year_solver.
YearEquilibrium` (corridor volumes, weighted costs and times, link volumes by
direction, element loads, logsums, unserved demand) and writes the year's rows into
the run's :class:`~corridors.scenarios.tables.ResultTables`. No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from corridors.demand.classes import CargoClass
from corridors.scenarios.tables import ResultTables
from corridors.scenarios.year_solver import YearEquilibrium

__all__ = ["YearTotals"]


class YearTotals:
    """The sums of one year's parts, TEU(-equivalents) a year.

    Attributes
    ----------
    volumes : dict of (market index, corridor) to float
        Volume of each market on each corridor, TEU a year.
    routes : dict of (market index, corridor) to dict
        Volume of each route of a market on a corridor, TEU a year, by the route's links:
        ``{links: [route, volume]}`` (the routes the equilibrium used, for the simulation).
    """

    def __init__(self, n_markets: int) -> None:
        self.volumes: dict[tuple[int, str], float] = {}
        self.routes: dict[tuple[int, str], dict[tuple[str, ...], list[Any]]] = {}
        self._weighted: dict[tuple[int, str], list[float]] = {}  # cost, hours, usd, weight
        self._links: dict[tuple[str, bool], float] = {}  # (link, forward): volume
        self._times: list[tuple[str, float, float]] = []
        self._logsums = np.zeros(n_markets)
        self._elements: dict[str, np.ndarray] = {}  # flow, capacity, shadow price, queue h
        self._unserved: dict[tuple[int, str], float] = {}  # (market, reason): TEU-eq a year

    def add_unserved(self, market_index: int, reason: str, volume: float) -> None:
        """Count ``volume`` (TEU a year, already weighed) of a market unserved for ``reason``."""
        why = (market_index, reason)
        self._unserved[why] = self._unserved.get(why, 0.0) + volume

    def add(self, fraction: float, solved: YearEquilibrium) -> None:
        """Add a part of the year (``fraction`` of it) and what its equilibrium rationed."""
        eq = solved.equilibrium
        demand = solved.demand
        for i, lost, keys in solved.rationed():  # full whatever the price
            self.add_unserved(i, "capacity: " + ", ".join(keys), fraction * lost)
        for key, *values in solved.element_table():
            row = self._elements.setdefault(key, np.zeros(4))
            row += fraction * np.array(values)
        self._logsums += fraction * np.where(np.isfinite(solved.logsum), solved.logsum, 0.0)
        # plain floats: the same arithmetic as numpy's scalars, without their overhead
        shares, cost, hours = eq.shares.tolist(), eq.cost.tolist(), eq.hours.tolist()
        usd, volume = np.asarray(solved.usd).tolist(), np.asarray(demand).tolist()
        links, times = self._links, self._times
        for i, row_options in enumerate(solved.options):
            for j, a in enumerate(row_options):
                if a is None:
                    continue
                c = a.corridor
                share = shares[i][j]
                v = fraction * volume[i] * share
                self.volumes[i, c] = self.volumes.get((i, c), 0.0) + v
                used = self.routes.setdefault((i, c), {}).setdefault(a.link_ids, [a.route, 0.0])
                used[1] += v
                w = self._weighted.setdefault((i, c), [0.0, 0.0, 0.0, 0.0])
                w[0] += fraction * (cost[i][j] * share)
                w[1] += fraction * (hours[i][j] * share)
                w[2] += fraction * (usd[i][j] * share)
                w[3] += fraction * share
                ways = a.link_forward or (True,) * len(a.link_ids)
                for way in zip(a.link_ids, ways, strict=True):
                    links[way] = links.get(way, 0.0) + v
                times.append((c, hours[i][j], v))

    def write(
        self,
        tables: ResultTables,
        year: int,
        *,
        markets: Sequence[tuple[str, str, str, CargoClass]],
        demand: np.ndarray,
    ) -> None:
        """Write the year's rows: ``markets`` are ``(id, origin, destination, class)``."""
        tables.add_year(
            year,
            [m[0] for m in markets],
            demand,
            tonnes_per_teu=np.array([m[3].tonnes_per_teu for m in markets]),
            volumes=self.volumes,
            weighted=self._weighted,
            logsums=self._logsums,
            link_volumes=self._links,
            elements=self._elements,
            times=self._times,
        )
        tables.add_unserved(year, list(markets), self._unserved)
