"""What to simulate: a plain, validated description with no SimPy objects.

A :class:`SimulationModel` lists the resources of a corridor (stations with servers
and service-time distributions, ferry lines with their individual ships), the
shipment generators (what enters, when, and along which itinerary), the weather
areas and the planned closures. It is made of frozen dataclasses only, so it pickles
cheaply to the worker processes of a replication pool, and it can be written by hand
(tests, what-if studies) or built from a network with :mod:`corridors.simulation.build`.

All times are in hours from the start of the run (hour 0 is 1 January, 00:00).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from corridors.errors import Problem
from corridors.simulation.distributions import Distribution, DistributionKind
from corridors.simulation.errors import SimulationModelError

__all__ = [
    "UNLIMITED",
    "Closure",
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
Departure = Literal["when_full", "timetable"]
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
class Ship:
    """One ferry or feeder ship.

    A ship's deck is shared between wagons, TEU and trucks in proportion to its
    capacity in each (a Ro-Pax that takes 56 wagons or 50 trucks takes 28 wagons and
    25 trucks). A capacity of 0 means the ship does not carry that unit.

    Attributes
    ----------
    ship_id : str
        Unique id.
    capacity_wagons, capacity_teu, capacity_trucks : int
        Units per sailing.
    load_h, unload_h : float
        Time at berth to load (after the departure decision) and to unload, hours.
    start_side : str
        ``"a"`` or ``"b"``: the port of its line where the ship starts.
    name : str
        Ship name or class.
    """

    ship_id: str
    capacity_wagons: int = 0
    capacity_teu: int = 0
    capacity_trucks: int = 0
    load_h: float = 0.0
    unload_h: float = 0.0
    start_side: Literal["a", "b"] = "a"
    name: str = ""

    def capacity(self, unit: int) -> int:
        """Capacity in unit 0 (wagons), 1 (TEU) or 2 (trucks)."""
        return (self.capacity_wagons, self.capacity_teu, self.capacity_trucks)[unit]


@dataclass(frozen=True, slots=True)
class FerryLine:
    """A ferry or feeder line between two ports, served by individual ships.

    Ships cycle: load at a port, sail, unload, load for the return. A ship at berth
    sails when full, or when ``max_wait_h`` has passed since the first unit boarded
    (``when_full``; an empty ship sails back after ``empty_wait_h``, or at once
    when cargo it can carry waits at the other port), or at the scheduled departure
    plus up to ``max_wait_h`` if not full (``timetable``). An empty ship spends no
    ``load_h`` / ``unload_h`` (nothing to handle) and takes no berth. It never leaves
    a port closed by weather or maintenance, nor enters one.

    Attributes
    ----------
    line_id : str
        Unique id (e.g. the ferry link id).
    port_a, port_b : str
        Node ids of the two ports.
    sail_h : float
        Sailing time, hours (either direction).
    ships : tuple of Ship
        The fleet of the line.
    departure : str
        ``"when_full"`` or ``"timetable"``.
    max_wait_h : float
        Maximum wait at berth, hours (see above).
    headway_h : float or None
        Interval between scheduled departures from each port (``timetable``), hours.
    first_departure_h : float
        First scheduled departure from each port, hours.
    empty_wait_h : float or None
        ``when_full``: how long an empty ship waits for its first unit before it
        sails back empty to reposition, hours (``None``: ``max_wait_h``).
    berths : int
        Ships that can load or unload at once at each port.
    name : str
        Name shown to users.
    link_id : str or None
        Network link the line stands for.
    """

    line_id: str
    port_a: str
    port_b: str
    sail_h: float
    ships: tuple[Ship, ...]
    departure: Departure = "when_full"
    max_wait_h: float = 48.0
    headway_h: float | None = None
    first_departure_h: float = 0.0
    empty_wait_h: float | None = None
    berths: int = 1
    name: str = ""
    link_id: str | None = None


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
class WeatherArea:
    """A sea area whose ports close together in storms (e.g. the Caspian).

    Storms arrive as a Poisson process whose rate varies by month so that the
    expected storm days in month ``m`` equal ``storm_days_per_month[m]``; each storm
    closes every port of the area for a gamma-distributed time of mean
    ``mean_event_h`` hours and coefficient of variation ``event_cv``.

    Attributes
    ----------
    area_id : str
        Unique id.
    ports : tuple of str
        Node ids of the ports closed by the area's storms.
    storm_days_per_month : tuple of 12 float
        Expected storm days in January ... December.
    mean_event_h : float
        Mean duration of one storm closure, hours.
    event_cv : float
        Coefficient of variation of the duration.
    """

    area_id: str
    ports: tuple[str, ...]
    storm_days_per_month: tuple[float, ...]
    mean_event_h: float = 72.0
    event_cv: float = 0.5


@dataclass(frozen=True, slots=True)
class Closure:
    """A planned closure (maintenance window) of a station, link, node or ferry line.

    Attributes
    ----------
    target : str
        Station id, link id (delay steps and stations of that link), node id
        (stations at that node and ferry departures/arrivals there) or ferry line id.
    start_h, end_h : float
        Closed from ``start_h`` (inclusive) to ``end_h`` (exclusive), hours.
    reason : str
        Shown in reports.
    """

    target: str
    start_h: float
    end_h: float
    reason: str = "maintenance"


@dataclass(frozen=True, slots=True)
class Yard:
    """The yard of a ferry port: a finite number of slots where shipments wait for a ship.

    A shipment about to board a ferry line at ``node_id`` takes its slots when it
    enters the port (before the port's stations, e.g. port handling, just ahead of
    the ferry step; at the ferry step itself when there are none) and frees them
    as its units are loaded onto ships. When the free slots cannot take it, it
    waits before the port, first come first served (upstream blocking); that wait
    is the resource ``yard:<node_id>`` of the results. A shipment takes one slot per
    unit it boards in: a wagon on a rail ferry, a TEU on a container ship (see
    :func:`yard_units`); trucks take none. A shipment larger than the whole yard
    takes every slot (it enters once the yard is empty).

    Attributes
    ----------
    node_id : str
        Port node (a port of a ferry line).
    slots : int
        Capacity, wagons or TEU, >= 1.
    name : str
        Name shown to users.
    """

    node_id: str
    slots: int
    name: str = ""


def yard_units(line: FerryLine, gen: ShipmentGenerator) -> int:
    """Yard slots a generator's shipments need before boarding ``line``: wagons or TEU.

    The unit is the one the shipment boards in (:func:`line_unit`); trucks (and a
    line that carries none of the shipment's units) need no slot.
    """
    unit = line_unit(line, gen)
    if unit is None or unit == 2:
        return 0
    return gen.units(unit)


def line_unit(line: FerryLine, gen: ShipmentGenerator) -> int | None:
    """The unit (0 wagons, 1 TEU, 2 trucks) a generator's shipments use on a line.

    Wagons are preferred, then TEU, then trucks; ``None`` when no ship of the line
    carries any unit the shipment has.
    """
    for unit in (0, 1, 2):
        if gen.units(unit) > 0 and any(s.capacity(unit) > 0 for s in line.ships):
            return unit
    return None


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
