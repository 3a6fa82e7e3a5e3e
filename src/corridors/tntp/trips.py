"""The O-D demand file of a TNTP network (``<name>_trips.tntp``)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from corridors.errors import AssignmentInputError, Problem
from corridors.tntp.metadata import meta_int, number, read_metadata

FloatArray = NDArray[np.float64]

MAX_ZONES = 20_000
"""Most zones read: the dense O-D matrix of 20,000 zones takes 3.2 GB."""
_PAIR = re.compile(r"([^\s:;]+)\s*:\s*([^\s:;]*)\s*;?")


def read_trips(path: str | Path, *, n_zones: int | None = None) -> FloatArray:
    """Read a ``_trips.tntp`` file into a dense O-D matrix.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    n_zones : int, optional
        Number of zones; by default from the ``<NUMBER OF ZONES>`` metadata.

    Returns
    -------
    numpy.ndarray
        Trips from zone ``i+1`` (rows) to zone ``j+1`` (columns).

    Raises
    ------
    AssignmentInputError
        Naming file, line and field of every malformed entry, unknown zone or negative
        volume.
    """
    p = Path(path)
    fname = p.name
    text = p.read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines()
    problems: list[Problem] = []
    meta, start = read_metadata(lines, fname, problems)
    nz = n_zones if n_zones is not None else meta_int(meta, "NUMBER OF ZONES", fname, problems)
    if nz is not None and nz > MAX_ZONES:
        problems.append(
            Problem(
                fname,
                None,
                "NUMBER OF ZONES",
                str(nz),
                f"too many zones for a dense O-D matrix (at most {MAX_ZONES:,})",
            )
        )
    if problems or nz is None:
        raise AssignmentInputError(problems, what=fname)
    demand = np.zeros((nz, nz), dtype=np.float64)
    origin: int | None = None
    for i in range(start, len(lines)):
        body = lines[i].split("~", 1)[0].strip()
        if not body:
            continue
        if body.lower().startswith("origin"):
            raw = body[6:].strip()
            value = number(raw)
            if value is None or value != int(value) or not 1 <= value <= nz:
                problems.append(
                    Problem(fname, i + 1, "origin", raw, f"unknown zone (zones are 1..{nz})")
                )
                origin = None
            else:
                origin = int(value)
            continue
        if origin is None:
            if not problems or problems[-1].column != "origin":
                problems.append(
                    Problem(fname, i + 1, "origin", body[:40], "volumes before any 'Origin' line")
                )
            continue
        pos = 0
        for m in _PAIR.finditer(body):
            gap = body[pos : m.start()].strip()
            if gap:
                problems.append(
                    Problem(fname, i + 1, "destination", gap[:40], "expected 'zone : volume;'")
                )
            pos = m.end()
            d = number(m.group(1))
            v = number(m.group(2))
            if d is None or d != int(d) or not 1 <= d <= nz:
                problems.append(
                    Problem(
                        fname, i + 1, "destination", m.group(1), f"unknown zone (zones are 1..{nz})"
                    )
                )
            elif v is None or not np.isfinite(v):
                problems.append(Problem(fname, i + 1, "volume", m.group(2), "not a number"))
            elif v < 0:
                problems.append(Problem(fname, i + 1, "volume", m.group(2), "must not be negative"))
            else:
                demand[origin - 1, int(d) - 1] += v
        rest = body[pos:].strip()
        if rest:
            problems.append(
                Problem(fname, i + 1, "destination", rest[:40], "expected 'zone : volume;'")
            )
    if problems:
        raise AssignmentInputError(problems, what=fname)
    return demand
