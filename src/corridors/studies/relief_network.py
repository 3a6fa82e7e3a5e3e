"""The relief network a study solves: places, depots, closures and the fastest routes.

The relief tables become timed links (each undirected link both ways, the reverse
marked :data:`REVERSE`), handling rates at places and release rates at depots, with
closed elements shut; :func:`fastest_routes` gives each depot's quickest route to the
disaster area, whatever its capacity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from corridors.errors import UnknownPlaceError, close_choices
from corridors.flows.timeexpanded import TimedLink
from corridors.relief.io import ReliefTables
from corridors.relief.schema import MODE_PRIORITY

REVERSE = ":rev"
"""Suffix of the reverse direction of an undirected relief link."""


def find_place(tables: ReliefTables, text: str) -> str:
    """Node id of a relief place named by id, name or alias (any case).

    Raises
    ------
    UnknownPlaceError
        With the closest names.
    """
    key = text.strip().casefold()
    names: list[str] = []
    for r in tables.nodes.to_dict("records"):
        candidates = [str(r["node_id"]), str(r["name"]), *r["aliases"]]
        candidates.append(str(r["name"]).split(" (")[0])
        if key in {c.casefold() for c in candidates}:
            return str(r["node_id"])
        names.extend(candidates)
    raise UnknownPlaceError(text, close_choices(text, names))


def choose_depots(tables: ReliefTables, spec: str) -> tuple[str, ...]:
    """Depots named by ``OTS``/``all`` (members and observers), ``members`` or a list.

    Raises
    ------
    UnknownPlaceError
        A named place is not in the relief network, or not a depot.
    """
    depots = {
        str(r["node_id"]): str(r["ots"])
        for r in tables.nodes.to_dict("records")
        if r["kind"] == "depot"
    }
    if spec.strip().upper() in ("OTS", "ALL"):
        return tuple(d for d, s in depots.items() if s in ("member", "observer"))
    if spec.strip().lower() == "members":
        return tuple(d for d, s in depots.items() if s == "member")
    out: list[str] = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        nid = find_place(tables, part)
        if nid not in depots:
            raise UnknownPlaceError(f"{part} (not a depot)", list(depots))
        out.append(nid)
    return tuple(out)


@dataclass(frozen=True)
class ReliefNetwork:
    """The relief network with its closures applied (rates in tonnes an hour)."""

    places: list[str]
    links: list[TimedLink]
    handling: dict[str, float]
    release: dict[str, float]
    link_info: dict[str, dict[str, Any]]


def relief_network(
    tables: ReliefTables, *, depots: Sequence[str], closed: set[str]
) -> ReliefNetwork:
    """The timed links, handling and release rates of the relief tables, ``closed`` shut."""
    places = [str(x) for x in tables.nodes["node_id"]]
    handling: dict[str, float] = {}
    release: dict[str, float] = {}
    for r in tables.nodes.to_dict("records"):
        nid = str(r["node_id"])
        shut = nid in closed or r["status"] == "closed"
        if shut:
            handling[nid] = 0.0
        elif not math.isnan(r["handling_t_day"]):
            handling[nid] = r["handling_t_day"] / 24.0
        if nid in depots and not shut:
            release[nid] = r["dispatch_t_day"] / 24.0
    links: list[TimedLink] = []
    info: dict[str, dict[str, Any]] = {}
    for r in tables.links.to_dict("records"):
        lid = str(r["link_id"])
        hours = r["length_km"] / r["speed_kmh"] + r["fixed_h"]
        rate = math.inf if math.isnan(r["capacity_t_day"]) else r["capacity_t_day"] / 24.0
        info[lid] = {
            "name": str(r["name"]),
            "from": str(r["from_node_id"]),
            "to": str(r["to_node_id"]),
            "mode": str(r["mode"]),
            "hours": hours,
            "capacity_t_day": None if math.isinf(rate) else r["capacity_t_day"],
            "closed": lid in closed or r["status"] == "closed",
        }
        if info[lid]["closed"]:
            continue
        links.append(TimedLink(lid, info[lid]["from"], info[lid]["to"], hours, rate))
        if not r["directed"]:
            links.append(TimedLink(lid + REVERSE, info[lid]["to"], info[lid]["from"], hours, rate))
    return ReliefNetwork(places, links, handling, release, info)


def fastest_routes(
    net: ReliefNetwork,
    *,
    depots: Sequence[str],
    destination: str,
    window_h: float,
) -> list[dict[str, Any]]:
    """Each depot's quickest route to ``destination`` (hours, links, main mode)."""
    index = {p: i for i, p in enumerate(net.places)}
    n = len(index)
    best: dict[tuple[int, int], tuple[float, str]] = {}
    for lk in net.links:
        if net.handling.get(lk.tail) == 0 or net.handling.get(lk.head) == 0 or lk.rate == 0:
            continue
        key = (index[lk.tail], index[lk.head])
        if key not in best or lk.time_h < best[key][0]:
            best[key] = (lk.time_h, lk.id.removesuffix(REVERSE))
    rows = [k[0] for k in best]
    cols = [k[1] for k in best]
    weights = [v[0] for v in best.values()]
    graph = sparse.csr_array((weights, (rows, cols)), shape=(n, n))
    out: list[dict[str, Any]] = []
    for d in depots:
        dist, pred = dijkstra(graph, indices=index[d], return_predecessors=True)
        t = float(dist[index[destination]])
        if not math.isfinite(t):
            out.append(
                {"depot": d, "hours": None, "links": [], "mode": None, "within_window": False}
            )
            continue
        path: list[str] = []
        j = index[destination]
        while j != index[d]:
            i = int(pred[j])
            path.append(best[(i, j)][1])
            j = i
        path.reverse()
        modes = [net.link_info[lid]["mode"] for lid in path]
        out.append(
            {
                "depot": d,
                "hours": t,
                "links": path,
                "mode": next(m for m in MODE_PRIORITY if m in modes),
                "within_window": t <= window_h,
            }
        )
    return out
