"""Run one replication of a :class:`~corridors.simulation.model.SimulationModel` on SimPy.

Design, for speed (a year of the Middle Corridor in well under two seconds):

* a shipment (block train, wagon group, truck) is one SimPy process;
  stations and port yards keep their state in :mod:`~corridors.simulation.stations`,
  ferry lines and ships in :mod:`~corridors.simulation.ferries`;
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
:class:`~corridors.simulation.run_result.RunResult` at the end
(:class:`~corridors.simulation.records.RunRecords`); seeds and arrival times are in
:mod:`~corridors.simulation.arrivals`.
"""

from __future__ import annotations

import gc
import heapq
import logging
import math
import time
from typing import Any

import numpy as np
import simpy

from corridors.simulation.arrivals import arrival_times, fresh_seed_sequence
from corridors.simulation.ferries import (
    FerryEntry,
    FerryProcesses,
    LineState,
    PortSide,
    Proc,
    ShipState,
)
from corridors.simulation.model import (
    SimulationModel,
    line_unit,
    yard_units,
)
from corridors.simulation.records import RunRecords
from corridors.simulation.run_result import RunResult
from corridors.simulation.stations import ServiceSampler, StationState, YardState
from corridors.simulation.weather import Closures, storm_closures

__all__ = ["fresh_seed_sequence", "simulate"]

log = logging.getLogger(__name__)

_NAN = math.nan
_DELAY, _STATION, _FERRY = 0, 1, 2


class _Run(FerryProcesses, RunRecords):
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

        self.stations: dict[str, StationState] = {}
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
            self.stations[s.station_id] = StationState(s.servers, ServiceSampler(s, rng), cl, res)

        self.lines: dict[str, LineState] = {}
        self.ship_ids: list[str] = []
        self.ship_lines: list[int] = []
        ship_states: list[tuple[ShipState, LineState, PortSide]] = []
        for li, f in enumerate(model.ferry_lines):
            sides = []
            for port in (f.port_a, f.port_b):
                cl = closures(port)
                res = add_res(
                    f"{f.line_id}@{port}", "ferry", len(f.ships), node=port, link=f.link_id, cl=cl
                )
                sides.append(PortSide(f.berths, cl, res))
            sides[0].other, sides[1].other = sides[1], sides[0]
            line = LineState(f, li, (sides[0], sides[1]), closures(f.line_id, f.link_id))
            self.lines[f.line_id] = line
            for ship in f.ships:
                state = ShipState(ship, len(self.ship_ids))
                self.ship_ids.append(ship.ship_id)
                self.ship_lines.append(li)
                ship_states.append((state, line, line.sides[0 if ship.start_side == "a" else 1]))
        self.line_ids = [f.line_id for f in model.ferry_lines]

        yards: dict[str, YardState] = {}
        for y in model.yards:
            res = add_res(
                f"yard:{y.node_id}", "yard", y.slots, node=y.node_id, link=None, cl=Closures(())
            )
            yards[y.node_id] = YardState(y.slots, res)
        self.yards = yards

        link_res: dict[str, int] = {}
        # itineraries compiled to (code, object, number, resource index)
        self.plans: list[list[tuple[int, Any, float, int]]] = []
        self.totals: list[list[int]] = []
        # yard gates: itinerary step at which a shipment enters a port yard -> (yard, slots)
        self.gates: list[dict[int, tuple[YardState, int]] | None] = []
        for g in model.generators:
            gates: dict[int, tuple[YardState, int]] = {}
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
            arrival_times(g, horizon_h, rng)
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

        self.init_records()

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
        held: tuple[YardState, int, int] | None = None  # yard slots taken, not yet on an entry
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
                    entry = FerryEntry(int(num), totals[i], env.event(), rec)
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

    # -- run ---------------------------------------------------------------------
    def run(self) -> None:
        self.env.run(until=self.horizon_h)


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
