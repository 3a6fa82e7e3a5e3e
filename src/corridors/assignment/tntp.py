"""The assignment graph of a TNTP network (Transportation Networks for Research).

The engine takes the network the readers of the data edge give
(:class:`corridors.tntp.TntpNetwork`); it reads no file. The readers are re-exported
here so that ``corridors.assignment.tntp`` keeps its names.
"""

from __future__ import annotations

import numpy as np

from corridors.assignment.graph import AssignmentGraph, build_graph
from corridors.tntp import (
    LINK_FIELDS,
    MAX_ZONES,
    TntpNetwork,
    format_flow,
    read_best_flow,
    read_flow,
    read_net,
    read_tntp,
    read_trips,
)

__all__ = [
    "LINK_FIELDS",
    "MAX_ZONES",
    "TntpNetwork",
    "format_flow",
    "read_best_flow",
    "read_flow",
    "read_net",
    "read_tntp",
    "read_trips",
    "tntp_graph",
]


def tntp_graph(net: TntpNetwork) -> AssignmentGraph:
    """The assignment graph of a TNTP network: one capacity group (BPR) per link.

    Zones below ``first_thru_node`` get a separate source vertex (vertex
    ``n_nodes + zone - 1``) so that no route passes through them.
    """
    lk = net.links
    init = lk["init_node"].to_numpy(dtype=np.int64) - 1
    term = lk["term_node"].to_numpy(dtype=np.int64) - 1
    zones = np.arange(net.n_zones, dtype=np.int64)
    blocked = zones + 1 < net.first_thru_node
    source = np.where(blocked, net.n_nodes + zones, zones)
    tail = init.copy()
    from_blocked = (init < net.n_zones) & (init + 1 < net.first_thru_node)
    tail[from_blocked] = net.n_nodes + init[from_blocked]
    n_vertices = net.n_nodes + net.n_zones if blocked.any() else net.n_nodes
    fft = lk["free_flow_time"].to_numpy(dtype=np.float64)
    return build_graph(
        n_vertices=n_vertices,
        tail=tail,
        head=term,
        free_time=fft,
        fixed_cost=net.fixed_cost(),
        distance=lk["length"].to_numpy(dtype=np.float64),
        group=np.arange(len(lk), dtype=np.int64),
        group_scale=fft,
        group_capacity=lk["capacity"].to_numpy(dtype=np.float64),
        group_alpha=lk["b"].to_numpy(dtype=np.float64),
        group_beta=lk["power"].to_numpy(dtype=np.float64),
        origins=source,
        destinations=zones,
        zone_ids=[int(z) for z in zones + 1],
        arc_ids=list(zip(lk["init_node"].astype(int), lk["term_node"].astype(int), strict=True)),
        group_labels=[f"{a}-{b}" for a, b in zip(lk["init_node"], lk["term_node"], strict=True)],
        what=f"{net.name}_net.tntp",
    )
