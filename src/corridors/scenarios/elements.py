"""Capacitated elements of the corridors' routes: capacities by cargo class, shared use.

Every element that can bind (a port, a border crossing or gauge change, a train path
section, a land line with a tonne capacity, a ferry or feeder line) is one element
shared by all the routes through it (:func:`network_elements`). Its capacity is per
cargo class: the tonne capacity limits all cargo, a TEU capacity containers only
(ports and water lines), and where the element has a queue (the servers the simulation
serves, :mod:`corridors.cost.element_queues`) no class exceeds the queue's capacity,
counted in container TEU (bulk at the share of a shipment it takes). Every link
element is one element per direction, as the simulation serves it: a section's train
paths, a line's capacity (``link.csv`` gives it per direction, e.g. BTK's 5 Mt a year)
and the ships across a water, which carry their decks each way on a round trip. The
runner hands
the elements of a year segment to :func:`corridors.scenarios.choice.equilibrium_shares`
as :class:`~corridors.scenarios.supply.SharedElements`, with the queue of each element
(:mod:`corridors.cost.element_queues`) under ``capacity_limits: all``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from corridors.cost.element_delays import KNEE
from corridors.cost.element_queues import (
    bulk_use,
    capacity_teu_yr,
    element_queue,
    line_queue,
    node_lined,
    node_service,
)
from corridors.network.model import Network
from corridors.routing import Route, Step
from corridors.scenarios.node_elements import lined_links, mixed_nodes
from corridors.scenarios.water_elements import (
    water_capacities,
    water_groups,
    water_ports,
    water_sides,
)


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
    element_use: tuple[float, ...] = ()
    """Share of each element's capacity (``elements``) a TEU or TEU-equivalent of the
    market takes (:func:`element_use`; empty: 1 each)."""
    element_share: tuple[float, ...] = ()
    """Share of the route's cargo that passes each element (``elements``): 1, but at
    the berths of a water side with several ports, where the cargo boards or leaves
    the lines of each port in proportion to their lift
    (:func:`~corridors.scenarios.route_elements.element_share`; empty: 1 each)."""
    element_steps: tuple[tuple[int, ...], ...] = ()
    """Indices in ``route.steps`` of the steps each element's hours come from (-1: a node
    passed without a stop; :func:`~corridors.scenarios.route_elements.element_steps`):
    the order the route passes its elements in. Empty: unknown."""

    element_order: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...] = ()
    """The route's elements in the order it passes them (:func:`element_order`). Empty:
    unknown (found from :attr:`element_steps` when asked)."""


def element_order(
    steps: Sequence[Step], element_steps: Sequence[Sequence[int]]
) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    """A route's elements in the order it passes them, with the stops between.

    One entry per step of ``steps`` some elements start at (``element_steps``, each
    element's step indices; -1: a node passed without a stop), in step order: the
    positions of the elements there, and the indices of the stops since the previous
    entry that are no element's (a border check with no lanes, a transfer at a node
    with no servers). Elements with no step are left out.
    """
    at: dict[int, list[int]] = {}
    for k, own in enumerate(element_steps):
        known = [s for s in own if s >= 0]
        if known:
            at.setdefault(min(known), []).append(k)
    owned = {s for own in element_steps for s in own}
    out = []
    stops: list[int] = []
    for s, step in enumerate(steps):
        if s not in owned and step.kind != "link":
            stops.append(s)
        if s in at:
            out.append((tuple(at[s]), tuple(stops)))
            stops = []
    return tuple(out)


CONTAINERS_KEY = "#teu"
"""Suffix of an element's container-only part (its TEU capacity)."""
GENERAL_KEY = "#general"
"""Suffix of a general-cargo part (rail ferries only, not feeders)."""


def _capacities(network: Network, tonnes_per_teu: float) -> tuple[np.ndarray, ...]:
    """TEU and tonne capacities of links and nodes, the tonnes in TEU-equivalents."""
    links, nodes = network.links, network.nodes
    return (
        links["capacity_teu_yr"].to_numpy(dtype=float),
        links["capacity_t_yr"].to_numpy(dtype=float) / tonnes_per_teu,
        nodes["capacity_teu_yr"].to_numpy(dtype=float),
        nodes["capacity_t_yr"].to_numpy(dtype=float) / tonnes_per_teu,
    )


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


def class_suffix(cargo_class: str) -> str:
    """Suffix of the key of an element's part for ``cargo_class`` ('' for all cargo)."""
    return {"all": "", "containers": CONTAINERS_KEY, "general": GENERAL_KEY}[cargo_class]


def class_applies(cargo_class: str, *, containers: bool) -> bool:
    """Whether an element's part for ``cargo_class`` limits containers (or general cargo)."""
    return cargo_class == "all" or (cargo_class == "containers") == containers


@dataclass(frozen=True)
class NetworkElement:
    """A capacitated element of a network state.

    Attributes
    ----------
    key : str
        ``node:<id>``, ``link:<id>@<from node>`` (a section or a line with a table
        capacity, in the direction leaving ``from node``) or ``water:<ports>@<side>``
        (the ferry and feeder lines between the ``+``-joined ``ports`` of one water,
        from the ports of one ``side``: ``water:aktau+alat+kuryk@aktau+kuryk``).
    capacities : dict
        Capacity by cargo class (``all``, ``containers``), container TEU a year
        (bulk in TEU-equivalents at its :attr:`bulk_use`): the table's capacity,
        at most the capacity of the element's queue.
    bulk_use : float
        Share of the capacity a TEU-equivalent of bulk takes against a container TEU
        (:func:`~corridors.cost.element_queues.bulk_use`).
    """

    key: str
    capacities: dict[str, float]
    bulk_use: float = 1.0


@dataclass(frozen=True)
class NetworkElements:
    """The capacitated elements of a network state, by the node or link a route passes.

    Build with :func:`network_elements` (once per network state).
    """

    nodes: Mapping[str, NetworkElement]
    """By node: its servers (and table capacity) for the stops they serve; a node
    without servers: its table capacity for every route through it."""
    links: Mapping[tuple[str, str], NetworkElement]
    """By ``(link id, from node)``: one element per direction of every link."""
    servers: Mapping[str, str] = field(default_factory=dict)
    """Kind of the servers of each node with a queue
    (:func:`~corridors.cost.element_queues.node_service`)."""
    throughput: Mapping[str, NetworkElement] = field(default_factory=dict)
    """By node: the table capacity (``node:<id>@throughput``) of a node whose servers do
    not serve every stop a route can make there (Aktau's crude tankers): every route
    through the node counts against it."""
    lined: frozenset[str] = frozenset()
    """Ferry and sea links with ships (``vessel.csv``): a transfer to them is a port's."""
    port_shares: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    """By port with berths on a water side of several ports with berths (Aktau and
    Kuryk): the side's ports and the share of the cargo each one's berths serve, the
    lift of its lines over the water's (as the simulation splits the crossing over the
    lines, :class:`~corridors.cost.ferry_lines.FerryLines`)."""

    def link(self, link_id: str, from_node: str) -> NetworkElement | None:
        """The element of a link used from ``from_node`` (``None``: no capacity)."""
        return self.links.get((link_id, from_node))

    def node(self, node_id: str) -> NetworkElement | None:
        """The element of a node (``None``: no capacity)."""
        return self.nodes.get(node_id)


def element_link(key: str) -> str | None:
    """The link id of a link element key (``None`` for a node or a water)."""
    kind, _, rest = key.partition(":")
    if kind != "link":
        return None
    return rest.partition("#")[0].partition("@")[0]


def on_link(key: str, link_id: str, from_node: str, to_node: str) -> bool:
    """The element ``key`` is link ``link_id`` used from ``from_node`` to ``to_node``.

    A section or a line (``link:<id>@<from node>``) is on the link in its direction; a
    water (``water:<ports>@<side>``) on every ferry or sea link from a port of its side
    to another of its ports. Keys of both directions (``link:<id>``, ``water:<ports>``,
    in stores written before the lines were split by direction) match either way.
    """
    kind, _, rest = key.partition(":")
    base = rest.partition("#")[0]
    if kind == "water":
        ports, side = water_ports(key)
        return from_node in side and to_node in ports
    if element_link(key) != link_id:
        return False
    _, at, frm = base.partition("@")
    return not at or frm == from_node


def _with_queue(caps: dict[str, float], queue: float) -> dict[str, float]:
    """Capacities at most the queue's (an element with only a queue: ``all``)."""
    if not math.isfinite(queue):
        return caps
    if not caps:
        return {"all": queue}
    return {cls: min(cap, queue) for cls, cap in caps.items()}


def network_elements(network: Network, *, tonnes_per_teu: float) -> NetworkElements:
    """Every capacitated node and link of ``network``, with the capacity of its queue.

    A node or link limits all cargo by its tonne capacity (TEU-equivalents at
    ``tonnes_per_teu``), a port also containers by its TEU capacity
    (:func:`element_capacities`); the ferry and feeder lines across one water
    (:mod:`corridors.scenarios.water_elements`) are one element a direction with the
    lines' capacities together. An element with a queue
    (:func:`~corridors.cost.element_queues.element_queue`: the servers the simulation
    serves) has at most its queue's practical capacity, the knee
    (:data:`~corridors.cost.element_delays.KNEE`) of its capacity
    (:func:`~corridors.cost.element_queues.capacity_teu_yr`): the simulated servers
    then run at most at utilisation 0.95, where a year's queue stays finite; a water's
    general cargo at most that of its rail ferries. Every link element is one element
    per direction, as the simulation serves it.
    """
    link_teu, link_t, node_teu, node_t = _capacities(network, tonnes_per_teu)
    nodes: dict[str, NetworkElement] = {}
    servers: dict[str, str] = {}
    throughput: dict[str, NetworkElement] = {}
    lined = lined_links(network)
    port = (network.nodes["kind"] == "port").to_numpy()
    mixed = mixed_nodes(network, lined)
    for j, nid in enumerate(network.nodes["node_id"].astype(str)):
        table = element_capacities(float(node_teu[j]) if port[j] else math.nan, float(node_t[j]))
        queue = element_queue(network, f"node:{nid}")
        q_cap = math.inf if queue is None else KNEE * capacity_teu_yr(queue)
        caps = _with_queue(table, q_cap)
        if caps:
            nodes[nid] = NetworkElement(f"node:{nid}", caps, bulk_use(queue, tonnes_per_teu))
        service = (
            None
            if queue is None
            else node_service(_row(network.nodes, j), lined=node_lined(network, nid))
        )
        if service is not None:
            servers[nid] = service[0]
            if "all" in table and nid in mixed:  # its tonnes; containers use its servers
                throughput[nid] = NetworkElement(f"node:{nid}@throughput", {"all": table["all"]})
    links: dict[tuple[str, str], NetworkElement] = {}
    lk = network.links
    lids = lk["link_id"].astype(str).to_numpy()
    a_ends = lk["from_node_id"].astype(str).to_numpy()
    b_ends = lk["to_node_id"].astype(str).to_numpy()
    has_caps = np.isfinite(link_teu) | np.isfinite(link_t)
    in_water: set[int] = set()
    port_shares: dict[str, tuple[tuple[str, float], ...]] = {}
    for rows in water_groups(network, has_caps):
        in_water.update(rows)
        port_shares.update(_port_shares(network, rows, servers))
        ports = "+".join(sorted({a_ends[r] for r in rows} | {b_ends[r] for r in rows}))
        ships = (lk["mode"].to_numpy()[rows] == "sea") & ~np.isfinite(link_t[rows])
        caps = water_capacities(link_teu[rows], link_t[rows], container_ships=ships)
        caps = {c: v for c, v in caps.items() if math.isfinite(v) and v > 0}
        queue = element_queue(network, f"water:{ports}")
        if queue is not None:
            lift = KNEE * capacity_teu_yr(queue)
            general = element_queue(network, f"water:{ports}#general")
            caps = {
                c: min(v, KNEE * capacity_teu_yr(general) if general is not None else 0.0)
                if c == "general"
                else min(v, lift)
                for c, v in (caps or {"all": lift}).items()
            }
        if not caps:
            continue
        use = bulk_use(queue, tonnes_per_teu)
        sides = water_sides(network, rows)
        by_side = {
            side: NetworkElement(f"water:{ports}@{side}", caps, use) for side in sides.values()
        }
        for r in rows:
            for frm in (a_ends[r], b_ends[r]):
                links[lids[r], frm] = by_side[sides[frm]]
    modes = lk["mode"].astype(str).to_numpy()
    for i in range(len(lids)):
        if i in in_water or modes[i] in ("ferry", "sea"):
            continue
        caps = {c: v for c, v in element_capacities(math.nan, float(link_t[i])).items() if v > 0}
        queue = element_queue(network, f"link:{lids[i]}")
        if queue is not None:
            caps = _with_queue(caps, KNEE * capacity_teu_yr(queue))
        if not caps:
            continue
        use = bulk_use(queue, tonnes_per_teu)
        for frm in (a_ends[i], b_ends[i]):
            links[lids[i], frm] = NetworkElement(f"link:{lids[i]}@{frm}", caps, use)
    return NetworkElements(nodes, links, servers, throughput, lined, port_shares)


def _port_shares(
    network: Network, rows: Sequence[int], servers: Mapping[str, str]
) -> dict[str, tuple[tuple[str, float], ...]]:
    """The berths' share of a water side's cargo at each of its ports.

    See :attr:`NetworkElements.port_shares`: the lift of the lines calling there over
    the lift of all the water's lines.
    """
    lk = network.links
    ids = lk["link_id"].astype(str).to_numpy()
    a_ends = lk["from_node_id"].astype(str).to_numpy()
    b_ends = lk["to_node_id"].astype(str).to_numpy()
    lift: dict[str, float] = {}
    for r in rows:
        queue = line_queue(network, str(ids[r]))
        if queue is None:
            continue
        for port in (str(a_ends[r]), str(b_ends[r])):
            lift[port] = lift.get(port, 0.0) + queue.capacity_per_h(0.0)
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    for side in set(water_sides(network, rows).values()):
        ports = side.split("+")
        total = sum(lift.get(p, 0.0) for p in ports)
        if len(ports) < 2 or not total > 0 or any(servers.get(p) != "port" for p in ports):
            continue
        shares = tuple((p, lift.get(p, 0.0) / total) for p in ports)
        out.update(dict.fromkeys(ports, shares))
    return out


def _row(table: pd.DataFrame, i: int) -> dict[str, object]:
    return {str(k): v for k, v in table.iloc[i].items()}
