"""What to simulate: a plain, validated description with no SimPy objects.

A :class:`SimulationModel` lists the resources of a corridor (stations with servers
and service-time distributions, ferry lines with their individual ships), the
shipment generators (what enters, when, and along which itinerary), the weather
areas and the planned closures. It is made of frozen dataclasses only, so it pickles
cheaply to the worker processes of a replication pool, and it can be written by hand
(tests, what-if studies) or built from a network with :mod:`corridors.simulation.build`.
Ships, ferry lines and port yards are in :mod:`~corridors.simulation.fleet`, weather
areas and closures in :mod:`~corridors.simulation.weather` (both re-exported here).

All times are in hours from the start of the run (hour 0 is 1 January, 00:00).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from corridors.errors import Problem
from corridors.simulation.distributions import Distribution, DistributionKind
from corridors.simulation.errors import SimulationModelError
from corridors.simulation.fleet import Departure, FerryLine, Ship, Yard, line_unit, yard_units
from corridors.simulation.weather import Closure, WeatherArea

__all__ = [
    "HOURS_PER_YEAR",
    "UNLIMITED",
    "Closure",
    "Departure",
    "Distribution",
    "DistributionKind",
    "FerryLine",
    "LeftOut",
    "Ship",
    "ShipmentGenerator",
    "SimulationModel",
    "SimulationModelError",
    "Station",
    "Step",
    "WeatherArea",
    "Yard",
    "line_unit",
    "yard_units",
]

StationKind = Literal["border", "transshipment", "section", "port", "terminal", "other"]
ShipmentKind = Literal["block_train", "wagon_group", "truck"]
ServicePer = Literal["shipment", "wagon", "teu"]
StepKind = Literal["station", "delay", "ferry"]
ArrivalProcess = Literal["poisson", "timetable", "times"]

HOURS_PER_YEAR = 8760.0
"""Hours in a (non-leap) simulated year."""

UNLIMITED = 1_000_000
"""Servers of a station with no capacity limit: nobody waits, service still varies."""


@dataclass(frozen=True, slots=True)
class Station:
    """A resource with parallel servers and a first-come first-served queue.

    Border crossings (inspection lanes), gauge-change transshipment yards, port
    handling (cranes), terminals and single-track sections (one server whose service
    time is the headway between train paths) are all stations.

    Attributes
    ----------
    station_id : str
        Unique id, e.g. ``"border:khorgos"``.
    kind : str
        ``border``, ``transshipment``, ``section``, ``port``, ``terminal`` or ``other``.
    servers : int
        Servers working in parallel (lanes, tracks, cranes), >= 1;
        :data:`UNLIMITED` for a place with no capacity limit (a random delay).
    service : Distribution
        Service time of one shipment, hours (per ``per`` unit when ``per`` is not
        ``"shipment"``).
    per : str
        ``"shipment"``: one draw per shipment; ``"wagon"`` or ``"teu"``: the draw
        is multiplied by the shipment's wagons or TEU.
    name : str
        Name shown to users.
    node_id, link_id : str or None
        Network element the station stands for (used by closures and reports).
    """

    station_id: str
    kind: StationKind
    servers: int
    service: Distribution
    per: ServicePer = "shipment"
    name: str = ""
    node_id: str | None = None
    link_id: str | None = None

    @property
    def unlimited(self) -> bool:
        """True when the station has no capacity limit."""
        return self.servers >= UNLIMITED


@dataclass(frozen=True, slots=True)
class Step:
    """One step of an itinerary.

    Attributes
    ----------
    kind : str
        ``station`` (queue and service at a :class:`Station`), ``delay`` (a pure
        travel time, no queue) or ``ferry`` (board a :class:`FerryLine`).
    target : str
        Station id, link id (delay; closures of that id hold the shipment back)
        or ferry line id.
    hours : float
        Travel time of a delay, hours.
    from_node : str or None
        Port where a ferry step boards (which way the line is used).
    """

    kind: StepKind
    target: str
    hours: float = 0.0
    from_node: str | None = None

    @classmethod
    def station(cls, station_id: str) -> Step:
        """Queue and be served at station ``station_id``."""
        return cls("station", station_id)

    @classmethod
    def delay(cls, hours: float, *, link_id: str = "") -> Step:
        """Travel ``hours`` along link ``link_id`` with no queue."""
        return cls("delay", link_id, float(hours))

    @classmethod
    def ferry(cls, line_id: str, *, from_node: str) -> Step:
        """Board ferry line ``line_id`` at port ``from_node``."""
        return cls("ferry", line_id, 0.0, from_node)


@dataclass(frozen=True, slots=True)
class ShipmentGenerator:
    """Shipments of one kind following one itinerary between an origin and a destination.

    Attributes
    ----------
    generator_id : str
        Unique id.
    origin, destination : str
        Node ids.
    itinerary : tuple of Step
        The steps, in order.
    kind : str
        ``block_train``, ``wagon_group`` or ``truck``.
    wagons : int
        Rail wagons per shipment.
    teu : float
        TEU per shipment.
    tonnes : float
        Tonnes per shipment.
    trucks : int
        Trucks per shipment (1 for a truck).
    corridor : str
        Corridor the itinerary belongs to.
    arrivals : str
        ``poisson`` (random arrivals at ``per_day``), ``timetable`` (every
        ``24 / per_day`` hours from ``offset_h``) or ``times`` (``times_h``).
    per_day : float
        Mean shipments a day.
    offset_h : float
        First timetabled departure, hours.
    times_h : tuple of float
        Explicit entry times (``times``), hours.
    """

    generator_id: str
    origin: str
    destination: str
    itinerary: tuple[Step, ...]
    kind: ShipmentKind = "block_train"
    wagons: int = 0
    teu: float = 0.0
    tonnes: float = 0.0
    trucks: int = 0
    corridor: str = ""
    arrivals: ArrivalProcess = "poisson"
    per_day: float = 0.0
    offset_h: float = 0.0
    times_h: tuple[float, ...] = ()

    def units(self, unit: int) -> int:
        """Count in unit 0 (wagons), 1 (TEU, rounded up) or 2 (trucks)."""
        if unit == 0:
            return self.wagons
        if unit == 1:
            return math.ceil(self.teu - 1e-9)
        return self.trucks


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Demand the builder could not put on a route that carries it.

    Attributes
    ----------
    origin, destination : str
        Node ids.
    commodity : str
        Commodity of the demand rows.
    volume : float
        Volume a year left out, in ``unit``.
    unit : str
        ``TEU`` or ``t``.
    reason : str
        Why (no route on the corridors asked for, no ship that carries the units ...).
    """

    origin: str
    destination: str
    commodity: str
    volume: float
    unit: str
    reason: str


@dataclass(frozen=True, slots=True)
class SimulationModel:
    """Everything one simulation run needs, validated by :meth:`validate`.

    Attributes
    ----------
    stations : tuple of Station
    ferry_lines : tuple of FerryLine
    generators : tuple of ShipmentGenerator
    weather : tuple of WeatherArea
    closures : tuple of Closure
    horizon_h : float
        Simulated time, hours (8760: one year).
    warmup_h : float
        Shipments entering before this time are left out of the statistics, hours.
    name : str
        Shown in reports.
    notes : tuple of str
        Messages of the builder (routes left out and why).
    left_out : tuple of LeftOut
        Demand not simulated, with the reason (see :meth:`left_out_totals`).
    yards : tuple of Yard
        Port yards with a finite capacity (a port not listed has an unlimited yard).
    """

    stations: tuple[Station, ...] = ()
    ferry_lines: tuple[FerryLine, ...] = ()
    generators: tuple[ShipmentGenerator, ...] = ()
    weather: tuple[WeatherArea, ...] = ()
    closures: tuple[Closure, ...] = ()
    horizon_h: float = HOURS_PER_YEAR
    warmup_h: float = 0.0
    name: str = ""
    notes: tuple[str, ...] = field(default=(), compare=False)
    left_out: tuple[LeftOut, ...] = field(default=(), compare=False)
    yards: tuple[Yard, ...] = ()

    def left_out_totals(self) -> dict[str, float]:
        """Volume a year left out of the simulation, by unit (``{"t": ..., "TEU": ...}``)."""
        out: dict[str, float] = {}
        for x in self.left_out:
            out[x.unit] = out.get(x.unit, 0.0) + x.volume
        return out

    def problems(self) -> list[Problem]:
        """Every problem of the model (empty list: the model is valid)."""
        from corridors.simulation.validation import model_problems  # noqa: PLC0415 - cycle

        return model_problems(self)

    def validate(self) -> SimulationModel:
        """Raise :class:`SimulationModelError` listing every problem; return ``self``."""
        problems = self.problems()
        if problems:
            raise SimulationModelError(problems, what="simulation model")
        return self
