"""Checks of a simulation model: every problem, collected and reported together."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from corridors.errors import Problem, did_you_mean
from corridors.simulation.errors import model_problem as _problem
from corridors.simulation.model import FerryLine, ShipmentGenerator, SimulationModel, line_unit

__all__ = ["model_problems"]


def model_problems(model: SimulationModel) -> list[Problem]:
    """Every problem of ``model`` (empty list: the model is valid)."""
    out: list[Problem] = []
    if not (math.isfinite(model.horizon_h) and model.horizon_h > 0):
        out.append(_problem("horizon_h", model.horizon_h, "horizon must be > 0 h"))
    if not 0 <= model.warmup_h < max(model.horizon_h, 0.0):
        out.append(_problem("warmup_h", model.warmup_h, "warm-up must be >= 0 and < horizon"))
    station_ids = _unique(out, "stations", (s.station_id for s in model.stations))
    line_ids = _unique(out, "ferry_lines", (f.line_id for f in model.ferry_lines))
    _unique(out, "generators", (g.generator_id for g in model.generators))
    for s in model.stations:
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
    lines = {f.line_id: f for f in model.ferry_lines}
    for f in model.ferry_lines:
        out.extend(_line_problems(f))
    ports = {p for f in model.ferry_lines for p in (f.port_a, f.port_b)}
    for g in model.generators:
        out.extend(_generator_problems(g, station_ids, lines))
    for w in model.weather:
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
    _unique(out, "yards", (y.node_id for y in model.yards))
    for y in model.yards:
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
        | {s.node_id for s in model.stations if s.node_id}
        | {s.link_id for s in model.stations if s.link_id}
        | {f.link_id for f in model.ferry_lines if f.link_id}
        | {st.target for g in model.generators for st in g.itinerary if st.kind == "delay"}
    )
    for i, c in enumerate(model.closures):
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
