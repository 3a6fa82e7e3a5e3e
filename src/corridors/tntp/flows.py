"""The link flow file of a TNTP network (``<name>_flow.tntp``): read and written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridors.errors import AssignmentInputError, Problem
from corridors.tntp.metadata import number

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def read_flow(path: str | Path) -> pd.DataFrame:
    """Read a ``_flow.tntp`` solution file.

    Returns
    -------
    pandas.DataFrame
        Columns ``init_node``, ``term_node``, ``volume``, ``cost``.

    Raises
    ------
    AssignmentInputError
        Naming file, line and field of every malformed row.
    """
    p = Path(path)
    fname = p.name
    problems: list[Problem] = []
    rows: list[tuple[int, int, float, float]] = []
    names = ("init_node", "term_node", "volume", "cost")
    for i, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines()):
        body = line.split("~", 1)[0].strip().rstrip(";").strip()
        if not body or body.lower().startswith("from") or body.startswith("<"):
            continue
        parts = body.split()
        if len(parts) < len(names):
            problems.append(
                Problem(
                    fname,
                    i + 1,
                    names[len(parts)],
                    body[:40],
                    "flow row needs From, To, Volume, Cost",
                )
            )
            continue
        vals = [number(x) for x in parts[:4]]
        bad = [n for n, v in zip(names, vals, strict=True) if v is None]
        if bad:
            problems.extend(
                Problem(fname, i + 1, n, parts[names.index(n)], "not a number") for n in bad
            )
            continue
        a, b, vol, cost = (float(v) for v in vals if v is not None)
        rows.append((int(a), int(b), vol, cost))
    if problems:
        raise AssignmentInputError(problems, what=fname)
    return pd.DataFrame(rows, columns=list(names))


def format_flow(
    init_node: IntArray, term_node: IntArray, volume: FloatArray, cost: FloatArray
) -> str:
    """Text of a ``_flow.tntp`` file (From, To, Volume, Cost; tab-separated)."""
    lines = ["From \tTo \tVolume \tCost "]
    lines += [
        f"{int(a)} \t{int(b)} \t{float(v)!r} \t{float(c)!r} "
        for a, b, v, c in zip(init_node, term_node, volume, cost, strict=True)
    ]
    return "\n".join(lines) + "\n"
