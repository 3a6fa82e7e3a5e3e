"""The study behind ``corridors simulate``: route the demand, build the model, simulate.

With a scenario (``corridors simulate --scenario NAME --year Y``,
:func:`scenario_simulation_model`) the flows and routes are the scenario equilibrium's
in that year (:mod:`~corridors.studies.simulation_equilibrium`): the simulation shows
the queues of what ``corridors run`` finds, with no route choice of its own.

With a demand table (O-D rows, not a scenario's markets) the engines do not call each
other; this study does, in order:

1. the demand's flows (:func:`corridors.simulation.build.demand_flows`);
2. their routes and shares (:mod:`~corridors.studies.simulation_routes`): by default
   the capacity-constrained user equilibrium of the same demand (multi-class
   bi-conjugate Frank-Wolfe of :mod:`corridors.assignment`), in which every element the
   simulation limits has the capacity the simulation gives it: ferry and feeder lines
   the lift of their fleet, single-track sections their train paths a day (per
   direction), gauge-change yards and lanes their servers over the service time;
3. the simulation model of those flows on those routes
   (:func:`corridors.simulation.build.model_from_routes`), and, with
   ``feedback_rounds``, rounds that simulate once and assign again with the simulated
   ferry waits (method of successive averages on the route shares);
4. the replications (:func:`run_simulation`).

Example
-------
>>> from corridors.datasets import eurasia_path
>>> from corridors.network import read_network
>>> from corridors.demand import read_demand
>>> from corridors.studies.simulate import simulation_model
>>> from corridors.simulation import BuildOptions
>>> net = read_network(eurasia_path())
>>> demand = read_demand(eurasia_path() / "demand-2024.csv")
>>> titr = demand[demand["market"] == "china_caucasus_tr"]
>>> model = simulation_model(net, titr, options=BuildOptions(corridors=("middle",)))
>>> sorted({g.destination for g in model.generators})
['alat', 'istanbul', 'tbilisi']
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from corridors.cost.averaging import msa_step
from corridors.network.model import Network
from corridors.routing import CostParameters, Route
from corridors.scenarios.spec import MeasureCatalogue, Scenario
from corridors.simulation.build import (
    build_model,
    checked_flows,
    ferry_waits,
    model_from_routes,
    tonnes_per_wagon,
)
from corridors.simulation.engine import simulate
from corridors.simulation.io import write_study
from corridors.simulation.model import SimulationModel
from corridors.simulation.options import BuildOptions, FlowKey, RouteShares
from corridors.simulation.replications import Progress, Replications, run_replications
from corridors.simulation.resources import ResourceBuilder
from corridors.studies.simulation_equilibrium import EquilibriumFlows, equilibrium_flows
from corridors.studies.simulation_routes import (
    ElementCapacity,
    average_routes,
    candidate_routes,
    choose_routes,
    element_capacities,
    equilibrium_routes,
    routes_for_demand,
)

__all__ = [
    "ElementCapacity",
    "SimulationStudy",
    "average_routes",
    "candidate_routes",
    "choose_routes",
    "element_capacities",
    "equilibrium_routes",
    "routes_for_demand",
    "run_simulation",
    "scenario_simulation_model",
    "simulation_model",
]

log = logging.getLogger(__name__)

CAPACITY_PASSES = 3
"""Most passes of the route choice that add elements newly loaded to the capacities."""


def _mean_tonnes_per_shipment(model: SimulationModel) -> float:
    rate = sum(g.per_day for g in model.generators)
    tonnes = sum(g.per_day * g.tonnes for g in model.generators)
    return tonnes / rate if rate > 0 else 1000.0


def simulation_model(
    network: Network,
    demand: pd.DataFrame,
    *,
    options: BuildOptions | None = None,
    routes: RouteShares | None = None,
    params: CostParameters | None = None,
    name: str = "",
) -> SimulationModel:
    """Choose the routes of a demand and build its simulation model.

    Parameters
    ----------
    network : Network
        The network (``read_network``).
    demand : pandas.DataFrame
        DEMAND table (``read_demand``).
    options : BuildOptions, optional
        Shipments, resources and the route choice (``route_choice``, ``k_routes``,
        ``station_capacity``, ``target_utilisation``, ``feedback_rounds`` ...).
    routes : mapping, optional
        Routes and shares per (origin, destination) to use instead of choosing them.
    params : CostParameters, optional
        Routing parameters of the route choice.
    name : str
        Model name.

    Returns
    -------
    SimulationModel
        Validated model.

    Raises
    ------
    DemandError
        Unknown places, bad volumes, or no row that can be routed.
    SimulationModelError
        Bad yard capacities, or an invalid model.
    """
    opt = options or BuildOptions()
    if routes is not None:
        return build_model(network, demand, options=opt, routes=routes, name=name)
    flows, file = checked_flows(network, demand, opt)
    equilibrium = opt.route_choice == "equilibrium"
    builder = ResourceBuilder(network, opt)
    blocked = {key: builder.blocked_links(key[2], key[3]) for key in flows}
    fleets = (
        builder.fleet_capacity_t(tonnes_per_wagon(builder, flows))
        if opt.fleet_capacity and equilibrium
        else None
    )
    found: dict[str, ElementCapacity] = {}
    candidates = candidate_routes(network, flows, blocked, opt, params)

    def choose(
        extra_h: Mapping[tuple[str, str], float] | None,
    ) -> dict[FlowKey, list[tuple[Route, float]]]:
        return choose_routes(
            network,
            flows,
            blocked,
            opt,
            params,
            capacities_t=fleets,
            extra_h=extra_h,
            elements=tuple(found.values()),
            candidates=candidates,
        )

    def assemble(
        chosen: Mapping[FlowKey, list[tuple[Route, float]]], quiet: bool
    ) -> SimulationModel:
        return model_from_routes(network, flows, opt, chosen, file=file, name=name, quiet=quiet)

    def add_elements(model: SimulationModel) -> bool:
        """Add the stations of ``model`` with a finite capacity; True if any was new."""
        per = _mean_tonnes_per_shipment(model)
        new = {
            e.element_id: e
            for e in element_capacities(model, tonnes_per_shipment=per)
            if e.element_id not in found
        }
        found.update(new)
        return bool(new)

    rounds = opt.feedback_rounds if equilibrium else 0
    if equilibrium and opt.station_capacity:
        # the stations of the cheapest routes first, then those the equilibrium loads
        add_elements(assemble(candidates, quiet=True))
    chosen = choose(None)
    model = assemble(chosen, quiet=equilibrium)
    if equilibrium and opt.station_capacity:
        for n in range(CAPACITY_PASSES):
            if not add_elements(model):
                break
            log.info("capacity pass %d: %d elements with a simulated capacity", n + 1, len(found))
            chosen = choose(None)
            model = assemble(chosen, quiet=True)
    for n in range(1, rounds + 1):
        run = simulate(model, seed=np.random.SeedSequence([opt.feedback_seed, n]))
        waits = ferry_waits(run)
        log.info(
            "feedback round %d: ferry waits %s",
            n,
            {f"{k[0]}@{k[1]}": round(v, 1) for k, v in sorted(waits.items())},
        )
        chosen = average_routes(chosen, choose(waits), msa_step(n))
        model = assemble(chosen, quiet=True)
    return assemble(chosen, quiet=False) if equilibrium else model


def scenario_simulation_model(
    network: Network,
    scenario: Scenario,
    *,
    year: int,
    catalogue: MeasureCatalogue | None = None,
    options: BuildOptions | None = None,
    name: str = "",
) -> tuple[SimulationModel, EquilibriumFlows]:
    """The simulation model of a scenario's equilibrium in one year.

    The scenario runs to ``year`` (:func:`equilibrium_flows`); each market's volume on
    each corridor becomes shipments (containers as block trains, general cargo as
    wagon groups) on the equilibrium's route of that corridor, on that year's
    network. The route-choice fields of ``options`` are not used.

    Returns
    -------
    (SimulationModel, EquilibriumFlows)
        The validated model and the equilibrium's flows it was built from.

    Raises
    ------
    ScenarioError
        ``year`` outside the scenario's years.
    DemandError
        No flow of the equilibrium could be routed.
    """
    eq = equilibrium_flows(network, scenario, year=year, catalogue=catalogue)
    opt = options or BuildOptions()
    model = model_from_routes(
        eq.network,
        eq.flows,
        opt,
        eq.routes,
        file=f"scenario {scenario.name} ({year})",
        name=name or f"{scenario.name} {year}",
    )
    return model, eq


@dataclass(frozen=True)
class SimulationStudy:
    """What ``corridors simulate`` ran and wrote.

    Attributes
    ----------
    model : SimulationModel
        The model simulated (routes, resources, shipments, what was left out).
    replications : Replications
        The runs.
    output : Path
        Folder of the tables and charts.
    """

    model: SimulationModel
    replications: Replications
    output: Path


def run_simulation(
    model: SimulationModel,
    *,
    replications: int,
    seed: int,
    output: Path,
    executor: Literal["process", "serial"] | Executor = "process",
    workers: int | None = None,
    timelines: bool = True,
    progress: Progress | None = None,
) -> SimulationStudy:
    """Run the replications of a model and write the study (Parquet tables, PNG charts).

    Parameters
    ----------
    model : SimulationModel
        From :func:`simulation_model`.
    replications, seed : int
        Number of replications and the seed of the study.
    output : Path
        Folder to write (atomically).
    executor, workers
        How to run the replications (see :func:`run_replications`).
    timelines : bool
        Write every shipment's timeline.
    progress : callable, optional
        Called with (done, total) after each replication.

    Returns
    -------
    SimulationStudy
    """
    study = run_replications(
        model,
        replications=replications,
        seed=seed,
        executor=executor,
        workers=workers,
        progress=progress,
    )
    out = write_study(study, output, timelines=timelines)
    return SimulationStudy(model, study, Path(out))
