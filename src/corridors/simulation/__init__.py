"""Discrete-event simulation of corridor operations (SimPy).

Layers: :mod:`~corridors.simulation.model` (a plain, picklable description of what
to simulate), :mod:`~corridors.simulation.build` (from a network, a demand and the
routes a study chose: :mod:`~corridors.simulation.options`,
:mod:`~corridors.simulation.resources`, :mod:`~corridors.simulation.shipments`),
:mod:`~corridors.simulation.station_load` and
:mod:`~corridors.simulation.ferry_load` (offered load and capacity of each station and
ferry line, by hand), :mod:`~corridors.simulation.engine` (one replication),
:mod:`~corridors.simulation.weather`, :mod:`~corridors.simulation.results` (tables),
:mod:`~corridors.simulation.replications` (parallel replications and confidence
intervals), :mod:`~corridors.simulation.reliability` (the reliability term of the
generalised cost), :mod:`~corridors.simulation.plots` and
:mod:`~corridors.simulation.io` (reading demand, writing a study).

Example
-------
>>> from corridors.simulation import Distribution, ShipmentGenerator, SimulationModel
>>> from corridors.simulation import Station, Step, simulate, transit_percentiles
>>> st = Station("border", "border", 2, Distribution.lognormal(10.0, 0.8))
>>> g = ShipmentGenerator("g", "xian", "alat", (Step.station("border"),), per_day=3.0)
>>> run = simulate(SimulationModel(stations=(st,), generators=(g,)), seed=1)
>>> int(transit_percentiles(run)["shipments"].iloc[0]) > 1000
True
"""

from __future__ import annotations

from corridors.simulation.build import (
    build_model,
    demand_flows,
    ferry_waits,
    model_from_routes,
    yard_slot_problems,
)
from corridors.simulation.engine import simulate
from corridors.simulation.model import (
    UNLIMITED,
    Closure,
    Distribution,
    FerryLine,
    LeftOut,
    Ship,
    ShipmentGenerator,
    SimulationModel,
    SimulationModelError,
    Station,
    Step,
    WeatherArea,
    Yard,
)
from corridors.simulation.options import BuildOptions
from corridors.simulation.reliability import reliability_from_results
from corridors.simulation.replications import (
    Replications,
    confidence_intervals,
    replication_seeds,
    run_replications,
)
from corridors.simulation.results import (
    RunResult,
    in_system_table,
    queue_series,
    resource_table,
    sailings_table,
    shipments_table,
    throughput_table,
    timeline_table,
    transit_percentiles,
)
from corridors.simulation.station_load import StationLoad, queue_element, station_loads

__all__ = [
    "UNLIMITED",
    "BuildOptions",
    "Closure",
    "Distribution",
    "FerryLine",
    "LeftOut",
    "Replications",
    "RunResult",
    "Ship",
    "ShipmentGenerator",
    "SimulationModel",
    "SimulationModelError",
    "Station",
    "StationLoad",
    "Step",
    "WeatherArea",
    "Yard",
    "build_model",
    "confidence_intervals",
    "demand_flows",
    "ferry_waits",
    "in_system_table",
    "model_from_routes",
    "queue_element",
    "queue_series",
    "reliability_from_results",
    "replication_seeds",
    "resource_table",
    "run_replications",
    "sailings_table",
    "shipments_table",
    "simulate",
    "station_loads",
    "throughput_table",
    "timeline_table",
    "transit_percentiles",
    "yard_slot_problems",
]
