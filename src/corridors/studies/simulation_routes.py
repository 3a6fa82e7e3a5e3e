"""Routes and shares of a demand for a simulation: cheapest, logit or equilibrium.

The route choice of :mod:`corridors.studies.simulate`. :func:`equilibrium_routes` is the
capacity-constrained user equilibrium of the demand on the corridor network
(:mod:`corridors.assignment`, multi-class bi-conjugate Frank-Wolfe) in which the
elements the simulation limits have the capacities the simulation gives them
(:class:`ElementCapacity`, :func:`element_capacities`, in
:mod:`~corridors.studies.simulation_capacities`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Literal

import numpy as np

from corridors.assignment import DemandClass, assign_multiclass
from corridors.assignment.corridor import DEFAULT_MIN_DELAY_SCALE_H, corridor_graph
from corridors.cost.logit import logit_shares
from corridors.errors import UnreachableError
from corridors.network.model import Network
from corridors.routing import CostParameters, Route, alternatives, build_graph, compare
from corridors.routing.paths import Path as ArcPath
from corridors.routing.routes import route_from_path
from corridors.simulation.options import BuildOptions, FlowKey
from corridors.studies.simulation_capacities import (
    ElementCapacity,
    element_capacities,
    with_element_groups,
)

__all__ = [
    "PENALTY_H",
    "WALL_BETA",
    "ElementCapacity",
    "average_routes",
    "candidate_routes",
    "choose_routes",
    "element_capacities",
    "equilibrium_routes",
    "routes_for_demand",
]

log = logging.getLogger(__name__)

PENALTY_H = 1.0e6
"""Cost (hours) added in the equilibrium to arcs a class may not use (another corridor,
a ship that does not carry its units); flows with no other route are left out first."""

WALL_BETA = 30.0
"""BPR power of the capacity group of a simulated element in the route choice: a wall
just past the target utilisation (the delay at the target x23 at 1.11 times it, x5,000
at 1.33)."""


def routes_for_demand(
    network: Network,
    pairs: Sequence[tuple[str, str]],
    *,
    corridors: Sequence[str] | None = None,
    params: CostParameters | None = None,
    choice: Literal["cheapest", "logit"] = "cheapest",
    k: int = 3,
    logit_scale_usd: float = 300.0,
) -> dict[tuple[str, str], list[tuple[Route, float]]]:
    """Routes and shares of each O-D pair, optionally restricted to some corridors.

    Parameters
    ----------
    network : Network
        The network.
    pairs : sequence of (origin, destination)
        Node ids.
    corridors : sequence of str, optional
        Allowed corridors (a route may use a corridor's links and shared links).
    params : CostParameters, optional
        Routing parameters (default per TEU).
    choice : str
        ``cheapest``: all volume on the least-cost route. ``logit``: volume shared
        over the ``k`` least-cost routes (on each allowed corridor) in proportion to
        ``exp(-generalised cost / logit_scale_usd)``; shares under 1% are dropped.
    k : int
        Alternatives considered per corridor (``logit``).
    logit_scale_usd : float
        Spread of the logit, USD per TEU: routes this much dearer get e^-1 times
        the share.

    Returns
    -------
    dict
        ``{(origin, destination): [(route, share), ...]}``; pairs no allowed
        corridor connects are left out (logged).
    """
    params = params or CostParameters(unit="TEU")
    graph = build_graph(network, params)
    wanted: tuple[str | None, ...] = tuple(corridors) if corridors is not None else (None,)
    out: dict[tuple[str, str], list[tuple[Route, float]]] = {}
    for o, d in dict.fromkeys(pairs):
        found: dict[tuple[str, ...], Route] = {}
        for c in wanted:
            try:
                if choice == "logit":
                    routes = alternatives(network, o, d, k=k, params=params, corridor=c)
                else:
                    routes = compare(
                        network,
                        o,
                        d,
                        params=params,
                        graph=graph,
                        corridors=None if c is None else (c,),
                    )
            except UnreachableError as exc:
                log.info("no route %s -> %s on %s: %s", o, d, c or "any corridor", exc)
                continue
            for route in routes:
                labelled = replace(route, corridor=c) if c is not None else route
                found.setdefault(labelled.link_ids, labelled)
        if not found:
            continue
        ranked = sorted(found.values(), key=lambda r: r.generalised_cost_usd)
        if choice != "logit":
            out[(o, d)] = [(ranked[0], 1.0)]
            continue
        shares = logit_shares([r.generalised_cost_usd for r in ranked], scale=1.0 / logit_scale_usd)
        kept = [(r, float(w)) for r, w in zip(ranked, shares, strict=True) if w >= 0.01]
        norm = sum(w for _, w in kept)
        out[(o, d)] = [(r, w / norm) for r, w in kept]
    return out


def candidate_routes(
    network: Network,
    flows: Mapping[FlowKey, float],
    blocked: Mapping[FlowKey, frozenset[str]],
    opt: BuildOptions,
    params: CostParameters | None,
) -> dict[FlowKey, list[tuple[Route, float]]]:
    """The cheapest route (or the logit split) of each flow that any route connects.

    Flows are grouped by the links their units cannot use (a container feeder for dry
    bulk); each group's alternatives are generated on the network without those links,
    so the ``k`` routes offered can all carry the cargo.
    """
    groups: dict[frozenset[str], list[FlowKey]] = {}
    for key in flows:
        groups.setdefault(blocked[key], []).append(key)
    out: dict[FlowKey, list[tuple[Route, float]]] = {}
    choice: Literal["cheapest", "logit"] = "logit" if opt.route_choice == "logit" else "cheapest"
    for shut, keys in groups.items():
        net = network.with_closed(links=sorted(shut)) if shut else network
        found = routes_for_demand(
            net,
            [(k[0], k[1]) for k in keys],
            corridors=opt.corridors,
            params=params,
            choice=choice,
            k=opt.k_routes,
            logit_scale_usd=opt.logit_scale_usd,
        )
        for key in keys:
            if (key[0], key[1]) in found:
                out[key] = found[(key[0], key[1])]
    return out


def choose_routes(
    network: Network,
    flows: Mapping[FlowKey, float],
    blocked: Mapping[FlowKey, frozenset[str]],
    opt: BuildOptions,
    params: CostParameters | None,
    *,
    capacities_t: Mapping[str, float] | None = None,
    extra_h: Mapping[tuple[str, str], float] | None = None,
    elements: Sequence[ElementCapacity] = (),
    candidates: Mapping[FlowKey, list[tuple[Route, float]]] | None = None,
) -> dict[FlowKey, list[tuple[Route, float]]]:
    """Routes and shares of each flow, among routes whose ships carry its units.

    ``cheapest`` and ``logit``: :func:`candidate_routes`. ``equilibrium``: the flows
    that have a candidate route (``candidates``, computed when not given) at the
    equilibrium of :func:`equilibrium_routes` with the capacities given.
    """
    cheapest = (
        dict(candidates)
        if candidates is not None
        else candidate_routes(network, flows, blocked, opt, params)
    )
    if opt.route_choice != "equilibrium" or not cheapest:
        return cheapest
    return equilibrium_routes(
        network,
        {k: flows[k] for k in cheapest},
        corridors=opt.corridors,
        closed_links=blocked,
        params=params,
        gap=opt.equilibrium_gap,
        tonnes_per_teu=opt.tonnes_per_teu,
        capacities_t=capacities_t,
        extra_h=extra_h,
        elements=elements,
        target_utilisation=opt.target_utilisation,
    )


def equilibrium_routes(
    network: Network,
    flows: Mapping[FlowKey, float],
    *,
    corridors: Sequence[str] | None = None,
    closed_links: Mapping[FlowKey, frozenset[str]] | None = None,
    params: CostParameters | None = None,
    gap: float = 1e-4,
    max_iter: int = 500,
    alpha: float = 0.15,
    beta: float = 4.0,
    min_delay_scale_h: float = DEFAULT_MIN_DELAY_SCALE_H,
    tonnes_per_teu: float = 10.0,
    min_share: float = 0.005,
    capacities_t: Mapping[str, float] | None = None,
    extra_h: Mapping[tuple[str, str], float] | None = None,
    elements: Sequence[ElementCapacity] = (),
    target_utilisation: float = 0.85,
    wall_beta: float = WALL_BETA,
) -> dict[FlowKey, list[tuple[Route, float]]]:
    """Routes and shares of each flow at the capacity-constrained user equilibrium.

    The demand is assigned on the corridor network exactly as
    :func:`corridors.assignment.corridor.assign_corridors` does (same graph, BPR delay
    of every capacity group, multi-class bi-conjugate Frank-Wolfe with route
    tracking), with one class per commodity and set of closed links. Arcs a class may
    not use (links of other corridors when ``corridors`` is given, ``closed_links``
    of the flow, e.g. a container feeder for bulk) cost :data:`PENALTY_H` more for
    that class. Each used route becomes a :class:`corridors.routing.Route` (with
    its steps) and its share of the O-D volume of that class.

    Parameters
    ----------
    network : Network
        The network.
    flows : mapping
        Volume a year of each (origin, destination, commodity, unit) flow, in
        ``unit`` (TEU or t).
    corridors : sequence of str, optional
        Corridors the routes may use (their links and shared links).
    closed_links : mapping, optional
        Links each flow may not use.
    params : CostParameters, optional
        Routing parameters; default per tonne (``unit="t"``), as the Caspian ferry
        capacities are published in tonnes.
    gap, max_iter : float, int
        Relative gap to reach and most iterations.
    alpha, beta, min_delay_scale_h : float
        BPR parameters and the smallest delay scale of a capacity group, hours
        (as ``assign_corridors``).
    tonnes_per_teu : float
        Converts flows given in the other unit, t per TEU.
    min_share : float
        Routes with a smaller share are dropped (shares renormalised).
    capacities_t : mapping, optional
        Capacity per direction of some links, t a year, replacing the link table's
        (e.g. the lift of a ferry line's fleet).
    extra_h : mapping, optional
        Hours added to a link leaving a node, ``{(link_id, from node id): h}`` (e.g.
        the ferry waits a simulation measured; see ``BuildOptions.feedback_rounds``).
    elements : sequence of ElementCapacity
        Stations of the simulation with a finite capacity (single-track sections per
        direction, gauge-change tracks, lanes): each becomes a capacity group of its
        own at ``target_utilisation`` of its capacity, with a BPR of power
        ``wall_beta`` (a wall, :data:`WALL_BETA`), replacing the group its arcs had
        unless that one is tighter.
    target_utilisation, wall_beta : float
        See ``elements``.

    Returns
    -------
    dict
        ``{flow: [(route, share), ...]}``; every flow of ``flows`` with a usable route.
    """
    params = params or CostParameters(unit="t", tonnes_per_teu=tonnes_per_teu)
    closed_links = closed_links or {}
    expanded = build_graph(network, params)
    if capacities_t:
        cap = expanded.group_capacity.copy()
        per_unit = params.tonnes_per_unit
        for g, label in enumerate(expanded.group_label):
            parts = label.split(":")
            if parts[0] == "link" and parts[1] in capacities_t:
                cap[g] = capacities_t[parts[1]] / per_unit
        expanded = replace(expanded, group_capacity=cap)
    expanded, walls = with_element_groups(expanded, elements, target_utilisation)
    zones = tuple(sorted({k[0] for k in flows} | {k[1] for k in flows}))
    zi = {z: i for i, z in enumerate(zones)}
    graph = corridor_graph(
        expanded, zones, alpha=alpha, beta=beta, min_delay_scale_h=min_delay_scale_h
    )
    if walls:
        steep = graph.delay.beta.copy()
        steep[walls] = wall_beta
        graph = replace(graph, delay=replace(graph.delay, beta=steep))
    vot = params.vot
    money_h = np.maximum(expanded.cost - vot * expanded.hours, 0.0) / vot
    if extra_h:
        index = expanded.network.link_index
        tail_node = expanded.network.nodes["node_id"].to_numpy()[
            expanded.vertex_node[expanded.tail]
        ]
        for (link_id, from_node), hours in extra_h.items():
            if link_id in index and hours > 0:
                money_h = money_h + np.where(
                    (expanded.arc_link == index[link_id]) & (tail_node == from_node), hours, 0.0
                )
    allowed = np.ones(expanded.n_arcs, dtype=bool)
    if corridors is not None:
        allowed = np.zeros(expanded.n_arcs, dtype=bool)
        for c in corridors:
            allowed |= expanded.corridor_mask(c)
    link_row = expanded.network.link_index  # the graph's network (operating links)
    class_of: dict[tuple[str, frozenset[str]], int] = {}
    classes: list[DemandClass] = []
    members: list[list[FlowKey]] = []
    for key, volume in flows.items():
        shut = closed_links.get(key, frozenset())
        ck = (key[2], shut)
        if ck not in class_of:
            rows = [link_row[x] for x in shut if x in link_row]
            bad = ~allowed | np.isin(expanded.arc_link, rows)
            fixed = np.asarray(money_h + np.where(bad, PENALTY_H, 0.0), dtype=np.float64)
            class_of[ck] = len(classes)
            name = key[2] if not shut else f"{key[2]} (not via {', '.join(sorted(shut))})"
            classes.append(DemandClass(name, np.zeros((len(zones), len(zones))), fixed))
            members.append([])
        k = class_of[ck]
        conv = 1.0
        if key[3] != params.unit:
            conv = params.tonnes_per_teu if key[3] == "TEU" else 1.0 / params.tonnes_per_teu
        classes[k].demand[zi[key[0]], zi[key[1]]] += volume * conv
        members[k].append(key)
    mc = assign_multiclass(graph, classes, gap=gap, max_iter=max_iter, keep_routes=True)
    log.info(
        "equilibrium of %d classes: %d iterations, gap %.2e", len(classes), mc.iterations, mc.gap
    )
    assert mc.routes is not None
    penal = PENALTY_H / 2.0
    out: dict[FlowKey, list[tuple[Route, float]]] = {}
    cache: dict[tuple[int, ...], Route] = {}
    for k, keys in enumerate(members):
        penalised = classes[k].fixed_cost
        assert penalised is not None
        by_od: dict[tuple[int, int], list[tuple[Route, float]]] = {}
        for r in mc.routes[k]:
            if r.share <= 0 or float(penalised[list(r.arcs)].max(initial=0.0)) > penal:
                continue
            route = cache.get(r.arcs)
            if route is None:
                route = route_from_path(expanded, ArcPath(r.arcs, 0.0))
                if corridors is not None and route.corridor not in corridors:
                    parts = [c for c in route.corridor.split("+") if c in corridors]
                    route = replace(route, corridor=parts[0] if parts else corridors[0])
                cache[r.arcs] = route
            by_od.setdefault((r.origin, r.destination), []).append((route, r.share))
        for key in keys:
            found = by_od.get((zi[key[0]], zi[key[1]]), [])
            kept = [(r, w) for r, w in found if w >= min_share]
            norm = sum(w for _, w in kept)
            if kept and norm > 0:
                out[key] = [(r, w / norm) for r, w in sorted(kept, key=lambda x: -x[1])]
    return out


def average_routes(
    old: Mapping[FlowKey, list[tuple[Route, float]]],
    new: Mapping[FlowKey, list[tuple[Route, float]]],
    step: float,
) -> dict[FlowKey, list[tuple[Route, float]]]:
    """Method of successive averages on route shares: ``(1 - step) old + step new``."""
    out: dict[FlowKey, list[tuple[Route, float]]] = {}
    for key in set(old) | set(new):
        acc: dict[tuple[str, ...], tuple[Route, float]] = {}
        for weight, table in ((1.0 - step, old), (step, new)):
            for route, share in table.get(key, ()):
                prev = acc.get(route.link_ids)
                acc[route.link_ids] = (route, (prev[1] if prev else 0.0) + weight * share)
        total = sum(w for _, w in acc.values())
        if total > 0:
            out[key] = sorted(((r, w / total) for r, w in acc.values()), key=lambda x: -x[1])
    return out
