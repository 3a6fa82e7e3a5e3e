"""The answer of a congested compare: each corridor's route with free-flow, P50 and P90 times.

:class:`CongestedRoute` is one corridor's route and its times; :class:`ElementQueue` the
queue at one element it passes (utilisation, mean wait, shadow price in the scenario's
equilibrium). :mod:`corridors.studies.compare` computes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from corridors.routing import Route

__all__ = ["HOURS_PER_DAY", "CongestedRoute", "ElementQueue"]

HOURS_PER_DAY = 24.0


@dataclass(frozen=True, slots=True)
class ElementQueue:
    """The queue at one element of a route.

    Attributes
    ----------
    element : str
        The equilibrium's element (``node:<id>``, ``link:<id>@<from>``,
        ``water:<ports>@<side>``).
    kind : str
        Its queue: ``border``, ``gauge``, ``port``, ``terminal``, ``section``, ``ferry``,
        or ``capacity`` when it has no queue data (a hard limit with no delay below it).
    node_id, link_id : str or None
        Where it is on the route (a stop at a node, or a leg over a link).
    utilisation : float
        Flow over capacity in the equilibrium.
    queue_h : float
        Mean wait in its queue in the equilibrium, hours; scheduled departures not
        included (they are in the free-flow time).
    shadow_price_usd : float
        Shadow price of the element in the equilibrium, USD per unit (0 when not full).
    rationing_h : float
        Wait that rations the element at capacity, hours (its shadow price over the
        value of time; 0 when not full).
    """

    element: str
    kind: str
    node_id: str | None
    link_id: str | None
    utilisation: float
    queue_h: float
    shadow_price_usd: float = 0.0
    rationing_h: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict."""
        out: dict[str, object] = {"element": self.element, "kind": self.kind}
        for name in ("node_id", "link_id"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out["utilisation"] = round(self.utilisation, 4)
        out["queue_h"] = round(self.queue_h, 3)
        if self.shadow_price_usd:
            out["shadow_price_usd"] = round(self.shadow_price_usd, 2)
            out["rationing_h"] = round(self.rationing_h, 3)
        return out


@dataclass(frozen=True)
class CongestedRoute:
    """One corridor's route with its free-flow time and congested P50 and P90.

    Attributes
    ----------
    route : Route
        The route of the longest part of the year in which the corridor is open.
    free_h : float
        Free-flow time, hours (share-weighted over the parts of the year it is open).
    mean_h, p50_h, p90_h : float
        Mean, median and 90th percentile of the time with the queues, hours.
    queues : tuple of ElementQueue
        The elements of ``route`` with a queue model or an equilibrium load.
    open_share : float
        Share of the year the corridor has a route.
    """

    route: Route
    free_h: float
    mean_h: float
    p50_h: float
    p90_h: float
    queues: tuple[ElementQueue, ...]
    open_share: float = 1.0

    @property
    def corridor(self) -> str:
        """Corridor id."""
        return self.route.corridor

    def to_dict(self) -> dict[str, object]:
        """The route's dict (:meth:`Route.to_dict`) with the congested times.

        Adds ``days_free``, ``days_p50``, ``days_p90``, the queue of each leg and stop
        (``queue_h``; at a full element its ``shadow_price_usd`` and ``rationing_h``) and
        the list of ``queues``.
        """
        data = self.route.to_dict()
        by_link: dict[str, list[ElementQueue]] = {}
        by_node: dict[str, list[ElementQueue]] = {}
        for q in self.queues:
            if q.link_id is not None:
                by_link.setdefault(q.link_id, []).append(q)
            elif q.node_id is not None:
                by_node.setdefault(q.node_id, []).append(q)
        for items, index, key in (
            (data["legs"], by_link, "link_id"),
            (data["stops"], by_node, "node_id"),
        ):
            for item in items:  # type: ignore[attr-defined]
                found = index.pop(item[key], []) if item["kind"] != "terminal" else []
                item["queue_h"] = round(float(sum(q.queue_h for q in found)), 3)
                price = sum(q.shadow_price_usd for q in found)
                if price:
                    item["shadow_price_usd"] = round(price, 2)
                    item["rationing_h"] = round(float(sum(q.rationing_h for q in found)), 3)
        data |= {
            "days_free": _days(self.free_h),
            "days_p50": _days(self.p50_h),
            "days_p90": _days(self.p90_h),
            "days_mean": _days(self.mean_h),
            "queue_h": round(float(sum(q.queue_h for q in self.queues)), 3),
            "rationing_h": round(float(sum(q.rationing_h for q in self.queues)), 3),
            "open_share": round(self.open_share, 4),
            "queues": [q.to_dict() for q in self.queues],
        }
        return data


def _days(hours: float) -> float | None:
    return round(hours / HOURS_PER_DAY, 3) if math.isfinite(hours) else None
