"""The capacitated elements one route passes, and what it takes of each.

For a route and the :class:`~corridors.scenarios.elements.NetworkElements` of its
network: the elements it passes in its direction and the steps it spends at each
(:func:`element_steps`), their free hours (:func:`element_hours`), the share of an
element's capacity a TEU (equivalent) of its cargo takes (:func:`element_use`) and the
share of its cargo that passes each (:func:`element_share`). No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from corridors.network.model import Network
from corridors.routing import Route, Step
from corridors.scenarios.elements import (
    NetworkElement,
    NetworkElements,
    class_applies,
    class_suffix,
    network_elements,
)
from corridors.scenarios.node_elements import node_stop_steps

__all__ = [
    "MIN_ELEMENT_H",
    "element_hours",
    "element_share",
    "element_steps",
    "element_use",
    "link_elements",
    "route_elements",
]

MIN_ELEMENT_H = 1.0
"""Free time given to a capacitated element a route passes in no time, hours (so that
its volume-delay function still bites)."""


def route_elements(
    route: Route,
    network: Network,
    *,
    tonnes_per_teu: float,
    containers: bool = True,
    groups: NetworkElements | None = None,
) -> tuple[tuple[str, float, float], ...]:
    """Capacitated elements a route uses: ``(key, capacity TEU a year, free hours)``.

    The elements of :func:`network_elements` (``groups``, built when not given) of
    the nodes and links the route passes, in the direction it passes them; a port's
    TEU capacity is its ``#teu`` part (containers only). Only the parts that apply to
    the market's cargo (``containers`` or general) are returned. The free hours are
    those of the route's steps at the element (:func:`element_steps`), at least
    :data:`MIN_ELEMENT_H`.
    """
    if groups is None:
        groups = network_elements(network, tonnes_per_teu=tonnes_per_teu)
    return element_hours(route.steps, element_steps(route, groups, containers=containers))


def element_steps(
    route: Route, groups: NetworkElements, *, containers: bool = True
) -> tuple[tuple[str, float, tuple[int, ...]], ...]:
    """Capacitated elements a route uses and the steps it spends there.

    ``(key, capacity TEU a year, steps)`` for each element of :func:`route_elements`,
    in its order: ``steps`` are the indices in ``route.steps`` of the legs and stops
    whose hours are the route's free hours at the element, in the order they add up
    (-1: a node passed without a stop, no hours). Everything here but the hours is the
    same for every route over the same steps (whatever their hours and money).
    """
    found: dict[str, tuple[float, list[int]]] = {}

    def visit(element: NetworkElement | None, step: int) -> None:
        if element is None:
            return
        for cls, cap in element.capacities.items():
            if class_applies(cls, containers=containers):
                found.setdefault(element.key + class_suffix(cls), (cap, []))[1].append(step)

    for i, step in enumerate(route.steps):
        if step.link_id is not None:
            visit(groups.link(step.link_id, str(step.from_node_id)), i)
    for element, i, _share in node_stop_steps(route, groups):
        visit(element, i)
    return tuple((key, cap, tuple(at)) for key, (cap, at) in found.items())


def element_hours(
    steps: Sequence[Step], elements: Sequence[tuple[str, float, tuple[int, ...]]]
) -> tuple[tuple[str, float, float], ...]:
    """``(key, capacity, free hours)`` of the elements of :func:`element_steps`.

    The hours of each element's steps of ``steps`` (-1 adds nothing), added in their
    order, at least :data:`MIN_ELEMENT_H`.
    """
    out = []
    for key, cap, at in elements:
        hours = 0.0
        for i in at:
            hours += steps[i].hours if i >= 0 else 0.0
        out.append((key, cap, max(hours, MIN_ELEMENT_H)))
    return tuple(out)


def link_elements(
    route: Route, groups: NetworkElements, keys: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """``(link id, element key)`` of the route's legs that are elements ``keys``."""
    out: list[tuple[str, str]] = []
    for leg in route.legs:
        el = groups.link(str(leg.link_id), str(leg.from_node_id))
        if el is not None:
            out.extend((str(leg.link_id), k) for k in keys if k.partition("#")[0] == el.key)
    return tuple(out)


def element_use(
    route: Route, groups: NetworkElements, keys: Sequence[str], *, containers: bool
) -> tuple[float, ...]:
    """Share of capacity a TEU (equivalent) of the market takes at each element ``keys``.

    1 for containers; for bulk the element's :attr:`NetworkElement.bulk_use`.
    """
    if containers:
        return (1.0,) * len(keys)
    use: dict[str, float] = {}
    for step in route.steps:
        el = groups.link(step.link_id, str(step.from_node_id)) if step.link_id else None
        if el is not None:
            use[el.key] = el.bulk_use
    for el, _, _ in node_stop_steps(route, groups):
        use[el.key] = el.bulk_use
    return tuple(use.get(k.partition("#")[0], 1.0) for k in keys)


def element_share(route: Route, groups: NetworkElements, keys: Sequence[str]) -> tuple[float, ...]:
    """Share of the route's cargo that passes each element ``keys``.

    A cargo part counts as its element: 1, but at the berths of a water side with
    several ports (:attr:`NetworkElements.port_shares`).
    """
    share = {el.key: s for el, _, s in node_stop_steps(route, groups)}
    return tuple(share.get(k.partition("#")[0], 1.0) for k in keys)
