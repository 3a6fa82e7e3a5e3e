"""What a relief study found: tonnes in the window, routes, and what binds.

:class:`ReliefStudy` is the answer; :func:`routes_taken` groups the flow into routes
from each depot, :func:`element_loads` gives each link's and place's load, capacity
and shadow price (tonnes a day gained per tonne a day of capacity added).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corridors.flows.paths import decompose
from corridors.flows.timeexpanded import (
    COMMODITY,
    DELIVERY_PENALTY,
    SINK,
    SOURCE,
    TimeExpansion,
)
from corridors.relief.io import ReliefTables
from corridors.relief.schema import MODE_PRIORITY
from corridors.studies.relief_network import REVERSE, ReliefNetwork


@dataclass(frozen=True)
class ReliefStudy:
    """What ``corridors relief`` found (see :meth:`to_dict` for the JSON).

    Attributes
    ----------
    destination : str
        Node id of the disaster area.
    window_h, step_h : float
    depots : tuple of str
    closed : tuple of str
        Elements closed (by the command line or in the data).
    tonnes : float
        Tonnes arriving within the window.
    routes, fastest, binding, reopening, links, nodes : list of dict
        ``gain_t_per_t_day`` (in ``binding``, ``links`` and ``nodes``) is the shadow price
        of a capacity: tonnes a day gained, on average over the window, per tonne a day of
        capacity added. Closed elements are left out of ``binding``; ``reopening`` says
        what opening each of them adds.
    coords : dict of str to (float, float)
    """

    destination: str
    window_h: float
    step_h: float
    depots: tuple[str, ...]
    closed: tuple[str, ...]
    tonnes: float
    routes: list[dict[str, Any]]
    fastest: list[dict[str, Any]]
    binding: list[dict[str, Any]]
    reopening: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    coords: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def days(self) -> float:
        """The window in days."""
        return self.window_h / 24.0

    @property
    def tonnes_per_day(self) -> float:
        """Average arrivals over the window, tonnes a day."""
        return self.tonnes / self.days

    def by_mode(self) -> dict[str, float]:
        """Tonnes a day arriving by each mode (a route is called by its main mode)."""
        out = dict.fromkeys(MODE_PRIORITY[::-1], 0.0)
        for r in self.routes:
            out[r["mode"]] += r["tonnes_per_day"]
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "to": self.destination,
            "within_h": self.window_h,
            "step_h": self.step_h,
            "depots": list(self.depots),
            "closed": list(self.closed),
            "tonnes_in_window": self.tonnes,
            "tonnes_per_day": self.tonnes_per_day,
            "tonnes_per_day_by_mode": self.by_mode(),
            "routes": self.routes,
            "fastest": self.fastest,
            "binding": self.binding,
            "reopening": self.reopening,
            "links": self.links,
            "nodes": self.nodes,
        }


def routes_taken(
    te: TimeExpansion, result: Any, net: ReliefNetwork, *, days: float
) -> list[dict[str, Any]]:
    """The flow of a solved window grouped by depot and links, largest first."""
    grouped: dict[tuple[str, tuple[str, ...]], float] = {}
    places: dict[tuple[str, ...], list[str]] = {}
    for path, amount in decompose(result, commodity=COMMODITY, source=SOURCE, sink=SINK):
        depot = te.base[path[0]][1]
        used = [te.base[a][1] for a in path if te.base[a][0] == "link"]
        seq = tuple(lid.removesuffix(REVERSE) for lid in used)
        visited = [depot]
        for lid in used:
            info = net.link_info[lid.removesuffix(REVERSE)]
            visited.append(info["from"] if lid.endswith(REVERSE) else info["to"])
        places[seq] = visited
        grouped[(depot, seq)] = grouped.get((depot, seq), 0.0) + amount
    out: list[dict[str, Any]] = []
    for (depot, seq), amount in sorted(grouped.items(), key=lambda kv: -kv[1]):
        modes = [net.link_info[lid]["mode"] for lid in seq]
        out.append(
            {
                "depot": depot,
                "links": list(seq),
                "places": places[seq],
                "modes": sorted(set(modes)),
                "mode": next(m for m in MODE_PRIORITY if m in modes),
                "hours": sum(net.link_info[lid]["hours"] for lid in seq),
                "tonnes": amount,
                "tonnes_per_day": amount / days,
            }
        )
    return out


def element_loads(
    te: TimeExpansion,
    result: Any,
    net: ReliefNetwork,
    tables: ReliefTables,
    *,
    window_h: float,
    step_h: float,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Links, places and what binds (open elements with a shadow price), as dicts."""
    flow: dict[str, float] = {}
    gain: dict[str, float] = {}
    arc_ids = result.arc_ids
    load = result.arc_load
    for i, aid in enumerate(arc_ids):
        kind, static, _ = te.base[aid]
        if kind not in ("link", "handling"):
            continue
        key = static.removesuffix(REVERSE)
        flow[key] = flow.get(key, 0.0) + float(load[i])
        gain[key] = gain.get(key, 0.0) + float(result.arc_shadow_price[i])
    days = window_h / 24.0
    # d(tonnes in the window)/d(capacity in t/day), divided by the window's days:
    # tonnes a day gained per tonne a day of capacity added (0..1)
    per_t_day = step_h / 24.0 / DELIVERY_PENALTY / days
    links: list[dict[str, Any]] = []
    for lid, info in net.link_info.items():
        cap_day = info["capacity_t_day"]
        cap = None if cap_day is None else (0.0 if info["closed"] else cap_day * days)
        f = flow.get(lid, 0.0)
        links.append(
            {
                "id": lid,
                "name": info["name"],
                "from": info["from"],
                "to": info["to"],
                "mode": info["mode"],
                "hours": info["hours"],
                "flow_t": f,
                "capacity_t": cap,
                "utilisation": None if not cap else f / cap,
                "tonnes_per_day": f / days,
                "gain_t_per_t_day": gain.get(lid, 0.0) * per_t_day,
                "status": "closed" if info["closed"] else "open",
            }
        )
    nodes: list[dict[str, Any]] = []
    for r in tables.nodes.to_dict("records"):
        nid = str(r["node_id"])
        if nid not in net.handling:
            continue
        rate = net.handling[nid]
        cap = rate * 24.0 * days
        f = flow.get(nid, 0.0)
        nodes.append(
            {
                "id": nid,
                "name": str(r["name"]),
                "from": None,
                "to": None,
                "mode": str(r["kind"]),
                "flow_t": f,
                "capacity_t": cap,
                "utilisation": None if cap == 0 else f / cap,
                "tonnes_per_day": f / days,
                "gain_t_per_t_day": gain.get(nid, 0.0) * per_t_day,
                "status": "closed" if rate == 0 else "open",
            }
        )
    binding = sorted(
        (
            {"id": e["id"], "name": e["name"], "gain_t_per_t_day": e["gain_t_per_t_day"]}
            for e in (*links, *nodes)
            if e["gain_t_per_t_day"] > 1e-6 and e["status"] != "closed"
        ),
        key=lambda e: -e["gain_t_per_t_day"],
    )
    return links, nodes, binding
