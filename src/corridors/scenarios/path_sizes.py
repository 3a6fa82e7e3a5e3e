"""Path sizes: how much of a route its corridor's other routes of the market share.

A market's routes of one corridor that share links are one alternative counted more
than once by the logit; the path size ``PS_mr`` of each
(:func:`~corridors.cost.logit.path_size`, by the km of its links) takes
``ln(PS_mr) / theta`` (USD per TEU) off its generalised cost in
:func:`corridors.scenarios.year_solver.solve_year`. A forecast's samples often find
the same routes, so the path sizes of a route set are made once
(:data:`KEPT_PATH_SIZES`). No I/O.
"""

from __future__ import annotations

from collections.abc import Hashable, MutableMapping, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from corridors.bounded_cache import made_once
from corridors.cost.logit import path_size
from corridors.scenarios.elements import RouteOption

__all__ = ["KEPT_PATH_SIZES", "route_path_sizes"]

FloatArray = NDArray[np.float64]

KEPT_PATH_SIZES = 1024
"""Route sets whose path sizes a ``known`` cache keeps (:func:`route_path_sizes`; the
``path_sizes`` of :func:`corridors.scenarios.year_solver.solve_year`)."""


def route_path_sizes(
    options: Sequence[Sequence[RouteOption | None]],
    shape: tuple[int, int],
    known: MutableMapping[Hashable, FloatArray] | None = None,
) -> FloatArray:
    """Path size of each route among its market's routes of the same corridor (1 alone).

    Parameters
    ----------
    options : sequence of sequence of (RouteOption or None)
        Per market, the route in each column (``None``: the market has no such route).
    shape : tuple of int
        ``(markets, columns)``.
    known : mutable mapping, optional
        Path sizes made before, by the corridors, links and lengths (km) of every
        market's routes (filled here; at most :data:`KEPT_PATH_SIZES`, the oldest
        dropped).

    Returns
    -------
    array (markets, columns)
        Path size in (0, 1] (1 where no other route of the corridor overlaps; read-only
        when it comes from ``known``).
    """
    if known is None:
        return _path_size_of(options, shape)
    key = tuple(
        tuple(None if a is None else (a.corridor, a.link_ids, a.link_km) for a in row)
        for row in options
    )

    def make() -> FloatArray:
        found = _path_size_of(options, shape)
        found.setflags(write=False)
        return found

    return made_once(known, key, make, keep=KEPT_PATH_SIZES)


def _path_size_of(
    options: Sequence[Sequence[RouteOption | None]], shape: tuple[int, int]
) -> FloatArray:
    """:func:`route_path_sizes` made afresh: the links' km over the routes that share them."""
    ps = np.ones(shape)
    if all(
        len({a.corridor for a in row if a is not None}) == sum(a is not None for a in row)
        for row in options
    ):
        return ps  # one route per corridor: nothing overlaps
    rows: list[tuple[int, int]] = []
    groups: dict[tuple[int, str], int] = {}
    group: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    link_ids: dict[str, int] = {}
    length: list[float] = []
    for i, row in enumerate(options):
        for j, a in enumerate(row):
            if a is None:
                continue
            r = len(rows)
            rows.append((i, j))
            group.append(groups.setdefault((i, a.corridor), len(groups)))
            for lid, km in zip(a.link_ids, a.link_km or (1.0,) * len(a.link_ids), strict=True):
                arc = link_ids.setdefault(lid, len(link_ids))
                if arc == len(length):
                    length.append(max(km, 1e-3))
                cols.append(arc)
                data.append(float(r))
    if len(groups) == len(rows) or not link_ids:
        return ps  # one route per corridor: nothing overlaps
    inc = sp.csr_matrix(
        (np.ones(len(cols)), (np.array(data, dtype=np.intp), np.array(cols, dtype=np.intp))),
        shape=(len(rows), len(link_ids)),
    )
    inc.data[:] = 1.0  # a link used twice by one route counts once
    values = path_size(inc, np.array(group), np.array(length))
    for (i, j), v in zip(rows, values, strict=True):
        ps[i, j] = v
    return ps
