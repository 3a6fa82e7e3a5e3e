"""Reader and writer for TNTP network folders (Transportation Networks for Research).

A TNTP folder holds ``<name>_net.tntp`` (links), ``<name>_trips.tntp`` (O-D demand) and
optionally ``<name>_flow.tntp`` (best-known link flows). The format: metadata lines
``<KEY> value`` up to ``<END OF METADATA>``, comments starting with ``~``, link rows
of tab-separated fields ending with ``;``, demand blocks ``Origin o`` followed by
``d : volume;`` pairs.

The link cost is TNTP's generalised cost::

    cost = fft * (1 + b * (flow / capacity) ** power)
           + toll_factor * toll + distance_factor * length

The toll and distance terms are fixed: they are not scaled by the BPR term. The
factors come from explicit arguments, else from the ``<TOLL FACTOR>`` and
``<DISTANCE FACTOR>`` metadata, else from the "Generalized Cost Weights" section of the
folder's README.md (e.g. Chicago-Sketch: 0.02 min/cent and 0.04 min/mile), else 0.

Zones numbered below ``<FIRST THRU NODE>`` may not be passed through: each such zone
gets a separate source vertex that carries its outgoing links, while its own vertex
keeps only the incoming links and so ends every path that enters it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridors.assignment.errors import AssignmentInputError
from corridors.assignment.graph import AssignmentGraph, build_graph
from corridors.errors import Problem

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

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

MAX_ZONES = 20_000
"""Most zones read: the dense O-D matrix of 20,000 zones takes 3.2 GB."""
_META = re.compile(r"^\s*<([^>]+)>\s*(.*?)\s*$")
_PAIR = re.compile(r"([^\s:;]+)\s*:\s*([^\s:;]*)\s*;?")


@dataclass(frozen=True)
class TntpNetwork:
    """A TNTP network and its demand.

    Attributes
    ----------
    name : str
        Network name (file prefix).
    n_zones, n_nodes : int
        From the metadata.
    first_thru_node : int
        Lowest node number that routes may pass through.
    links : pandas.DataFrame
        One row per link with the columns of :data:`LINK_FIELDS`.
    demand : numpy.ndarray
        Trips from zone ``i+1`` (rows) to zone ``j+1`` (columns), in the file's unit.
    toll_factor : float
        Time units per toll unit (e.g. minutes per cent).
    distance_factor : float
        Time units per length unit (e.g. minutes per mile).
    metadata : dict
        The net file's metadata lines.
    """

    name: str
    n_zones: int
    n_nodes: int
    first_thru_node: int
    links: pd.DataFrame
    demand: FloatArray
    toll_factor: float = 0.0
    distance_factor: float = 0.0
    metadata: dict[str, str] = field(default_factory=dict)

    def fixed_cost(self) -> FloatArray:
        """Flow-independent cost per link: toll and distance terms (time units)."""
        return np.asarray(
            self.toll_factor * self.links["toll"].to_numpy(dtype=np.float64)
            + self.distance_factor * self.links["length"].to_numpy(dtype=np.float64),
            dtype=np.float64,
        )

    def graph(self) -> AssignmentGraph:
        """Build the assignment graph: one capacity group (BPR) per link.

        Zones below ``first_thru_node`` get a separate source vertex (vertex
        ``n_nodes + zone - 1``) so that no route passes through them.
        """
        lk = self.links
        init = lk["init_node"].to_numpy(dtype=np.int64) - 1
        term = lk["term_node"].to_numpy(dtype=np.int64) - 1
        zones = np.arange(self.n_zones, dtype=np.int64)
        blocked = zones + 1 < self.first_thru_node
        source = np.where(blocked, self.n_nodes + zones, zones)
        tail = init.copy()
        from_blocked = (init < self.n_zones) & (init + 1 < self.first_thru_node)
        tail[from_blocked] = self.n_nodes + init[from_blocked]
        n_vertices = self.n_nodes + self.n_zones if blocked.any() else self.n_nodes
        fft = lk["free_flow_time"].to_numpy(dtype=np.float64)
        return build_graph(
            n_vertices=n_vertices,
            tail=tail,
            head=term,
            free_time=fft,
            fixed_cost=self.fixed_cost(),
            distance=lk["length"].to_numpy(dtype=np.float64),
            group=np.arange(len(lk), dtype=np.int64),
            group_scale=fft,
            group_capacity=lk["capacity"].to_numpy(dtype=np.float64),
            group_alpha=lk["b"].to_numpy(dtype=np.float64),
            group_beta=lk["power"].to_numpy(dtype=np.float64),
            origins=source,
            destinations=zones,
            zone_ids=[int(z) for z in zones + 1],
            arc_ids=list(
                zip(lk["init_node"].astype(int), lk["term_node"].astype(int), strict=True)
            ),
            group_labels=[
                f"{a}-{b}" for a, b in zip(lk["init_node"], lk["term_node"], strict=True)
            ],
            what=f"{self.name}_net.tntp",
        )


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value


def _read_metadata(
    lines: list[str], fname: str, problems: list[Problem]
) -> tuple[dict[str, str], int]:
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = _META.match(line)
        if m is None:
            if line.strip() and not line.lstrip().startswith("~"):
                problems.append(
                    Problem(
                        fname,
                        i + 1,
                        None,
                        line.strip()[:40],
                        "expected a metadata line <KEY> value",
                        "end the metadata with <END OF METADATA>",
                    )
                )
                return meta, i
            continue
        key = m.group(1).strip().upper()
        if key == "END OF METADATA":
            return meta, i + 1
        meta[key] = m.group(2).split("~")[0].strip()
    problems.append(Problem(fname, None, None, None, "no <END OF METADATA> line"))
    return meta, len(lines)


def _meta_int(
    meta: dict[str, str], key: str, fname: str, problems: list[Problem], *, required: bool = True
) -> int | None:
    if key not in meta:
        if required:
            problems.append(Problem(fname, None, key, None, f"missing metadata <{key}>"))
        return None
    value = _number(meta[key])
    if value is None or value != int(value) or value < 0:
        problems.append(Problem(fname, None, key, meta[key], "must be a non-negative integer"))
        return None
    return int(value)


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
    meta, start = _read_metadata(lines, fname, problems)
    n_nodes = _meta_int(meta, "NUMBER OF NODES", fname, problems)
    n_links = _meta_int(meta, "NUMBER OF LINKS", fname, problems, required=False)
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
            v = _number(raw)
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
    meta, start = _read_metadata(lines, fname, problems)
    nz = n_zones if n_zones is not None else _meta_int(meta, "NUMBER OF ZONES", fname, problems)
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
            value = _number(raw)
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
            d = _number(m.group(1))
            v = _number(m.group(2))
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
        vals = [_number(x) for x in parts[:4]]
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


def _readme_weights(folder: Path) -> dict[str, float]:
    """Generalised-cost weights from a TNTP README ("Toll: 0.02 minutes/cent")."""
    out: dict[str, float] = {}
    readme = folder / "README.md"
    if not readme.is_file():
        return out
    text = readme.read_text(encoding="utf-8", errors="replace")
    section = re.search(r"Generali[sz]ed Cost Weights(.*?)(\n#|\Z)", text, re.S | re.I)
    if section is None:
        return out
    for key in ("toll", "distance"):
        m = re.search(rf"^\s*{key}\s*:\s*([0-9.eE+-]+)", section.group(1), re.M | re.I)
        if m is not None and _number(m.group(1)) is not None:
            out[key] = float(m.group(1))
    return out


def _find(folder: Path, suffix: str, *, required: bool) -> Path | None:
    found = sorted(folder.glob(f"*{suffix}"))
    if not found and required:
        raise AssignmentInputError(
            [Problem(str(folder), None, None, None, f"no *{suffix} file in the folder")],
            what="TNTP folder",
        )
    return found[0] if found else None


def read_tntp(
    folder: str | Path,
    *,
    toll_factor: float | None = None,
    distance_factor: float | None = None,
    first_thru_node: int | None = None,
) -> TntpNetwork:
    """Read a TNTP network folder (``*_net.tntp`` and ``*_trips.tntp``).

    Parameters
    ----------
    folder : str or pathlib.Path
        Folder holding the files.
    toll_factor, distance_factor : float, optional
        Weights of toll and length in the generalised cost (time units per toll or
        length unit). By default from the net file's ``<TOLL FACTOR>`` and
        ``<DISTANCE FACTOR>`` metadata, else the README's "Generalized Cost Weights",
        else 0.
    first_thru_node : int, optional
        Override of the ``<FIRST THRU NODE>`` metadata.

    Returns
    -------
    TntpNetwork

    Raises
    ------
    AssignmentInputError
        If a file is missing or malformed.
    """
    base = Path(folder)
    if not base.is_dir():
        raise AssignmentInputError(
            [Problem(str(base), None, None, None, "not a folder")], what="TNTP folder"
        )
    net_path = _find(base, "_net.tntp", required=True)
    trips_path = _find(base, "_trips.tntp", required=True)
    assert net_path is not None
    assert trips_path is not None
    meta, links = read_net(net_path)
    problems: list[Problem] = []
    n_zones = _meta_int(meta, "NUMBER OF ZONES", net_path.name, problems)
    n_nodes = _meta_int(meta, "NUMBER OF NODES", net_path.name, problems)
    ftn = _meta_int(meta, "FIRST THRU NODE", net_path.name, problems, required=False)
    used = int(max(links["init_node"].max(), links["term_node"].max())) if len(links) else 0
    if n_nodes is not None and used > n_nodes:
        problems.append(
            Problem(
                net_path.name,
                None,
                "NUMBER OF NODES",
                str(n_nodes),
                f"links use node {used}, above the number of nodes",
            )
        )
    if n_zones is not None and n_zones > max(used, 1):
        problems.append(
            Problem(
                net_path.name,
                None,
                "NUMBER OF ZONES",
                str(n_zones),
                f"more zones than the nodes the links use ({used}); zones are nodes 1..zones",
            )
        )
    if problems or n_zones is None or n_nodes is None:
        raise AssignmentInputError(problems, what=net_path.name)
    demand = read_trips(trips_path, n_zones=n_zones)
    readme = _readme_weights(base)

    def factor(given: float | None, key: str, word: str) -> float:
        if given is not None:
            return float(given)
        if key in meta:
            value = _number(meta[key])
            if value is None:
                raise AssignmentInputError(
                    [Problem(net_path.name, None, key, meta[key], "not a number")],
                    what=net_path.name,
                )
            return value
        return readme.get(word, 0.0)

    return TntpNetwork(
        name=net_path.name[: -len("_net.tntp")],
        n_zones=n_zones,
        n_nodes=n_nodes,
        first_thru_node=first_thru_node if first_thru_node is not None else (ftn or 1),
        links=links,
        demand=demand,
        toll_factor=factor(toll_factor, "TOLL FACTOR", "toll"),
        distance_factor=factor(distance_factor, "DISTANCE FACTOR", "distance"),
        metadata=meta,
    )


def read_best_flow(folder: str | Path) -> pd.DataFrame | None:
    """Read the folder's ``*_flow.tntp`` best-known solution, or ``None`` if absent."""
    path = _find(Path(folder), "_flow.tntp", required=False)
    return read_flow(path) if path is not None else None


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
