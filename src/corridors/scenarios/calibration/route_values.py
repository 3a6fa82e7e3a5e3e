"""Modelled times and prices of route segments in a scenario run (for time and price targets).

The time of a segment in a year is the congested time of the equilibrium: the free time
of its legs and stops (scheduled waits included), the queue time of the elements it
passes (``queue_h`` of the run's bottlenecks, where the run reports one) and the hours
the year's slow-downs add on its links, each weighed by the share of the year it covers.
Its price is the money of its legs and stops, plus the surcharges the target names.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd

from corridors.cost.parameters import DEFAULT_VALUE_OF_TIME_USD_PER_TEU_H, money_columns
from corridors.routing import Route, Step
from corridors.scenarios.calibration.route_targets import PriceTarget, Segment, TimeTarget
from corridors.scenarios.disruptions import year_segments
from corridors.scenarios.elements import on_link
from corridors.scenarios.spec import Disruption
from corridors.scenarios.supply import element_waits

RouteLookup = Callable[[int, str, str], Route | None]
"""``(year, market id, corridor) -> route`` (``None``: the market has no such route)."""

HOURS_PER_DAY = 24.0


def _is_stop(step: Step) -> bool:
    return step.link_id is None


def _touches_start(step: Step, nodes: tuple[str, ...]) -> bool:
    return (step.node_id in nodes) if _is_stop(step) else (step.from_node_id in nodes)


def _touches_end(step: Step, nodes: tuple[str, ...]) -> bool:
    return (step.node_id in nodes) if _is_stop(step) else (step.to_node_id in nodes)


def segment_steps(route: Route, segment: Segment) -> tuple[Step, ...] | None:
    """The steps of ``route`` in ``segment`` (``None`` when the route misses its ends)."""
    steps = route.steps
    i0, i1 = 0, len(steps) - 1
    if segment.start:
        found = [i for i, s in enumerate(steps) if _touches_start(s, segment.start)]
        if not found:
            return None
        i0 = found[0]
        if not segment.stops_at_ends:
            while i0 < len(steps) and _is_stop(steps[i0]):
                i0 += 1
    if segment.end:
        found = [i for i, s in enumerate(steps) if _touches_end(s, segment.end)]
        if not found:
            return None
        i1 = found[-1]
        if not segment.stops_at_ends:
            while i1 >= 0 and _is_stop(steps[i1]):
                i1 -= 1
    return tuple(steps[i0 : i1 + 1]) if i1 >= i0 else ()


def _queue_hours(steps: Sequence[Step], queues: Mapping[str, float]) -> float:
    """Queue time of the elements the steps pass, hours (each element once)."""
    keys: set[str] = set()
    for s in steps:
        if _is_stop(s):
            keys.add(f"node:{s.node_id}")
        else:
            keys.update(
                k
                for k in queues
                if on_link(k, str(s.link_id), str(s.from_node_id), str(s.to_node_id))
            )
    return sum(queues.get(k, 0.0) for k in keys)


def year_queues(bottlenecks: pd.DataFrame, year: int) -> dict[str, float]:
    """Queue time of each element in ``year``, hours (the largest over its cargo classes).

    Empty when the run reports no queue times (no ``queue_h`` column).
    """
    if "queue_h" not in bottlenecks.columns or bottlenecks.empty:
        return {}
    sel = bottlenecks[bottlenecks["year"] == year]
    grouped = sel.groupby("element")["queue_h"].max()
    return {str(k): float(v) for k, v in grouped.items() if math.isfinite(float(v))}


def segment_hours(
    steps: Sequence[Step],
    segment: Segment,
    *,
    year: int,
    queues: Mapping[str, float],
    disruptions: Sequence[Disruption],
) -> float:
    """Congested time of the segment's steps in ``year``, hours (see the module text)."""
    free = sum(s.hours for s in steps)
    links = {s.link_id for s in steps if s.link_id is not None}
    whole = not segment.start and not segment.end
    slow = 0.0
    for fraction, active in year_segments(disruptions, year):
        for d in active:
            if d.closed:
                continue
            if set(d.links) & links or (whole and segment.corridor in d.corridors):
                slow += fraction * (d.extra_hours + (d.time_factor - 1.0) * free)
    return free + _queue_hours(steps, queues) + slow


def segment_price(
    steps: Sequence[Step],
    target: PriceTarget,
    *,
    year: int,
    disruptions: Sequence[Disruption],
) -> float:
    """Price of the segment's steps in ``year``, USD per the target's unit."""
    _, factor = money_columns(target.unit)
    usd = sum(s.usd for s in steps)
    for fraction, active in year_segments(disruptions, year):
        for d in active:
            if d.id in target.surcharges and not d.closed:
                usd += fraction * d.surcharge_usd_teu()  # a TEU at the reference value
    return factor * usd


def route_target_values(
    targets: Iterable[TimeTarget | PriceTarget],
    years: Sequence[int],
    *,
    routes: RouteLookup,
    bottlenecks: pd.DataFrame,
    disruptions: Sequence[Disruption],
    vot: float = DEFAULT_VALUE_OF_TIME_USD_PER_TEU_H,
) -> dict[tuple[str, int], float]:
    """Modelled value of each time and price target in each of its years.

    A segment's time counts each element's congested wait
    (:func:`~corridors.scenarios.supply.element_waits`: its queue, and at capacity the
    rationing wait of its shadow price at the value of time ``vot``, USD per TEU-hour).

    Returns
    -------
    dict of (target name, year) to float
        Days, hours, a share, or USD per TEU or FEU (the target's unit); NaN where the
        market has no route on the corridor or the route misses the segment's ends.
    """
    out: dict[tuple[str, int], float] = {}
    for y in years:
        queues = {
            k: w.total_h
            for k, w in element_waits(bottlenecks, y, value_of_time_usd_teu_h=vot).items()
        }

        def hours(seg: Segment, y: int = y, queues: Mapping[str, float] = queues) -> float:
            route = routes(y, seg.market, seg.corridor)
            steps = None if route is None else segment_steps(route, seg)
            if steps is None:
                return math.nan
            return segment_hours(steps, seg, year=y, queues=queues, disruptions=disruptions)

        for t in targets:
            if y not in t.observed:
                continue
            if isinstance(t, PriceTarget):
                route = routes(y, t.segment.market, t.segment.corridor)
                steps = None if route is None else segment_steps(route, t.segment)
                out[t.name, y] = (
                    math.nan
                    if steps is None
                    else segment_price(steps, t, year=y, disruptions=disruptions)
                )
            elif t.unit == "share":
                whole = hours(t.share_of) if t.share_of is not None else math.nan
                out[t.name, y] = hours(t.segment) / whole if whole > 0 else math.nan
            else:
                h = hours(t.segment)
                out[t.name, y] = h / HOURS_PER_DAY if t.unit == "d" else h
    return out
