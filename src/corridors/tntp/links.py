"""The link file of a TNTP network (``<name>_net.tntp``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from corridors.errors import AssignmentInputError, Problem
from corridors.tntp.metadata import meta_int, number, read_metadata

LINK_FIELDS: tuple[str, ...] = (
    "init_node",
    "term_node",
    "capacity",
    "length",
    "free_flow_time",
    "b",
    "power",
    "speed",
    "toll",
    "link_type",
)
"""Columns of a TNTP link row, in file order (the last three may be missing)."""

_REQUIRED_LINK_FIELDS = 7


def read_net(path: str | Path) -> tuple[dict[str, str], pd.DataFrame]:
    """Read a ``_net.tntp`` file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.

    Returns
    -------
    metadata : dict
        Metadata keys (upper case, without brackets) and values.
    links : pandas.DataFrame
        One row per link, columns :data:`LINK_FIELDS` (``speed``, ``toll`` and
        ``link_type`` default to 0 when missing).

    Raises
    ------
    AssignmentInputError
        Naming file, line and field of every malformed row, unknown node number,
        negative or zero capacity (with a delay), or negative time, length or toll.
    """
    p = Path(path)
    fname = p.name
    lines = p.read_text(encoding="utf-8", errors="replace").splitlines()
    problems: list[Problem] = []
    meta, start = read_metadata(lines, fname, problems)
    n_nodes = meta_int(meta, "NUMBER OF NODES", fname, problems)
    n_links = meta_int(meta, "NUMBER OF LINKS", fname, problems, required=False)
    rows: list[list[float]] = []
    line_no: list[int] = []
    for i in range(start, len(lines)):
        text = lines[i].split("~", 1)[0].strip()
        if not text:
            continue
        text = text.rstrip(";").strip()
        parts = text.split()
        if len(parts) < _REQUIRED_LINK_FIELDS:
            problems.append(
                Problem(
                    fname,
                    i + 1,
                    LINK_FIELDS[len(parts)],
                    text[:40],
                    f"link row has {len(parts)} fields, needs at least "
                    f"{_REQUIRED_LINK_FIELDS} ({', '.join(LINK_FIELDS[:7])})",
                )
            )
            continue
        values: list[float] = []
        ok = True
        for name, raw in zip(LINK_FIELDS, parts, strict=False):
            v = number(raw)
            if v is None or not np.isfinite(v):
                problems.append(Problem(fname, i + 1, name, raw, "not a number"))
                ok = False
                values.append(0.0)
            else:
                values.append(v)
        values += [0.0] * (len(LINK_FIELDS) - len(values))
        if not ok:
            continue
        row = dict(zip(LINK_FIELDS, values, strict=True))
        for name in ("init_node", "term_node"):
            node = row[name]
            if node != int(node) or node < 1 or (n_nodes is not None and node > n_nodes):
                problems.append(
                    Problem(
                        fname,
                        i + 1,
                        name,
                        parts[LINK_FIELDS.index(name)],
                        f"unknown node (nodes are 1..{n_nodes})",
                    )
                )
        for name in ("capacity", "length", "free_flow_time", "b", "power", "toll"):
            if row[name] < 0:
                problems.append(
                    Problem(
                        fname,
                        i + 1,
                        name,
                        parts[LINK_FIELDS.index(name)]
                        if LINK_FIELDS.index(name) < len(parts)
                        else "",
                        "must not be negative",
                    )
                )
        if row["capacity"] == 0 and row["free_flow_time"] > 0 and row["b"] > 0:
            problems.append(
                Problem(
                    fname,
                    i + 1,
                    "capacity",
                    parts[2],
                    "must be positive on a link with a BPR delay",
                )
            )
        rows.append(values)
        line_no.append(i + 1)
    if n_links is not None and not problems and len(rows) != n_links:
        problems.append(
            Problem(
                fname,
                None,
                "NUMBER OF LINKS",
                str(n_links),
                f"metadata says {n_links} links but the file has {len(rows)}",
            )
        )
    if problems:
        raise AssignmentInputError(problems, what=fname)
    links = pd.DataFrame(
        np.asarray(rows, dtype=np.float64).reshape(-1, len(LINK_FIELDS)), columns=list(LINK_FIELDS)
    )
    for name in ("init_node", "term_node", "link_type"):
        links[name] = links[name].astype(np.int64)
    links["line"] = np.asarray(line_no, dtype=np.int64)
    return meta, links
