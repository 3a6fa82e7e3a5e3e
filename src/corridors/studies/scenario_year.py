"""One scenario's year as a congested compare needs it: networks, equilibrium, loads, caches.

:func:`scenario_year` builds the network of each part of the year and runs the scenario's
equilibrium to that year; :class:`ScenarioYear` keeps it with the routing graphs, queues
and answers built from it; :class:`CongestedCompare` keeps scenario-years for the next
request (the web app's and a session's cache).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from corridors.cost.element_queues import AnyQueue, element_queue
from corridors.cost.parameters import CostParameters
from corridors.demand.classes import CONTAINER_PAYLOAD_T
from corridors.errors import Problem, ScenarioError
from corridors.network.model import Network
from corridors.routing import ExpandedGraph, build_graph
from corridors.scenarios.elements import NetworkElements, network_elements
from corridors.scenarios.io import ScenarioInputs, load_inputs
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.supply import element_waits
from corridors.studies.congested_route import CongestedRoute
from corridors.studies.scenario import scenario_run

__all__ = [
    "CongestedCompare",
    "ElementLoad",
    "ScenarioYear",
    "YearOutsideScenarioError",
    "scenario_year",
]


class YearOutsideScenarioError(ScenarioError):
    """A year the scenario does not model (before its base year or after its horizon)."""


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
    _groups: dict[int, NetworkElements] = field(default_factory=dict)
    _answers: dict[tuple[object, ...], list[CongestedRoute]] = field(default_factory=dict)
    _queues: dict[tuple[int, str], AnyQueue | None] = field(default_factory=dict)
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

    def queue(self, part: int, element: str) -> AnyQueue | None:
        """The queue of an equilibrium element in a part of the year (looked up once)."""
        key = (part, element)
        with self._lock:
            if key in self._queues:
                return self._queues[key]
        found = element_queue(self.parts[part][1], element)
        with self._lock:
            self._queues[key] = found
        return found

    def elements(self, part: int) -> NetworkElements:
        """The capacitated elements of a part of the year (built once)."""
        with self._lock:
            hit = self._groups.get(part)
        if hit is None:
            hit = network_elements(self.parts[part][1], tonnes_per_teu=self.tonnes_per_teu)
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
        Shadow price a container pays there, USD per TEU (0 when not full).
    queue_h : float
        Mean queueing delay the equilibrium gave it, hours.
    rationing_h : float
        Wait that rations it at capacity, hours
        (:func:`~corridors.scenarios.supply.rationing_wait_h`).
    """

    utilisation: float
    shadow_price_usd_teu: float
    queue_h: float
    rationing_h: float = 0.0


def _element_loads(
    bottlenecks: pd.DataFrame, year: int, *, value_of_time_usd_teu_h: float
) -> dict[str, ElementLoad]:
    """Each element's load and wait (:func:`corridors.scenarios.supply.element_waits`)."""
    waits = element_waits(bottlenecks, year, value_of_time_usd_teu_h=value_of_time_usd_teu_h)
    return {
        key: ElementLoad(w.utilisation, w.shadow_price_usd_teu, w.queue_h, w.rationing_h)
        for key, w in waits.items()
    }


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
        tonnes_per_teu=CONTAINER_PAYLOAD_T,
        params=runner.params,
        loads=_element_loads(result.bottlenecks, y, value_of_time_usd_teu_h=runner.params.vot),
    )


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
