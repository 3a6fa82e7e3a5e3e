"""Offered load of each ferry and feeder line from each of its ports, by hand.

The decks a day the shipments offered at a port fill, set against the decks the line's
fleet lifts a day while its ports are open, and the line's delay function
(:class:`~corridors.cost.queueing.FerryQueue`: the deck-filling wait for a ship).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from corridors.cost.element_queues import FERRY_REOPEN_SHARE
from corridors.cost.ferry_lines import return_cargo_h
from corridors.cost.queueing import FerryQueue
from corridors.simulation.model import FerryLine, SimulationModel, line_unit
from corridors.simulation.offered import closed_hours, offered_per_day, storm_season


@dataclass(frozen=True, slots=True)
class FerryLoad:
    """The offered load of one ferry or feeder line from one port, over the horizon.

    A shipment takes a share of a ship's deck (its wagons, TEU or trucks over the
    ship's capacity in that unit); a ship lifts one deck a round trip
    (``2 x sailing + loading + unloading``, loaded one way and back empty as the
    simulated ships do with no return cargo), while its ports are open. Cargo the
    other way shares the ships' time: each deck-load of it adds
    :func:`~corridors.cost.ferry_lines.return_cargo_h` to a round trip, and the
    line's utilisation and wait from ``port`` are those of the joint load
    (:meth:`joint_per_h`).

    Attributes
    ----------
    line : FerryLine
        The line.
    port : str
        Port where the cargo boards.
    arrivals_per_day : float
        Shipments a day offered at ``port``.
    decks_per_day : float
        Ship decks a day they fill.
    lift_per_day : float
        Decks a day the fleet can lift from ``port`` (each ship's round trips a day
        times the ports' open share).
    round_trip_h : float
        Mean round trip of the line's ships, hours.
    shipments_per_deck : float
        Shipments a full ship takes (mean).
    open_share : float
        Share of the horizon both ports are open.
    closure_h, closure_cv : float
        Mean length and coefficient of variation of a closure of the line's ports
        (the storms of their weather area), hours.
    ships : int
        Ships of the line that carry the units offered at ``port`` (0: all).
    shipment_units : int
        Units (wagons, TEU or trucks) of a shipment offered at ``port`` (rate-weighted
        mean, rounded; 0: none offered).
    deck_units : tuple of int
        Units each of those ships takes.
    open_share_by_month : tuple of float
        Share of each month both ports and the line are open (storms month by month,
        planned closures spread over the year); empty: ``open_share`` every month.
    shipment_mix : tuple of (int, float)
        Sizes of the shipments offered at ``port`` (units) with the shipments a day of
        each: the size mix of the deck filling (a mix is not its mean size).
    back_decks_per_day : float
        Ship decks a day the shipments offered at the line's other port fill (the
        cargo the other way).
    back_mix : tuple of (int, float)
        Sizes of the shipments offered at the line's other port (units, shipments a
        day each; empty: as ``shipment_mix``): they fill the decks there, which holds
        the ships (:meth:`~corridors.cost.ferry_queue.FerryQueue.hold_h`).
    held_at_port : bool
        The shipments reach the line through the port's station (a train transferring
        to the ferry), which a storm closes too: they wait there for the storm's end
        and none boards the ship in port meanwhile (the line's ``fills_in_storms`` is
        off).
    return_cargo_h : float
        Ship-hours a deck-load of that cargo adds to a round trip of the ships, mean
        (:func:`~corridors.cost.ferry_lines.return_cargo_h`), hours.
    """

    line: FerryLine
    port: str
    arrivals_per_day: float
    decks_per_day: float
    lift_per_day: float
    round_trip_h: float
    shipments_per_deck: float
    open_share: float
    closure_h: float = 0.0
    closure_cv: float = 0.0
    ships: int = 0
    shipment_units: int = 0
    deck_units: tuple[int, ...] = ()
    open_share_by_month: tuple[float, ...] = ()
    shipment_mix: tuple[tuple[int, float], ...] = ()
    back_decks_per_day: float = 0.0
    return_cargo_h: float = 0.0
    held_at_port: bool = False
    back_mix: tuple[tuple[int, float], ...] = ()

    @property
    def utilisation(self) -> float:
        """Decks offered, and the cargo back's share of the ships, over decks the fleet lifts."""
        if not self.lift_per_day > 0:
            return math.inf
        joint = self.ferry_queue().joint_arrivals(self.decks_per_day, self.back_decks_per_day)
        return joint / self.lift_per_day

    def joint_per_h(self, arrivals_per_h: float | None = None) -> float:
        """Shipments an hour that load the ships as this port's and the cargo back do.

        :meth:`~corridors.cost.ferry_queue.FerryQueue.joint_arrivals` of
        ``arrivals_per_h`` (default the offered load) and the cargo back in this port's
        shipments (its decks x :attr:`shipments_per_deck`).
        """
        lam = self.arrivals_per_day / 24.0 if arrivals_per_h is None else arrivals_per_h
        back = self.back_decks_per_day / 24.0 * self.shipments_per_deck
        return self.ferry_queue().joint_arrivals(lam, back)

    def ferry_queue(self) -> FerryQueue:
        """The delay function of the line from ``port`` (a ``FerryQueue``).

        The ships carrying the units offered, their mean round trip, the shipments'
        size mix and decks' units (without any offered, whole shipments of
        ``shipments_per_deck`` a deck), the line's maximum wait, the open share of
        each month and the storms of its weather area; when a storm ends, half the
        ships are on the other side of the sea, a sailing away; the ship in port keeps
        taking cargo in a storm unless the cargo is held at the port's station
        (:attr:`held_at_port`), and an empty ship sails back after the line's
        ``empty_wait_h`` (the cargo that finds no ship waits for the next).
        """
        if self.shipment_units > 0 and self.deck_units:
            units, decks = self.shipment_units, self.deck_units
        else:
            units, decks = 1, (max(round(self.shipments_per_deck), 1),)
        return FerryQueue(
            ships=self.ships or len(self.line.ships),
            round_trip_h=self.round_trip_h,
            shipment_units=units,
            deck_units=decks,
            max_wait_h=self.line.max_wait_h,
            open_share_by_month=self.open_share_by_month or (self.open_share,) * 12,
            closure_h=self.closure_h,
            closure_cv=self.closure_cv,
            shipment_mix=self.shipment_mix if self.deck_units else (),
            reopen_share=FERRY_REOPEN_SHARE,
            return_h=self.line.sail_h,
            empty_wait_h=self._empty_wait_h(),
            fills_in_storms=not self.held_at_port,
            return_cargo_h=min(self.return_cargo_h, 0.999 * self.round_trip_h),
        )

    def _empty_wait_h(self) -> float | None:
        """How long an empty ship of a line that sails when full waits, hours (None: n/a)."""
        line = self.line
        if line.departure != "when_full" or line.sail_h <= 0.0:
            return None
        return line.max_wait_h if line.empty_wait_h is None else line.empty_wait_h

    def wait_h(self, arrivals_per_h: float | None = None) -> float:
        """Mean wait of a shipment for a ship, hours (:meth:`ferry_queue`).

        ``arrivals_per_h`` (shipments an hour) defaults to the offered load; the
        wait is the line's at the joint load with the cargo back (:meth:`joint_per_h`),
        its deck filled by this port's own shipments, and the ships held at the other
        port by its deck filling (of :attr:`back_mix`).
        """
        lam = self.arrivals_per_day / 24.0 if arrivals_per_h is None else arrivals_per_h
        return self.ferry_queue().wait_h(
            self.joint_per_h(lam),
            own_per_h=lam,
            back_units=self.back_units,
        )

    @property
    def back_units(self) -> tuple[tuple[int, float], ...] | None:
        """The other port's shipment sizes for :meth:`wait_h` (None: as this port's)."""
        return self.back_mix if self.back_mix and self.deck_units else None


def ferry_loads(model: SimulationModel) -> list[FerryLoad]:
    """The offered load of every ferry line from each of its ports (in the model's order)."""
    offered: dict[tuple[str, str], list[float]] = {}  # shipments, decks a day
    units: dict[tuple[str, str], set[int]] = {}  # units boarded (0 wagons, 1 TEU, 2 trucks)
    size: dict[tuple[str, str], dict[int, float]] = {}  # shipments a day by unit, x units
    mixes: dict[tuple[str, str, int], dict[int, float]] = {}  # shipments a day by size
    held: set[tuple[str, str]] = set()  # boarding through the port's station
    lines = {f.line_id: f for f in model.ferry_lines}
    for g in model.generators:
        per_day = offered_per_day(g, horizon_h=model.horizon_h)
        for i, step in enumerate(g.itinerary):
            line = lines.get(step.target) if step.kind == "ferry" else None
            if line is None or step.from_node is None:
                continue
            if i > 0 and g.itinerary[i - 1].target == f"port:{step.from_node}":
                held.add((line.line_id, step.from_node))
            unit = line_unit(line, g)
            caps = [s.capacity(unit) for s in line.ships if unit is not None and s.capacity(unit)]
            if not caps:
                continue
            deck = g.units(unit) / (sum(caps) / len(caps))  # type: ignore[arg-type]
            acc = offered.setdefault((line.line_id, step.from_node), [0.0, 0.0])
            units.setdefault((line.line_id, step.from_node), set()).add(int(unit))  # type: ignore[arg-type]
            acc[0] += per_day
            acc[1] += per_day * deck
            by_unit = size.setdefault((line.line_id, step.from_node), {})
            by_unit[int(unit)] = by_unit.get(int(unit), 0.0) + per_day  # type: ignore[arg-type]
            by_unit[10 + int(unit)] = by_unit.get(10 + int(unit), 0.0) + per_day * g.units(unit)  # type: ignore[arg-type]
            mix = mixes.setdefault((line.line_id, step.from_node, int(unit)), {})  # type: ignore[arg-type]
            mix[g.units(unit)] = mix.get(g.units(unit), 0.0) + per_day  # type: ignore[arg-type]
    closed = closed_hours(model)
    out: list[FerryLoad] = []
    for f in model.ferry_lines:
        shut = max(closed.get(f.port_a, 0.0), closed.get(f.port_b, 0.0)) + closed.get(
            f.line_id, 0.0
        )
        share = max(1.0 - shut / model.horizon_h, 1e-6)
        monthly, event_h, event_cv = storm_season(model, (f.port_a, f.port_b), shut_h=shut)
        mains = {p: _main_unit(size.get((f.line_id, p), {})) for p in (f.port_a, f.port_b)}
        for port, other in ((f.port_a, f.port_b), (f.port_b, f.port_a)):
            n, decks = offered.get((f.line_id, port), [0.0, 0.0])
            used = units.get((f.line_id, port), set())
            fleet = [x for x in f.ships if any(x.capacity(u) > 0 for u in used)] or list(f.ships)
            trips = [2.0 * f.sail_h + x.load_h + x.unload_h for x in fleet]
            by_unit = size.get((f.line_id, port), {})
            main = mains[port]
            back_main = main if main is not None else mains[other]
            out.append(
                FerryLoad(
                    f,
                    port,
                    n,
                    decks,
                    lift_per_day=sum(24.0 / t for t in trips if t > 0) * share,
                    round_trip_h=sum(trips) / len(trips),
                    shipments_per_deck=n / decks if decks > 0 else 1.0,
                    open_share=share,
                    closure_h=event_h,
                    closure_cv=event_cv,
                    ships=len(fleet),
                    open_share_by_month=monthly,
                    shipment_mix=()
                    if main is None
                    else tuple(sorted(mixes[f.line_id, port, main].items())),
                    shipment_units=0
                    if main is None
                    else max(round(by_unit[10 + main] / by_unit[main]), 1),
                    deck_units=()
                    if main is None
                    else tuple(x.capacity(main) for x in fleet if x.capacity(main) > 0),
                    back_decks_per_day=offered.get((f.line_id, other), [0.0, 0.0])[1],
                    return_cargo_h=sum(return_cargo_h(x.load_h, x.unload_h) for x in fleet)
                    / len(fleet),
                    held_at_port=(f.line_id, port) in held,
                    back_mix=tuple(sorted(mixes.get((f.line_id, other, back_main), {}).items()))
                    if back_main is not None
                    else (),
                )
            )
    return out


def _main_unit(by_unit: dict[int, float]) -> int | None:
    """The unit (0 wagons, 1 TEU, 2 trucks) most shipments offered at a port board in."""
    return max(
        (u for u in (0, 1, 2) if by_unit.get(u, 0.0) > 0), key=by_unit.__getitem__, default=None
    )
