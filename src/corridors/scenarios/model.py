"""Run a scenario: measures and disruptions on the network, routes, corridor split by year.

For every year from the base year to the horizon:

1. the network of that year is built (:mod:`corridors.scenarios.network_states`):
   planned links and nodes open (those a measure of the catalogue opens are left to
   that measure), the measures in force change attributes and add links, the
   scenario's adjustments apply;
2. the year is cut into segments by the disruptions active in it (a Caspian winter
   covers a quarter of a year); closures re-route (links, nodes, sea passages,
   corridors removed), slow-downs add time, money and cut capacity on the routes
   through them;
3. for each market the least-cost route of each corridor is found
   (:func:`corridors.routing.compare`, once per network state:
   :class:`~corridors.scenarios.route_options.RouteOptions`) and its generalised
   cost per TEU is money + value of time x (hours + reliability buffer) + the
   corridor's risk premium;
4. the market volumes are split by a logit (multinomial, or nested with
   ``behaviour.nests``) with capacity feedback
   (:func:`corridors.scenarios.year_solver.solve_year`) and each segment's result
   is weighed by its share of the year
   (:class:`~corridors.scenarios.year_totals.YearTotals`). Capacities are per
   network element and per cargo: a tonne capacity limits all cargo, a TEU capacity
   containers only (:mod:`corridors.scenarios.elements`); they slow traffic
   (volume-delay) or, with ``behaviour.capacity_limits``, are hard limits with a
   shadow price, reported per element in ``ScenarioResult.bottlenecks``.

No I/O: the caller reads the network, scenario and catalogue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Mapping, Sequence

import numpy as np

from corridors.cost.element_delays import ElementDelays
from corridors.cost.element_queues import element_queues
from corridors.cost.parameters import CostParameters
from corridors.network.model import Network
from corridors.routing import Route
from corridors.scenarios.disruptions import year_segments
from corridors.scenarios.elements import RouteOption
from corridors.scenarios.network_states import (
    MeasuredNetworks,
    NetworkStates,
    measures_key,
    run_measures,
)
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.route_options import RouteOptions, SharedRoutes
from corridors.scenarios.spec import (
    Behaviour,
    Disruption,
    Market,
    MeasureCatalogue,
    Scenario,
)
from corridors.scenarios.tables import ResultTables
from corridors.scenarios.year_solver import solve_year
from corridors.scenarios.year_totals import YearTotals

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Progress callback: ``(done, total)``."""


def _market_volume(scenario: Scenario, market_index: int, year: int) -> float:
    """Volume of a market in a year, TEU(-equivalents: its cargo class's payload)."""
    m = scenario.demand.markets[market_index]
    v = m.cargo_class.teu_equivalents(m.volume)
    for y in range(scenario.base_year + 1, year + 1):
        v *= 1.0 + m.growth_by_year.get(y, m.growth)
    return v


class ScenarioRunner:
    """Runs one scenario on one network, caching routes across years and variants.

    Parameters
    ----------
    network : Network
        The network (all years; planned elements included).
    scenario : Scenario
        The scenario.
    catalogue : MeasureCatalogue, optional
        Measures the scenario names.
    measure_ids : sequence of str, optional
        Measures in force instead of the scenario's own (for appraisals).
    reliability : mapping of str to float, optional
        Buffer hours per corridor, overriding the scenario's
        ``reliability_buffer_h``. The runner never simulates: with
        ``behaviour.reliability: simulate`` the study computes the buffers
        (:func:`corridors.studies.reliability.scenario_buffers`) and passes them here.
    networks : MeasuredNetworks, optional
        The networks of ``network`` with the measures of this run in force, shared with
        other runs of the same network and measures (a sweep's samples); built here
        when not given.
    shared_routes : SharedRoutes, optional
        The routes of the runs this one is compared with (an appraisal's runs): each
        market also chooses among the routes they found, priced on this run's networks
        (:class:`~corridors.scenarios.route_options.SharedRoutes`).

    Raises
    ------
    ValueError
        ``networks`` is of another network or other measures.
    """

    def __init__(
        self,
        network: Network,
        scenario: Scenario,
        *,
        catalogue: MeasureCatalogue | None = None,
        measure_ids: Sequence[str] | None = None,
        reliability: Mapping[str, float] | None = None,
        networks: MeasuredNetworks | None = None,
        shared_routes: SharedRoutes | None = None,
    ) -> None:
        self.network = network
        self.scenario = scenario
        self.catalogue = catalogue
        self.measures, measure_links = run_measures(scenario, catalogue, ids=measure_ids)
        if networks is None:
            networks = MeasuredNetworks(network, self.measures, measure_links)
        elif networks.network is not network or networks.key != measures_key(
            self.measures, measure_links
        ):
            raise ValueError("the measured networks given are of another network or measures")
        self.states = NetworkStates(networks, scenario.adjustments)
        beh = scenario.behaviour
        self._reliability = dict(reliability or {})
        self.params = beh.cost_parameters()
        self.options = RouteOptions(
            self.states, tuple(scenario.demand.markets), self.params, shared=shared_routes
        )
        """Each market's route options per network state (found once)."""
        self.pair_volumes: dict[int, dict[tuple[int, str], float]] = {}
        """Volume of each demand row (an O-D pair of a market) on each corridor in each
        year of the last :meth:`run`, TEU(-equivalents) a year: ``{year: {(row,
        corridor): volume}}``."""
        self.route_volumes: dict[int, dict[tuple[int, str], list[tuple[Route | None, float]]]] = {}
        """Volume (TEU a year) of each route the equilibrium used, by year, market index and
        corridor (``None``: a route found without its steps)."""
        self._delays: dict[tuple[int, tuple[str, ...]], ElementDelays] = {}
        nodes = network.nodes
        self._ports = frozenset(nodes.loc[(nodes["kind"] == "port").to_numpy(), "node_id"])

    def route(self, year: int, market: str, corridor: str) -> Route | None:
        """The least-cost route of ``market`` on ``corridor`` in ``year``, with its steps.

        The network of that year with the measures in force and no closures (what the
        calibration's time and price targets measure): the first route of the corridor
        among the market's route options (:meth:`RouteOptions.options`, found once and
        cached), priced per unit of the market's class (per TEU for containers).
        ``None`` when the market has no route on that corridor.
        """
        i = next(i for i, m in enumerate(self.scenario.demand.markets) if m.id == market)
        alts = self.options.options(
            year, self._in_force(year), (), i, self.scenario.behaviour.routes_per_corridor
        )
        return next((a.route for a in alts if a.corridor == corridor), None)

    def market_parameters(self, market: Market) -> CostParameters:
        """The cost parameters a market's routes are found with (see :class:`RouteOptions`)."""
        return self.options.market_parameters(market)

    def market_values_of_time(self) -> np.ndarray:
        """Value of time of each market, USD per TEU(-equivalent)-hour, in market order."""
        return self.options.values_of_time()

    def _element_delays(
        self, year: int, in_force: tuple[str, ...], closures: tuple[Disruption, ...]
    ) -> Callable[[tuple[str, ...]], ElementDelays]:
        net = self.states.network(year, in_force, closures)
        structure = self.states.structure(year, in_force, closures)

        def delays(keys: tuple[str, ...]) -> ElementDelays:
            key = (id(net), keys)
            if key not in self._delays:  # equal queues share their delays across runs
                queues = self.states.measured.shared(  # and states priced apart
                    ("queues", structure, keys), lambda: element_queues(net, keys)
                )
                self._delays[key] = self.states.measured.queue_delays(queues)
            return self._delays[key]

        return delays

    def year_networks(self, year: int) -> list[tuple[float, Network]]:
        """The network of each part of ``year``: its measures in force and its closures.

        Returns
        -------
        list of (share of the year, network)
            One per part of the year with the same active disruptions
            (:func:`~corridors.scenarios.disruptions.year_segments`); shares sum to one.
            Slow-downs change costs in :meth:`run`, not the network.
        """
        in_force = self._in_force(year)
        return [
            (fraction, self.states.network(year, in_force, tuple(d for d in active if d.closed)))
            for fraction, active in year_segments(self.scenario.disruptions, year)
        ]

    def _in_force(self, year: int) -> tuple[str, ...]:
        return self.states.in_force(year)

    def year_network(self, year: int) -> Network:
        """The network of ``year``: planned elements open by then, the measures in force."""
        return self.states.network(year, self._in_force(year), ())

    def _year_options(
        self, year: int, in_force: tuple[str, ...], closures: tuple[Disruption, ...], k: int
    ) -> list[list[RouteOption]]:
        n = len(self.scenario.demand.markets)
        return [self.options.options(year, in_force, closures, i, k) for i in range(n)]

    def run(
        self,
        *,
        progress: Progress | None = None,
        behaviour: Behaviour | None = None,
        disruptions: Sequence[Disruption] | None = None,
        warn: bool = True,
    ) -> ScenarioResult:
        """Run every year of the scenario and return its tables.

        Parameters
        ----------
        progress : callable, optional
            Called with ``(years done, years)``.
        behaviour : Behaviour, optional
            Behavioural parameters replacing the scenario's (calibration reuses the
            routes found so far); the value of time must not change.
        disruptions : sequence of Disruption, optional
            Disruptions replacing the scenario's (calibration changes surcharges);
            closures must close what the scenario's closures close.
        warn : bool
            Log corridor splits that did not converge (``info["converged"]`` tells
            either way).
        """
        sc = self.scenario
        beh = behaviour or sc.behaviour
        if beh.value_of_time_usd_teu_h != sc.behaviour.value_of_time_usd_teu_h:
            raise ValueError("a behaviour override must keep the value of time")
        buffers = dict(beh.reliability_buffer_h) | self._reliability
        years = sc.years
        tables = ResultTables()
        max_iter = 0
        max_gap = 0.0
        all_converged = True
        n_markets = len(sc.demand.markets)
        vots = self.market_values_of_time()
        class_scale = np.array(
            [beh.class_scale.get(m.cargo_class.name, 1.0) for m in sc.demand.markets]
        )
        k = beh.routes_per_corridor
        od = [(m.id, m.origin, m.destination, m.cargo_class) for m in sc.demand.markets]
        path_sizes: dict[Hashable, np.ndarray] = self.states.measured.shared(
            ("path sizes",), dict
        )  # the runs sharing the networks often find the same routes
        for done, year in enumerate(years):
            in_force = self._in_force(year)
            demand = np.array([_market_volume(sc, i, year) for i in range(n_markets)])
            totals = YearTotals(n_markets)
            for fraction, active in year_segments(
                sc.disruptions if disruptions is None else disruptions, year
            ):
                closures = tuple(d for d in active if d.closed)
                slows = tuple(d for d in active if not d.closed)
                per_market = self._year_options(year, in_force, closures, k)
                for i, alts in enumerate(per_market):  # demand no route carries: reported
                    if not alts and demand[i] > 0:
                        why = self.options.unserved_reason(year, in_force, closures, i, k)
                        totals.add_unserved(i, why, fraction * demand[i])
                solved = solve_year(
                    per_market,
                    demand,
                    beh,
                    slows=slows,
                    buffers=buffers,
                    ports=self._ports,
                    delays=self._element_delays(year, in_force, closures),
                    value_of_time=vots,
                    class_scale=class_scale,
                    warn=warn,
                    path_sizes=path_sizes,
                )
                if solved is None:
                    continue
                eq = solved.equilibrium
                max_iter = max(max_iter, eq.iterations)
                max_gap = max(max_gap, eq.gap)
                all_converged &= eq.converged
                totals.add(fraction, solved)
            self.pair_volumes[year] = totals.volumes
            self.route_volumes[year] = {
                key: [(r, v) for r, v in used.values()] for key, used in totals.routes.items()
            }
            totals.write(tables, year, markets=od, demand=demand)
            if progress is not None:
                progress(done + 1, len(years))
        info: dict[str, float | int | bool | str] = {
            "max_iterations": max_iter,
            "max_gap": max_gap,
            "converged": all_converged,
            "measures": ",".join(m.id for m in self.measures),
        }
        return tables.result(info)


def run_scenario(
    network: Network,
    scenario: Scenario,
    *,
    catalogue: MeasureCatalogue | None = None,
    measure_ids: Sequence[str] | None = None,
    reliability: Mapping[str, float] | None = None,
    progress: Progress | None = None,
    networks: MeasuredNetworks | None = None,
) -> ScenarioResult:
    """Run a scenario: corridor volumes, link flows and transit times by year.

    Parameters
    ----------
    network : Network
        The network (planned elements included; they open by year or by measure).
    scenario : Scenario
        What to run.
    catalogue : MeasureCatalogue, optional
        Measures the scenario names by id.
    measure_ids : sequence of str, optional
        Run with these measures instead of the scenario's own.
    reliability : mapping of corridor to hours, optional
        Reliability buffers (bad case minus median transit time), overriding the
        scenario's.
    progress : callable, optional
        Called with ``(years done, years)``.
    networks : MeasuredNetworks, optional
        The networks with the measures in force, shared with other runs (see
        :class:`ScenarioRunner`).

    Returns
    -------
    ScenarioResult
    """
    runner = ScenarioRunner(
        network,
        scenario,
        catalogue=catalogue,
        measure_ids=measure_ids,
        reliability=reliability,
        networks=networks,
    )
    return runner.run(progress=progress)
