"""A door-to-door route, its legs and stops, and how a path becomes one.

:class:`Step` a leg or a stop, :class:`Route` the totals per unit, the corridor it
belongs to (:func:`label_corridor`), and :func:`route_from_path` from a path of the
expanded graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from corridors.routing.graph import DESTINATION, LINK, ORIGIN, THROUGH, TRANSFER, ExpandedGraph
from corridors.routing.paths import Path

HOURS_PER_DAY = 24.0


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a route: a leg over a link, or a stop at a node.

    Attributes
    ----------
    kind : str
        ``link`` (moving), ``terminal`` (handling at the origin or destination),
        ``border`` (clearance) or ``transfer`` (change of mode or gauge).
    node_id : str or None
        Node of a stop.
    link_id, from_node_id, to_node_id, mode : str or None
        Link of a leg, the direction it is used in, and its mode.
    hours : float
        Time of the step, h (for legs including ``wait_h``).
    wait_h : float
        Expected wait for the scheduled service of a leg, h.
    usd : float
        Money per unit, USD.
    kg_co2e : float
        Emissions per unit, kg CO2e.
    km : float
        Distance, km.
    """

    kind: str
    node_id: str | None = None
    link_id: str | None = None
    from_node_id: str | None = None
    to_node_id: str | None = None
    mode: str | None = None
    hours: float = 0.0
    wait_h: float = 0.0
    usd: float = 0.0
    kg_co2e: float = 0.0
    km: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """The step as a JSON-ready dict (empty fields left out)."""
        out: dict[str, object] = {"kind": self.kind}
        for name in ("node_id", "link_id", "from_node_id", "to_node_id", "mode"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out |= {
            "hours": round(self.hours, 3),
            "usd": round(self.usd, 2),
            "kg_co2e": round(self.kg_co2e, 3),
            "km": round(self.km, 1),
        }
        if self.wait_h:
            out["wait_h"] = round(self.wait_h, 3)
        return out


@dataclass(frozen=True, slots=True)
class Route:
    """A door-to-door route and its totals per unit (TEU or tonne).

    Attributes
    ----------
    corridor : str
        Corridor label (``middle``, ``northern``, ``sea_suez`` ...; ``a+b`` when the
        route mixes corridors, ``shared`` when it uses only shared links).
    origin, destination : str
        Node ids.
    unit : str
        ``TEU`` or ``t``.
    hours, usd, kg_co2e, km : float
        Totals: time (h), money (USD), emissions (kg CO2e), distance (km).
    generalised_cost_usd : float
        Money plus valued time and priced carbon, USD per unit.
    borders : int
        Border crossings (changes of country along the route).
    transfers : int
        Changes of mode or gauge.
    steps : tuple of Step
        Legs and stops in order.
    """

    corridor: str
    origin: str
    destination: str
    unit: str
    hours: float
    usd: float
    kg_co2e: float
    km: float
    generalised_cost_usd: float
    borders: int
    transfers: int
    steps: tuple[Step, ...]

    @property
    def days(self) -> float:
        """Door-to-door time, days."""
        return self.hours / HOURS_PER_DAY

    @property
    def legs(self) -> tuple[Step, ...]:
        """The link steps."""
        return tuple(s for s in self.steps if s.kind == "link")

    @property
    def link_ids(self) -> tuple[str, ...]:
        """Links used, in order."""
        return tuple(str(s.link_id) for s in self.legs)

    @property
    def node_ids(self) -> tuple[str, ...]:
        """Places passed, in order, from origin to destination."""
        legs = self.legs
        if not legs:
            return (self.origin,)
        return (str(legs[0].from_node_id), *(str(s.to_node_id) for s in legs))

    def to_dict(self) -> dict[str, object]:
        """The route as a JSON-ready dict with the documented field names."""
        return {
            "corridor": self.corridor,
            "origin": self.origin,
            "destination": self.destination,
            "unit": self.unit,
            "days": round(self.days, 3),
            "hours": round(self.hours, 2),
            "usd": round(self.usd, 2),
            "kg_co2e": round(self.kg_co2e, 2),
            "km": round(self.km, 1),
            "borders": self.borders,
            "transfers": self.transfers,
            "generalised_cost_usd": round(self.generalised_cost_usd, 2),
            "legs": [s.to_dict() for s in self.legs],
            "stops": [s.to_dict() for s in self.steps if s.kind != "link"],
        }


def label_corridor(tags: list[tuple[str, ...]], order: tuple[str, ...]) -> str:
    """Corridor a route belongs to, from the tags of the links it uses.

    The corridor shared by every tagged link wins (the first in ``order`` when several
    are); a route whose links have no common corridor is labelled by joining the
    corridors it passes in order of first use (``northern+middle``), and a route on
    shared links only is ``shared``.
    """
    tagged = [set(t) for t in tags if t]
    if not tagged:
        return "shared"
    common = set.intersection(*tagged)
    rank = {c: i for i, c in enumerate(order)}
    if common:
        return min(common, key=lambda c: (rank.get(c, len(rank)), c))
    seq: list[str] = []
    for t in tags:
        if t and not any(c in t for c in seq[-1:]):
            best = min(t, key=lambda c: (rank.get(c, len(rank)), c))
            if best not in seq:
                seq.append(best)
    return "+".join(seq)


class ArcSteps(NamedTuple):
    """What one arc adds to a route: its steps, the tags of its link and its counts."""

    steps: tuple[Step, ...]
    tags: tuple[str, ...] | None
    borders: int
    transfers: int
    origin: str | None
    destination: str | None


def arc_steps(graph: ExpandedGraph, a: int) -> ArcSteps:
    """The steps of arc ``a`` of ``graph`` (computed once per graph and arc).

    A link arc is its leg with the border clearances at its ends when it crosses a
    border; an origin or destination arc the terminal (when it takes time or money), a
    transfer arc the transfer, a through arc nothing. Steps are immutable, so the
    routes through an arc share them.
    """
    cache = graph.arc_cache
    found = cache.get(a)
    if found is None:
        found = cache[a] = _arc_steps(graph, a)
    return found


def _arc_steps(graph: ExpandedGraph, a: int) -> ArcSteps:
    tab = graph.tables
    node_ids, countries = tab.node_ids, tab.countries
    k = int(graph.kind[a])
    if k == LINK:
        li = int(graph.arc_link[a])
        nu = int(graph.vertex_node[graph.tail[a]])
        nv = int(graph.vertex_node[graph.head[a]])
        u, v = str(node_ids[nu]), str(node_ids[nv])
        crossing = bool(countries[nu] != countries[nv])
        out_h, out_usd = (
            (float(tab.exit_h[nu]), float(tab.exit_usd[nu])) if crossing else (0.0, 0.0)
        )
        in_h, in_usd = (
            (float(tab.entry_h[nv]), float(tab.entry_usd[nv])) if crossing else (0.0, 0.0)
        )
        steps: list[Step] = []
        if out_h or out_usd:
            steps.append(Step(kind="border", node_id=u, hours=out_h, usd=out_usd))
        steps.append(
            Step(
                kind="link",
                link_id=str(tab.link_ids[li]),
                from_node_id=u,
                to_node_id=v,
                mode=str(tab.link_modes[li]),
                hours=float(graph.hours[a] - out_h - in_h),
                wait_h=float(graph.wait_h[a]),
                usd=float(graph.usd[a] - out_usd - in_usd),
                kg_co2e=float(graph.kg_co2e[a]),
                km=float(graph.km[a]),
            )
        )
        if in_h or in_usd:
            steps.append(Step(kind="border", node_id=v, hours=in_h, usd=in_usd))
        return ArcSteps(tuple(steps), graph.link_tags[li], int(crossing), 0, None, None)
    n = int(graph.arc_node[a])
    nid = str(node_ids[n])
    hours, usd = float(tab.handling_h[n]), float(tab.handling_usd[n])
    if k in (ORIGIN, DESTINATION):
        terminal = Step(kind="terminal", node_id=nid, hours=hours, usd=usd)
        return ArcSteps(
            (terminal,) if terminal.hours or terminal.usd else (),
            None,
            0,
            0,
            nid if k == ORIGIN else None,
            nid if k == DESTINATION else None,
        )
    if k == TRANSFER:
        return ArcSteps(
            (Step(kind="transfer", node_id=nid, hours=hours, usd=usd),), None, 0, 1, None, None
        )
    if k != THROUGH:  # pragma: no cover - all kinds handled
        raise AssertionError(k)
    return ArcSteps((), None, 0, 0, None, None)


def route_from_path(graph: ExpandedGraph, path: Path, *, corridor: str | None = None) -> Route:
    """Turn a path of arc ids into a :class:`Route` with its steps and totals."""
    steps: list[Step] = []
    tags: list[tuple[str, ...]] = []
    borders = transfers = 0
    origin = destination = ""
    for a in path.arcs:
        part = arc_steps(graph, a)
        steps.extend(part.steps)
        if part.tags is not None:
            tags.append(part.tags)
        borders += part.borders
        transfers += part.transfers
        origin = part.origin or origin
        destination = part.destination or destination
    arcs = np.asarray(path.arcs, dtype=np.intp)
    hours = float(graph.hours[arcs].sum())
    usd = float(graph.usd[arcs].sum())
    kg = float(graph.kg_co2e[arcs].sum())
    params = graph.params
    return Route(
        corridor=corridor or label_corridor(tags, graph.network.corridor_ids),
        origin=origin,
        destination=destination,
        unit=graph.unit,
        hours=hours,
        usd=usd,
        kg_co2e=kg,
        km=float(graph.km[arcs].sum()),
        generalised_cost_usd=params.generalised(usd=usd, hours=hours, kg_co2e=kg),
        borders=borders,
        transfers=transfers,
        steps=tuple(steps),
    )
