"""The nodes a route uses as elements: their servers at the stops they serve.

A node's servers (:func:`~corridors.cost.element_queues.node_service`) serve only the
stops of their kind (:func:`~corridors.cost.element_queues.serves` of the stop's
:func:`~corridors.cost.element_queues.stop_station`, as the simulation serves them): a
port's berths its ferry and feeder cargo, not the crude its oil terminal loads on
tankers. A node where a route can stop without its servers (:func:`mixed_nodes`) has
its table capacity as an element of its own, ``node:<id>@throughput``. No I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridors.cost.element_queues import serves, stop_station
from corridors.network.model import Network
from corridors.routing import Route

if TYPE_CHECKING:
    from corridors.scenarios.elements import NetworkElement, NetworkElements

__all__ = ["lined_links", "mixed_nodes", "node_stop_steps"]


def lined_links(network: Network) -> frozenset[str]:
    """Ferry and sea links with ships in ``vessel.csv``."""
    if not len(network.vessels):
        return frozenset()
    return frozenset(str(x) for x in network.vessels["link_id"])


def mixed_nodes(network: Network, lined: frozenset[str]) -> set[str]:
    """Nodes where a route can stop without their servers.

    The ends of a link that is neither rail nor a line with ships (a crude tanker, a
    pipeline, a road).
    """
    lk = network.links
    other = ~(lk["mode"].eq("rail") | lk["link_id"].astype(str).isin(lined)).to_numpy()
    ends = set(lk["from_node_id"].astype(str).to_numpy()[other])
    return ends | set(lk["to_node_id"].astype(str).to_numpy()[other])


def node_stop_steps(
    route: Route, groups: NetworkElements
) -> list[tuple[NetworkElement, int, float]]:
    """The node elements a route uses, the step it stops there and the share of its cargo.

    The step is the index in ``route.steps`` of the stop whose hours the route spends at
    the element, -1 where the route passes without a stop.

    A node with servers counts the route at its element (``node:<id>``) only at a stop
    its servers serve (:func:`~corridors.cost.element_queues.serves` of the stop's
    :func:`~corridors.cost.element_queues.stop_station`, as the simulation serves it),
    and at its throughput (``node:<id>@throughput``) wherever the route passes it; a
    node without servers at every stop and pass (share 1). A port stop on a water side
    of several ports with berths counts at the berths of each of the side's ports with
    the share of the cargo they serve (``groups.port_shares``: Aktau's and Kuryk's).
    """
    out: list[tuple[NetworkElement, int, float]] = []
    steps = route.steps
    legs = [i for i, s in enumerate(steps) if s.link_id is not None]
    for i, step in enumerate(steps):
        if step.link_id is not None or step.node_id is None:
            continue
        nid = str(step.node_id)
        own = groups.nodes.get(nid)
        kind = groups.servers.get(nid)
        if kind is not None:
            near = [
                steps[j]
                for j in (
                    max((j for j in legs if j < i), default=-1),
                    min((j for j in legs if j > i), default=-1),
                )
                if j >= 0
            ]
            stop = stop_station(
                step.kind,
                {s.mode for s in near},
                lined=any(str(s.link_id) in groups.lined for s in near),
            )
            if not serves(kind, stop):
                own = None
            elif stop == "port" and nid in groups.port_shares:
                for port, share in groups.port_shares[nid]:
                    berths = groups.nodes.get(port)
                    if berths is not None and share > 0.0:
                        out.append((berths, i, share))
                own = None
        if own is not None:
            out.append((own, i, 1.0))
        if nid in groups.throughput:
            out.append((groups.throughput[nid], i, 1.0))
    for nid in route.node_ids:  # capacitated nodes passed without a stop
        own = None if nid in groups.servers else groups.nodes.get(nid)
        for el in (own, groups.throughput.get(nid)):
            if el is not None:
                out.append((el, -1, 1.0))
    return out
