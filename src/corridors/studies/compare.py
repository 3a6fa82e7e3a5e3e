r"""Door-to-door times with congestion: free flow, P50 and P90 per corridor in a scenario's year.

For a scenario and a year this study

1. builds the network of each part of the year (measures in force, closures) through
   :meth:`corridors.scenarios.model.ScenarioRunner.year_networks`, and runs the scenario's
   equilibrium to that year (:func:`corridors.studies.scenario.scenario_run`): the
   utilisation and shadow price of every capacitated element;
2. finds each corridor's least-cost route between two places in each part of the year
   (:func:`corridors.routing.compare`);
3. gives each element the route passes its queue: the delay function of
   :mod:`corridors.cost.queueing` (servers, service times, open share as the simulation
   draws them, :mod:`corridors.simulation.loads`) evaluated at the element's
   utilisation in the equilibrium, and its waiting-time distribution
   (:meth:`~corridors.cost.queueing.QueueElement.wait_distribution`);
4. adds the waits of the elements (independent) to the route's fixed time and takes the
   P50 and P90 of the total over the parts of the year
   (:func:`corridors.cost.route_time.route_time_quantiles`).

The free-flow time is today's ``compare`` answer: running, handling, border clearance and
the mean wait for scheduled departures. The P50 and P90 draw the scheduled waits (uniform
on the headway) and the queues. An element at capacity has a shadow price in the
equilibrium (USD per unit): its queue is evaluated at :data:`FULL_UTILISATION`, the
rest of the rationing being the price. An element the equilibrium does not load (no
capacity of its own in the scenario's tables) has no utilisation and no queue.

The state of a scenario-year (networks, graphs, equilibrium) is built once and kept by
:class:`CongestedCompare` (per scenario and year), so that further pairs answer in
milliseconds.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from corridors.cost.parameters import CostParameters
from corridors.cost.queueing import QueueElement, WaitDistribution
from corridors.cost.route_time import RoutePart, route_time_quantiles
from corridors.errors import CorridorsError, Problem, ScenarioError, UnreachableError
from corridors.network.model import Network
from corridors.routing import ExpandedGraph, Route, build_graph, compare
from corridors.scenarios.elements import route_elements, water_groups
from corridors.scenarios.io import ScenarioInputs, load_inputs
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.result import ScenarioResult
from corridors.simulation.build import model_from_routes
from corridors.simulation.loads import ferry_loads, queue_element, station_loads
from corridors.simulation.options import BuildOptions
from corridors.studies.scenario import scenario_run

logger = logging.getLogger(__name__)

__all__ = [
    "FULL_UTILISATION",
    "CongestedCompare",
    "CongestedRoute",
    "ElementQueue",
    "ScenarioYear",
    "YearOutsideScenarioError",
    "congested_routes",
    "scenario_year",
]

HOURS_PER_DAY = 24.0

FULL_UTILISATION = 0.95
"""Utilisation at which the queue of a full element is evaluated (at 1 it is infinite: the
equilibrium's shadow price rations the rest)."""


class YearOutsideScenarioError(ScenarioError):
    """A year the scenario does not model (before its base year or after its horizon)."""


@dataclass(frozen=True, slots=True)
class ElementQueue:
    """The queue at one element of a route.

    Attributes
    ----------
    element : str
        Station or line of the simulation (``gauge:dostyk``, ``section:<link>:<from>``,
        ``ferry:<link>``) or, for an element with no queue model, the equilibrium's
        key (``node:<id>``, ``link:<id>``, ``water:<ports>``).
    equilibrium_element : str or None
        The equilibrium element whose utilisation it takes (``None``: not loaded).
    kind : str
        ``border``, ``gauge``, ``port``, ``terminal``, ``section``, ``ferry`` or
        ``element``.
    node_id, link_id : str or None
        Where it is on the route (a stop at a node, or a leg over a link).
    utilisation : float or None
        Flow over capacity in the equilibrium (``None``: not loaded).
    queue_h : float
        Mean wait in its queue (and behind its closures), hours; scheduled departures not
        included (they are in the free-flow time).
    shadow_price_usd : float
        Shadow price of the element in the equilibrium, USD per unit (0 when not full).
    """

    element: str
    equilibrium_element: str | None
    kind: str
    node_id: str | None
    link_id: str | None
    utilisation: float | None
    queue_h: float
    shadow_price_usd: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict."""
        out: dict[str, object] = {"element": self.element, "kind": self.kind}
        for name in ("equilibrium_element", "node_id", "link_id"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out["utilisation"] = None if self.utilisation is None else round(self.utilisation, 4)
        out["queue_h"] = round(self.queue_h, 3)
        if self.shadow_price_usd:
            out["shadow_price_usd"] = round(self.shadow_price_usd, 2)
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

        Adds ``days_free``, ``days_p50``, ``days_p90``, the queue of each leg and stop and
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
        data |= {
            "days_free": _days(self.free_h),
            "days_p50": _days(self.p50_h),
            "days_p90": _days(self.p90_h),
            "days_mean": _days(self.mean_h),
            "queue_h": round(float(sum(q.queue_h for q in self.queues)), 3),
            "open_share": round(self.open_share, 4),
            "queues": [q.to_dict() for q in self.queues],
        }
        return data


def _days(hours: float) -> float | None:
    return round(hours / HOURS_PER_DAY, 3) if math.isfinite(hours) else None


@dataclass
class ScenarioYear:
    """What a congested compare needs of one scenario-year, built once.

    Attributes
    ----------
    scenario : str
        Scenario name.
    year : int
        The year.
    parts : list of (share of the year, Network)
        The network of each part of the year.
    result : ScenarioResult
        The scenario's equilibrium run to ``year``.
    tonnes_per_teu : float
        The scenario's payload per TEU, t.
    params : CostParameters
        The scenario's cost parameters (per TEU, its value of time).
    """

    scenario: str
    year: int
    parts: list[tuple[float, Network]]
    result: ScenarioResult
    tonnes_per_teu: float
    params: CostParameters
    loads: dict[str, tuple[float, float]] = field(default_factory=dict)
    _graphs: dict[tuple[int, CostParameters], ExpandedGraph] = field(default_factory=dict)
    _groups: dict[int, dict[str, tuple[str, dict[str, float]]]] = field(default_factory=dict)
    _answers: dict[tuple[object, ...], list[CongestedRoute]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cost_parameters(
        self, *, unit: str = "TEU", vot: float | None = None, carbon_price: float = 0.0
    ) -> CostParameters:
        """Cost parameters per ``unit`` for this scenario-year.

        The scenario's value of time (per TEU) in that unit unless ``vot`` (USD per
        unit-hour) is given, and a carbon price (USD/t).
        """
        per_unit = self.params.model_copy(update={"unit": unit, "value_of_time_usd_h": None})
        value = self.params.vot * per_unit.teu_per_unit if vot is None else vot
        return per_unit.model_copy(
            update={
                "value_of_time_usd_h": value,
                "carbon_price_usd_t": carbon_price,
                "year": self.year,
            }
        )

    def remembered(
        self, key: tuple[object, ...], build: Callable[[], list[CongestedRoute]]
    ) -> list[CongestedRoute]:
        """The answer kept for ``key``, built by ``build`` the first time."""
        with self._lock:
            hit = self._answers.get(key)
        if hit is None:
            hit = build()
            with self._lock:
                self._answers[key] = hit
        return list(hit)

    def water_groups(self, part: int) -> dict[str, tuple[str, dict[str, float]]]:
        """The ferry and sea lines of a part of the year by the water they cross (once)."""
        with self._lock:
            hit = self._groups.get(part)
        if hit is None:
            hit = water_groups(self.parts[part][1], tonnes_per_teu=self.tonnes_per_teu)
            with self._lock:
                self._groups[part] = hit
        return hit

    def graph(self, part: int, params: CostParameters) -> ExpandedGraph:
        """The routing graph of a part of the year for ``params`` (built once)."""
        key = (part, params)
        with self._lock:
            hit = self._graphs.get(key)
        if hit is None:
            hit = build_graph(self.parts[part][1], params)
            with self._lock:
                self._graphs[key] = hit
        return hit


def _element_loads(bottlenecks: pd.DataFrame, year: int) -> dict[str, tuple[float, float]]:
    """Utilisation and shadow price of each equilibrium element (its fullest cargo class)."""
    out: dict[str, tuple[float, float]] = {}
    if bottlenecks.empty:
        return out
    rows = bottlenecks[bottlenecks["year"] == year]
    for key, util, price in zip(
        rows["element"], rows["utilisation"], rows["shadow_price_usd_teu"], strict=True
    ):
        base = str(key).partition("#")[0]
        u, p = out.get(base, (0.0, 0.0))
        out[base] = (max(u, float(util)), max(p, float(price)))
    return out


def scenario_year(inputs: ScenarioInputs, year: int | None = None) -> ScenarioYear:
    """Networks and equilibrium of a scenario in one year (default: its base year).

    Raises
    ------
    YearOutsideScenarioError
        When ``year`` is not from the scenario's base year to its horizon.
    """
    sc = inputs.scenario
    y = sc.base_year if year is None else year
    if y not in sc.years:
        msg = f"the scenario models {sc.base_year} to {sc.horizon}"
        raise YearOutsideScenarioError([Problem(sc.name, None, "year", str(y), msg)], what=sc.name)
    scenario = sc.until(y)
    runner = ScenarioRunner(inputs.network, scenario, catalogue=inputs.catalogue)
    result = scenario_run(inputs.network, scenario, catalogue=inputs.catalogue)
    return ScenarioYear(
        scenario=sc.name,
        year=y,
        parts=runner.year_networks(y),
        result=result,
        tonnes_per_teu=sc.behaviour.tonnes_per_teu,
        params=runner.params,
        loads=_element_loads(result.bottlenecks, y),
    )


QueueOf = tuple[str, QueueElement, str | None, str | None]
"""``(station or line id, QueueElement, node id, link id)``."""


def _queue_elements(
    network: Network, routes: list[Route], *, unit: str
) -> dict[str, list[QueueOf]]:
    """The simulation's queue of each station and ferry line of each route, by corridor.

    One simulation model of the routes (:func:`corridors.simulation.build.model_from_routes`)
    gives servers, service times, open shares and storms exactly as a simulation run
    draws them (:func:`corridors.simulation.loads.station_loads`, ``ferry_loads``).
    """
    if not routes:
        return {}
    first = routes[0]
    flow = (
        first.origin,
        first.destination,
        "general" if unit == "t" else "containers",
        "t" if unit == "t" else "TEU",
    )
    model = model_from_routes(
        network, {flow: 1000.0}, BuildOptions(), {flow: [(r, 1.0) for r in routes]}, quiet=True
    )
    queues: dict[str, QueueOf] = {}
    for load in station_loads(model):
        st = load.station
        node = st.node_id if st.link_id is None else None
        queues[st.station_id] = (st.station_id, queue_element(load), node, st.link_id)
    for fl in ferry_loads(model):
        if fl.arrivals_per_day > 0.0:
            queues[fl.line.line_id] = (fl.line.line_id, fl.queue_element(), None, fl.line.link_id)
    ids: dict[str, list[str]] = {}
    for g in model.generators:
        mine = ids.setdefault(g.corridor, [])
        mine.extend(s.target for s in g.itinerary if s.target in queues and s.target not in mine)
    return {c: [queues[i] for i in found] for c, found in ids.items()}


def _equilibrium_key(
    node_id: str | None, link_id: str | None, groups: dict[str, tuple[str, dict[str, float]]]
) -> str:
    if link_id is not None:
        group = groups.get(link_id)
        return group[0] if group is not None else f"link:{link_id}"
    return f"node:{node_id}"


def _route_part(
    state: ScenarioYear,
    network: Network,
    route: Route,
    *,
    unit: str,
    groups: dict[str, tuple[str, dict[str, float]]],
    elements: list[QueueOf],
    teu_per_unit: float,
) -> tuple[RoutePart, tuple[ElementQueue, ...]]:
    """The route's fixed time and waits in one part of the year, and its queues.

    Shadow prices (USD per TEU in the equilibrium) are given per unit (``teu_per_unit``).
    """
    scheduled = [s.wait_h for s in route.legs if s.wait_h > 0.0]
    waits: list[WaitDistribution] = [WaitDistribution(headway_h=2.0 * w) for w in scheduled]
    queues: list[ElementQueue] = []
    seen: set[str] = set()
    for sid, qe, node, link in elements:
        key = _equilibrium_key(node, link, groups)
        load = state.loads.get(key)
        kind = sid.partition(":")[0]
        if load is None:
            queues.append(ElementQueue(sid, None, kind, node, link, None, 0.0))
            continue
        seen.add(key)
        util, price = load[0], load[1] * teu_per_unit
        rate = min(util, FULL_UTILISATION) * qe.capacity_per_h
        dist = qe.wait_distribution(rate) if math.isfinite(rate) else WaitDistribution()
        waits.append(dist)
        queue = dist.mean_h - dist.headway_h / 2.0
        queues.append(ElementQueue(sid, key, kind, node, link, util, queue, price))
    for key, _cap, _h in route_elements(
        route, network, tonnes_per_teu=state.tonnes_per_teu, containers=unit != "t", groups=groups
    ):
        base = key.partition("#")[0]
        if base in seen or base not in state.loads:
            continue
        seen.add(base)
        util, price = state.loads[base][0], state.loads[base][1] * teu_per_unit
        kind, _, ident = base.partition(":")
        node = ident if kind == "node" else None
        link = ident if kind == "link" else None
        if kind == "water":  # a water group: the route's leg across it
            link = next((lid for lid in route.link_ids if groups.get(lid, ("",))[0] == base), None)
        queues.append(ElementQueue(base, base, "element", node, link, util, 0.0, price))
    fixed = route.hours - sum(scheduled)
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
        groups = state.water_groups(i)
        elements = _queue_elements(net, routes, unit=params.unit)
        for r in routes:
            part, queues = _route_part(
                state,
                net,
                r,
                unit=params.unit,
                groups=groups,
                elements=elements.get(r.corridor, []),
                teu_per_unit=params.teu_per_unit,
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


class CongestedCompare:
    """Scenario-years kept for the next request (the web app's and a session's cache).

    Parameters
    ----------
    size : int
        Scenario-years kept (least recently used dropped first).
    """

    def __init__(self, *, size: int = 8) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._states: OrderedDict[tuple[str, str, int | None], ScenarioYear] = OrderedDict()
        self._inputs: dict[str, ScenarioInputs] = {}

    def named(self, name: str, year: int | None = None, *, network: Network) -> ScenarioYear:
        """The scenario-year of a shipped scenario (by name) on ``network`` (read once).

        Raises
        ------
        UnknownScenarioError
            When no scenario has that name (with a suggestion).
        YearOutsideScenarioError
            When ``year`` is not a year of the scenario.
        """
        with self._lock:
            inputs = self._inputs.get(name)
        if inputs is None:
            inputs = load_inputs(name, network=network)
            with self._lock:
                self._inputs[name] = inputs
        return self.state(inputs, year)

    def state(self, inputs: ScenarioInputs, year: int | None = None) -> ScenarioYear:
        """The scenario-year of ``inputs`` (built on first use; keyed by the scenario's text)."""
        key = (inputs.loaded.sha256, inputs.network_path, year)
        with self._lock:
            hit = self._states.get(key)
            if hit is not None:
                self._states.move_to_end(key)
                return hit
        built = scenario_year(inputs, year)
        with self._lock:
            self._states[key] = built
            while len(self._states) > self._size:
                self._states.popitem(last=False)
        return built
