"""Relief logistics: how many tonnes a day reach a disaster area within a window.

``corridors relief --to Kahramanmaras --from OTS --within 72h --close iskenderun_port``:
from the depots of the Organization of Turkic States' members (and observers, where
their routes allow), over the relief network (``relief_node.csv``, ``relief_link.csv``),
the time-expanded maximum flow of :mod:`corridors.flows.timeexpanded` gives the tonnes
that arrive within the window, by route and by mode; its shadow prices say what binds
(tonnes gained per extra tonne a day of capacity); re-running with each closed element
open says what a reopening would add.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from corridors.datasets import eurasia_path
from corridors.errors import UnknownPlaceError, close_choices
from corridors.flows import solve
from corridors.flows.paths import decompose
from corridors.flows.timeexpanded import (
    COMMODITY,
    DELIVERY_PENALTY,
    SINK,
    SOURCE,
    TimedLink,
    TimeExpansion,
    expand,
)
from corridors.network.closures import closed_elements, resolve_closure_names
from corridors.relief.io import ReliefTables, read_relief_tables
from corridors.relief.schema import MODE_PRIORITY

REVERSE = ":rev"
MAX_WINDOW_H = 24.0 * 14


class WindowError(ValueError):
    """A time window that cannot be read (``72h``, ``3d``)."""


def parse_window(text: str) -> float:
    """Hours in a window written ``72h``, ``3d`` or ``72`` (hours).

    Raises
    ------
    WindowError
        Not a positive number of hours or days, or longer than two weeks.
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*([hd]?)\s*", text.lower())
    if m is None:
        msg = f"cannot read window {text!r}; write hours or days, e.g. 72h or 3d"
        raise WindowError(msg)
    hours = float(m.group(1)) * (24.0 if m.group(2) == "d" else 1.0)
    if not 0 < hours <= MAX_WINDOW_H:
        msg = f"window {text!r} must be more than 0 and at most {MAX_WINDOW_H:g} h"
        raise WindowError(msg)
    return hours


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


def _depots(tables: ReliefTables, spec: str) -> tuple[str, ...]:
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
class _Network:
    places: list[str]
    links: list[TimedLink]
    handling: dict[str, float]
    release: dict[str, float]
    link_info: dict[str, dict[str, Any]]


def _network(tables: ReliefTables, *, depots: Sequence[str], closed: set[str]) -> _Network:
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
    return _Network(places, links, handling, release, info)


def _solve(net: _Network, *, destination: str, window_h: float, step_h: float) -> Any:
    te = expand(
        places=net.places,
        links=net.links,
        handling_rate=net.handling,
        release_rate=net.release,
        destination=destination,
        window_h=window_h,
        step_h=step_h,
    )
    return te, solve(te.problem)


def _fastest(
    net: _Network, tables: ReliefTables, *, depots: Sequence[str], destination: str, window_h: float
) -> list[dict[str, Any]]:
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
    del tables
    return out


def relief(
    *,
    to: str,
    origins: str = "OTS",
    within: str = "72h",
    close: Sequence[str] = (),
    step_h: float = 1.0,
    folder: str | Path | None = None,
    reopen: bool = True,
) -> ReliefStudy:
    """Tonnes a day that reach a disaster area from the depots within a window.

    Parameters
    ----------
    to : str
        The disaster area (place name, alias or id), e.g. ``Kahramanmaras``.
    origins : str
        ``OTS`` (members and observers), ``members``, or depots separated by commas.
    within : str
        The window, ``72h`` or ``3d``.
    close : sequence of str
        What is closed, as ``--close`` takes it (:func:`corridors.network.closures.
        resolve_closure_names`): places (ports, airports, cities; id, name or alias),
        links, countries (ISO code: every node of the country) and borders (``TR-SY``:
        every road and rail link between the two).
    step_h : float
        Time step of the time-expanded network, hours.
    folder : str or Path, optional
        Dataset folder with the relief tables; default the shipped one.
    reopen : bool
        Also measure what reopening each closed element would add.

    Returns
    -------
    ReliefStudy

    Raises
    ------
    UnknownPlaceError
        ``to`` or a depot is not in the relief network.
    UnknownClosureError
        An element to close is not in the relief network (every one, with suggestions).
    WindowError
        The window cannot be read.
    """
    tables = read_relief_tables(eurasia_path() if folder is None else folder)
    destination = find_place(tables, to)
    window_h = parse_window(within)
    depots = _depots(tables, origins)
    closures = resolve_closure_names(
        close,
        nodes=tables.nodes,
        links=tables.links,
        place=lambda text: find_place(tables, text),
        passages=False,
    )
    closed_nodes, closed_links = closed_elements(closures, nodes=tables.nodes, links=tables.links)
    closed = closed_nodes | closed_links
    data_closed = {
        str(r["node_id"]) for r in tables.nodes.to_dict("records") if r["status"] == "closed"
    }
    data_closed |= {
        str(r["link_id"]) for r in tables.links.to_dict("records") if r["status"] == "closed"
    }
    net = _network(tables, depots=depots, closed=closed)
    te, result = _solve(net, destination=destination, window_h=window_h, step_h=step_h)
    tonnes = result.delivered(COMMODITY)
    days = window_h / 24.0

    routes = _routes(te, result, net, days=days)
    links, nodes, binding = _elements(te, result, net, tables, window_h=window_h, step_h=step_h)
    reopening: list[dict[str, Any]] = []
    if reopen:
        for element in sorted(closed):
            again = _network(tables, depots=depots, closed=closed - {element})
            _, res2 = _solve(again, destination=destination, window_h=window_h, step_h=step_h)
            gain = res2.delivered(COMMODITY) - tonnes
            reopening.append(
                {"id": element, "adds_tonnes": gain, "adds_tonnes_per_day": gain / days}
            )
    coords = {
        str(r["node_id"]): (float(r["x_coord"]), float(r["y_coord"]))
        for r in tables.nodes.to_dict("records")
    }
    return ReliefStudy(
        destination=destination,
        window_h=window_h,
        step_h=step_h,
        depots=depots,
        closed=tuple(sorted(closed | data_closed)),
        tonnes=tonnes,
        routes=routes,
        fastest=_fastest(net, tables, depots=depots, destination=destination, window_h=window_h),
        binding=binding,
        reopening=reopening,
        links=links,
        nodes=nodes,
        coords=coords,
    )


def _routes(te: TimeExpansion, result: Any, net: _Network, *, days: float) -> list[dict[str, Any]]:
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


def _elements(
    te: TimeExpansion,
    result: Any,
    net: _Network,
    tables: ReliefTables,
    *,
    window_h: float,
    step_h: float,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
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


__all__ = ["ReliefStudy", "WindowError", "find_place", "parse_window", "relief"]
