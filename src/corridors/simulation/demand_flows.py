"""The flows a simulation serves: a demand table's rows as volumes a year per flow.

:func:`demand_flows` resolves each row's places on the network and adds the rows of
one (origin, destination, commodity, unit) flow; :func:`checked_flows` does so once
the build options' yard capacities (:func:`yard_slot_problems`) are checked. Every
problem is reported together, with the file, row and field.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from corridors.errors import DemandError, Problem, UnknownPlaceError, did_you_mean
from corridors.network.model import Network
from corridors.simulation.model import SimulationModelError
from corridors.simulation.options import BuildOptions, FlowKey
from corridors.simulation.resources import _num


def checked_flows(
    network: Network, demand: pd.DataFrame, opt: BuildOptions
) -> tuple[dict[FlowKey, float], str]:
    """The flows of a demand (:func:`demand_flows`) once the options' yard slots are checked.

    Returns the flows and the demand file's name (for errors).

    Raises
    ------
    SimulationModelError
        A yard capacity names an unknown node or is not a whole number >= 1.
    DemandError
        See :func:`demand_flows`.
    """
    yard_problems = yard_slot_problems(network, opt.yard_slots)
    if yard_problems:
        raise SimulationModelError(yard_problems, what="build options")
    return demand_flows(network, demand, year=opt.year), str(demand.attrs.get("file", "demand"))


def demand_flows(
    network: Network, demand: pd.DataFrame, *, year: int | None = None
) -> dict[FlowKey, float]:
    """Volume a year of each (origin, destination, commodity, unit) flow of a demand table.

    Parameters
    ----------
    network : Network
        Places are resolved on it (node id, name or alias).
    demand : pandas.DataFrame
        DEMAND table (``read_demand``): origin, destination, commodity, volume a year,
        unit (TEU or t), year; ``attrs["file"]`` and a ``_line`` column name the rows
        in errors.
    year : int, optional
        Keep only rows of this year (rows with no year are kept).

    Returns
    -------
    dict
        ``{(origin id, destination id, commodity, unit): volume}``; rows of the same
        flow add up, rows with volume 0 are dropped.

    Raises
    ------
    DemandError
        Every unknown place (with suggestions), bad volume and same-place row together.
    """
    file = str(demand.attrs.get("file", "demand"))
    lines = (
        demand["_line"].tolist()
        if "_line" in demand.columns
        else [i + 2 for i in range(len(demand))]
    )
    problems: list[Problem] = []
    flows: dict[tuple[str, str, str, str], float] = {}
    for line, (_, row) in zip(lines, demand.iterrows(), strict=True):
        if (
            year is not None
            and _num(row.get("year")) == _num(row.get("year"))
            and int(_num(row.get("year"))) != year
        ):
            continue
        ends = []
        for col in ("origin", "destination"):
            try:
                ends.append(network.place(str(row[col])))
            except UnknownPlaceError as exc:
                hint = (
                    "did you mean " + " or ".join(repr(s) for s in exc.suggestions) + "?"
                    if exc.suggestions
                    else None
                )
                problems.append(
                    Problem(
                        file, int(line), col, str(row[col]), "unknown place in the network", hint
                    )
                )
        volume = _num(row.get("volume"))
        if not volume >= 0:
            problems.append(
                Problem(
                    file,
                    int(line),
                    "volume",
                    str(row.get("volume")),
                    "volume must be a number >= 0",
                )
            )
        if len(ends) == 2 and volume > 0:
            if ends[0] == ends[1]:
                problems.append(
                    Problem(
                        file,
                        int(line),
                        "destination",
                        str(row["destination"]),
                        "origin and destination are the same place",
                    )
                )
                continue
            key = (
                ends[0],
                ends[1],
                str(row.get("commodity") or "containers"),
                str(row.get("unit") or "TEU"),
            )
            flows[key] = flows.get(key, 0.0) + volume
    if problems:
        raise DemandError(problems, what=file)
    return flows


def yard_slot_problems(network: Network, yard_slots: Sequence[tuple[str, int]]) -> list[Problem]:
    """Problems with yard capacities ``(node id, slots)``: unknown node, slots < 1.

    Parameters
    ----------
    network : Network
        The network whose node ids are valid.
    yard_slots : sequence of (str, int)
        Yard capacities (wagons or TEU) by node id.

    Returns
    -------
    list of Problem
        Empty when every entry names a node of the network and has slots >= 1.
    """
    out: list[Problem] = []
    nodes = list(network.node_index)
    for node, slots in yard_slots:
        wrong: list[tuple[str, str | None]] = []
        if node not in network.node_index:
            wrong.append((f"unknown node {node!r}", did_you_mean(node, nodes)))
        if isinstance(slots, bool) or not isinstance(slots, int) or slots < 1:
            wrong.append(("yard capacity must be a whole number >= 1 (wagons or TEU)", None))
        out.extend(
            Problem("build options", None, "yard_slots", f"{node}={slots}", message, hint)
            for message, hint in wrong
        )
    return out
