"""Capacity groups of the expanded graph: the arcs that share one capacity.

Every arc at a node with a capacity belongs to that node's group; a link with a
capacity gives one group per direction, or one for both directions of a single-track
line. The assignment engine builds a queue per group.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from corridors.cost.parameters import CostParameters

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def unit_capacity(frame: pd.DataFrame, params: CostParameters) -> FloatArray:
    """Capacity of each row of a node or link table in the unit of ``params``, a year.

    A blank TEU capacity is the tonnes one divided by the tonnes per TEU, and the
    reverse for tonnes; NaN where both are blank (no capacity).
    """
    teu = frame["capacity_teu_yr"].to_numpy(dtype=float)
    tonnes = frame["capacity_t_yr"].to_numpy(dtype=float)
    if params.unit != "t":  # TEU or FEU
        return np.where(np.isnan(teu), tonnes / params.tonnes_per_teu, teu) / params.teu_per_unit
    return np.where(np.isnan(tonnes), teu * params.tonnes_per_teu, tonnes)


def capacity_groups(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    params: CostParameters,
    *,
    arc_link: IntArray,
    arc_node: IntArray,
    arc_direction: list[str],
) -> tuple[IntArray, FloatArray, list[str]]:
    """Group the arcs that share a capacity.

    Parameters
    ----------
    nodes, links : pandas.DataFrame
        Node and link tables of the graph's network.
    params : CostParameters
        The unit capacities are given in.
    arc_link, arc_node : numpy.ndarray of int64
        Link row (link arcs) and node row (node arcs) of each arc, else -1.
    arc_direction : list of str
        ``"<from row>-><to row>"`` of each link arc (the link arcs come first).

    Returns
    -------
    group : numpy.ndarray of int64
        Capacity group of each arc, -1 when none.
    capacity : numpy.ndarray of float64
        Capacity of each group, units a year.
    label : list of str
        ``node:<id>`` or ``link:<id>`` (``link:<id>:<from>-><to>`` per direction).
    """
    group = np.full(arc_link.size, -1, dtype=np.int64)
    capacities: list[float] = []
    labels: list[str] = []
    node_cap = unit_capacity(nodes, params)
    node_ids = nodes["node_id"].to_numpy()
    for capped in np.flatnonzero(~np.isnan(node_cap)):
        group[arc_node == capped] = len(capacities)
        capacities.append(float(node_cap[capped]))
        labels.append(f"node:{node_ids[capped]}")
    link_cap = unit_capacity(links, params)
    tracks = links["tracks"].to_numpy(dtype=float)
    link_ids = links["link_id"].to_numpy()
    for a in np.flatnonzero(arc_link >= 0):
        i = int(arc_link[a])
        if np.isnan(link_cap[i]):
            continue
        if tracks[i] == 1:
            label = f"link:{link_ids[i]}"
        else:
            su, sv = arc_direction[a].split("->")
            label = f"link:{link_ids[i]}:{node_ids[int(su)]}->{node_ids[int(sv)]}"
        if labels and labels[-1] == label:
            group[a] = len(capacities) - 1
            continue
        group[a] = len(capacities)
        capacities.append(float(link_cap[i]))
        labels.append(label)
    return group, np.asarray(capacities, dtype=float), labels
