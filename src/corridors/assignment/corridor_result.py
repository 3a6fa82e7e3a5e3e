"""The result of a corridor assignment: flows per link, node, capacity group and corridor.

:func:`corridors.assignment.corridor.assign_corridors` gives a
:class:`CorridorAssignment`; its tables are in the network's terms (link and node ids,
corridors) rather than the assignment graph's arcs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridors.assignment.results import AssignmentResult, MultiClassResult
from corridors.routing.graph import ExpandedGraph


@dataclass(frozen=True)
class CorridorAssignment:
    """Result of :func:`~corridors.assignment.corridor.assign_corridors`.

    Attributes
    ----------
    result : AssignmentResult
        Arc-level result on the assignment graph (hours; flows in ``unit`` a year).
    expanded : ExpandedGraph
        The routing graph it was built from.
    zones : tuple of str
        Node id of each zone (row/column of the demand matrix).
    unit : str
        ``TEU`` or ``t``.
    value_of_time : float
        Default value of time, USD per unit-hour (rows with a blank value of time).
    threshold : float
        Volume/capacity ratio above which a group is reported as a bottleneck.
    classes : MultiClassResult
        Flows per class (commodity and value of time); ``result`` holds their total.
    class_vot : tuple of float
        Value of time of each class, USD per unit-hour of the network's unit.
    """

    result: AssignmentResult
    expanded: ExpandedGraph
    zones: tuple[str, ...]
    unit: str
    value_of_time: float
    threshold: float
    classes: MultiClassResult
    class_vot: tuple[float, ...]

    @property
    def class_names(self) -> tuple[str, ...]:
        """Class labels, e.g. ``containers@16.7``."""
        return self.classes.names

    def links(self) -> pd.DataFrame:
        """Flow per network link and direction: link_id, from, to, mode, flow, v/c, hours."""
        eg = self.expanded
        res = self.result
        is_link = eg.arc_link >= 0
        links = eg.network.links
        node_ids = eg.network.nodes["node_id"].to_numpy()
        a = np.flatnonzero(is_link)
        li = eg.arc_link[a]
        return pd.DataFrame(
            {
                "link_id": links["link_id"].to_numpy()[li],
                "from_node_id": node_ids[eg.vertex_node[eg.tail[a]]],
                "to_node_id": node_ids[eg.vertex_node[eg.head[a]]],
                "mode": links["mode"].to_numpy()[li],
                f"flow_{self.unit.lower()}_yr": res.flow[a],
                "volume_capacity": self.classes.volume_capacity[a],
                "hours": self.classes.time[a],
                "delay_h": self.classes.time[a] - res.graph.free_time[a],
                **{
                    f"flow[{name}]": self.classes.class_flow[k][a]
                    for k, name in enumerate(self.class_names)
                },
            }
        )

    def nodes(self) -> pd.DataFrame:
        """Throughput per network node (units a year), with capacity and v/c."""
        eg = self.expanded
        res = self.result
        nodes = eg.network.nodes
        has = eg.arc_node >= 0
        through = np.bincount(eg.arc_node[has], weights=res.flow[has], minlength=len(nodes))
        cap = np.full(len(nodes), np.nan)
        vc = np.full(len(nodes), np.nan)
        gflow = self.classes.group_flow  # counted flow (crude not at TEU terminals)
        for g, label in enumerate(eg.group_label):
            if label.startswith("node:"):
                row = eg.network.node_index[label[5:]]
                cap[row] = eg.group_capacity[g]
                vc[row] = gflow[g] / eg.group_capacity[g]
        return pd.DataFrame(
            {
                "node_id": nodes["node_id"].to_numpy(),
                "name": nodes["name"].to_numpy(),
                "kind": nodes["kind"].to_numpy(),
                f"throughput_{self.unit.lower()}_yr": through,
                "capacity": cap,
                "volume_capacity": vc,
            }
        )

    def bottlenecks(self) -> pd.DataFrame:
        """Capacity groups (nodes, links) whose volume/capacity exceeds ``threshold``.

        Columns: group, label, flow, capacity, volume_capacity, delay_h (hours) and
        ``flow[<class>]``, the volume of each class through the group (unit a year).
        """
        groups = self.classes.groups_frame()
        out = groups[groups["volume_capacity"] > self.threshold].copy()
        out = out.rename(columns={"delay": "delay_h"})
        return out.sort_values("volume_capacity", ascending=False).reset_index(drop=True)

    def skims(self) -> pd.DataFrame:
        """O-D table per class: demand, hours, USD cost and km.

        The generalised cost is in USD at the class's own value of time; only pairs
        with demand in that class are listed.
        """
        frame = self.classes.skims_frame()
        vot = pd.Series(dict(zip(self.class_names, self.class_vot, strict=True)))
        frame["cost_usd"] = frame.pop("cost") * frame["class"].map(vot)
        frame = frame.rename(columns={"time": "hours", "distance": "km"})
        return frame[frame["demand"] > 0].reset_index(drop=True)

    def corridor_flows(self) -> pd.DataFrame:
        """Volume a year per corridor, in total and per class.

        Each route used (per class and O-D pair, with its share) is attributed to the
        corridor with the most route-km among its links; a link tagged with several
        corridors counts for each of them in equal parts, and a route with no tagged
        link counts as ``(untagged)``.

        Returns
        -------
        pandas.DataFrame
            corridor_id, name, volume (unit a year), ``volume[<class>]`` and
            ``share`` of the total demand, largest first.
        """
        eg = self.expanded
        links = eg.network.links
        tags = list(links["corridors"])
        km = eg.km
        mc = self.classes
        if mc.routes is None:
            raise ValueError("routes were not tracked in this assignment")
        ids = [*eg.network.corridor_ids, "(untagged)"]
        pos = {c: i for i, c in enumerate(ids)}
        vol = np.zeros((mc.n_classes, len(ids)))
        best_cache: dict[tuple[int, ...], int] = {}
        for k, routes in enumerate(mc.routes):
            for r in routes:
                best = best_cache.get(r.arcs)
                if best is None:
                    score = np.zeros(len(ids))
                    for a in r.arcs:
                        li = int(eg.arc_link[a])
                        if li < 0 or not tags[li]:
                            continue
                        for t in tags[li]:
                            if t in pos:
                                score[pos[t]] += km[a] / len(tags[li])
                    best = int(np.argmax(score)) if score.max() > 0 else len(ids) - 1
                    best_cache[r.arcs] = best
                vol[k, best] += r.share * float(mc.demands[k, r.origin, r.destination])
        total = vol.sum(axis=0)
        grand = float(total.sum())
        frame = pd.DataFrame(
            {
                "corridor_id": ids,
                "name": [eg.network.corridor_name(c) if c != "(untagged)" else c for c in ids],
                "volume": total,
                **{f"volume[{n}]": vol[k] for k, n in enumerate(self.class_names)},
                "share": total / grand if grand > 0 else np.zeros(len(ids)),
            }
        )
        frame = frame[frame["volume"] > 0]
        return frame.sort_values("volume", ascending=False).reset_index(drop=True)
