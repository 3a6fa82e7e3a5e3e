"""The flows and routes of a scenario's equilibrium in one year, as a simulation's demand.

``corridors simulate --scenario NAME --year Y`` simulates what the scenario equilibrium
(:class:`corridors.scenarios.model.ScenarioRunner`, the same run as ``corridors run``)
finds in that year: each O-D pair's volume on each corridor
(:attr:`~corridors.scenarios.model.ScenarioRunner.pair_volumes`: a market read from a
demand table has several pairs, each with its own split), in the market's own unit
(containers in TEU, dry bulk in tonnes), on the least-cost route of that corridor (the
route the equilibrium prices, :func:`corridors.routing.compare` with the runner's cost
parameters) on the network of that year (planned links open, measures in force, no
closures). Crude (liquid bulk) is the energy layer's flow and is not simulated.

The study does not choose routes of its own: the simulation shows the queues the
equilibrium's flows meet, and where the equilibrium loads an element beyond what the
simulated servers serve, the simulation shows the backlog.

Example
-------
>>> from corridors.scenarios.io import load_inputs
>>> from corridors.studies.simulation_equilibrium import equilibrium_flows
>>> inputs = load_inputs("baseline-2024")
>>> eq = equilibrium_flows(inputs.network, inputs.scenario, year=2024,
...                        catalogue=inputs.catalogue)
>>> kz = eq.volumes[eq.volumes["market"] == "kz_caucasus"]
>>> sorted(set(kz["corridor"])), sorted(set(kz["unit"])), round(float(kz["volume"].sum()))
(['middle'], ['t'], 1742000)
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from corridors.demand.classes import CONTAINER_PAYLOAD_T
from corridors.errors import Problem, ScenarioError, UnreachableError
from corridors.network.model import Network
from corridors.routing import Route, build_graph, compare
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.spec import MeasureCatalogue, Scenario
from corridors.simulation.ferry_load import ferry_loads
from corridors.simulation.model import SimulationModel
from corridors.simulation.options import FlowKey
from corridors.simulation.station_load import station_loads
from corridors.studies.reliability import scenario_buffers
from corridors.studies.water_split import WaterLines

__all__ = [
    "EquilibriumFlows",
    "equilibrium_flows",
    "overloaded_elements",
]

log = logging.getLogger(__name__)

VOLUME_COLUMNS: tuple[str, ...] = (
    "market",
    "corridor",
    "origin",
    "destination",
    "commodity",
    "unit",
    "volume",
    "hours",
)


@dataclass(frozen=True)
class EquilibriumFlows:
    """A scenario's equilibrium in one year, as flows and routes a simulation can build.

    Attributes
    ----------
    year : int
        The year.
    network : Network
        The network of that year (planned links open, measures in force).
    flows : dict
        Volume a year of each ``(origin, destination, commodity, unit)`` flow, in
        ``unit`` (``TEU`` for containers, ``t`` for general cargo).
    routes : dict
        The routes of each flow and the share of its volume on each (one route per
        corridor the equilibrium uses).
    volumes : pandas.DataFrame
        One row per market, O-D pair and corridor with volume: ``market``, ``corridor``,
        ``origin``, ``destination`` (node ids), ``commodity``, ``unit``, ``volume``
        (a year, in ``unit``) and ``hours`` (the equilibrium's congested transit time).
    result : ScenarioResult
        The scenario run up to ``year``.
    unrouted : float
        Volume a year (TEU and tonnes together) of O-D pairs on a corridor where the
        router finds no route of that corridor: not simulated.
    """

    year: int
    network: Network
    flows: dict[FlowKey, float]
    routes: dict[FlowKey, list[tuple[Route, float]]]
    volumes: pd.DataFrame
    result: ScenarioResult
    unrouted: float = 0.0


def _year_problem(scenario: Scenario, year: int) -> ScenarioError:
    return ScenarioError(
        [
            Problem(
                scenario.name,
                None,
                "year",
                str(year),
                f"year outside the scenario's years {scenario.base_year}-{scenario.horizon}",
            )
        ],
        what=scenario.name,
    )


def equilibrium_flows(
    network: Network,
    scenario: Scenario,
    *,
    year: int,
    catalogue: MeasureCatalogue | None = None,
    reliability: Mapping[str, float] | None = None,
) -> EquilibriumFlows:
    """Run a scenario to ``year`` and take that year's flows and routes.

    Parameters
    ----------
    network : Network
        The scenario's network (all years).
    scenario : Scenario
        The scenario; it runs from its base year to ``year``.
    year : int
        The year to simulate, within the scenario's years.
    catalogue : MeasureCatalogue, optional
        Measures the scenario names.
    reliability : mapping, optional
        Reliability buffers per corridor, hours (as ``corridors run``).

    Returns
    -------
    EquilibriumFlows

    Raises
    ------
    ScenarioError
        ``year`` is outside the scenario's years.
    """
    if not scenario.base_year <= year <= scenario.horizon:
        raise _year_problem(scenario, year)
    upto = scenario.model_copy(update={"horizon": year})
    runner = ScenarioRunner(
        network,
        upto,
        catalogue=catalogue,
        reliability=scenario_buffers(network, upto, given=reliability),
    )
    result = runner.run()
    net = runner.year_network(year)
    graph = build_graph(net, runner.params)
    lines = WaterLines(
        net, runner.params, graph, sc_tonnes=CONTAINER_PAYLOAD_T, loads=(result.bottlenecks, year)
    )
    cv = result.corridor_volumes
    cv = cv[cv["year"] == year]
    hours = {
        (str(mk), str(c)): float(h)
        for mk, c, h in zip(cv["market"], cv["corridor"], cv["hours"], strict=True)
    }
    rows: list[dict[str, object]] = []
    unrouted = 0.0
    flows: dict[FlowKey, float] = {}
    by_flow: dict[FlowKey, dict[tuple[str, ...], tuple[Route, float]]] = {}
    markets = scenario.demand.markets
    for (i, corridor), teu in sorted(runner.pair_volumes.get(year, {}).items()):
        m = markets[i]
        cls = m.cargo_class
        if cls.name == "liquid_bulk":  # crude: the energy layer's flows, not trains
            continue
        containers = m.containers
        unit = "TEU" if containers else "t"
        volume = float(cls.native(teu))
        if not volume > 0:
            continue
        o, d = net.place(m.origin), net.place(m.destination)
        key: FlowKey = (o, d, "containers" if containers else cls.name, unit)
        # the routes the equilibrium used on the corridor, each with its volume
        used = list(runner.route_volumes.get(year, {}).get((i, corridor), []))
        if not used or any(r is None for r, _ in used):
            try:
                found = compare(net, o, d, params=runner.params, corridors=(corridor,), graph=graph)
            except UnreachableError:
                found = []
            first = next((r for r in found if r.corridor == corridor), None)
            used = [] if first is None else [(first, teu)]
        if not used:  # no route found where the equilibrium had one
            unrouted += volume
            continue
        parts = [
            (line_route, volume * (v / teu) * share)
            for route, v in used
            if route is not None
            for line_route, share in lines.split(route, o, d, containers=containers)
        ]
        for line_route, part in parts:
            flows[key] = flows.get(key, 0.0) + part
            # one entry per route of a flow, whichever markets share it
            ways = by_flow.setdefault(key, {})
            links = line_route.link_ids
            ways[links] = (line_route, ways[links][1] + part if links in ways else part)
            rows.append(
                {
                    "market": m.id,
                    "corridor": corridor,
                    "origin": o,
                    "destination": d,
                    "commodity": key[2],
                    "unit": unit,
                    "volume": part,
                    "hours": hours.get((m.id, corridor), math.nan),
                }
            )

    shares = {
        key: [(route, volume / flows[key]) for route, volume in options.values()]
        for key, options in by_flow.items()
        if flows[key] > 0
    }
    volumes = pd.DataFrame(rows, columns=list(VOLUME_COLUMNS))
    log.info("%s %d: %d market-corridor flows from the equilibrium", scenario.name, year, len(rows))
    if unrouted > 0:
        log.info(
            "%s %d: %.0f a year of pairs with no route on their corridor",
            scenario.name,
            year,
            unrouted,
        )
    return EquilibriumFlows(year, net, flows, shares, volumes, result, unrouted)


def overloaded_elements(
    model: SimulationModel, *, threshold: float = 1.0
) -> dict[str, dict[str, float]]:
    """The simulated elements each corridor's shipments meet at or above ``threshold``.

    Utilisation of a station is its offered load over its servers' capacity
    (:func:`~corridors.simulation.station_load.station_loads`); of a ferry line from a port,
    its shipments and the ships' time the cargo back takes (:meth:`FerryLoad.joint_per_h
    <corridors.simulation.ferry_load.FerryLoad.joint_per_h>`) over what its fleet lifts
    in the year (:meth:`~corridors.cost.queueing.FerryQueue.utilisation`).

    Returns
    -------
    dict
        ``{corridor: {element id: utilisation}}``; corridors with none are absent.
    """
    busy: dict[tuple[str, str | None], tuple[str, float]] = {}
    for load in station_loads(model):
        if load.utilisation >= threshold:
            busy[(load.station.station_id, None)] = (load.station.station_id, load.utilisation)
    for f in ferry_loads(model):
        if f.arrivals_per_day <= 0.0:
            continue
        rho = f.ferry_queue().utilisation(f.joint_per_h())
        if rho >= threshold:
            busy[(f.line.line_id, f.port)] = (f"{f.line.line_id}@{f.port}", rho)
    out: dict[str, dict[str, float]] = {}
    for g in model.generators:
        for step in g.itinerary:
            key = (step.target, step.from_node if step.kind == "ferry" else None)
            if step.kind in ("station", "ferry") and key in busy:
                element, rho = busy[key]
                out.setdefault(g.corridor, {})[element] = rho
    return out
