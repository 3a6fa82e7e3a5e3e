"""What every assignment result derives the same way: skims and capacity-group tables.

:class:`Skims` are the O-D cost, time and distance along the shortest routes at given
arc costs (:func:`od_skims`); :func:`skims_frame` and :func:`groups_frame` lay them and
the capacity groups' loads out as tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridors.assignment.graph import AssignmentGraph
from corridors.assignment.paths import Backend, shortest_trees, tree_sums

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Skims:
    """O-D skim matrices (origin zones by destination zones) along shortest routes.

    Attributes
    ----------
    cost : numpy.ndarray
        Generalised cost (time units, e.g. hours or minutes).
    time : numpy.ndarray
        Travel time including congestion delays (time units).
    distance : numpy.ndarray
        Length (km or miles).
    """

    cost: FloatArray
    time: FloatArray
    distance: FloatArray


def od_skims(
    graph: AssignmentGraph, cost: FloatArray, time: FloatArray, *, backend: Backend = "auto"
) -> Skims:
    """Skims along the shortest routes at ``cost``, summing ``time`` and distance."""
    dist, pred_arc = shortest_trees(graph, cost, backend=backend)
    dest = graph.destinations
    t = tree_sums(graph, pred_arc, time)[:, dest]
    length = tree_sums(graph, pred_arc, graph.distance)[:, dest]
    return Skims(cost=dist[:, dest], time=t, distance=length)


def skims_frame(graph: AssignmentGraph, demand: FloatArray, s: Skims) -> pd.DataFrame:
    """Skims as a long table: origin, destination, demand, cost, time, distance."""
    z = np.asarray(graph.zone_ids, dtype=object)
    n = len(z)
    return pd.DataFrame(
        {
            "origin": np.repeat(z, n),
            "destination": np.tile(z, n),
            "demand": demand.ravel(),
            "cost": s.cost.ravel(),
            "time": s.time.ravel(),
            "distance": s.distance.ravel(),
        }
    )


def groups_frame(g: AssignmentGraph, gflow: FloatArray) -> pd.DataFrame:
    """Capacity-group table: flow, capacity, volume/capacity and delay per group."""
    cap = g.delay.capacity
    with np.errstate(divide="ignore", invalid="ignore"):
        vc = np.where(cap > 0, gflow / cap, np.nan)
    return pd.DataFrame(
        {
            "group": np.arange(g.n_groups),
            "label": list(g.group_labels),
            "flow": gflow,
            "capacity": cap,
            "volume_capacity": vc,
            "delay": g.delay.delay(gflow),
        }
    )
