"""GMNS shapes and lengths on reading: link geometries, lengths from them, lengths checked.

Shapes come on the link or from ``geometry.csv`` (reversed when drawn against the
link); a blank length takes the length of its shape, and a given length far longer
than its shape is reported (a typo, or feet where ``config.csv`` says miles).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from corridors.errors import Problem, did_you_mean
from corridors.network.geo import parse_wkt_linestring, polyline_km, to_wkt_linestring
from corridors.network.tables import LINE


def attach_geometry(
    links: pd.DataFrame,
    shapes: Mapping[str, str],
    *,
    filename: str,
    problems: list[Problem],
) -> None:
    """Fill blank link geometries from ``geometry.csv`` by ``geometry_id``.

    A shape drawn from the to-node to the from-node (``dir_flag`` -1), on the link or
    in ``geometry.csv``, is reversed and its ``dir_flag`` set to 1, so every geometry
    runs from the link's from-node.
    """
    out = list(links["geometry"])
    flags = links["dir_flag"].to_numpy(dtype=float).copy()
    for i, (wkt, gid, flag, line) in enumerate(
        zip(links["geometry"], links["geometry_id"], flags, links[LINE], strict=True)
    ):
        shape = wkt
        if not wkt and gid:
            if gid not in shapes:
                problems.append(
                    Problem(
                        filename,
                        int(line),
                        "geometry_id",
                        gid,
                        "no shape with this id in geometry.csv",
                        did_you_mean(gid, shapes),
                    )
                )
                continue
            shape = shapes[gid]
        if shape and flag == -1:
            with contextlib.suppress(ValueError):  # a bad shape is reported by the rules
                shape = to_wkt_linestring(parse_wkt_linestring(shape)[::-1])
                flags[i] = 1.0
        out[i] = shape
    links["geometry"] = pd.array(out, dtype=object)
    links["dir_flag"] = flags


def fill_lengths_from_geometry(links: pd.DataFrame, nodes: pd.DataFrame) -> int:
    """Blank lengths take the length of the link's shape, km; returns how many.

    A shape that stops short of its nodes is extended to them, so the length is never
    shorter than the straight line between the nodes.
    """
    xy = {
        nid: (float(x), float(y))
        for nid, x, y in zip(nodes["node_id"], nodes["x_coord"], nodes["y_coord"], strict=True)
    }
    length = links["length"].to_numpy(dtype=float).copy()
    filled = 0
    for i, (value, wkt, a, b) in enumerate(
        zip(length, links["geometry"], links["from_node_id"], links["to_node_id"], strict=True)
    ):
        if not (math.isnan(value) and wkt):
            continue
        try:
            shape = parse_wkt_linestring(wkt)
        except ValueError:
            continue  # reported by the geometry rule
        ends = [xy[a]] if a in xy else []
        tail = [xy[b]] if b in xy else []
        length[i] = polyline_km([*ends, *shape, *tail])
        filled += 1
    links["length"] = length
    return filled


LENGTH_RATIO_LIMIT = 3.0
"""A link longer than three times its shape is suspicious (a typo or a wrong unit)."""


def length_warnings(
    links: pd.DataFrame, *, given: np.ndarray, unit: str, filename: str
) -> list[Problem]:
    """Warn about lengths far longer than the link's shape.

    When most links are off by the same factor, one warning names the unit the lengths
    look like (GMNS files often give feet while ``config.csv`` says ``mile``).

    Parameters
    ----------
    links : pandas.DataFrame
        Links with lengths in km and lon/lat geometries.
    given : numpy.ndarray of bool
        Which lengths were given in the file (not computed).
    unit : str
        The ``long_length`` of ``config.csv``.
    filename : str
        File named in the warnings.
    """
    from corridors.network.schema import LENGTH_UNITS  # noqa: PLC0415

    rows: list[tuple[int, float, float]] = []
    for ok, length, wkt, line in zip(
        given, links["length"], links["geometry"], links[LINE], strict=True
    ):
        if not ok or not wkt:
            continue
        try:
            shape = polyline_km(parse_wkt_linestring(wkt))
        except ValueError:
            continue
        if shape > 0:
            rows.append((int(line), float(length), shape))
    if not rows:
        return []
    ratios = np.array([length / shape for _, length, shape in rows])
    off = ratios > LENGTH_RATIO_LIMIT
    if off.mean() >= 0.7:
        median = float(np.median(ratios[off]))
        size = LENGTH_UNITS.get(unit, 1.0)
        for name, other in LENGTH_UNITS.items():
            if 0.67 < median * other / size < 1.5:
                return [
                    Problem(
                        filename,
                        None,
                        "length",
                        None,
                        f"{int(off.sum())} of {len(rows)} lengths are about {median:,.0f} "
                        f"times the length of their shapes: they look like {name}, "
                        f"not {unit}",
                        f"set long_length={name} in config.csv",
                    )
                ]
    return [
        Problem(
            filename,
            line,
            "length",
            f"{length:g}",
            f"{length / shape:,.1f} times the length of the link's shape ({shape:.3g} km)",
            "check the length and long_length in config.csv",
        )
        for (line, length, shape), bad in zip(rows, off, strict=True)
        if bad
    ]
