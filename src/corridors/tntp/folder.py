"""A TNTP network folder: its files found, read and put together."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from corridors.errors import AssignmentInputError, Problem
from corridors.tntp.flows import read_flow
from corridors.tntp.links import read_net
from corridors.tntp.metadata import meta_int, number
from corridors.tntp.network import TntpNetwork
from corridors.tntp.trips import read_trips


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
        if m is not None and number(m.group(1)) is not None:
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
    n_zones = meta_int(meta, "NUMBER OF ZONES", net_path.name, problems)
    n_nodes = meta_int(meta, "NUMBER OF NODES", net_path.name, problems)
    ftn = meta_int(meta, "FIRST THRU NODE", net_path.name, problems, required=False)
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
            value = number(meta[key])
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
