"""Disruptions over a year: the parts of a year and the disruptions active in each.

A closure or slow-down with a start and an end (recurring every year or not) is active
for a share of a year; :func:`year_segments` cuts the year into parts with the same
active disruptions, each weighed by its share of the year.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from corridors.scenarios.spec import Disruption


def _intervals(d: Disruption, year: int, horizon_end: dt.date) -> list[tuple[dt.date, dt.date]]:
    end = d.end or horizon_end
    if not d.recurring:
        return [(d.start, end)]
    span = end - d.start
    out = []
    for y in (year - 1, year):
        if y < d.start.year:
            continue
        try:
            s = d.start.replace(year=y)
        except ValueError:  # 29 February
            s = d.start.replace(year=y, day=28)
        out.append((s, s + span))
    return out


def year_segments(
    disruptions: Sequence[Disruption], year: int
) -> list[tuple[float, tuple[Disruption, ...]]]:
    """Cut a year into parts by the disruptions active in each.

    Returns
    -------
    list of (fraction of the year, active disruptions)
        Fractions sum to one; parts with the same active set are merged.
    """
    y0, y1 = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    far = dt.date(9999, 1, 1)
    days = (y1 - y0).days
    cuts = {0, days}
    spans: list[tuple[int, int, int]] = []
    for i, d in enumerate(disruptions):
        for s, e in _intervals(d, year, far):
            a = max((s - y0).days, 0)
            b = min((e - y0).days, days)
            if b > a:
                spans.append((i, a, b))
                cuts.update((a, b))
    edges = sorted(cuts)
    merged: dict[tuple[int, ...], float] = {}
    for a, b in itertools.pairwise(edges):
        mid = (a + b) / 2
        active = tuple(sorted({i for i, s, e in spans if s <= mid < e}))
        merged[active] = merged.get(active, 0.0) + (b - a) / days
    return [(f, tuple(disruptions[i] for i in key)) for key, f in merged.items()]
