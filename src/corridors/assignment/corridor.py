"""Equilibrium assignment of corridor demand on the expanded routing graph.

The routing graph (:func:`corridors.routing.graph.build_graph`) splits every node into
arrival and departure vertices per mode and gauge, so that through, transfer, origin
and destination arcs carry the node's dwell time and fees, and all arcs of a node with
a throughput capacity (port, border crossing) share one capacity group, as do both
directions of a single-track line. This module turns it into an
:class:`~corridors.assignment.graph.AssignmentGraph` and assigns a demand table.

Units: the assignment runs in hours. An arc's generalised cost is its hours plus its
money and carbon cost divided by the value of time (hours-equivalent); results are
reported in hours and USD per unit. Congestion delay of a group follows BPR,
``delay = t0 * alpha * (v / c) ** beta`` with ``t0`` the longest free time of the
group's arcs, but at least ``min_delay_scale_h`` (default 24 h: queues at ports and
border crossings are counted in days when volume reaches capacity; an assumption to
calibrate, not a published figure).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridors.assignment.equilibrium import Algorithm, assign_equilibrium
from corridors.assignment.graph import AssignmentGraph, build_graph
from corridors.assignment.results import AssignmentResult
from corridors.errors import DemandError, Problem, UnknownPlaceError
from corridors.network.model import Network
from corridors.routing.cost import CostParameters
from corridors.routing.graph import ARC_KINDS, ExpandedGraph
from corridors.routing.graph import build_graph as build_expanded_graph

FloatArray = NDArray[np.float64]

DEFAULT_MIN_DELAY_SCALE_H = 24.0
"""Smallest free time a group's BPR delay is proportional to, hours (assumption)."""


@dataclass(frozen=True)
class CorridorAssignment:
    """Result of :func:`assign_corridors`.

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
        USD per unit-hour used to turn money into hours-equivalent.
    threshold : float
        Volume/capacity ratio above which a group is reported as a bottleneck.
    """

    result: AssignmentResult
    expanded: ExpandedGraph
    zones: tuple[str, ...]
    unit: str
    value_of_time: float
    threshold: float

    def links(self) -> pd.DataFrame:
        """Flow per network link and direction: link_id, from, to, mode, flow, v/c, hours."""
        eg = self.expanded
        res = self.result
        is_link = eg.arc_link >= 0
        links = eg.network.links
        node_ids = eg.network.nodes["node_id"].to_numpy()
        a = np.flatnonzero(is_link)
        li = eg.arc_link[a]
        return pd.DataFrame({
            "link_id": links["link_id"].to_numpy()[li],
            "from_node_id": node_ids[eg.vertex_node[eg.tail[a]]],
            "to_node_id": node_ids[eg.vertex_node[eg.head[a]]],
            "mode": links["mode"].to_numpy()[li],
            f"flow_{self.unit.lower()}_yr": res.flow[a],
            "volume_capacity": res.volume_capacity[a],
            "hours": res.time[a],
            "delay_h": res.time[a] - res.graph.free_time[a],
        })

    def nodes(self) -> pd.DataFrame:
        """Throughput per network node (units a year), with capacity and v/c."""
        eg = self.expanded
        res = self.result
        nodes = eg.network.nodes
        has = eg.arc_node >= 0
        through = np.bincount(eg.arc_node[has], weights=res.flow[has], minlength=len(nodes))
        cap = np.full(len(nodes), np.nan)
        vc = np.full(len(nodes), np.nan)
        gflow = res.group_flow
        for g, label in enumerate(eg.group_label):
            if label.startswith("node:"):
                row = eg.network.node_index[label[5:]]
                cap[row] = eg.group_capacity[g]
                vc[row] = gflow[g] / eg.group_capacity[g]
        return pd.DataFrame({
            "node_id": nodes["node_id"].to_numpy(),
            "name": nodes["name"].to_numpy(),
            "kind": nodes["kind"].to_numpy(),
            f"throughput_{self.unit.lower()}_yr": through,
            "capacity": cap,
            "volume_capacity": vc,
        })

    def bottlenecks(self) -> pd.DataFrame:
        """Capacity groups (nodes, links) whose volume/capacity exceeds ``threshold``."""
        groups = self.result.groups_frame()
        out = groups[groups["volume_capacity"] > self.threshold].copy()
        out = out.rename(columns={"delay": "delay_h"})
        return out.sort_values("volume_capacity", ascending=False).reset_index(drop=True)

    def skims(self) -> pd.DataFrame:
        """O-D table with demand, hours, USD-equivalent generalised cost and km."""
        frame = self.result.skims_frame()
        frame["cost_usd"] = frame.pop("cost") * self.value_of_time
        frame = frame.rename(columns={"time": "hours", "distance": "km"})
        return frame[frame["demand"] > 0].reset_index(drop=True)


def _demand_matrix(net: Network, demand: pd.DataFrame, *, unit: str, tonnes_per_teu: float
                   ) -> tuple[tuple[str, ...], FloatArray]:
    """Resolve places and convert volumes to ``unit``; collect every problem."""
    fname = str(demand.attrs.get("file", "demand.csv"))
    problems: list[Problem] = []
    lines = (demand["_line"].to_list() if "_line" in demand.columns
             else list(range(2, len(demand) + 2)))
    ids: dict[str, list[str]] = {"origin": [], "destination": []}
    for column in ("origin", "destination"):
        if column not in demand.columns:
            problems.append(Problem(fname, None, column, None, "required column is missing"))
            continue
        for raw, line in zip(demand[column].astype(str), lines, strict=True):
            try:
                ids[column].append(net.place(raw))
            except UnknownPlaceError as exc:
                hint = ("did you mean " + " or ".join(repr(s) for s in exc.suggestions) + "?"
                        if exc.suggestions else None)
                problems.append(Problem(fname, int(line), column, raw, "unknown place", hint))
                ids[column].append("")
    volume = pd.to_numeric(demand["volume"] if "volume" in demand.columns
                           else pd.Series([np.nan] * len(demand)), errors="coerce")
    units = demand["unit"] if "unit" in demand.columns else pd.Series(["TEU"] * len(demand))
    factor = np.ones(len(demand))
    for i, (u, v, line) in enumerate(zip(units, volume, lines, strict=True)):
        if not np.isfinite(v) or v < 0:
            problems.append(Problem(fname, int(line), "volume", str(v),
                                    "must be a non-negative number"))
        if u not in ("TEU", "t"):
            problems.append(Problem(fname, int(line), "unit", str(u), "must be TEU or t"))
        elif u != unit:
            factor[i] = tonnes_per_teu if u == "TEU" else 1.0 / tonnes_per_teu
    if problems:
        raise DemandError(problems, what=fname)
    zones = tuple(sorted(set(ids["origin"]) | set(ids["destination"])))
    index = {z: i for i, z in enumerate(zones)}
    matrix = np.zeros((len(zones), len(zones)))
    o = np.array([index[z] for z in ids["origin"]], dtype=np.int64)
    d = np.array([index[z] for z in ids["destination"]], dtype=np.int64)
    np.add.at(matrix, (o, d), volume.to_numpy(dtype=float) * factor)
    np.fill_diagonal(matrix, 0.0)
    return zones, matrix


def corridor_graph(
    expanded: ExpandedGraph,
    zones: tuple[str, ...],
    *,
    alpha: float = 0.15,
    beta: float = 4.0,
    min_delay_scale_h: float = DEFAULT_MIN_DELAY_SCALE_H,
) -> AssignmentGraph:
    """Assignment graph (hours) from the expanded routing graph, for the given zones."""
    vot = expanded.params.vot
    if vot <= 0.0:
        raise ValueError("assignment needs a positive value of time to weigh money against hours")
    money_h = np.maximum(expanded.cost - vot * expanded.hours, 0.0) / vot
    n_groups = len(expanded.group_capacity)
    grouped = expanded.capacity_group >= 0
    scale = np.full(n_groups, min_delay_scale_h)
    np.maximum.at(scale, expanded.capacity_group[grouped], expanded.hours[grouped])
    kinds = [ARC_KINDS[k] for k in expanded.kind]
    node_ids = expanded.network.nodes["node_id"].to_numpy()
    link_ids = expanded.network.links["link_id"].to_numpy()
    arc_ids = [
        f"{k}:{link_ids[li]}" if li >= 0 else f"{k}:{node_ids[ni]}"
        for k, li, ni in zip(kinds, expanded.arc_link, expanded.arc_node, strict=True)
    ]
    return build_graph(
        n_vertices=expanded.n_vertices,
        tail=expanded.tail,
        head=expanded.head,
        free_time=expanded.hours,
        fixed_cost=money_h,
        distance=expanded.km,
        group=expanded.capacity_group,
        group_scale=scale,
        group_capacity=expanded.group_capacity,
        group_alpha=alpha,
        group_beta=beta,
        origins=[expanded.source(z) for z in zones],
        destinations=[expanded.sink(z) for z in zones],
        zone_ids=list(zones),
        arc_ids=arc_ids,
        group_labels=list(expanded.group_label),
        what="corridor network",
    )


def assign_corridors(
    net: Network,
    demand_df: pd.DataFrame,
    *,
    params: CostParameters | None = None,
    algorithm: Algorithm = "bfw",
    gap: float = 1e-4,
    max_iter: int = 500,
    alpha: float = 0.15,
    beta: float = 4.0,
    min_delay_scale_h: float = DEFAULT_MIN_DELAY_SCALE_H,
    threshold: float = 0.8,
    callback: Callable[[int, float], None] | None = None,
) -> CorridorAssignment:
    """Assign a yearly O-D demand table onto the corridor network at user equilibrium.

    Parameters
    ----------
    net : Network
        The corridor network.
    demand_df : pandas.DataFrame
        Demand rows (DEMAND schema: origin, destination, commodity, volume, unit);
        places may be node ids, names or aliases. All commodities share the network's
        capacities and costs and are assigned together; volumes in the other unit are
        converted with ``params.tonnes_per_teu``.
    params : CostParameters, optional
        Unit, value of time (USD per unit-hour), carbon price, year, closures.
    algorithm : {"bfw", "cfw", "fw", "msa"}
        Equilibrium algorithm.
    gap : float
        Target relative gap.
    max_iter : int
        Most iterations.
    alpha, beta : float
        BPR parameters of every capacity group.
    min_delay_scale_h : float
        Smallest BPR free time of a group, hours.
    threshold : float
        Volume/capacity above which a group is listed by ``bottlenecks()``.
    callback : callable, optional
        ``callback(iteration, gap)`` for progress display.

    Returns
    -------
    CorridorAssignment

    Raises
    ------
    DemandError
        Listing every unknown place, bad volume or unit (file, line, field).
    corridors.errors.UnreachableError
        If an O-D pair with demand has no route.
    """
    params = params or CostParameters()
    expanded = build_expanded_graph(net, params)
    zones, matrix = _demand_matrix(net, demand_df, unit=params.unit,
                                   tonnes_per_teu=params.tonnes_per_teu)
    graph = corridor_graph(expanded, zones, alpha=alpha, beta=beta,
                           min_delay_scale_h=min_delay_scale_h)
    result = assign_equilibrium(graph, matrix, algorithm=algorithm, gap=gap, max_iter=max_iter,
                                callback=callback, keep_routes=True)
    return CorridorAssignment(result=result, expanded=expanded, zones=zones, unit=params.unit,
                              value_of_time=params.vot, threshold=threshold)
