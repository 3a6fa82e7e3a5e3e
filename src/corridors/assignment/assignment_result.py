"""The arc flows of a single-class assignment and what derives from them.

:class:`AssignmentResult` holds the arc flows with the graph and demand they came from;
times, costs, volume/capacity ratios, skims and tables are derived on request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridors.assignment.graph import AssignmentGraph
from corridors.assignment.paths import Backend
from corridors.assignment.result_tables import Skims, groups_frame, od_skims, skims_frame
from corridors.assignment.route import Route

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class AssignmentResult:
    """Flows of an assignment and everything derived from them.

    Attributes
    ----------
    graph : AssignmentGraph
        The network assigned on.
    demand : numpy.ndarray
        O-D demand matrix (zones by zones; flow unit such as TEU/yr).
    flow : numpy.ndarray
        Flow on each arc (flow unit).
    algorithm : str
        ``"aon"``, ``"fw"``, ``"cfw"``, ``"bfw"``, ``"msa"``, ``"mnl"`` or ``"psl"``.
    iterations : int
        Number of all-or-nothing loadings (shortest-path rounds) done.
    gap : float
        Final relative gap (equilibrium) or relative flow change (stochastic).
    converged : bool
        Whether ``gap`` reached the requested target.
    gap_history : numpy.ndarray
        Gap after each iteration from the second on.
    routes : list of Route or None
        Routes used per O-D pair with their shares, when they were tracked.
    """

    graph: AssignmentGraph
    demand: FloatArray
    flow: FloatArray
    algorithm: str
    iterations: int
    gap: float
    converged: bool
    gap_history: FloatArray
    routes: list[Route] | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def group_flow(self) -> FloatArray:
        """Flow per capacity group (flow unit)."""
        return self.graph.group_flow(self.flow)

    @property
    def time(self) -> FloatArray:
        """Travel time per arc at the final flows (time unit)."""
        return self.graph.arc_time(self.flow)

    @property
    def cost(self) -> FloatArray:
        """Generalised cost per arc at the final flows (time unit)."""
        return self.graph.arc_cost(self.flow)

    @property
    def volume_capacity(self) -> FloatArray:
        """Volume/capacity ratio of each arc's capacity group (NaN without a group)."""
        return self.graph.volume_capacity(self.flow)

    @property
    def objective(self) -> float:
        """Beckmann objective at the final flows (time unit x flow unit)."""
        return self.graph.beckmann(self.flow)

    @property
    def total_cost(self) -> float:
        """Total generalised cost, sum of flow x cost (time unit x flow unit)."""
        return float(np.dot(self.flow, self.cost))

    def skims(self, *, backend: Backend = "auto") -> Skims:
        """O-D cost, time and distance along shortest routes at the final costs."""
        cached = self._cache.get("skims")
        if isinstance(cached, Skims):
            return cached
        skims = od_skims(self.graph, self.cost, self.time, backend=backend)
        self._cache["skims"] = skims
        return skims

    def to_frame(self) -> pd.DataFrame:
        """Link table: one row per arc with flow, time, cost and volume/capacity."""
        g = self.graph
        group_label = np.array([""] * g.n_arcs, dtype=object)
        mask = g.grouped
        labels = np.asarray(g.group_labels, dtype=object)
        group_label[mask] = labels[g.group[mask]] if len(labels) else ""
        ids = g.arc_ids
        return pd.DataFrame(
            {
                "arc": np.arange(g.n_arcs),
                "arc_id": pd.Series(list(ids), dtype=object),
                "flow": self.flow,
                "time": self.time,
                "cost": self.cost,
                "free_time": g.free_time,
                "fixed_cost": g.fixed_cost,
                "volume_capacity": self.volume_capacity,
                "capacity_group": pd.Series(group_label, dtype=object),
            }
        )

    def groups_frame(self) -> pd.DataFrame:
        """Capacity-group table: flow, capacity, volume/capacity and delay per group."""
        return groups_frame(self.graph, self.group_flow)

    def skims_frame(self) -> pd.DataFrame:
        """Skims as a long table: origin, destination, demand, cost, time, distance."""
        return skims_frame(self.graph, self.demand, self.skims())

    def routes_frame(self) -> pd.DataFrame:
        """Routes used per O-D pair: arcs, share, flow, cost, time and distance.

        Raises
        ------
        ValueError
            If the assignment did not track routes (``keep_routes=False``).
        """
        if self.routes is None:
            raise ValueError("routes were not tracked; assign with keep_routes=True")
        g = self.graph
        cost = self.cost
        time = self.time
        rows = []
        for r in self.routes:
            arcs = np.asarray(r.arcs, dtype=np.int64)
            rows.append(
                {
                    "origin": g.zone_ids[r.origin],
                    "destination": g.zone_ids[r.destination],
                    "route": " > ".join(str(g.arc_ids[a]) for a in r.arcs),
                    "n_arcs": len(r.arcs),
                    "share": r.share,
                    "flow": r.share * float(self.demand[r.origin, r.destination]),
                    "cost": float(cost[arcs].sum()),
                    "time": float(time[arcs].sum()),
                    "distance": float(g.distance[arcs].sum()),
                }
            )
        return pd.DataFrame(
            rows,
            columns=[
                "origin",
                "destination",
                "route",
                "n_arcs",
                "share",
                "flow",
                "cost",
                "time",
                "distance",
            ],
        )
