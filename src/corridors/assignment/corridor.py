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

Classes: the demand rows are grouped by (commodity, value of time); blank values of
time take the cost parameters' default. Each class weighs the same money by its own
value of time (a sea-borne container of cheap goods minds a day less than a rail
container of electronics) and all classes share the capacities, volumes summed in the
network's unit (tonnes and TEU converted with ``tonnes_per_teu``), except that liquid
bulk (crude) never counts against a capacity given in TEU (a container terminal, a
container feeder): its class has a zero capacity share there
(:data:`NOT_CONTAINERISED`, ``DemandClass.capacity_share``). The equilibrium is
the multi-class one of :func:`~corridors.assignment.equilibrium.assign_multiclass`;
with a single class it is exactly the single-class equilibrium.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridors.assignment.corridor_result import CorridorAssignment
from corridors.assignment.demand_classes import demand_classes
from corridors.assignment.equilibrium import Algorithm, DemandClass, assign_multiclass
from corridors.assignment.graph import AssignmentGraph, build_graph
from corridors.cost.parameters import CostParameters
from corridors.network.model import Network
from corridors.routing.graph import ARC_KINDS, ExpandedGraph
from corridors.routing.graph import build_graph as build_expanded_graph

__all__ = [
    "DEFAULT_MIN_DELAY_SCALE_H",
    "NOT_CONTAINERISED",
    "CorridorAssignment",
    "assign_corridors",
    "corridor_graph",
    "teu_capacity_groups",
]

FloatArray = NDArray[np.float64]

NOT_CONTAINERISED: frozenset[str] = frozenset({"liquid_bulk"})
"""Commodities that never count against a TEU capacity (crude and oil products move in
tankers, tank wagons and pipelines, not in boxes)."""

DEFAULT_MIN_DELAY_SCALE_H = 24.0
"""Smallest free time a group's BPR delay is proportional to, hours (assumption)."""


def teu_capacity_groups(expanded: ExpandedGraph) -> NDArray[np.bool_]:
    """Which capacity groups of the routing graph take their capacity from a TEU figure.

    A group's capacity is the TEU capacity of its node or link (``capacity_teu_yr``)
    when the graph is in TEU and that figure is given, or in tonnes when only the TEU
    figure is given (see :func:`corridors.routing.graph.build_graph`).
    """
    net = expanded.network
    out = np.zeros(len(expanded.group_label), dtype=bool)
    for g, label in enumerate(expanded.group_label):
        kind, _, rest = label.partition(":")
        if kind == "node":
            row = net.nodes.iloc[net.node_index[rest]]
        else:
            row = net.links.iloc[net.link_index[rest.partition(":")[0]]]
        teu = float(row["capacity_teu_yr"])
        tonnes = float(row["capacity_t_yr"])
        if expanded.params.unit == "t":
            out[g] = np.isnan(tonnes) and not np.isnan(teu)
        else:
            out[g] = not np.isnan(teu)
    return out


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
    money_h = _money_usd(expanded) / vot
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
        places may be node ids, names or aliases; optional ``value_of_time_usd_h``
        (USD per row-unit-hour, blank for the default). Rows form classes by
        (commodity, value of time); all classes share the network's capacities;
        volumes and values of time in the other unit are converted with
        ``params.tonnes_per_teu``.
    params : CostParameters, optional
        Unit, default value of time (USD per unit-hour), carbon price, year,
        closures.
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
        Listing every unknown place, bad volume, unit or value of time (file, line,
        field).
    corridors.errors.UnreachableError
        If an O-D pair with demand has no route.
    """
    params = params or CostParameters()
    expanded = build_expanded_graph(net, params)
    table = demand_classes(
        net,
        demand_df,
        unit=params.unit,
        tonnes_per_teu=params.tonnes_per_teu,
        default_vot=params.vot,
    )
    graph = corridor_graph(
        expanded, table.zones, alpha=alpha, beta=beta, min_delay_scale_h=min_delay_scale_h
    )
    money = _money_usd(expanded)
    teu_groups = teu_capacity_groups(expanded)
    classes = [
        DemandClass(
            name,
            matrix,
            None if vot == params.vot else money / vot,
            np.where(teu_groups, 0.0, 1.0)
            if kind in NOT_CONTAINERISED and teu_groups.any()
            else None,
        )
        for name, vot, matrix, kind in zip(
            table.names, table.vot, table.matrices, table.commodities, strict=True
        )
    ]
    mc = assign_multiclass(
        graph,
        classes,
        algorithm=algorithm,
        gap=gap,
        max_iter=max_iter,
        callback=callback,
        keep_routes=True,
    )
    return CorridorAssignment(
        result=mc.total(),
        expanded=expanded,
        zones=table.zones,
        unit=params.unit,
        value_of_time=params.vot,
        threshold=threshold,
        classes=mc,
        class_vot=table.vot,
    )


def _money_usd(expanded: ExpandedGraph) -> FloatArray:
    """Flow-independent money (and priced carbon) cost of each arc, USD per unit."""
    return np.asarray(
        np.maximum(expanded.cost - expanded.params.vot * expanded.hours, 0.0), dtype=np.float64
    )
