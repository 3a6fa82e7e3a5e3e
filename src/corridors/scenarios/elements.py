"""Capacitated elements of the corridors' routes: capacities by cargo class, shared use.

Every element that can bind (a port, a border crossing, a land line with a tonne
capacity, the ferries and feeders across one stretch of water) is one element shared by
all the routes through it. Its capacity is per cargo class: the tonne capacity limits
all cargo, a TEU capacity containers only (ports and water crossings). The runner hands
the elements of a year segment to :func:`corridors.scenarios.choice.equilibrium_shares`
as :class:`~corridors.scenarios.supply.SharedElements`, with the queue of each element
(:mod:`corridors.cost.element_queues`) under ``capacity_limits: all``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from corridors.cost.element_queues import ElementDelays, element_queues
from corridors.network.model import Network
from corridors.routing import Route
from corridors.scenarios.spec import Disruption
from corridors.scenarios.supply import SharedElements


@dataclass(frozen=True)
class RouteOption:
    """One market's route on one corridor in one network state."""

    corridor: str
    usd: float
    hours: float
    link_ids: tuple[str, ...]
    elements: tuple[tuple[str, float, float], ...] = ()
    link_elements: tuple[tuple[str, str], ...] = ()
    """``(link id, element key)`` of the route's links that are capacitated elements."""
    link_km: tuple[float, ...] = ()
    """Length of each link of ``link_ids``, km (the path-size correction's lengths)."""
    route: Route | None = None
    """The route found, with its steps (priced in the unit it was searched in)."""
    link_forward: tuple[bool, ...] = ()
    """Whether each link of ``link_ids`` is used from its ``from_node_id`` to its
    ``to_node_id`` (empty: all of them)."""


MIN_ELEMENT_H = 1.0
"""Free time given to a capacitated element a route passes in no time, hours (so that
its volume-delay function still bites)."""


CONTAINERS_KEY = "#teu"
"""Suffix of an element's container-only part (its TEU capacity)."""
GENERAL_KEY = "#general"
"""Suffix of a water group's general-cargo part (rail ferries only, not feeders)."""


def _capacities(network: Network, tonnes_per_teu: float) -> tuple[np.ndarray, ...]:
    """TEU and tonne capacities of links and nodes, the tonnes in TEU-equivalents."""
    links, nodes = network.links, network.nodes
    return (
        links["capacity_teu_yr"].to_numpy(dtype=float),
        links["capacity_t_yr"].to_numpy(dtype=float) / tonnes_per_teu,
        nodes["capacity_teu_yr"].to_numpy(dtype=float),
        nodes["capacity_t_yr"].to_numpy(dtype=float) / tonnes_per_teu,
    )


@dataclass(frozen=True)
class ElementTables:
    """Per-row capacities and ports of one network state, read once for all its routes.

    Attributes
    ----------
    link_t, node_teu, node_t : numpy.ndarray of float64
        Tonne capacity of each link (TEU-equivalents a year), TEU and tonne capacity
        (TEU-equivalents) of each node; NaN where none.
    port : numpy.ndarray of bool
        Whether each node is a port.
    """

    link_t: np.ndarray
    node_teu: np.ndarray
    node_t: np.ndarray
    port: np.ndarray


def element_tables(network: Network, *, tonnes_per_teu: float) -> ElementTables:
    """The :class:`ElementTables` of ``network`` (tonnes converted with ``tonnes_per_teu``)."""
    _, link_t, node_teu, node_t = _capacities(network, tonnes_per_teu)
    port = (network.nodes["kind"] == "port").to_numpy()
    return ElementTables(link_t, node_teu, node_t, port)


def element_capacities(teu: float, t_eq: float) -> dict[str, float]:
    """Capacities of one node or link by cargo class, TEU (equivalents) a year.

    The tonne capacity limits all cargo (containers count ``tonnes_per_teu`` each);
    the TEU capacity limits containers. Returns ``{"all": ..., "containers": ...}``
    with the classes that have a (binding) limit.
    """
    out: dict[str, float] = {}
    if not math.isnan(t_eq):
        out["all"] = t_eq
    if not math.isnan(teu) and (math.isnan(t_eq) or teu < t_eq):
        out["containers"] = teu
    return out


def water_capacities(
    teu: np.ndarray, t_eq: np.ndarray, *, container_ships: np.ndarray | None = None
) -> dict[str, float]:
    """Capacities of parallel ferry and feeder services across one water, by class.

    A rail ferry carries any cargo up to its tonnes (TEU-equivalents; a ferry with
    only a TEU capacity is taken to carry that many TEU-equivalents) and containers
    up to its TEU capacity. A container ship (``container_ships``: a sea line with a
    TEU capacity and no tonne capacity, e.g. the Caspian feeders) carries
    containers only. So all cargo fits in the ferries' tonnes plus the ships' TEU,
    containers in everyone's TEU, and general cargo in the ferries' tonnes only.
    """
    ships = (
        np.zeros(len(teu), dtype=bool) if container_ships is None else np.asarray(container_ships)
    )
    has_teu = np.isfinite(teu)
    ferry_t = np.where(np.isfinite(t_eq), t_eq, np.where(has_teu, teu, 0.0))
    ferry_t = np.where(ships, 0.0, ferry_t)
    ship_teu = np.where(ships & has_teu, teu, 0.0)
    everything = float(ferry_t.sum() + ship_teu.sum())
    boxes = float(np.where(has_teu, teu, ferry_t).sum())
    general = float(ferry_t.sum())
    out = {"all": everything}
    if boxes < everything:
        out["containers"] = boxes
    if general < everything:
        out["general"] = general
    return out


def _suffix(cargo_class: str) -> str:
    return {"all": "", "containers": CONTAINERS_KEY, "general": GENERAL_KEY}[cargo_class]


def _applies(cargo_class: str, *, containers: bool) -> bool:
    return cargo_class == "all" or (cargo_class == "containers") == containers


def water_groups(
    network: Network, *, tonnes_per_teu: float
) -> dict[str, tuple[str, dict[str, float]]]:
    """Capacitated ferry and sea lines grouped by the water they cross.

    Lines that share a port (Aktau-Alat, Kuryk-Alat, the feeders into Alat) are
    parallel services across the same water: they form one element whose
    capacities are those of :func:`water_capacities`.

    Returns
    -------
    dict of link id to (group name, capacities by cargo class in TEU a year)
    """
    links = network.links
    link_teu, link_t, _, _ = _capacities(network, tonnes_per_teu)
    water = links["mode"].isin(("ferry", "sea")).to_numpy() & (
        np.isfinite(link_teu) | np.isfinite(link_t)
    )
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ships = (links["mode"] == "sea").to_numpy() & ~np.isfinite(link_t)
    idx = np.flatnonzero(water)
    a_ends = links["from_node_id"].to_numpy()
    b_ends = links["to_node_id"].to_numpy()
    for i in idx:
        parent[find(str(a_ends[i]))] = find(str(b_ends[i]))
    members: dict[str, list[int]] = {}
    for i in idx:
        members.setdefault(find(str(a_ends[i])), []).append(int(i))
    out: dict[str, tuple[str, dict[str, float]]] = {}
    lids = links["link_id"].to_numpy()
    for rows in members.values():
        ports = sorted({str(a_ends[r]) for r in rows} | {str(b_ends[r]) for r in rows})
        name = "water:" + "+".join(ports)
        caps = water_capacities(link_teu[rows], link_t[rows], container_ships=ships[rows])
        for r in rows:
            out[str(lids[r])] = (name, caps)
    return out


def route_elements(
    route: Route,
    network: Network,
    *,
    tonnes_per_teu: float,
    containers: bool = True,
    groups: Mapping[str, tuple[str, dict[str, float]]] | None = None,
    tables: ElementTables | None = None,
) -> tuple[tuple[str, float, float], ...]:
    """Capacitated elements a route uses: ``(key, capacity TEU a year, free hours)``.

    A node or link limits all cargo by its tonne capacity (tonnes converted with
    ``tonnes_per_teu``; key ``node:<id>``); a port also limits containers by its TEU
    capacity (key ``node:<id>#teu``), see :func:`element_capacities`; ferry and sea
    lines count as their water group (:func:`water_groups`, with a ``#general`` part
    for cargo that cannot ride container feeders). Land borders, terminals and lines
    keep their tonne capacity only: their TEU figures are per crossing (Dostyk's 760
    TEU/day of transshipment) while one route per corridor and market sends the
    market's whole flow through one crossing, which would queue all China-Europe rail
    at one terminal. Only the parts that apply to the market's cargo (``containers``
    or general) are returned; elements without a capacity are left out. ``groups``
    and ``tables`` (:func:`element_tables`), when given, are those of ``network``
    with the same ``tonnes_per_teu`` (a route set reads them once).
    """
    if tables is None:
        tables = element_tables(network, tonnes_per_teu=tonnes_per_teu)
    link_t, node_teu, node_t, port = tables.link_t, tables.node_teu, tables.node_t, tables.port
    if groups is None:
        groups = water_groups(network, tonnes_per_teu=tonnes_per_teu)
    found: dict[str, list[float]] = {}

    def node_caps(j: int) -> dict[str, float]:
        return element_capacities(float(node_teu[j]) if port[j] else math.nan, float(node_t[j]))

    def visit(caps: Mapping[str, float], key: str, hours: float) -> None:
        for cls, cap in caps.items():
            if _applies(cls, containers=containers):
                entry = found.setdefault(key + _suffix(cls), [cap, 0.0])
                entry[1] += hours

    for step in route.steps:
        if step.link_id is not None:
            i = network.link_index.get(step.link_id)
            if i is None:
                continue
            group = groups.get(step.link_id)
            if group is not None:
                visit(group[1], group[0], step.hours)
            else:  # a land line: tonnes only
                caps = element_capacities(math.nan, float(link_t[i]))
                visit(caps, f"link:{step.link_id}", step.hours)
        elif step.node_id is not None:
            j = network.node_index.get(step.node_id)
            if j is not None:
                visit(node_caps(j), f"node:{step.node_id}", step.hours)
    for nid in route.node_ids:  # capacitated nodes passed without a stop
        j = network.node_index.get(nid)
        if j is not None:
            visit(node_caps(j), f"node:{nid}", 0.0)
    return tuple((k, cap, max(h, MIN_ELEMENT_H)) for k, (cap, h) in found.items())


def hard_elements(keys: Sequence[str], limits: str, ports: frozenset[str]) -> np.ndarray:
    """Which elements are hard limits under ``Behaviour.capacity_limits``.

    ``all`` and ``hard``: all; ``ports``: ports (nodes in ``ports``) and water
    crossings (ferries and feeders, ``water:...``); ``soft``: none.
    """
    if limits in ("all", "hard"):
        return np.ones(len(keys), dtype=bool)
    if limits == "soft":
        return np.zeros(len(keys), dtype=bool)
    out = []
    for key in keys:
        kind, _, rest = key.partition(":")
        out.append(kind == "water" or (kind == "node" and rest.partition("#")[0] in ports))
    return np.array(out, dtype=bool)


def shared_elements(
    e_index: Mapping[str, int],
    e_cap: Sequence[float],
    e_hours: Sequence[float],
    e_use: Sequence[tuple[int, int, int]],
    shape: tuple[int, int],
    *,
    slows: Sequence[Disruption],
    per_market: Sequence[Sequence[RouteOption]],
    columns: Sequence[str],
    hard: str = "soft",
    ports: frozenset[str] = frozenset(),
    queues: ElementDelays | None = None,
) -> SharedElements:
    """Incidence, capacity and free time of the elements of a year segment.

    ``columns`` is the corridor of each route column of ``shape``.

    A slow-down's ``capacity_factor`` scales the elements of the links it names (and
    their water group), and for a corridor-wide slow-down the elements that only
    that corridor's routes use (a border shared with other corridors keeps its
    capacity). ``queues`` (one per element, in the order of ``e_index``; see
    :func:`element_delays`) replace the volume-delay function below capacity.
    """
    n_e = len(e_cap)
    inc = np.zeros((n_e, *shape))
    for e, i, j in e_use:
        inc[e, i, j] = 1.0
    capacity = np.array(e_cap, dtype=float)
    keys = tuple(sorted(e_index, key=e_index.__getitem__))
    for d in slows:
        if d.capacity_factor == 1.0:
            continue
        hit = np.zeros(n_e, dtype=bool)
        for alts in per_market:
            for a in alts:
                for lid, key in a.link_elements:
                    if lid in d.links:
                        hit[e_index[key]] = True
        for c in d.corridors:
            jc = [j for j, x in enumerate(columns) if x == c]
            if not jc:
                continue
            used_here = inc[:, :, jc].any(axis=(1, 2))
            others = np.delete(inc, jc, axis=2).any(axis=(1, 2))
            hit |= used_here & ~others
        capacity[hit] *= d.capacity_factor
    return SharedElements(
        inc,
        capacity,
        np.array(e_hours, dtype=float),
        keys,
        hard=hard_elements(keys, hard, ports),
        queues=queues,
    )


def element_delays(network: Network, keys: Sequence[str]) -> ElementDelays:
    """Queueing delays of the elements ``keys`` of ``network``.

    See :mod:`corridors.cost.element_queues`.
    """
    return ElementDelays(element_queues(network, keys))
