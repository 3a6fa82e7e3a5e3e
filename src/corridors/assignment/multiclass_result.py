"""Flows of a multi-class assignment, per class and in total.

All classes share the congested travel times (they depend on the total flow); each
class has its own fixed cost per arc, hence its own generalised cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridors.assignment.assignment_result import AssignmentResult
from corridors.assignment.graph import AssignmentGraph
from corridors.assignment.paths import Backend
from corridors.assignment.result_tables import Skims, groups_frame, od_skims, skims_frame
from corridors.assignment.route import Route

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class MultiClassResult:
    """Flows of a multi-class assignment, per class and in total.

    All classes share the congested travel times (they depend on the total flow);
    each class has its own fixed cost per arc, hence its own generalised cost.

    Attributes
    ----------
    graph : AssignmentGraph
        The network assigned on.
    names : tuple of str
        Class labels, in order.
    demands : numpy.ndarray
        O-D demand per class, classes x zones x zones (flow unit).
    fixed_costs : numpy.ndarray
        Fixed cost per class and arc, classes x arcs (time unit).
    class_flow : numpy.ndarray
        Flow per class and arc, classes x arcs (flow unit).
    algorithm : str
        ``"fw"``, ``"cfw"``, ``"bfw"`` or ``"msa"``.
    iterations : int
        Shortest-path rounds done (each loads every class).
    gap : float
        Final relative gap over all classes.
    converged : bool
        Whether ``gap`` reached the requested target.
    gap_history : numpy.ndarray
        Gap after each iteration from the second on.
    routes : list of list of Route or None
        Routes with shares per class, when they were tracked.
    capacity_share : numpy.ndarray or None
        Share of each class's flow counted against each group's capacity, classes x
        groups (``None``: every class counts fully everywhere).
    """

    graph: AssignmentGraph
    names: tuple[str, ...]
    demands: FloatArray
    fixed_costs: FloatArray
    class_flow: FloatArray
    algorithm: str
    iterations: int
    gap: float
    converged: bool
    gap_history: FloatArray
    routes: list[list[Route]] | None = None
    capacity_share: FloatArray | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_classes(self) -> int:
        """Number of classes."""
        return len(self.names)

    def index(self, name: str) -> int:
        """Position of the class called ``name``.

        Raises
        ------
        KeyError
            If there is no such class (the message lists the classes).
        """
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"no class {name!r}; classes: {', '.join(self.names)}") from None

    @property
    def flow(self) -> FloatArray:
        """Total flow per arc over all classes (flow unit)."""
        return np.asarray(self.class_flow.sum(axis=0), dtype=np.float64)

    @property
    def demand(self) -> FloatArray:
        """Total O-D demand over all classes (flow unit)."""
        return np.asarray(self.demands.sum(axis=0), dtype=np.float64)

    @property
    def group_flow(self) -> FloatArray:
        """Flow per capacity group counted against its capacity (flow unit).

        The total flow, or with ``capacity_share`` each class's flow times its share.
        """
        if self.capacity_share is None:
            return self.graph.group_flow(self.flow)
        return np.asarray(
            sum(self.class_group_flow(k) * self.capacity_share[k] for k in range(self.n_classes)),
            dtype=np.float64,
        )

    def _group_delay(self) -> FloatArray:
        return np.asarray(self.graph.delay.delay(self.group_flow), dtype=np.float64)

    def class_group_flow(self, k: int) -> FloatArray:
        """Flow of class ``k`` per capacity group (flow unit)."""
        return self.graph.group_flow(self.class_flow[k])

    @property
    def time(self) -> FloatArray:
        """Travel time per arc at the group flows, for a class counted fully (time unit)."""
        if self.capacity_share is None:
            return self.graph.arc_time(self.flow)
        return self.graph.free_time + self.graph.arc_delay(self._group_delay())

    @property
    def volume_capacity(self) -> FloatArray:
        """Volume/capacity of each arc's group at the group flows (NaN without a group)."""
        if self.capacity_share is None:
            return self.graph.volume_capacity(self.flow)
        g = self.graph
        cap = g.delay.capacity
        with np.errstate(divide="ignore", invalid="ignore"):
            gvc = np.where(cap > 0.0, self.group_flow / np.where(cap > 0.0, cap, 1.0), np.nan)
        out = np.full(g.n_arcs, np.nan)
        out[g.grouped] = gvc[g.group[g.grouped]]
        return out

    def class_time(self, k: int) -> FloatArray:
        """Travel time per arc for class ``k`` (its share of each group's delay)."""
        if self.capacity_share is None:
            return self.time
        return self.graph.free_time + self.graph.arc_delay(
            self._group_delay() * self.capacity_share[k]
        )

    def cost(self, k: int) -> FloatArray:
        """Generalised cost per arc for class ``k`` (time unit)."""
        return np.asarray(self.fixed_costs[k] + self.class_time(k), dtype=np.float64)

    @property
    def objective(self) -> float:
        """Multi-class Beckmann objective at the final flows (time unit x flow unit)."""
        fixed = sum(
            float(np.dot(self.fixed_costs[k], self.class_flow[k])) for k in range(self.n_classes)
        )
        return (
            fixed
            + float(np.dot(self.graph.free_time, self.flow))
            + float(self.graph.delay.integral(self.group_flow).sum())
        )

    def skims(self, k: int, *, backend: Backend = "auto") -> Skims:
        """O-D cost, time and distance for class ``k`` along its shortest routes."""
        key = f"skims{k}"
        cached = self._cache.get(key)
        if isinstance(cached, Skims):
            return cached
        skims = od_skims(self.graph, self.cost(k), self.class_time(k), backend=backend)
        self._cache[key] = skims
        return skims

    def skims_frame(self) -> pd.DataFrame:
        """Skims of every class as one long table with a ``class`` column."""
        frames = []
        for k, name in enumerate(self.names):
            frame = skims_frame(self.graph, self.demands[k], self.skims(k))
            frame.insert(0, "class", name)
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def groups_frame(self) -> pd.DataFrame:
        """Capacity groups: total flow, capacity, v/c, delay and one flow column per class."""
        frame = groups_frame(self.graph, self.group_flow)
        for k, name in enumerate(self.names):
            frame[f"flow[{name}]"] = self.class_group_flow(k)
        return frame

    def to_frame(self) -> pd.DataFrame:
        """Link table: one row per arc with total and per-class flows, time and v/c."""
        g = self.graph
        frame = pd.DataFrame(
            {
                "arc": np.arange(g.n_arcs),
                "arc_id": pd.Series(list(g.arc_ids), dtype=object),
                "flow": self.flow,
                "time": self.time,
                "free_time": g.free_time,
                "volume_capacity": self.volume_capacity,
            }
        )
        for k, name in enumerate(self.names):
            frame[f"flow[{name}]"] = self.class_flow[k]
        return frame

    def total(self) -> AssignmentResult:
        """The total flows as a single-class :class:`AssignmentResult` on ``graph``.

        Times, volume/capacity and group tables of it are exact; its ``cost`` and skims
        use ``graph.fixed_cost`` (not any one class's).
        """
        routes = self.routes[0] if self.routes is not None and self.n_classes == 1 else None
        return AssignmentResult(
            graph=self.graph,
            demand=self.demand,
            flow=self.flow,
            algorithm=self.algorithm,
            iterations=self.iterations,
            gap=self.gap,
            converged=self.converged,
            gap_history=self.gap_history,
            routes=routes,
        )
