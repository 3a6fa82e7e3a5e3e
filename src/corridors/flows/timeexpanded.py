"""Time-expanded networks: how much can arrive within a time window.

A static network of places and links, each link with a travel time and a rate (flow
units per hour), is copied once per time step of a window. A link from ``i`` to ``j``
taking ``tau`` hours joins ``(i, t)`` to ``(j, t + tau)``; goods may wait at a place from
one step to the next; a place with a handling rate (a port, an airport) is split into an
arrival copy and a departure copy joined by its handling arc. Sources release goods at a
rate from the start of the window; whatever reaches the sink by the end of the window
counts. The minimum-cost flow of :mod:`corridors.flows.solve`, with a large penalty per
unit not delivered and a cost of one per unit-hour travelled or waited, is then the
maximum flow that arrives in time, sent as early as possible.

Travel times are rounded up to whole steps (at least one), so a coarse step is
conservative.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from corridors.errors import Problem
from corridors.flows.errors import FlowInputError
from corridors.flows.problem import Commodity, FlowArc, FlowNode, FlowProblem

SOURCE = "__source__"
SINK = "__sink__"
COMMODITY = "goods"
DELIVERY_PENALTY = 1.0e6
"""Cost of a unit not delivered; far above any unit-hours of a path within a window."""


@dataclass(frozen=True, slots=True)
class TimedLink:
    """A link of the static network.

    Attributes
    ----------
    id : str
    tail, head : str
        Place ids.
    time_h : float
        Travel time, hours (rounded up to whole steps, at least one).
    rate : float
        Flow units per hour that can enter the link; ``math.inf`` for no limit.
    """

    id: str
    tail: str
    head: str
    time_h: float
    rate: float = math.inf


@dataclass(frozen=True)
class TimeExpansion:
    """A time-expanded flow problem and the map back to the static network.

    Attributes
    ----------
    problem : FlowProblem
        The expanded problem (one commodity, :data:`COMMODITY`).
    step_h : float
        Length of a time step, hours.
    steps : int
        Number of steps in the window.
    base : dict of str to tuple
        For each expanded arc id, ``(kind, static id, step)`` with kind ``"link"``,
        ``"handling"``, ``"wait"``, ``"release"`` (source to a place) or ``"arrive"``
        (destination to the sink).
    """

    problem: FlowProblem
    step_h: float
    steps: int
    base: dict[str, tuple[str, str, int]]


def expand(
    *,
    places: Sequence[str],
    links: Sequence[TimedLink],
    handling_rate: Mapping[str, float],
    release_rate: Mapping[str, float],
    destination: str,
    window_h: float,
    step_h: float = 1.0,
) -> TimeExpansion:
    """Build the time-expanded problem of a window.

    Parameters
    ----------
    places : sequence of str
        Place ids of the static network.
    links : sequence of TimedLink
        Links between places.
    handling_rate : mapping of str to float
        Flow units per hour a place can handle (ports, airports); absent: no limit.
    release_rate : mapping of str to float
        Flow units per hour each source place can send out from the start of the
        window (depots).
    destination : str
        Place the goods must reach.
    window_h : float
        Length of the window, hours.
    step_h : float
        Time step, hours.

    Returns
    -------
    TimeExpansion

    Raises
    ------
    FlowInputError
        Unknown places, a window shorter than a step, NaN or negative rates or times.
    """
    problems: list[Problem] = []
    known = set(places)
    where = "time-expanded network"
    if not (math.isfinite(window_h) and math.isfinite(step_h) and 0 < step_h <= window_h):
        problems.append(
            Problem(where, None, "window_h", f"{window_h}/{step_h}", "need 0 < step <= window")
        )
    for lk in links:
        for end in (lk.tail, lk.head):
            if end not in known:
                problems.append(Problem(where, None, f"link {lk.id}", end, "unknown place"))
        if not (math.isfinite(lk.time_h) and lk.time_h >= 0):
            problems.append(
                Problem(where, None, f"link {lk.id}.time_h", str(lk.time_h), "need hours >= 0")
            )
        if math.isnan(lk.rate) or lk.rate < 0:
            problems.append(
                Problem(where, None, f"link {lk.id}.rate", str(lk.rate), "need a rate >= 0")
            )
    for label, rates in (("handling_rate", handling_rate), ("release_rate", release_rate)):
        for place, rate in rates.items():
            if place not in known:
                problems.append(Problem(where, None, label, place, "unknown place"))
            if math.isnan(rate) or rate < 0:
                problems.append(
                    Problem(where, None, f"{label}[{place}]", str(rate), "need a rate >= 0")
                )
    if destination not in known:
        problems.append(Problem(where, None, "destination", destination, "unknown place"))
    if problems:
        raise FlowInputError(problems, what=where)

    steps = math.floor(window_h / step_h + 1e-9)
    split = {p for p, r in handling_rate.items() if math.isfinite(r)}

    def arrive(p: str, t: int) -> str:
        return f"{p}@{t}" + (":in" if p in split else "")

    def depart(p: str, t: int) -> str:
        return f"{p}@{t}" + (":out" if p in split else "")

    nodes: list[FlowNode] = [FlowNode(SOURCE), FlowNode(SINK)]
    arcs: list[FlowArc] = []
    base: dict[str, tuple[str, str, int]] = {}

    def add(arc: FlowArc, kind: str, static: str, t: int) -> None:
        arcs.append(arc)
        base[arc.id] = (kind, static, t)

    for p in places:
        for t in range(steps + 1):
            if p in split:
                nodes.append(FlowNode(arrive(p, t)))
                nodes.append(FlowNode(depart(p, t)))
                add(
                    FlowArc(
                        f"handle:{p}@{t}",
                        arrive(p, t),
                        depart(p, t),
                        capacity=handling_rate[p] * step_h,
                    ),
                    "handling",
                    p,
                    t,
                )
            else:
                nodes.append(FlowNode(arrive(p, t)))
            if t < steps and p != destination:
                add(
                    FlowArc(f"wait:{p}@{t}", arrive(p, t), arrive(p, t + 1), cost=step_h),
                    "wait",
                    p,
                    t,
                )
    for lk in links:
        n_steps = max(1, math.ceil(lk.time_h / step_h - 1e-9))
        for t in range(steps + 1 - n_steps):
            add(
                FlowArc(
                    f"{lk.id}@{t}",
                    depart(lk.tail, t),
                    arrive(lk.head, t + n_steps),
                    capacity=lk.rate * step_h,
                    cost=n_steps * step_h,
                ),
                "link",
                lk.id,
                t,
            )
    total = 0.0
    for p, rate in release_rate.items():
        for t in range(steps):
            add(
                FlowArc(f"release:{p}@{t}", SOURCE, arrive(p, t), capacity=rate * step_h),
                "release",
                p,
                t,
            )
        total += rate * step_h * steps
    for t in range(steps + 1):
        add(FlowArc(f"arrive@{t}", depart(destination, t), SINK), "arrive", destination, t)
    if math.isinf(total):
        raise FlowInputError(
            [Problem(where, None, "release_rate", "inf", "sources need finite rates")], what=where
        )
    goods = Commodity(
        COMMODITY, supply={SOURCE: total}, demand={SINK: total}, unmet_penalty=DELIVERY_PENALTY
    )
    return TimeExpansion(
        problem=FlowProblem(tuple(nodes), tuple(arcs), (goods,)),
        step_h=step_h,
        steps=steps,
        base=base,
    )
