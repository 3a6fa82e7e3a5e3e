"""Ferry and feeder lines during one replication: ships, port sides and their processes.

Every ship is a SimPy process that takes cargo at a port (one ship at a time per port,
in order of readiness), loads at a berth until full, or until its maximum wait, or its
timetable, says go; sails; unloads at a berth; and again. It never leaves or enters a
closed port. An empty ship that can carry none of the cargo waiting (a Ro-Ro ship and
wagons) gives its turn to a ship behind it that can, as soon as one joins the line.
:class:`FerryProcesses` holds these processes; the engine's replication inherits them.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator
from typing import Any

import simpy

from corridors.simulation.model import FerryLine, Ship
from corridors.simulation.stations import YardState
from corridors.simulation.weather import Closures

__all__ = ["FerryEntry", "FerryProcesses", "LineState", "PortSide", "ShipState"]

_EPS = 1e-9
Proc = Generator[simpy.events.Event, Any, None]


class FerryEntry:
    """A shipment waiting for, or aboard, the ships of one ferry line."""

    __slots__ = ("delivered", "event", "held", "rec", "remaining", "total", "unit", "yard", "yrec")

    def __init__(self, unit: int, total: int, event: simpy.Event, rec: int) -> None:
        self.unit = unit
        self.total = total
        self.remaining = total
        self.delivered = 0
        self.event = event
        self.rec = rec
        self.yard: YardState | None = None  # the yard it holds slots in, and how many
        self.held = 0
        self.yrec = -1


class ShipState:
    """One ship: the deck left free (share), the cargo aboard, when it began taking cargo."""

    __slots__ = ("cargo", "first", "free", "index", "load_h", "min_per", "per", "ready", "unload_h")

    def __init__(self, spec: Ship, index: int) -> None:
        caps = (spec.capacity_wagons, spec.capacity_teu, spec.capacity_trucks)
        self.per = tuple(1.0 / c if c > 0 else 0.0 for c in caps)
        self.min_per = min(p for p in self.per if p > 0)
        self.load_h = spec.load_h
        self.unload_h = spec.unload_h
        self.index = index
        self.free = 1.0
        self.cargo: list[tuple[FerryEntry, int]] = []
        self.first: float | None = None
        self.ready = 0.0

    def reset(self) -> None:
        """Empty the ship after it unloaded."""
        self.free = 1.0
        self.cargo = []
        self.first = None

    def full(self) -> bool:
        """No room for one more of the smallest unit it carries."""
        return self.free < self.min_per - _EPS

    def board(self, entry: FerryEntry, now: float) -> bool:
        """Take as many units of ``entry`` as fit; True if any boarded."""
        per = self.per[entry.unit]
        if per == 0.0 or entry.remaining == 0:
            return False
        n = int((self.free + _EPS) / per)
        if n <= 0:
            return False
        n = min(n, entry.remaining)
        entry.remaining -= n
        self.free -= n * per
        self.cargo.append((entry, n))
        if self.first is None:
            self.first = now
        return True


class PortSide:
    """One port of a ferry line: cargo queue, berths, the ship taking cargo."""

    __slots__ = (
        "accept_q",
        "accepting",
        "berth_q",
        "berths_free",
        "closures",
        "n_queued",
        "next_slot",
        "other",
        "queue",
        "res",
        "wake",
    )

    def __init__(self, berths: int, closures: Closures, res: int) -> None:
        self.queue: deque[FerryEntry] = deque()
        self.n_queued = [0, 0, 0]  # queue entries by unit: wagons, TEU, trucks
        self.berths_free = berths
        self.berth_q: deque[simpy.Event] = deque()
        self.accept_q: deque[tuple[ShipState, simpy.Event]] = deque()
        self.accepting: ShipState | None = None
        self.wake: simpy.Event | None = None
        self.closures = closures
        self.next_slot = 0
        self.res = res
        self.other: PortSide = self

    def board_queue(self, ship: ShipState, now: float) -> None:
        """Board the waiting shipments in order until the ship is full."""
        queue = self.queue
        skipped = []  # entries this ship cannot carry (or only partly) keep their place
        n_queued = self.n_queued
        while queue and not ship.full():
            e = queue.popleft()
            ship.board(e, now)
            if e.remaining:
                skipped.append(e)
            else:
                n_queued[e.unit] -= 1
        if skipped:
            queue.extendleft(reversed(skipped))

    def should_give_way(self, ship: ShipState, *, across: bool) -> bool:
        """The taking-cargo ship is empty, can carry none of the cargo waiting; one behind can.

        The cargo that waits is this port's and, with ``across`` (a line whose empty
        ships sail at once for cargo at the other port), the other port's: a ship that
        cannot carry it (a Ro-Ro ship and wagons) does not keep a ship that can from
        taking it, or from sailing for it.
        """
        if ship.first is not None or not self.accept_q:
            return False
        waiting = (self.n_queued, self.other.n_queued) if across else (self.n_queued,)
        units = [u for u in (0, 1, 2) if any(q[u] > 0 for q in waiting)]
        if not units or any(ship.per[u] > 0.0 for u in units):
            return False
        return any(other.per[u] > 0.0 for other, _ in self.accept_q for u in units)


class LineState:
    """One ferry line: its two port sides, sailing time, departure rule and closures."""

    __slots__ = (
        "closures",
        "empty_wait_h",
        "first_h",
        "headway_h",
        "index",
        "max_wait_h",
        "sail_h",
        "sides",
        "timetable",
    )

    def __init__(
        self, spec: FerryLine, index: int, sides: tuple[PortSide, PortSide], closures: Closures
    ) -> None:
        self.index = index
        self.sides = sides
        self.sail_h = spec.sail_h
        self.max_wait_h = spec.max_wait_h
        self.empty_wait_h = spec.max_wait_h if spec.empty_wait_h is None else spec.empty_wait_h
        self.timetable = spec.departure == "timetable"
        self.headway_h = spec.headway_h or 0.0
        self.first_h = spec.first_departure_h
        self.closures = closures

    def open_at(self, side: PortSide, t: float) -> float:
        """First time >= t when both the port and the line are open."""
        while True:
            r = self.closures.next_open(side.closures.next_open(t))
            if r == t:
                return t
            t = r


class FerryProcesses:
    """The ship processes of a replication and how shipments board (a mixin of the run)."""

    env: simpy.Environment
    events: int
    v_start: list[float]
    v_end: list[float]
    s_ship: list[int]
    s_from: list[int]
    s_ready: list[float]
    s_decided: list[float]
    s_depart: list[float]
    s_arrive: list[float]
    s_load: list[float]
    s_units: list[int]

    def _enqueue(self, side: PortSide, entry: FerryEntry, now: float) -> None:
        ship = side.accepting
        wake = False
        if ship is not None:
            was_empty = ship.first is None
            if ship.board(entry, now):
                wake = was_empty or ship.full()
            elif was_empty and side.accept_q:
                wake = True  # it may have to give way to a ship that can take this
        if entry.remaining:
            side.queue.append(entry)
            side.n_queued[entry.unit] += 1
        if wake and side.wake is not None:
            side.wake.succeed()
            side.wake = None

    def _hand_over(self, side: PortSide, now: float) -> None:
        """The taking-cargo ship is done: the next ship in line takes cargo."""
        side.accepting = None
        if side.accept_q:
            nxt, ev = side.accept_q.popleft()
            side.accepting = nxt
            nxt.ready = now
            side.board_queue(nxt, now)
            ev.succeed()

    @staticmethod
    def _nudge(side: PortSide, line: LineState) -> None:
        """Wake the ship taking cargo at ``side`` if it now gives way (a ship joined the line)."""
        ship = side.accepting
        if (
            side.wake is not None
            and ship is not None
            and side.should_give_way(ship, across=not line.timetable)
        ):
            side.wake.succeed()
            side.wake = None

    # -- ships -------------------------------------------------------------------
    @staticmethod
    def _cargo_across(ship: ShipState, side: PortSide) -> bool:
        """Cargo this ship can carry waits at the other port of the line."""
        q = side.other.n_queued
        return any(q[u] > 0 and ship.per[u] > 0.0 for u in (0, 1, 2))

    def _berth(self, side: PortSide) -> simpy.Event | None:
        """Take a berth at ``side``: None if one is free now, else an event to wait for."""
        if side.berths_free > 0:
            side.berths_free -= 1
            return None
        ev = self.env.event()
        side.berth_q.append(ev)
        return ev

    @staticmethod
    def _release_berth(side: PortSide) -> None:
        if side.berth_q:
            side.berth_q.popleft().succeed()
        else:
            side.berths_free += 1

    def _at_berth(self, side: PortSide, hours: float) -> Generator[simpy.events.Event, Any, int]:
        """Take a berth at ``side``, handle the cargo for ``hours`` and free the berth.

        Returns the number of events waited on (for the run's event count).
        """
        n_ev = 0
        ev_berth = self._berth(side)
        if ev_berth is not None:
            n_ev += 1
            yield ev_berth
        if hours > 0:
            n_ev += 1
            yield self.env.timeout(hours)
        self._release_berth(side)
        return n_ev

    def _ship(self, ship: ShipState, line: LineState, side: PortSide) -> Proc:
        """A ship's life: take cargo, load at berth, sail, unload at berth, and again.

        Berths are held only to load and unload; waiting for cargo happens at the
        ship's turn in the port's line of ships taking cargo (one at a time, FIFO).
        """
        env = self.env
        v_start, v_end = self.v_start, self.v_end
        n_ev = 0
        slot = 0.0
        while True:
            ship.reset()
            while True:
                # take cargo: one ship at a time per port, in order of readiness
                if side.accepting is None and not side.accept_q:
                    side.accepting = ship
                    ship.ready = env.now
                    side.board_queue(ship, env.now)
                else:
                    ev = env.event()
                    side.accept_q.append((ship, ev))
                    self._nudge(side, line)  # the ship taking cargo may give way to it
                    n_ev += 1
                    yield ev  # the previous ship left and made this one the loading ship
                if line.timetable:
                    k = max(
                        side.next_slot, math.ceil((env.now - line.first_h) / line.headway_h - 1e-9)
                    )
                    side.next_slot = k + 1
                    slot = line.first_h + k * line.headway_h
                    if slot > env.now:
                        n_ev += 1
                        yield env.timeout(slot - env.now)
                gave_way = False
                while not ship.full():
                    if side.should_give_way(ship, across=not line.timetable):
                        gave_way = True
                        break
                    if line.timetable:
                        deadline = slot + line.max_wait_h
                    elif ship.first is not None:
                        deadline = ship.first + line.max_wait_h
                    elif self._cargo_across(ship, side):
                        deadline = ship.ready  # empty, and cargo waits across: go now
                    else:
                        deadline = ship.ready + line.empty_wait_h
                    if env.now >= deadline:
                        break
                    side.wake = env.event()
                    n_ev += 3
                    yield env.any_of((side.wake, env.timeout(deadline - env.now)))
                    side.wake = None
                if not gave_way:
                    break
                self._hand_over(side, env.now)  # and queue again behind it
            # never leave a closed port (cargo keeps boarding meanwhile)
            reopen = line.open_at(side, env.now)
            if reopen > env.now:
                n_ev += 1
                yield env.timeout(reopen - env.now)
            ready, decided = ship.ready, env.now
            for e, _ in ship.cargo:
                if e.remaining == 0:
                    v_start[e.rec] = decided
                yard = e.yard
                if yard is not None:
                    keep = e.held if e.held < e.remaining else e.remaining  # units still ashore
                    if keep < e.held:
                        yard.release(e.held - keep, decided)
                        e.held = keep
                        if keep == 0:
                            v_end[e.yrec] = decided
                            e.yard = None
            self._hand_over(side, decided)
            # load at berth and sail (an empty ship has nothing to load)
            loaded = bool(ship.cargo)
            if loaded:
                n_ev += yield from self._at_berth(side, ship.load_h)
            departed = env.now
            n_ev += 1
            yield env.timeout(line.sail_h)
            # enter the other port when open, unload at berth, deliver
            dest = side.other
            reopen = line.open_at(dest, env.now)
            if reopen > env.now:
                n_ev += 1
                yield env.timeout(reopen - env.now)
            if loaded:
                n_ev += yield from self._at_berth(dest, ship.unload_h)
            now = env.now
            units = 0
            for e, n in ship.cargo:
                units += n
                e.delivered += n
                if e.delivered == e.total:
                    v_end[e.rec] = now
                    e.event.succeed()
            self.s_ship.append(ship.index)
            self.s_from.append(side.res)
            self.s_ready.append(ready)
            self.s_decided.append(decided)
            self.s_depart.append(departed)
            self.s_arrive.append(now)
            self.s_load.append(1.0 - ship.free)
            self.s_units.append(units)
            self.events += n_ev
            n_ev = 0
            side = dest
