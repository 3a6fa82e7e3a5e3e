"""Run one replication of a :class:`~corridors.simulation.model.SimulationModel` on SimPy.

Design, for speed (a year of the Middle Corridor in well under two seconds):

* a shipment (block train, wagon group, truck) is one SimPy process;
* a station is a first-come first-served queue with ``c`` servers. Because a
  shipment's service can be decided the moment it arrives (start = the earliest
  free server, pushed past any closure), a station visit costs one SimPy event: the
  Kiefer-Wolfowitz recursion replaces request/hold/release. Pure travel times are
  chained without events, so a shipment costs one event per station and per ferry;
* a port yard with finite slots is a counter and a FIFO of blocked shipments: a
  shipment that finds room costs no event, one that waits costs one, and ships free
  slots as they load (see :class:`~corridors.simulation.model.Yard`);
* every ship is a process that loads at berth until full, or until its maximum
  wait, or its timetable, says go; it never leaves or enters a closed port;
* all randomness comes from ``numpy.random.Generator`` streams spawned from the
  replication seed (one per generator, per station, per weather area), drawn in
  batches; nothing global. Same seed, same result, bit for bit.

Records go to preallocated Python lists and become numpy arrays in
:class:`~corridors.simulation.results.RunResult` at the end.
"""

from __future__ import annotations

import gc
import heapq
import logging
import math
import time
from collections import deque
from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from corridors.simulation.model import (
    UNLIMITED,
    FerryLine,
    Ship,
    ShipmentGenerator,
    SimulationModel,
    Station,
    line_unit,
    yard_units,
)
from corridors.simulation.results import RunResult
from corridors.simulation.weather import Closures, storm_closures

__all__ = ["fresh_seed_sequence", "simulate"]

log = logging.getLogger(__name__)

_EPS = 1e-9
_BATCH = 512
_NAN = math.nan
_DELAY, _STATION, _FERRY = 0, 1, 2
Proc = Generator[simpy.events.Event, Any, None]


def fresh_seed_sequence(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    """A new :class:`numpy.random.SeedSequence` equal to ``seed`` with no children spawned.

    Spawning mutates a seed sequence; copying it first makes ``simulate(model,
    seed=ss)`` give the same result however often it is called with ``ss``.
    """
    if isinstance(seed, np.random.SeedSequence):
        return np.random.SeedSequence(
            seed.entropy, spawn_key=seed.spawn_key, pool_size=seed.pool_size
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    return np.random.SeedSequence(int(seed))


class _Sampler:
    """Service times of one station, drawn in batches from its own stream."""

    __slots__ = ("_buf", "_dist", "_i", "_rng")

    def __init__(self, station: Station, rng: np.random.Generator) -> None:
        self._dist = station.service
        self._rng = rng
        self._buf: list[float] = []
        self._i = 0

    def next(self) -> float:
        if self._i >= len(self._buf):
            self._buf = self._dist.sample(self._rng, _BATCH).tolist()
            self._i = 0
        v = self._buf[self._i]
        self._i += 1
        return v


class _Station:
    __slots__ = ("closures", "free", "res", "sampler")

    def __init__(self, servers: int, sampler: _Sampler, closures: Closures, res: int) -> None:
        self.free: list[float] | None = None if servers >= UNLIMITED else [0.0] * servers
        self.sampler = sampler
        self.closures = closures
        self.res = res


class _Yard:
    """Slots of a port yard: free count, FIFO of blocked shipments, slot-hours used."""

    __slots__ = ("area", "capacity", "last", "res", "used", "waiting")

    def __init__(self, capacity: int, res: int) -> None:
        self.capacity = capacity
        self.used = 0
        self.waiting: deque[tuple[int, simpy.Event]] = deque()
        self.area = 0.0  # slot-hours in use so far
        self.last = 0.0
        self.res = res

    def take(self, n: int, now: float) -> None:
        self.area += self.used * (now - self.last)
        self.last = now
        self.used += n

    def release(self, n: int, now: float) -> None:
        self.area += self.used * (now - self.last)
        self.last = now
        self.used -= n
        waiting = self.waiting
        while waiting and self.capacity - self.used >= waiting[0][0]:
            need, ev = waiting.popleft()
            self.used += need
            ev.succeed()

    def slot_hours(self, horizon_h: float) -> float:
        return self.area + self.used * max(0.0, horizon_h - self.last)


class _Entry:
    """A shipment waiting for, or aboard, the ships of one ferry line."""

    __slots__ = ("delivered", "event", "held", "rec", "remaining", "total", "unit", "yard", "yrec")

    def __init__(self, unit: int, total: int, event: simpy.Event, rec: int) -> None:
        self.unit = unit
        self.total = total
        self.remaining = total
        self.delivered = 0
        self.event = event
        self.rec = rec
        self.yard: _Yard | None = None  # the yard it holds slots in, and how many
        self.held = 0
        self.yrec = -1


class _ShipState:
    __slots__ = ("cargo", "first", "free", "index", "load_h", "min_per", "per", "ready", "unload_h")

    def __init__(self, spec: Ship, index: int) -> None:
        caps = (spec.capacity_wagons, spec.capacity_teu, spec.capacity_trucks)
        self.per = tuple(1.0 / c if c > 0 else 0.0 for c in caps)
        self.min_per = min(p for p in self.per if p > 0)
        self.load_h = spec.load_h
        self.unload_h = spec.unload_h
        self.index = index
        self.free = 1.0
        self.cargo: list[tuple[_Entry, int]] = []
        self.first: float | None = None
        self.ready = 0.0

    def reset(self) -> None:
        self.free = 1.0
        self.cargo = []
        self.first = None

    def full(self) -> bool:
        return self.free < self.min_per - _EPS

    def board(self, entry: _Entry, now: float) -> bool:
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


class _Side:
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
        self.queue: deque[_Entry] = deque()
        self.n_queued = [0, 0, 0]  # queue entries by unit: wagons, TEU, trucks
        self.berths_free = berths
        self.berth_q: deque[simpy.Event] = deque()
        self.accept_q: deque[tuple[_ShipState, simpy.Event]] = deque()
        self.accepting: _ShipState | None = None
        self.wake: simpy.Event | None = None
        self.closures = closures
        self.next_slot = 0
        self.res = res
        self.other: _Side = self

    def board_queue(self, ship: _ShipState, now: float) -> None:
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

    def should_give_way(self, ship: _ShipState) -> bool:
        """The taking-cargo ship is empty, cannot carry what waits, and a ship behind can."""
        if ship.first is not None or not self.queue or not self.accept_q:
            return False
        units = [u for u in (0, 1, 2) if self.n_queued[u] > 0]
        return any(other.per[u] > 0.0 for other, _ in self.accept_q for u in units)


class _Line:
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
        self, spec: FerryLine, index: int, sides: tuple[_Side, _Side], closures: Closures
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

    def open_at(self, side: _Side, t: float) -> float:
        """First time >= t when both the port and the line are open."""
        while True:
            r = self.closures.next_open(side.closures.next_open(t))
            if r == t:
                return t
            t = r


def _arrival_times(g: ShipmentGenerator, horizon_h: float, rng: np.random.Generator) -> np.ndarray:
    if g.arrivals == "times":
        t = np.asarray(g.times_h, dtype=float)
        return t[t < horizon_h]
    if g.per_day <= 0:
        return np.empty(0)
    if g.arrivals == "timetable":
        head = 24.0 / g.per_day
        n = max(0, math.ceil((horizon_h - g.offset_h) / head - 1e-12))
        t = g.offset_h + head * np.arange(n)
        return t[t < horizon_h]
    mean_gap = 24.0 / g.per_day
    expected = horizon_h / mean_gap
    chunks: list[np.ndarray] = []
    last = 0.0
    while last < horizon_h:
        gaps = rng.exponential(mean_gap, int(expected + 6.0 * math.sqrt(expected) + 16))
        t = last + np.cumsum(gaps)
        chunks.append(t)
        last = float(t[-1])
    t = np.concatenate(chunks)
    return t[t < horizon_h]


class _Run:
    """The state of one replication."""

    def __init__(
        self, model: SimulationModel, seed: np.random.SeedSequence, horizon_h: float
    ) -> None:
        self.model = model
        self.horizon_h = horizon_h
        self.env = simpy.Environment()
        self.events = 0
        arr_ss, svc_ss, wx_ss = seed.spawn(3)
        gen_rngs = [np.random.default_rng(s) for s in arr_ss.spawn(len(model.generators))]
        st_rngs = [np.random.default_rng(s) for s in svc_ss.spawn(len(model.stations))]
        wx_rngs = [np.random.default_rng(s) for s in wx_ss.spawn(len(model.weather))]

        # closures by target id: planned windows and storms
        by_target: dict[str, list[tuple[float, float]]] = {}
        for c in model.closures:
            by_target.setdefault(c.target, []).append((c.start_h, c.end_h))
        self.storms: dict[str, list[tuple[float, float]]] = {}
        for area, rng in zip(model.weather, wx_rngs, strict=True):
            iv = storm_closures(area, horizon_h=horizon_h, rng=rng)
            self.storms[area.area_id] = iv
            for port in area.ports:
                by_target.setdefault(port, []).extend(iv)

        def closures(*targets: str | None) -> Closures:
            return Closures(iv for t in targets if t for iv in by_target.get(t, ()))

        # resources: stations, ferry sides, then links of delay steps
        self.res_ids: list[str] = []
        self.res_kinds: list[str] = []
        self.res_servers: list[int] = []
        self.res_nodes: list[str] = []
        self.res_links: list[str] = []
        self.res_closed: list[float] = []

        def add_res(
            rid: str, kind: str, servers: int, *, node: str | None, link: str | None, cl: Closures
        ) -> int:
            self.res_ids.append(rid)
            self.res_kinds.append(kind)
            self.res_servers.append(servers)
            self.res_nodes.append(node or "")
            self.res_links.append(link or "")
            self.res_closed.append(cl.closed_hours(0.0, horizon_h))
            return len(self.res_ids) - 1

        self.stations: dict[str, _Station] = {}
        specs = {s.station_id: s for s in model.stations}
        for s, rng in zip(model.stations, st_rngs, strict=True):
            cl = closures(s.station_id, s.node_id, s.link_id)
            res = add_res(
                s.station_id,
                s.kind,
                0 if s.unlimited else s.servers,
                node=s.node_id,
                link=s.link_id,
                cl=cl,
            )
            self.stations[s.station_id] = _Station(s.servers, _Sampler(s, rng), cl, res)

        self.lines: dict[str, _Line] = {}
        self.ship_ids: list[str] = []
        self.ship_lines: list[int] = []
        ship_states: list[tuple[_ShipState, _Line, _Side]] = []
        for li, f in enumerate(model.ferry_lines):
            sides = []
            for port in (f.port_a, f.port_b):
                cl = closures(port)
                res = add_res(
                    f"{f.line_id}@{port}", "ferry", len(f.ships), node=port, link=f.link_id, cl=cl
                )
                sides.append(_Side(f.berths, cl, res))
            sides[0].other, sides[1].other = sides[1], sides[0]
            line = _Line(f, li, (sides[0], sides[1]), closures(f.line_id, f.link_id))
            self.lines[f.line_id] = line
            for ship in f.ships:
                state = _ShipState(ship, len(self.ship_ids))
                self.ship_ids.append(ship.ship_id)
                self.ship_lines.append(li)
                ship_states.append((state, line, line.sides[0 if ship.start_side == "a" else 1]))
        self.line_ids = [f.line_id for f in model.ferry_lines]

        yards: dict[str, _Yard] = {}
        for y in model.yards:
            res = add_res(
                f"yard:{y.node_id}", "yard", y.slots, node=y.node_id, link=None, cl=Closures(())
            )
            yards[y.node_id] = _Yard(y.slots, res)
        self.yards = yards

        link_res: dict[str, int] = {}
        # itineraries compiled to (code, object, number, resource index)
        self.plans: list[list[tuple[int, Any, float, int]]] = []
        self.totals: list[list[int]] = []
        # yard gates: itinerary step at which a shipment enters a port yard -> (yard, slots)
        self.gates: list[dict[int, tuple[_Yard, int]] | None] = []
        for g in model.generators:
            gates: dict[int, tuple[_Yard, int]] = {}
            if yards:
                for i, step in enumerate(g.itinerary):
                    if step.kind != "ferry" or step.from_node not in yards:
                        continue
                    yard = yards[step.from_node]
                    need = yard_units(model.ferry_lines[self.lines[step.target].index], g)
                    if need <= 0:
                        continue
                    j = i  # enter before the port's own stations just ahead of the ferry
                    while j > 0:
                        prev = g.itinerary[j - 1]
                        if prev.kind != "station" or specs[prev.target].node_id != step.from_node:
                            break
                        j -= 1
                    gates[j] = (yard, min(need, yard.capacity))
            self.gates.append(gates or None)
            plan: list[tuple[int, Any, float, int]] = []
            totals: list[int] = []
            for step in g.itinerary:
                if step.kind == "delay":
                    if step.target not in link_res:
                        cl = closures(step.target)
                        link_res[step.target] = add_res(
                            step.target or "(travel)", "link", 0, node=None, link=step.target, cl=cl
                        )
                    cl = closures(step.target)
                    plan.append((_DELAY, cl if cl else None, step.hours, link_res[step.target]))
                    totals.append(0)
                elif step.kind == "station":
                    st = self.stations[step.target]
                    spec = specs[step.target]
                    scale = 1.0
                    if spec.per == "wagon":
                        scale = float(g.wagons)
                    elif spec.per == "teu":
                        scale = float(g.teu)
                    plan.append((_STATION, st, scale, st.res))
                    totals.append(0)
                else:
                    line = self.lines[step.target]
                    fspec = model.ferry_lines[line.index]
                    side = line.sides[0 if step.from_node == fspec.port_a else 1]
                    unit = line_unit(fspec, g)
                    assert unit is not None  # checked by validation
                    plan.append((_FERRY, (line, side), float(unit), side.res))
                    totals.append(g.units(unit))
            self.plans.append(plan)
            self.totals.append(totals)

        # shipments, in order of entry
        times = [
            _arrival_times(g, horizon_h, rng)
            for g, rng in zip(model.generators, gen_rngs, strict=True)
        ]
        gen_of = (
            np.concatenate([np.full(len(t), i, dtype=np.int32) for i, t in enumerate(times)])
            if times
            else np.empty(0, dtype=np.int32)
        )
        created = np.concatenate(times) if times else np.empty(0)
        order = np.lexsort((gen_of, created))
        self.ship_gen = gen_of[order]
        self.created = created[order]
        self.arrived = [_NAN] * len(self.created)

        # visit records
        self.v_ship: list[int] = []
        self.v_step: list[int] = []
        self.v_res: list[int] = []
        self.v_arr: list[float] = []
        self.v_start: list[float] = []
        self.v_end: list[float] = []
        # sailing records
        self.s_ship: list[int] = []
        self.s_from: list[int] = []
        self.s_ready: list[float] = []
        self.s_decided: list[float] = []
        self.s_depart: list[float] = []
        self.s_arrive: list[float] = []
        self.s_load: list[float] = []
        self.s_units: list[int] = []

        env = self.env
        for k, (g, t) in enumerate(zip(self.ship_gen.tolist(), self.created.tolist(), strict=True)):
            env.process(self._shipment(k, g, t))
        for state, line, side in ship_states:
            env.process(self._ship(state, line, side))
        self.events += len(self.created) + len(ship_states)

    # -- shipments ---------------------------------------------------------------
    def _shipment(self, k: int, g: int, t: float) -> Proc:
        env = self.env
        heappop, heappush = heapq.heappop, heapq.heappush
        v_ship, v_step, v_res = self.v_ship, self.v_step, self.v_res
        v_arr, v_start, v_end = self.v_arr, self.v_start, self.v_end
        totals = self.totals[g]
        gates = self.gates[g]
        held: tuple[_Yard, int, int] | None = None  # yard slots taken, not yet on an entry
        n_ev = 0
        for i, (code, obj, num, res) in enumerate(self.plans[g]):
            if code == _DELAY:
                start = obj.next_open(t) if obj is not None else t
                end = start + num
            else:
                if t > env.now:
                    n_ev += 1
                    yield env.timeout(t - env.now)
                if gates is not None and i in gates:
                    yard, need = gates[i]
                    yrec = len(v_ship)
                    v_ship.append(k)
                    v_step.append(i)
                    v_res.append(yard.res)
                    v_arr.append(t)
                    v_start.append(_NAN)
                    v_end.append(_NAN)
                    if not yard.waiting and yard.capacity - yard.used >= need:
                        yard.take(need, t)
                    else:
                        ev = env.event()
                        yard.waiting.append((need, ev))
                        n_ev += 1
                        yield ev  # slots freed by a ship loading, and taken for us
                        t = env.now
                    v_start[yrec] = t
                    held = (yard, need, yrec)
                if code == _STATION:
                    servers = obj.free
                    if servers is None:
                        start = obj.closures.next_open(t) if obj.closures else t
                        end = start + obj.sampler.next() * num
                    else:
                        free = heappop(servers)
                        start = t if t >= free else free
                        if obj.closures:
                            start = obj.closures.next_open(start)
                        end = start + obj.sampler.next() * num
                        heappush(servers, end)
                else:
                    side = obj[1]
                    rec = len(v_ship)
                    entry = _Entry(int(num), totals[i], env.event(), rec)
                    if held is not None:
                        entry.yard, entry.held, entry.yrec = held
                        held = None
                    v_ship.append(k)
                    v_step.append(i)
                    v_res.append(res)
                    v_arr.append(t)
                    v_start.append(_NAN)
                    v_end.append(_NAN)
                    self._enqueue(side, entry, t)
                    n_ev += 1
                    yield entry.event
                    t = env.now
                    continue
            v_ship.append(k)
            v_step.append(i)
            v_res.append(res)
            v_arr.append(t)
            v_start.append(start)
            v_end.append(end)
            t = end
        self.arrived[k] = t
        self.events += n_ev

    def _enqueue(self, side: _Side, entry: _Entry, now: float) -> None:
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

    def _hand_over(self, side: _Side, now: float) -> None:
        """The taking-cargo ship is done: the next ship in line takes cargo."""
        side.accepting = None
        if side.accept_q:
            nxt, ev = side.accept_q.popleft()
            side.accepting = nxt
            nxt.ready = now
            side.board_queue(nxt, now)
            ev.succeed()

    # -- ships -------------------------------------------------------------------
    @staticmethod
    def _cargo_across(ship: _ShipState, side: _Side) -> bool:
        """Cargo this ship can carry waits at the other port of the line."""
        q = side.other.n_queued
        return any(q[u] > 0 and ship.per[u] > 0.0 for u in (0, 1, 2))

    def _berth(self, side: _Side) -> simpy.Event | None:
        """Take a berth at ``side``: None if one is free now, else an event to wait for."""
        if side.berths_free > 0:
            side.berths_free -= 1
            return None
        ev = self.env.event()
        side.berth_q.append(ev)
        return ev

    @staticmethod
    def _release_berth(side: _Side) -> None:
        if side.berth_q:
            side.berth_q.popleft().succeed()
        else:
            side.berths_free += 1

    def _ship(self, ship: _ShipState, line: _Line, side: _Side) -> Proc:
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
                    if side.should_give_way(ship):
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
                ev_berth = self._berth(side)
                if ev_berth is not None:
                    n_ev += 1
                    yield ev_berth
                if ship.load_h > 0:
                    n_ev += 1
                    yield env.timeout(ship.load_h)
                self._release_berth(side)
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
                ev_berth = self._berth(dest)
                if ev_berth is not None:
                    n_ev += 1
                    yield ev_berth
                if ship.unload_h > 0:
                    n_ev += 1
                    yield env.timeout(ship.unload_h)
                self._release_berth(dest)
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

    # -- run ---------------------------------------------------------------------
    def run(self) -> None:
        self.env.run(until=self.horizon_h)

    def _slot_hours(self) -> np.ndarray:
        out = np.zeros(len(self.res_ids))
        for y in self.yards.values():
            out[y.res] = y.slot_hours(self.horizon_h)
        return out

    def result(self, seed: np.random.SeedSequence, wall_s: float) -> RunResult:
        m = self.model
        gens = m.generators
        f8 = np.float64
        return RunResult(
            name=m.name,
            seed_entropy=int(seed.entropy) if isinstance(seed.entropy, int) else 0,
            seed_spawn_key=tuple(int(x) for x in seed.spawn_key),
            horizon_h=self.horizon_h,
            warmup_h=m.warmup_h,
            gen_ids=tuple(g.generator_id for g in gens),
            gen_origin=tuple(g.origin for g in gens),
            gen_destination=tuple(g.destination for g in gens),
            gen_corridor=tuple(g.corridor for g in gens),
            gen_kind=tuple(g.kind for g in gens),
            gen_teu=np.array([g.teu for g in gens], dtype=f8),
            gen_tonnes=np.array([g.tonnes for g in gens], dtype=f8),
            gen_wagons=np.array([g.wagons for g in gens], dtype=f8),
            ship_gen=self.ship_gen,
            ship_created=self.created,
            ship_arrived=np.array(self.arrived, dtype=f8),
            res_ids=tuple(self.res_ids),
            res_kinds=tuple(self.res_kinds),
            res_servers=np.array(self.res_servers, dtype=np.int64),
            res_nodes=tuple(self.res_nodes),
            res_links=tuple(self.res_links),
            res_closed_h=np.array(self.res_closed, dtype=f8),
            res_slot_h=self._slot_hours(),
            v_ship=np.array(self.v_ship, dtype=np.int64),
            v_step=np.array(self.v_step, dtype=np.int32),
            v_res=np.array(self.v_res, dtype=np.int32),
            v_arr=np.array(self.v_arr, dtype=f8),
            v_start=np.array(self.v_start, dtype=f8),
            v_end=np.array(self.v_end, dtype=f8),
            line_ids=tuple(self.line_ids),
            ship_ids=tuple(self.ship_ids),
            ship_lines=np.array(self.ship_lines, dtype=np.int32),
            s_ship=np.array(self.s_ship, dtype=np.int32),
            s_from=np.array(self.s_from, dtype=np.int32),
            s_ready=np.array(self.s_ready, dtype=f8),
            s_decided=np.array(self.s_decided, dtype=f8),
            s_depart=np.array(self.s_depart, dtype=f8),
            s_arrive=np.array(self.s_arrive, dtype=f8),
            s_load=np.array(self.s_load, dtype=f8),
            s_units=np.array(self.s_units, dtype=np.int64),
            storms=tuple((k, tuple(v)) for k, v in self.storms.items()),
            events=self.events,
            wall_s=wall_s,
        )


def simulate(
    model: SimulationModel,
    *,
    seed: int | np.random.SeedSequence,
    horizon_h: float | None = None,
    validate: bool = True,
    pause_gc: bool = True,
) -> RunResult:
    """Run one replication.

    Parameters
    ----------
    model : SimulationModel
        What to simulate.
    seed : int or numpy.random.SeedSequence
        Seed of this replication; the same seed gives the same result bit for bit.
    horizon_h : float, optional
        Simulated time, hours (default ``model.horizon_h``).
    validate : bool
        Check the model first (:class:`SimulationModelError` lists every problem).
    pause_gc : bool
        Pause Python's cyclic garbage collector during the run (restored after;
        10-30% faster, as the run allocates many short-lived objects).

    Returns
    -------
    RunResult
        Shipments, station visits, sailings and storms of the run.
    """
    if validate:
        model.validate()
    ss = fresh_seed_sequence(seed)
    horizon = float(model.horizon_h if horizon_h is None else horizon_h)
    t0 = time.perf_counter()
    was_enabled = gc.isenabled()
    if pause_gc:
        gc.disable()
    try:
        run = _Run(model, fresh_seed_sequence(ss), horizon)
        run.run()
    finally:
        if pause_gc and was_enabled:
            gc.enable()
    wall = time.perf_counter() - t0
    log.info(
        "simulated %.0f h: %d shipments, %d events in %.3f s",
        horizon,
        len(run.created),
        run.events,
        wall,
    )
    return run.result(ss, wall)
