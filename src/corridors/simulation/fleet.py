"""Ferry and feeder fleets of a simulation model: ships, lines and port yards.

Plain frozen dataclasses, part of a :class:`~corridors.simulation.model.SimulationModel`
(:mod:`corridors.simulation.model` re-exports them), and the unit (wagon, TEU, truck) a
shipment boards a line in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from corridors.simulation.model import ShipmentGenerator

__all__ = ["Departure", "FerryLine", "Ship", "Yard", "line_unit", "yard_units"]

Departure = Literal["when_full", "timetable"]


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
    ``load_h`` / ``unload_h`` (nothing to handle) and takes no berth. Ships take cargo
    at a port one at a time, in order of readiness; an empty one that can carry none of
    the cargo waiting (at either port, ``when_full``) gives its turn to a ship behind it
    that can. It never leaves a port closed by weather or maintenance, nor enters one.

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
