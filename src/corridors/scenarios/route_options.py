"""The route options of each market in each network state of a run, found once.

A run asks for a market's routes in every year and part of a year; years whose
network is the same object (:mod:`corridors.scenarios.network_states`) share them.
:class:`RouteOptions` keeps the routes found (:func:`~corridors.scenarios.route_sets.
market_routes`), the routing graph of each network and cost parameters, and the
capacitated elements of each network, and says why a market without a route has none.

The runs of one appraisal share their routes (:class:`SharedRoutes`): a market of each
run chooses among the routes any of them found for it in that year and state, each
priced on the run's own network where its links are there
(:func:`corridors.routing.retrace`). Each run's own search, with ``k`` routes a
corridor, may find other routes than the reference's (a measure that makes one route
cheaper changes the link-penalty search's second route): without sharing, a route
would leave the choice set, and a logit's logsum rises when an alternative leaves it,
so a measure that only lowers costs could seem to cost shippers surplus. No I/O.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Hashable

import numpy as np

from corridors.cost.parameters import CostParameters
from corridors.demand.classes import CONTAINER_PAYLOAD_T, CargoClass
from corridors.errors import UnknownPlaceError
from corridors.network.model import Network
from corridors.routing import ExpandedGraph, build_graph, retrace
from corridors.scenarios.elements import NetworkElements, RouteOption, network_elements
from corridors.scenarios.network_states import NetworkStates
from corridors.scenarios.route_sets import RouteAnatomy, market_routes, route_options
from corridors.scenarios.spec import Disruption, Market

logger = logging.getLogger(__name__)

__all__ = ["RouteOptions", "SharedRoutes"]


class RouteOptions:
    """Each market's route options per network state, cached for the life of a run.

    Parameters
    ----------
    states : NetworkStates
        The networks of the run's years and states.
    markets : sequence of Market
        The scenario's markets (indexed by position).
    params : CostParameters
        The behaviour's cost parameters (per TEU).
    shared : SharedRoutes, optional
        The routes of the runs this one is compared with (an appraisal's): each market
        also chooses among the routes they found (joined here).
    """

    def __init__(
        self,
        states: NetworkStates,
        markets: tuple[Market, ...],
        params: CostParameters,
        *,
        shared: SharedRoutes | None = None,
    ) -> None:
        self.states = states
        self.markets = markets
        self.params = params
        self.shared = shared
        if shared is not None:
            shared.members.append(self)
        self._class_params: dict[str, CostParameters] = {}
        self._found: dict[tuple[int, int, int], list[RouteOption]] = {}
        self._alts: dict[tuple[int, ...], list[RouteOption]] = {}
        self._graphs: dict[tuple[int, str, float, float], ExpandedGraph] = {}
        self._groups: dict[int, NetworkElements] = {}

    def class_parameters(self, cls: CargoClass) -> CostParameters:
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

    def market_parameters(self, market: Market) -> CostParameters:
        """The cost parameters a market's routes are found with.

        Its unit (TEU, or tonnes for a class counted in tonnes) and its value of time
        (its own, else the behaviour's).
        """
        params = self.class_parameters(market.cargo_class)
        if market.value_of_time_usd_h is None:
            return params
        return params.model_copy(update={"value_of_time_usd_h": market.value_of_time_usd_h})

    def values_of_time(self) -> np.ndarray:
        """Value of time of each market, USD per TEU(-equivalent)-hour, in market order.

        A class counted in tonnes converts at its cargo class's tonnes per TEU-equivalent.
        """
        return np.array([self.market_parameters(m).vot_per_teu for m in self.markets])

    def graph(self, net: Network, params: CostParameters) -> ExpandedGraph:
        """The routing graph of a network state priced with ``params`` (built once)."""
        key = (id(net), params.unit, params.vot, params.tonnes_per_teu)
        graph = self._graphs.get(key)
        if graph is None:
            graph = self._graphs[key] = build_graph(net, params)
        return graph

    def elements(
        self, year: int, in_force: tuple[str, ...], closures: tuple[Disruption, ...]
    ) -> NetworkElements:
        """The capacitated elements of a network state.

        Found once for the states of every run sharing the measured networks that
        differ only in the columns that price a route
        (:meth:`~corridors.scenarios.network_states.NetworkStates.structure`: a
        forecast's samples of border times).
        """
        net = self.states.network(year, in_force, closures)
        groups = self._groups.get(id(net))
        if groups is None:
            key = ("elements", self.states.structure(year, in_force, closures))
            groups = self._groups[id(net)] = self.states.measured.shared(
                key, lambda: network_elements(net, tonnes_per_teu=CONTAINER_PAYLOAD_T)
            )
        return groups

    def anatomies(
        self, year: int, in_force: tuple[str, ...], closures: tuple[Disruption, ...]
    ) -> dict[Hashable, RouteAnatomy]:
        """The anatomies of the routes found on a network state's capacitated elements.

        Shared, as :meth:`elements`, by the states of every run sharing the measured
        networks that differ only in the columns that price a route: a forecast's
        samples find their own routes, but a route over the same legs and stops as one
        found before takes its elements, their capacities and shares from it
        (:class:`~corridors.scenarios.route_sets.RouteAnatomy`).
        """
        key = ("route anatomies", self.states.structure(year, in_force, closures))
        return self.states.measured.shared(key, dict)

    def found(
        self,
        year: int,
        in_force: tuple[str, ...],
        closures: tuple[Disruption, ...],
        market_index: int,
        routes_per_corridor: int,
    ) -> list[RouteOption]:
        """The routes this run's search finds for a market in a year's state (found once).

        :func:`~corridors.scenarios.route_sets.market_routes` on the state's network,
        priced per unit of the market's parameters (:meth:`market_parameters`); empty
        when an end of the market is closed.
        """
        net = self.states.network(year, in_force, closures)
        key = (id(net), market_index, routes_per_corridor)
        alts = self._found.get(key)
        if alts is not None:
            return alts
        m = self.markets[market_index]
        params = self.market_parameters(m)
        try:
            alts = market_routes(
                net,
                m.origin,
                m.destination,
                params=params,
                tonnes_per_teu=CONTAINER_PAYLOAD_T,  # tonnes of a TEU-eq (tonne capacities)
                corridors=m.corridors or None,
                routes_per_corridor=routes_per_corridor,
                containers=m.containers,
                graph=self.graph(net, params),
                groups=self.elements(year, in_force, closures),
                anatomies=self.anatomies(year, in_force, closures),
            )
        except UnknownPlaceError:
            if not closures:  # the scenario's places were checked against the network
                raise
            alts = []  # an end of the market is closed
        self._found[key] = alts
        return alts

    def options(
        self,
        year: int,
        in_force: tuple[str, ...],
        closures: tuple[Disruption, ...],
        market_index: int,
        routes_per_corridor: int,
    ) -> list[RouteOption]:
        """The route options of a market in a year's state (empty: no route).

        The routes found (:meth:`found`) and, with :attr:`shared`, those the other runs
        found that this state's network has, priced on it; cheapest first. Prices are
        per unit of the market's class: a class counted in tonnes pays the per-tonne
        money of the network tables times its tonnes per TEU-equivalent, per
        TEU-equivalent.
        """
        net = self.states.network(year, in_force, closures)
        key: tuple[int, ...] = (id(net), market_index, routes_per_corridor)
        if self.shared is not None:  # the other runs' networks may differ between years
            key = (*key, year)
        if key in self._alts:
            return self._alts[key]
        m = self.markets[market_index]
        cls = m.cargo_class
        alts = self.found(year, in_force, closures, market_index, routes_per_corridor)
        if self.shared is not None:
            alts = self._with_shared(
                alts,
                year,
                in_force,
                closures,
                market_index=market_index,
                routes_per_corridor=routes_per_corridor,
            )
        if cls.unit != "TEU":
            alts = [dataclasses.replace(a, usd=a.usd * cls.tonnes_per_teu) for a in alts]
        if not alts:
            logger.info("market %s has no route in %d (reported as unserved)", m.id, year)
        self._alts[key] = alts
        return alts

    def _with_shared(
        self,
        alts: list[RouteOption],
        year: int,
        in_force: tuple[str, ...],
        closures: tuple[Disruption, ...],
        *,
        market_index: int,
        routes_per_corridor: int,
    ) -> list[RouteOption]:
        """``alts`` and the shared routes not among them, priced on this state's network."""
        assert self.shared is not None
        own = {_route_key(a) for a in alts}
        shared = self.shared.routes(year, closures, market_index, routes_per_corridor)
        extra = [a for a in shared if a.route is not None and _route_key(a) not in own]
        if not extra:
            return alts
        net = self.states.network(year, in_force, closures)
        m = self.markets[market_index]
        graph = self.graph(net, self.market_parameters(m))
        routes = [
            r for a in extra if a.route and (r := retrace(graph, a.route, corridor=a.corridor))
        ]
        if not routes:
            return alts
        more = route_options(
            routes,
            net,
            groups=self.elements(year, in_force, closures),
            anatomies=self.anatomies(year, in_force, closures),
            containers=m.containers,
        )
        return sorted([*alts, *more], key=_generalised_cost)

    def unserved_reason(
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
        if not closures or not self.options(year, in_force, (), market_index, k):
            return "no route"
        alone = [d.id for d in closures if not self.options(year, in_force, (d,), market_index, k)]
        return "closed: " + ", ".join(alone or [d.id for d in closures])


def _route_key(option: RouteOption) -> tuple[object, ...]:
    """What makes two route options one route: corridor, links and their directions."""
    return (option.corridor, option.link_ids, option.link_forward)


def _generalised_cost(option: RouteOption) -> float:
    return math.inf if option.route is None else option.route.generalised_cost_usd


class SharedRoutes:
    """The routes the runs of one appraisal found, shared by all of them.

    Each run's :class:`RouteOptions` joins (its ``shared``); a market of a run then
    chooses among its own routes and those any run found for it in the same year and
    closures (:meth:`routes`), priced on its network: the reference, each measure and
    the package choose among the same routes wherever their networks have them.
    """

    def __init__(self) -> None:
        self.members: list[RouteOptions] = []
        self._routes: dict[tuple[object, ...], list[RouteOption]] = {}

    def routes(
        self,
        year: int,
        closures: tuple[Disruption, ...],
        market_index: int,
        routes_per_corridor: int,
    ) -> list[RouteOption]:
        """The routes the members found for a market in a year's state, each once.

        Each member searches its own network of the year (its measures in force) with
        these closures (:meth:`RouteOptions.found`); the routes are priced on the
        network of the member that found them first, in the members' order.
        """
        key = (year, tuple(d.id for d in closures), market_index, routes_per_corridor)
        found = self._routes.get(key)
        if found is None:
            found = self._routes[key] = []
            seen: set[tuple[object, ...]] = set()
            for member in self.members:
                in_force = member.states.in_force(year)
                for a in member.found(year, in_force, closures, market_index, routes_per_corridor):
                    if _route_key(a) not in seen:
                        seen.add(_route_key(a))
                        found.append(a)
        return found
