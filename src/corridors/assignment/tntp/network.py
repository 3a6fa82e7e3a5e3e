"""A TNTP network and its demand in memory, and its assignment graph."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridors.assignment.graph import AssignmentGraph, build_graph

FloatArray = NDArray[np.float64]


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
