"""Weather and planned closures: when ports, stations and links cannot work.

Storms on the Caspian stop ferry traffic for days at a time (ASCO halted services
for about 3-5 days per north-westerly storm in February 2023 and February 2025, with
about 10 storm days in a bad January; corridor-facts.md, "Caspian weather"). A
:class:`WeatherArea` turns a number of storm days per
month into closure intervals drawn before the run from the replication's weather
stream; :class:`Closures` answers "when does this place reopen?" in the engine.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from corridors.cost.element_queues import CASPIAN_STORM_DAYS, STORM_CV
from corridors.cost.ferry_queue import MONTH_DAYS

__all__ = [
    "CASPIAN_STORM_DAYS",
    "DAYS_IN_MONTH",
    "Closure",
    "Closures",
    "WeatherArea",
    "expected_closed_hours",
    "merge_intervals",
    "storm_closures",
]

DAYS_IN_MONTH: tuple[int, ...] = MONTH_DAYS
"""Days in each month of a non-leap simulated year."""


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
    event_cv: float = STORM_CV


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


def merge_intervals(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sort intervals and merge those that overlap or touch.

    Parameters
    ----------
    intervals : iterable of (start_h, end_h)
        Closed periods, hours; empty or reversed ones are dropped.

    Returns
    -------
    list of (start_h, end_h)
        Disjoint, sorted periods.
    """
    out: list[tuple[float, float]] = []
    for s, e in sorted((float(s), float(e)) for s, e in intervals if e > s):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def expected_closed_hours(area: WeatherArea, *, horizon_h: float) -> float:
    """Expected storm hours of an area over ``horizon_h`` (storm days x 24, month by month).

    The upper bound of the closed time :func:`storm_closures` draws (overlapping storms
    merge, so the drawn closures are a little shorter).
    """
    total = 0.0
    t0 = 0.0
    month = 0
    while t0 < horizon_h:
        length = DAYS_IN_MONTH[month % 12] * 24.0
        part = min(length, horizon_h - t0) / length
        total += area.storm_days_per_month[month % 12] * 24.0 * part
        t0 += length
        month += 1
    return total


def storm_closures(
    area: WeatherArea, *, horizon_h: float, rng: np.random.Generator
) -> list[tuple[float, float]]:
    """Draw the storm closures of a weather area over a run.

    In each month the number of storms is Poisson with mean
    ``storm_days * 24 / mean_event_h``; each starts at a uniform time in the month
    and lasts a gamma time of mean ``mean_event_h`` (coefficient of variation
    ``event_cv``), so the expected closed time per month is about ``storm_days``
    (a little less where storms overlap).

    Parameters
    ----------
    area : WeatherArea
        Storm climate of the area.
    horizon_h : float
        Length of the run, hours (years beyond the first repeat the climate).
    rng : numpy.random.Generator
        The replication's weather stream.

    Returns
    -------
    list of (start_h, end_h)
        Disjoint closure periods, hours.
    """
    intervals: list[tuple[float, float]] = []
    t0 = 0.0
    month = 0
    cv = area.event_cv
    while t0 < horizon_h:
        length = DAYS_IN_MONTH[month % 12] * 24.0
        days = area.storm_days_per_month[month % 12]
        n = int(rng.poisson(days * 24.0 / area.mean_event_h)) if days > 0 else 0
        if n:
            starts = t0 + rng.uniform(0.0, length, n)
            if cv > 0:
                shape = 1.0 / cv**2
                durations = rng.gamma(shape, area.mean_event_h / shape, n)
            else:
                durations = np.full(n, area.mean_event_h)
            intervals.extend(zip(starts.tolist(), (starts + durations).tolist(), strict=True))
        t0 += length
        month += 1
    return merge_intervals(intervals)


class Closures:
    """Disjoint closed periods of one place, queried by the engine.

    Parameters
    ----------
    intervals : iterable of (start_h, end_h)
        Closed periods, hours (merged on construction).
    """

    __slots__ = ("_ends", "_starts", "intervals")

    def __init__(self, intervals: Iterable[tuple[float, float]] = ()) -> None:
        self.intervals: list[tuple[float, float]] = merge_intervals(intervals)
        self._starts = [s for s, _ in self.intervals]
        self._ends = [e for _, e in self.intervals]

    def __bool__(self) -> bool:
        return bool(self.intervals)

    def next_open(self, t: float) -> float:
        """First time at or after ``t`` (hours) when the place is open."""
        i = bisect.bisect_right(self._starts, t) - 1
        if i >= 0 and t < self._ends[i]:
            return self._ends[i]
        return t

    def closed_hours(self, start_h: float, end_h: float) -> float:
        """Hours closed between ``start_h`` and ``end_h``."""
        return sum(max(0.0, min(e, end_h) - max(s, start_h)) for s, e in self.intervals)
