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
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from corridors.errors import Problem, ProblemsError, did_you_mean

__all__ = [
    "UNLIMITED",
    "Closure",
    "Distribution",
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
    "yard_units",
]

DistributionKind = Literal["fixed", "exponential", "gamma", "lognormal", "uniform", "triangular"]
StationKind = Literal["border", "transshipment", "section", "port", "terminal", "other"]
ShipmentKind = Literal["block_train", "wagon_group", "truck"]
ServicePer = Literal["shipment", "wagon", "teu"]
StepKind = Literal["station", "delay", "ferry"]
Departure = Literal["when_full", "timetable"]
ArrivalProcess = Literal["poisson", "timetable", "times"]

_WHERE = "simulation model"
HOURS_PER_YEAR = 8760.0
"""Hours in a (non-leap) simulated year."""

UNLIMITED = 1_000_000
"""Servers of a station with no capacity limit: nobody waits, service still varies."""


class SimulationModelError(ProblemsError, ValueError):
    """A simulation model (or the network, demand or routes it is built from) is invalid."""


def _problem(column: str, value: object, message: str, hint: str | None = None) -> Problem:
    return Problem(_WHERE, None, column, None if value is None else str(value), message, hint)


@dataclass(frozen=True, slots=True)
class Distribution:
    """A service-time distribution, in hours.

    Build it with the class methods (:meth:`fixed`, :meth:`exponential`,
    :meth:`gamma`, :meth:`erlang`, :meth:`lognormal`, :meth:`uniform`,
    :meth:`triangular`) rather than by hand.

    Attributes
    ----------
    kind : str
        Family of the distribution.
    mean_h : float
        Mean, hours.
    cv : float
        Coefficient of variation (standard deviation / mean) for ``gamma`` and
        ``lognormal``; ignored otherwise.
    low_h, high_h : float
        Bounds of ``uniform`` and ``triangular`` (whose mode is
        ``3 * mean - low - high``), hours.
    """

    kind: DistributionKind = "fixed"
    mean_h: float = 0.0
    cv: float = 0.0
    low_h: float = 0.0
    high_h: float = 0.0

    @classmethod
    def fixed(cls, hours: float) -> Distribution:
        """A deterministic time of ``hours``."""
        return cls("fixed", float(hours))

    @classmethod
    def exponential(cls, mean_h: float) -> Distribution:
        """An exponential time with mean ``mean_h`` hours (M in Kendall's notation)."""
        return cls("exponential", float(mean_h), 1.0)

    @classmethod
    def gamma(cls, mean_h: float, cv: float) -> Distribution:
        """A gamma time with mean ``mean_h`` hours and coefficient of variation ``cv``."""
        return cls("gamma", float(mean_h), float(cv))

    @classmethod
    def erlang(cls, mean_h: float, k: int) -> Distribution:
        """An Erlang-``k`` time with mean ``mean_h`` hours (gamma with cv = 1/sqrt(k))."""
        return cls("gamma", float(mean_h), 1.0 / math.sqrt(k))

    @classmethod
    def lognormal(cls, mean_h: float, cv: float) -> Distribution:
        """A lognormal time with mean ``mean_h`` hours and coefficient of variation ``cv``."""
        return cls("lognormal", float(mean_h), float(cv))

    @classmethod
    def uniform(cls, low_h: float, high_h: float) -> Distribution:
        """A uniform time between ``low_h`` and ``high_h`` hours."""
        return cls("uniform", (low_h + high_h) / 2.0, 0.0, float(low_h), float(high_h))

    @classmethod
    def triangular(cls, low_h: float, mode_h: float, high_h: float) -> Distribution:
        """A triangular time between ``low_h`` and ``high_h`` hours peaking at ``mode_h``."""
        return cls("triangular", (low_h + mode_h + high_h) / 3.0, 0.0, float(low_h), float(high_h))

    @property
    def variance(self) -> float:
        """Variance, hours squared."""
        if self.kind == "fixed":
            return 0.0
        if self.kind == "exponential":
            return self.mean_h**2
        if self.kind in ("gamma", "lognormal"):
            return (self.cv * self.mean_h) ** 2
        if self.kind == "uniform":
            return (self.high_h - self.low_h) ** 2 / 12.0
        a, b, c = self.low_h, self.high_h, 3.0 * self.mean_h - self.low_h - self.high_h
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0

    def scaled(self, factor: float) -> Distribution:
        """The same family with every time multiplied by ``factor``."""
        return Distribution(
            self.kind, self.mean_h * factor, self.cv, self.low_h * factor, self.high_h * factor
        )

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` times, hours (float64 array)."""
        m = self.mean_h
        if self.kind == "fixed" or m == 0.0:
            return np.full(n, m)
        if self.kind == "exponential":
            return rng.exponential(m, n)
        if self.kind == "gamma":
            if self.cv == 0.0:
                return np.full(n, m)
            shape = 1.0 / self.cv**2
            return rng.gamma(shape, m / shape, n)
        if self.kind == "lognormal":
            if self.cv == 0.0:
                return np.full(n, m)
            s2 = math.log1p(self.cv**2)
            return rng.lognormal(math.log(m) - s2 / 2.0, math.sqrt(s2), n)
        if self.kind == "uniform":
            return rng.uniform(self.low_h, self.high_h, n)
        mode = 3.0 * m - self.low_h - self.high_h
        if self.high_h == self.low_h:
            return np.full(n, m)
        return rng.triangular(self.low_h, mode, self.high_h, n)

    def problems(self, column: str) -> list[Problem]:
        """Problems with this distribution, reported under ``column``."""
        out: list[Problem] = []
        kinds = ("fixed", "exponential", "gamma", "lognormal", "uniform", "triangular")
        if self.kind not in kinds:
            out.append(
                _problem(
                    column, self.kind, "unknown distribution", did_you_mean(str(self.kind), kinds)
                )
            )
            return out
        if not (math.isfinite(self.mean_h) and self.mean_h >= 0):
            out.append(_problem(column, self.mean_h, "mean time must be a finite number >= 0 h"))
        if not (math.isfinite(self.cv) and self.cv >= 0):
            out.append(_problem(column, self.cv, "coefficient of variation must be >= 0"))
        if self.kind in ("uniform", "triangular"):
            mode = 3.0 * self.mean_h - self.low_h - self.high_h
            if not 0 <= self.low_h <= self.high_h:
                out.append(
                    _problem(
                        column,
                        f"{self.low_h}..{self.high_h}",
                        "bounds must satisfy 0 <= low <= high",
                    )
                )
            elif self.kind == "triangular" and not self.low_h - 1e-9 <= mode <= self.high_h + 1e-9:
                out.append(_problem(column, mode, "mode must lie between low and high"))
        return out


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
        out: list[Problem] = []
        if not (math.isfinite(self.horizon_h) and self.horizon_h > 0):
            out.append(_problem("horizon_h", self.horizon_h, "horizon must be > 0 h"))
        if not 0 <= self.warmup_h < max(self.horizon_h, 0.0):
            out.append(_problem("warmup_h", self.warmup_h, "warm-up must be >= 0 and < horizon"))
        station_ids = _unique(out, "stations", (s.station_id for s in self.stations))
        line_ids = _unique(out, "ferry_lines", (f.line_id for f in self.ferry_lines))
        _unique(out, "generators", (g.generator_id for g in self.generators))
        for s in self.stations:
            col = f"stations[{s.station_id}]"
            if not isinstance(s.servers, int | np.integer) or s.servers < 1:
                out.append(
                    _problem(
                        col + ".servers",
                        s.servers,
                        "capacity (servers) must be a whole number >= 1",
                    )
                )
            if s.per not in ("shipment", "wagon", "teu"):
                out.append(_problem(col + ".per", s.per, "must be shipment, wagon or teu"))
            out.extend(s.service.problems(col + ".service"))
        lines = {f.line_id: f for f in self.ferry_lines}
        for f in self.ferry_lines:
            out.extend(_line_problems(f))
        ports = {p for f in self.ferry_lines for p in (f.port_a, f.port_b)}
        for g in self.generators:
            out.extend(_generator_problems(g, station_ids, lines))
        for w in self.weather:
            col = f"weather[{w.area_id}]"
            days = w.storm_days_per_month
            if len(days) != 12 or any(not (math.isfinite(d) and 0 <= d <= 31) for d in days):
                out.append(
                    _problem(
                        col + ".storm_days_per_month", days, "need 12 values between 0 and 31 days"
                    )
                )
            if not w.mean_event_h > 0:
                out.append(_problem(col + ".mean_event_h", w.mean_event_h, "must be > 0 h"))
            if not w.event_cv >= 0:
                out.append(_problem(col + ".event_cv", w.event_cv, "must be >= 0"))
            for p in w.ports:
                if p not in ports:
                    out.append(
                        _problem(
                            col + ".ports",
                            p,
                            "no ferry line calls at this port",
                            did_you_mean(p, ports),
                        )
                    )
        _unique(out, "yards", (y.node_id for y in self.yards))
        for y in self.yards:
            col = f"yards[{y.node_id}]"
            if y.node_id not in ports:
                out.append(
                    _problem(
                        col + ".node_id",
                        y.node_id,
                        "no ferry line calls at this port",
                        did_you_mean(y.node_id, ports),
                    )
                )
            slots = y.slots
            if isinstance(slots, bool) or not isinstance(slots, int | np.integer) or slots < 1:
                out.append(
                    _problem(col + ".slots", y.slots, "yard capacity must be a whole number >= 1")
                )
        targets = (
            station_ids
            | line_ids
            | ports
            | {s.node_id for s in self.stations if s.node_id}
            | {s.link_id for s in self.stations if s.link_id}
            | {f.link_id for f in self.ferry_lines if f.link_id}
            | {st.target for g in self.generators for st in g.itinerary if st.kind == "delay"}
        )
        for i, c in enumerate(self.closures):
            col = f"closures[{i}]"
            if not (math.isfinite(c.start_h) and math.isfinite(c.end_h) and c.end_h > c.start_h):
                out.append(_problem(col, f"{c.start_h}..{c.end_h}", "end must be after start"))
            if c.target not in targets:
                out.append(
                    _problem(
                        col + ".target",
                        c.target,
                        "no station, link, node or ferry line has this id",
                        did_you_mean(c.target, targets),
                    )
                )
        return out

    def validate(self) -> SimulationModel:
        """Raise :class:`SimulationModelError` listing every problem; return ``self``."""
        problems = self.problems()
        if problems:
            raise SimulationModelError(problems, what="simulation model")
        return self


def _unique(out: list[Problem], column: str, ids: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            out.append(_problem(column, i, "duplicate id"))
        seen.add(i)
    return seen


def _line_problems(f: FerryLine) -> list[Problem]:
    out: list[Problem] = []
    col = f"ferry_lines[{f.line_id}]"
    if f.port_a == f.port_b:
        out.append(_problem(col + ".port_b", f.port_b, "both ends of a line are the same port"))
    if not (math.isfinite(f.sail_h) and f.sail_h > 0):
        out.append(_problem(col + ".sail_h", f.sail_h, "sailing time must be > 0 h"))
    if not (math.isfinite(f.max_wait_h) and f.max_wait_h >= 0):
        out.append(_problem(col + ".max_wait_h", f.max_wait_h, "must be a finite number >= 0 h"))
    if f.empty_wait_h is not None and not (math.isfinite(f.empty_wait_h) and f.empty_wait_h >= 0):
        out.append(_problem(col + ".empty_wait_h", f.empty_wait_h, "must be >= 0 h"))
    if f.berths < 1:
        out.append(_problem(col + ".berths", f.berths, "capacity (berths) must be >= 1"))
    if f.departure not in ("when_full", "timetable"):
        out.append(
            _problem(
                col + ".departure",
                f.departure,
                "must be when_full or timetable",
                did_you_mean(str(f.departure), ("when_full", "timetable")),
            )
        )
    if f.departure == "timetable" and not (f.headway_h is not None and f.headway_h > 0):
        out.append(
            _problem(col + ".headway_h", f.headway_h, "a timetabled line needs a headway > 0 h")
        )
    if not f.ships:
        out.append(_problem(col + ".ships", "", "a ferry line needs at least one ship"))
    seen: set[str] = set()
    for s in f.ships:
        scol = f"{col}.ships[{s.ship_id}]"
        if s.ship_id in seen:
            out.append(_problem(scol, s.ship_id, "duplicate ship id"))
        seen.add(s.ship_id)
        caps = (s.capacity_wagons, s.capacity_teu, s.capacity_trucks)
        if any(c < 0 for c in caps):
            out.append(_problem(scol + ".capacity", caps, "capacity must be >= 0"))
        elif not any(c > 0 for c in caps):
            out.append(
                _problem(
                    scol + ".capacity", caps, "a ship needs a capacity > 0 in wagons, TEU or trucks"
                )
            )
        if s.load_h < 0 or s.unload_h < 0:
            out.append(_problem(scol + ".load_h", (s.load_h, s.unload_h), "times must be >= 0 h"))
        if s.start_side not in ("a", "b"):
            out.append(_problem(scol + ".start_side", s.start_side, "must be 'a' or 'b'"))
    return out


def line_unit(line: FerryLine, gen: ShipmentGenerator) -> int | None:
    """The unit (0 wagons, 1 TEU, 2 trucks) a generator's shipments use on a line.

    Wagons are preferred, then TEU, then trucks; ``None`` when no ship of the line
    carries any unit the shipment has.
    """
    for unit in (0, 1, 2):
        if gen.units(unit) > 0 and any(s.capacity(unit) > 0 for s in line.ships):
            return unit
    return None


def _generator_problems(
    g: ShipmentGenerator, station_ids: set[str], lines: dict[str, FerryLine]
) -> list[Problem]:
    out: list[Problem] = []
    col = f"generators[{g.generator_id}]"
    if g.kind not in ("block_train", "wagon_group", "truck"):
        out.append(_problem(col + ".kind", g.kind, "must be block_train, wagon_group or truck"))
    for name in ("wagons", "teu", "tonnes", "trucks"):
        v = getattr(g, name)
        if not (math.isfinite(v) and v >= 0):
            out.append(_problem(f"{col}.{name}", v, "must be >= 0"))
    if g.arrivals not in ("poisson", "timetable", "times"):
        out.append(_problem(col + ".arrivals", g.arrivals, "must be poisson, timetable or times"))
    if not (math.isfinite(g.per_day) and g.per_day >= 0):
        out.append(_problem(col + ".per_day", g.per_day, "shipments a day must be >= 0"))
    if g.offset_h < 0:
        out.append(_problem(col + ".offset_h", g.offset_h, "must be >= 0 h"))
    if any(t < 0 for t in g.times_h) or list(g.times_h) != sorted(g.times_h):
        out.append(_problem(col + ".times_h", "", "times must be >= 0 and sorted"))
    for i, st in enumerate(g.itinerary):
        scol = f"{col}.itinerary[{i}]"
        if st.kind == "station":
            if st.target not in station_ids:
                out.append(
                    _problem(
                        scol, st.target, "unknown station", did_you_mean(st.target, station_ids)
                    )
                )
        elif st.kind == "delay":
            if not (math.isfinite(st.hours) and st.hours >= 0):
                out.append(_problem(scol + ".hours", st.hours, "travel time must be >= 0 h"))
        elif st.kind == "ferry":
            line = lines.get(st.target)
            if line is None:
                out.append(
                    _problem(scol, st.target, "unknown ferry line", did_you_mean(st.target, lines))
                )
            elif st.from_node not in (line.port_a, line.port_b):
                out.append(
                    _problem(
                        scol + ".from_node",
                        st.from_node,
                        f"ferry line {line.line_id!r} calls at {line.port_a!r} and "
                        f"{line.port_b!r} only",
                    )
                )
            elif line_unit(line, g) is None:
                out.append(
                    _problem(
                        scol,
                        st.target,
                        f"no ship of the line carries this {g.kind} (it has "
                        f"{g.wagons} wagons, {g.teu:g} TEU, {g.trucks} trucks)",
                    )
                )
        else:
            out.append(_problem(scol + ".kind", st.kind, "must be station, delay or ferry"))
    return out
