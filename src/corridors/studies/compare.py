r"""Door-to-door times with congestion: free flow, P50 and P90 per corridor in a scenario's year.

For a scenario and a year this study

1. builds the network of each part of the year (measures in force, closures) through
   :meth:`corridors.scenarios.model.ScenarioRunner.year_networks`, and runs the scenario's
   equilibrium to that year (:func:`corridors.studies.scenario.scenario_run`): the
   utilisation, shadow price and mean queueing delay of every capacitated element;
2. finds each corridor's least-cost route between two places in each part of the year
   (:func:`corridors.routing.compare`);
3. gives each element the route passes the wait the equilibrium gave it, distributed as
   its queue (:func:`corridors.cost.element_queues.element_queue`, the same queue the
   equilibrium and the simulation use) waits at that utilisation
   (:meth:`~corridors.cost.queueing.QueueElement.wait_distribution`);
4. adds the waits of the elements (independent) to the route's fixed time and takes the
   P50 and P90 of the total over the parts of the year
   (:func:`corridors.cost.route_time.route_time_quantiles`).

The free-flow time is today's ``compare`` answer: running, handling, border clearance and
the mean wait for scheduled departures. The P50 and P90 draw the scheduled waits (uniform
on the headway) and the queues. An element at capacity has a shadow price in the
equilibrium (reported per unit): shippers pay it as a wait for a slot, the rationing wait
(:func:`corridors.scenarios.supply.rationing_wait_h`: the price over the value of time),
added to the P50 and P90 and listed per leg as ``rationing_h`` (0 at an element rationed
at the price cap, :mod:`corridors.scenarios.rationing`: the cargo refused does not queue,
the cargo served waits the queue at capacity). An element with no queue
data (no servers in the tables) has no queue below capacity.

The state of a scenario-year (networks, graphs, equilibrium) is built once and kept by
:class:`~corridors.studies.scenario_year.CongestedCompare` (per scenario and year), so that
further pairs answer in milliseconds (:mod:`corridors.studies.scenario_year`); the answer's
records are in :mod:`corridors.studies.congested_route`. Both are re-exported here.
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace

from corridors.cost.element_delays import KNEE
from corridors.cost.element_queues import AnyQueue, FerryLines
from corridors.cost.parameters import CostParameters
from corridors.cost.queueing import FerryQueue, WaitDistribution
from corridors.cost.route_time import RoutePart, route_time_quantiles
from corridors.errors import CorridorsError, UnreachableError
from corridors.routing import Route, compare
from corridors.scenarios.elements import NetworkElements
from corridors.scenarios.route_elements import element_share, link_elements, route_elements
from corridors.studies.congested_route import CongestedRoute, ElementQueue
from corridors.studies.scenario_year import (
    CongestedCompare,
    ElementLoad,
    ScenarioYear,
    YearOutsideScenarioError,
    scenario_year,
)

logger = logging.getLogger(__name__)

__all__ = [
    "CongestedCompare",
    "CongestedRoute",
    "ElementLoad",
    "ElementQueue",
    "ScenarioYear",
    "YearOutsideScenarioError",
    "congested_routes",
    "scenario_year",
]


def _where(key: str, route: Route, groups: NetworkElements) -> tuple[str | None, str | None]:
    """Node or link of the route where an equilibrium element is (a water: its leg)."""
    kind, _, ident = key.partition(":")
    if kind == "node":  # its servers or its throughput (``node:<id>@throughput``)
        return ident.partition("@")[0], None
    return None, next((lid for lid, k in link_elements(route, groups, (key,))), None)


def _element_wait(queue: AnyQueue | None, load: ElementLoad) -> WaitDistribution | None:
    """The wait at an element: the equilibrium's mean, the shape of its queue.

    The queue's distribution at the element's utilisation (at most the knee, where the
    equilibrium continues the delay along its tangent), scaled to the mean the
    equilibrium gave the element (:class:`~corridors.cost.element_delays.ElementDelays`).
    A ferry line's wait (deck filling, sailings, storms) is taken as exponential with
    the equilibrium's mean.
    """
    if queue is None or not load.queue_h > 0.0:
        return None
    if isinstance(queue, FerryQueue | FerryLines):
        return WaitDistribution(p_queue=1.0, queue_mean_h=load.queue_h)
    if queue.servers is None:
        return None
    rate = min(load.utilisation, KNEE) * queue.capacity_per_h
    if not (math.isfinite(rate) and rate > 0.0):
        return None
    dist = queue.wait_distribution(rate)
    own = dist.mean_h - dist.headway_h / 2.0
    if not own > 0.0:
        return None
    k = load.queue_h / own
    return WaitDistribution(
        p_queue=dist.p_queue,
        queue_mean_h=dist.queue_mean_h * k,
        p_closure=dist.p_closure,
        closure_mean_h=dist.closure_mean_h * k,
    )


def _route_part(
    state: ScenarioYear,
    part: int,
    route: Route,
    *,
    unit: str,
    teu_per_unit: float,
) -> tuple[RoutePart, tuple[ElementQueue, ...]]:
    """The route's fixed time and waits in one part of the year, and its queues.

    Scheduled departures wait uniformly on their headway; each equilibrium element the
    route passes waits as :func:`_element_wait`, and a full element adds its rationing
    wait (:func:`~corridors.scenarios.supply.rationing_wait_h`: its shadow price over
    the value of time, a fixed time). Shadow prices (USD per TEU in the equilibrium) are
    given per unit (``teu_per_unit``).
    """
    network = state.parts[part][1]
    groups = state.elements(part)
    scheduled = [s.wait_h for s in route.legs if s.wait_h > 0.0]
    waits: list[WaitDistribution] = [WaitDistribution(headway_h=2.0 * w) for w in scheduled]
    queues: list[ElementQueue] = []
    seen: set[str] = set()
    keys = [
        k
        for k, _cap, _h in route_elements(
            route,
            network,
            tonnes_per_teu=state.tonnes_per_teu,
            containers=unit != "t",
            groups=groups,
        )
    ]
    shares = dict(zip(keys, element_share(route, groups, keys), strict=True))
    for key in keys:
        base = key.partition("#")[0]
        load = state.loads.get(base)
        if base in seen or load is None:
            continue
        seen.add(base)
        queue = state.queue(part, base)
        wait = _element_wait(queue, load)
        share = shares[key]
        if wait is not None and share < 1.0:  # a port of the side the cargo may not pass
            wait = replace(wait, p_queue=wait.p_queue * share, p_closure=wait.p_closure * share)
        if wait is not None:
            waits.append(wait)
        node, link = _where(base, route, groups)
        queues.append(
            ElementQueue(
                base,
                "capacity"
                if queue is None
                else "ferry"
                if isinstance(queue, FerryQueue | FerryLines)
                else queue.kind,
                node,
                link,
                load.utilisation,
                0.0 if wait is None else load.queue_h * share,
                load.shadow_price_usd_teu * teu_per_unit,
                load.rationing_h,
            )
        )
    rationing = sum(q.rationing_h for q in queues)
    fixed = route.hours - sum(scheduled) + rationing
    return RoutePart(fixed, tuple(waits)), tuple(queues)


def congested_routes(
    state: ScenarioYear,
    origin: str,
    destination: str,
    *,
    params: CostParameters | None = None,
    samples: int | None = None,
) -> list[CongestedRoute]:
    """Each corridor's route from ``origin`` to ``destination`` with its congested times.

    Parameters
    ----------
    state : ScenarioYear
        The scenario-year (:func:`scenario_year`).
    origin, destination : str
        Place names, aliases or node ids.
    params : CostParameters, optional
        Unit, value of time, carbon price (default: the scenario's, per TEU).
    samples : int, optional
        Monte Carlo draws per part of the year (default
        :data:`corridors.cost.route_time.DEFAULT_SAMPLES`).

    Returns
    -------
    list of CongestedRoute
        Cheapest first (by generalised cost in the longest part of the year).

    Raises
    ------
    UnknownPlaceError
        If a place is not in the network.
    UnreachableError
        If no corridor connects the places in any part of the year.
    """
    params = (params or state.params).model_copy(update={"year": state.year})
    key = (origin, destination, params, samples)
    return state.remembered(
        key, lambda: _congested_routes(state, origin, destination, params=params, samples=samples)
    )


def _congested_routes(
    state: ScenarioYear,
    origin: str,
    destination: str,
    *,
    params: CostParameters,
    samples: int | None,
) -> list[CongestedRoute]:
    found: dict[str, list[tuple[float, Route, RoutePart, tuple[ElementQueue, ...]]]] = {}
    errors: list[CorridorsError] = []
    for i, (fraction, net) in enumerate(state.parts):
        try:
            routes = compare(net, origin, destination, params=params, graph=state.graph(i, params))
        except UnreachableError as exc:
            errors.append(exc)
            continue
        for r in routes:
            part, queues = _route_part(
                state, i, r, unit=params.unit, teu_per_unit=params.teu_per_unit
            )
            weighted = RoutePart(part.fixed_h, part.waits, weight=fraction)
            found.setdefault(r.corridor, []).append((fraction, r, weighted, queues))
    if not found:
        raise errors[0] if errors else UnreachableError(f"no route from {origin} to {destination}")
    out: list[CongestedRoute] = []
    kw = {} if samples is None else {"samples": samples}
    for items in found.values():
        share = sum(f for f, *_ in items)
        _, route, _, queues = max(items, key=lambda x: x[0])
        parts = [p for _, _, p, _ in items]
        p50, p90 = route_time_quantiles(parts, (0.5, 0.9), **kw)
        free = sum(f * r.hours for f, r, _, _ in items) / share
        mean = sum(p.weight * p.mean_h for p in parts) / share
        out.append(CongestedRoute(route, free, mean, p50, p90, queues, share))
    out.sort(key=lambda c: c.route.generalised_cost_usd)
    return out
