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
equilibrium (reported per unit): its queue is finite there (the equilibrium continues it
along its tangent above the knee), the rest of the rationing is the price. An element
with no queue data (no servers in the tables) has no wait.

The state of a scenario-year (networks, graphs, equilibrium) is built once and kept by
:class:`CongestedCompare` (per scenario and year), so that further pairs answer in
milliseconds.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from corridors.cost.element_queues import KNEE, element_queue
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
from corridors.studies.scenario import scenario_run

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

HOURS_PER_DAY = 24.0


class YearOutsideScenarioError(ScenarioError):
    """A year the scenario does not model (before its base year or after its horizon)."""


@dataclass(frozen=True, slots=True)
class ElementQueue:
    """The queue at one element of a route.

    Attributes
    ----------
    element : str
        The equilibrium's element (``node:<id>``, ``link:<id>``, ``water:<ports>``).
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
    """

    element: str
    kind: str
    node_id: str | None
    link_id: str | None
    utilisation: float
    queue_h: float
    shadow_price_usd: float = 0.0

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
    loads: dict[str, ElementLoad] = field(default_factory=dict)
    _graphs: dict[tuple[int, CostParameters], ExpandedGraph] = field(default_factory=dict)
    _groups: dict[int, dict[str, tuple[str, dict[str, float]]]] = field(default_factory=dict)
    _answers: dict[tuple[object, ...], list[CongestedRoute]] = field(default_factory=dict)
    _queues: dict[tuple[int, str], QueueElement | None] = field(default_factory=dict)
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

    def queue(self, part: int, element: str) -> QueueElement | None:
        """The queue of an equilibrium element in a part of the year (looked up once)."""
        key = (part, element)
        with self._lock:
            if key in self._queues:
                return self._queues[key]
        found = element_queue(self.parts[part][1], element)
        with self._lock:
            self._queues[key] = found
        return found

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


@dataclass(frozen=True, slots=True)
class ElementLoad:
    """An element in the equilibrium of the year (its fullest cargo class).

    Attributes
    ----------
    utilisation : float
        Flow over capacity.
    shadow_price_usd_teu : float
        Shadow price, USD per TEU (0 when not full).
    queue_h : float
        Mean queueing delay the equilibrium gave it, hours.
    """

    utilisation: float
    shadow_price_usd_teu: float
    queue_h: float


def _element_loads(bottlenecks: pd.DataFrame, year: int) -> dict[str, ElementLoad]:
    """Each equilibrium element's load (the fullest of its cargo classes, by base key)."""
    out: dict[str, ElementLoad] = {}
    if bottlenecks.empty:
        return out
    rows = bottlenecks[bottlenecks["year"] == year]
    queue = rows["queue_h"] if "queue_h" in rows.columns else pd.Series(0.0, index=rows.index)
    for key, util, price, wait in zip(
        rows["element"], rows["utilisation"], rows["shadow_price_usd_teu"], queue, strict=True
    ):
        base = str(key).partition("#")[0]
        old = out.get(base, ElementLoad(0.0, 0.0, 0.0))
        out[base] = ElementLoad(
            max(old.utilisation, float(util)),
            max(old.shadow_price_usd_teu, float(price)),
            max(old.queue_h, float(wait)),
        )
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


def _where(
    key: str, route: Route, groups: Mapping[str, tuple[str, dict[str, float]]]
) -> tuple[str | None, str | None]:
    """Node or link of the route where an equilibrium element is (a water group: its leg)."""
    kind, _, ident = key.partition(":")
    if kind == "node":
        return ident, None
    if kind == "link":
        return None, ident
    leg = next((lid for lid in route.link_ids if groups.get(lid, ("",))[0] == key), None)
    return None, leg


def _element_wait(queue: QueueElement | None, load: ElementLoad) -> WaitDistribution | None:
    """The wait at an element: the equilibrium's mean, the shape of its queue.

    The queue's distribution at the element's utilisation (at most the knee, where the
    equilibrium continues the delay along its tangent), scaled to the mean the
    equilibrium gave the element (:class:`~corridors.cost.element_queues.ElementDelays`).
    """
    if queue is None or queue.servers is None or not load.queue_h > 0.0:
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
    route passes waits as :func:`_element_wait`. Shadow prices (USD per TEU in the
    equilibrium) are given per unit (``teu_per_unit``).
    """
    network = state.parts[part][1]
    groups = state.water_groups(part)
    scheduled = [s.wait_h for s in route.legs if s.wait_h > 0.0]
    waits: list[WaitDistribution] = [WaitDistribution(headway_h=2.0 * w) for w in scheduled]
    queues: list[ElementQueue] = []
    seen: set[str] = set()
    for key, _cap, _h in route_elements(
        route, network, tonnes_per_teu=state.tonnes_per_teu, containers=unit != "t", groups=groups
    ):
        base = key.partition("#")[0]
        load = state.loads.get(base)
        if base in seen or load is None:
            continue
        seen.add(base)
        queue = state.queue(part, base)
        wait = _element_wait(queue, load)
        if wait is not None:
            waits.append(wait)
        node, link = _where(base, route, groups)
        queues.append(
            ElementQueue(
                base,
                "capacity" if queue is None else queue.kind,
                node,
                link,
                load.utilisation,
                0.0 if wait is None else load.queue_h,
                load.shadow_price_usd_teu * teu_per_unit,
            )
        )
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
