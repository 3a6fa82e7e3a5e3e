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
   (:func:`corridors.routing.compare`) and its generalised cost per TEU is money +
   value of time x (hours + reliability buffer) + the corridor's risk premium;
4. the market volumes are split by a logit (multinomial, or nested with
   ``behaviour.nests``) with capacity feedback
   (:func:`corridors.scenarios.choice.equilibrium_shares`) and each segment's result
   is weighed by its share of the year. Capacities are per network element and per
   cargo: a tonne capacity limits all cargo, a TEU capacity containers only
   (:func:`element_capacities`, :func:`water_capacities`); they slow traffic
   (volume-delay) or, with ``behaviour.capacity_limits``, are hard limits with a
   shadow price, reported per element in ``ScenarioResult.bottlenecks``.

No I/O: the caller reads the network, scenario and catalogue.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from corridors.cost.element_delays import ElementDelays
from corridors.cost.parameters import CostParameters
from corridors.demand.classes import CONTAINER_PAYLOAD_T, CargoClass
from corridors.errors import UnknownPlaceError
from corridors.network.model import Network
from corridors.routing import ExpandedGraph, Route, build_graph
from corridors.scenarios.disruptions import year_segments
from corridors.scenarios.elements import (
    NetworkElements,
    RouteOption,
    network_elements,
)
from corridors.scenarios.network_states import (
    MeasuredNetworks,
    NetworkStates,
    measures_key,
    run_measures,
)
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.route_sets import market_routes
from corridors.scenarios.spec import (
    Behaviour,
    Disruption,
    Market,
    MeasureCatalogue,
    Scenario,
)
from corridors.scenarios.tables import ResultTables
from corridors.scenarios.year_elements import element_delays
from corridors.scenarios.year_solver import solve_year

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
        self._class_params: dict[str, CostParameters] = {}
        self._alts: dict[tuple[int, int, int], list[RouteOption]] = {}
        self._graphs: dict[tuple[int, str, float, float], ExpandedGraph] = {}
        self._groups: dict[int, NetworkElements] = {}
        self.pair_volumes: dict[int, dict[tuple[int, str], float]] = {}
        """Volume of each demand row (an O-D pair of a market) on each corridor in each
        year of the last :meth:`run`, TEU(-equivalents) a year: ``{year: {(row,
        corridor): volume}}``."""
        self._delays: dict[tuple[int, tuple[str, ...]], ElementDelays] = {}
        nodes = network.nodes
        self._ports = frozenset(nodes.loc[(nodes["kind"] == "port").to_numpy(), "node_id"])

    def _params_of(self, cls: CargoClass) -> CostParameters:
        """Routing parameters of a cargo class: per TEU, or per tonne at its payload.

        A class counted in tonnes pays the per-tonne money of the network tables and
        the value of time per TEU over its tonnes per TEU-equivalent (the class
        table's payload).
        """
        if cls.unit == "TEU":
            return self.params
        params = self._class_params.get(cls.name)
        if params is None:
            vot = self.params.vot / cls.tonnes_per_teu
            params = self.params.model_copy(
                update={
                    "unit": "t",
                    "value_of_time_usd_h": vot,
                    "tonnes_per_teu": cls.tonnes_per_teu,
                }
            )
            self._class_params[cls.name] = params
        return params

    def _network(
        self, year: int, in_force: tuple[str, ...], closures: tuple[Disruption, ...]
    ) -> Network:
        return self.states.network(year, in_force, closures)

    def _alternatives(
        self,
        year: int,
        in_force: tuple[str, ...],
        closures: tuple[Disruption, ...],
        market_index: int,
        routes_per_corridor: int,
    ) -> list[RouteOption]:
        net = self._network(year, in_force, closures)
        key = (id(net), market_index, routes_per_corridor)
        if key in self._alts:
            return self._alts[key]
        m = self.scenario.demand.markets[market_index]
        # a class counted in tonnes pays the per-tonne money of the network tables, times
        # its tonnes per TEU-equivalent (the class table's payload), per TEU-equivalent
        cls = m.cargo_class
        params = self.market_parameters(m)
        graph = self._graph(net, params)
        tpt = CONTAINER_PAYLOAD_T  # tonnes of a TEU-equivalent (tonne capacities)
        groups = self._groups.get(id(net))
        if groups is None:
            groups = network_elements(net, tonnes_per_teu=tpt)
            self._groups[id(net)] = groups
        try:
            alts = market_routes(
                net,
                m.origin,
                m.destination,
                params=params,
                tonnes_per_teu=tpt,
                corridors=m.corridors or None,
                routes_per_corridor=routes_per_corridor,
                containers=m.containers,
                graph=graph,
                groups=groups,
            )
        except UnknownPlaceError:
            if not closures:  # the scenario's places were checked against the network
                raise
            alts = []  # an end of the market is closed
        if cls.unit != "TEU":
            alts = [dataclasses.replace(a, usd=a.usd * cls.tonnes_per_teu) for a in alts]
        if not alts:
            logger.info("market %s has no route in %d (reported as unserved)", m.id, year)
        self._alts[key] = alts
        return alts

    def _unserved_reason(
        self,
        year: int,
        in_force: tuple[str, ...],
        closures: tuple[Disruption, ...],
        market_index: int,
        routes_per_corridor: int,
    ) -> str:
        """Why a market has no route: the closures that cut it, else ``no route``.

        Each closure active that alone leaves the market without a route is named
        (all of them when only their combination does); ``no route`` when the market
        has none even without closures.
        """
        k = routes_per_corridor
        if not closures or not self._alternatives(year, in_force, (), market_index, k):
            return "no route"
        alone = [
            d.id for d in closures if not self._alternatives(year, in_force, (d,), market_index, k)
        ]
        return "closed: " + ", ".join(alone or [d.id for d in closures])

    def route(self, year: int, market: str, corridor: str) -> Route | None:
        """The least-cost route of ``market`` on ``corridor`` in ``year``, with its steps.

        The network of that year with the measures in force and no closures (what the
        calibration's time and price targets measure): the first route of the corridor
        among the market's route options (:meth:`_alternatives`, found once and cached),
        priced per unit of the market's class (per TEU for containers). ``None`` when
        the market has no route on that corridor.
        """
        i = next(i for i, m in enumerate(self.scenario.demand.markets) if m.id == market)
        alts = self._alternatives(
            year, self._in_force(year), (), i, self.scenario.behaviour.routes_per_corridor
        )
        return next((a.route for a in alts if a.corridor == corridor), None)

    def market_parameters(self, market: Market) -> CostParameters:
        """The cost parameters a market's routes are found with.

        Its unit (TEU, or tonnes for a class counted in tonnes) and its value of time
        (its own, else the behaviour's).
        """
        params = self._params_of(market.cargo_class)
        if market.value_of_time_usd_h is None:
            return params
        return params.model_copy(update={"value_of_time_usd_h": market.value_of_time_usd_h})

    def market_values_of_time(self) -> np.ndarray:
        """Value of time of each market, USD per TEU(-equivalent)-hour, in market order.

        A class counted in tonnes converts at its cargo class's tonnes per TEU-equivalent.
        """
        return np.array(
            [self.market_parameters(m).vot_per_teu for m in self.scenario.demand.markets]
        )

    def _graph(self, net: Network, params: CostParameters) -> ExpandedGraph:
        key = (id(net), params.unit, params.vot, params.tonnes_per_teu)
        graph = self._graphs.get(key)
        if graph is None:
            graph = self._graphs[key] = build_graph(net, params)
        return graph

    def _element_delays(self, net: Network) -> Callable[[tuple[str, ...]], ElementDelays]:
        def delays(keys: tuple[str, ...]) -> ElementDelays:
            key = (id(net), keys)
            if key not in self._delays:
                self._delays[key] = element_delays(net, keys)
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
            (fraction, self._network(year, in_force, tuple(d for d in active if d.closed)))
            for fraction, active in year_segments(self.scenario.disruptions, year)
        ]

    def _in_force(self, year: int) -> tuple[str, ...]:
        return self.states.in_force(year)

    def year_network(self, year: int) -> Network:
        """The network of ``year``: planned elements open by then, the measures in force."""
        return self._network(year, self._in_force(year), ())

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
        payload_t = np.array([m.cargo_class.tonnes_per_teu for m in sc.demand.markets])
        od = [(m.id, m.origin, m.destination, m.cargo_class) for m in sc.demand.markets]
        for done, year in enumerate(years):
            in_force = self._in_force(year)
            demand = np.array([_market_volume(sc, i, year) for i in range(n_markets)])
            vol: dict[tuple[int, str], float] = {}
            acc: dict[tuple[int, str], np.ndarray] = {}  # weighted cost, hours, usd, weight
            links_acc: dict[tuple[str, bool], float] = {}  # (link, forward): volume
            tt_items: list[tuple[str, float, float]] = []
            ls_acc = np.zeros(n_markets)
            el_acc: dict[str, np.ndarray] = {}  # flow, capacity, shadow price, queue h
            unserved: dict[tuple[int, str], float] = {}  # (market, reason): TEU-eq a year
            for fraction, active in year_segments(
                sc.disruptions if disruptions is None else disruptions, year
            ):
                closures = tuple(d for d in active if d.closed)
                slows = tuple(d for d in active if not d.closed)
                per_market = [
                    self._alternatives(year, in_force, closures, i, k) for i in range(n_markets)
                ]
                for i, alts in enumerate(per_market):  # demand no route carries: reported
                    if not alts and demand[i] > 0:
                        why = (i, self._unserved_reason(year, in_force, closures, i, k))
                        unserved[why] = unserved.get(why, 0.0) + fraction * demand[i]
                solved = solve_year(
                    per_market,
                    demand,
                    beh,
                    slows=slows,
                    buffers=buffers,
                    ports=self._ports,
                    delays=self._element_delays(self._network(year, in_force, closures)),
                    value_of_time=vots,
                    class_scale=class_scale,
                    warn=warn,
                )
                if solved is None:
                    continue
                eq = solved.equilibrium
                for i, lost, keys in solved.rationed():  # full whatever the price
                    why = (i, "capacity: " + ", ".join(keys))
                    unserved[why] = unserved.get(why, 0.0) + fraction * lost
                max_iter = max(max_iter, eq.iterations)
                max_gap = max(max_gap, eq.gap)
                all_converged &= eq.converged
                for key, *values in solved.element_table():
                    row = el_acc.setdefault(key, np.zeros(4))
                    row += fraction * np.array(values)
                ls_acc += fraction * np.where(np.isfinite(solved.logsum), solved.logsum, 0.0)
                for i, row_options in enumerate(solved.options):
                    for j, a in enumerate(row_options):
                        if a is None:
                            continue
                        c = a.corridor
                        share = eq.shares[i, j]
                        v = fraction * demand[i] * share
                        vol[i, c] = vol.get((i, c), 0.0) + v
                        w = acc.setdefault((i, c), np.zeros(4))
                        w += fraction * np.array(
                            [
                                eq.cost[i, j] * share,
                                eq.hours[i, j] * share,
                                solved.usd[i, j] * share,
                                share,
                            ]
                        )
                        ways = a.link_forward or (True,) * len(a.link_ids)
                        for way in zip(a.link_ids, ways, strict=True):
                            links_acc[way] = links_acc.get(way, 0.0) + v
                        tt_items.append((c, float(eq.hours[i, j]), v))
            self.pair_volumes[year] = vol
            tables.add_year(
                year,
                [m.id for m in sc.demand.markets],
                demand,
                tonnes_per_teu=payload_t,
                volumes=vol,
                weighted=acc,
                logsums=ls_acc,
                link_volumes=links_acc,
                elements=el_acc,
                times=tt_items,
            )
            tables.add_unserved(year, od, unserved)
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
