"""The array representation an assignment runs on.

An :class:`AssignmentGraph` is a directed multigraph held as numpy arrays, one entry per
arc. The generalised cost of arc ``a`` carrying flows ``x`` is::

    cost[a] = fixed_cost[a] + free_time[a] + delay_g(x_g)     if a belongs to group g
    cost[a] = fixed_cost[a] + free_time[a]                     otherwise

where ``x_g`` is the total flow on the arcs of *capacity group* ``g``. A group is a
capacity shared by several arcs: a port or border crossing passed through any one of
its through or transfer arcs, a single-track line used in both directions, or (TNTP)
one road link. ``fixed_cost`` holds every term the flow does not change (tolls and
distance weighted into time, tariffs, handling); it is never scaled by the delay.

Zones are connected through separate *source* and *sink* vertices, so that a route can
start and end at a zone but not pass through it (TNTP's FIRST THRU NODE rule, or a
corridor terminal that is not a through node).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from corridors.cost.delay import VDF_KINDS, GroupDelay
from corridors.errors import NetworkError, Problem

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class ForwardStar:
    """Arcs sorted by tail vertex (compressed sparse rows) for shortest-path trees.

    Attributes
    ----------
    indptr : numpy.ndarray
        ``indptr[v]:indptr[v+1]`` are the positions of the arcs leaving vertex ``v``.
    arcs : numpy.ndarray
        Arc index at each position.
    heads : numpy.ndarray
        Head vertex at each position.
    """

    indptr: IntArray
    arcs: IntArray
    heads: IntArray


@dataclass(frozen=True)
class AssignmentGraph:
    """A network ready for assignment: arcs, capacity groups and zones as arrays.

    Attributes
    ----------
    n_vertices : int
        Number of vertices (``tail`` and ``head`` index ``0..n_vertices-1``).
    tail, head : numpy.ndarray
        Start and end vertex of each arc (int64).
    free_time : numpy.ndarray
        Free-flow time of each arc (time unit: hours, or minutes in TNTP networks).
    fixed_cost : numpy.ndarray
        Flow-independent cost of each arc in time-equivalent units (tolls, distance
        terms, tariffs divided by the value of time); 0 when there is none.
    distance : numpy.ndarray
        Length of each arc (km or miles) for distance skims.
    group : numpy.ndarray
        Capacity group of each arc (int64), ``-1`` when the arc has no capacity limit.
    delay : GroupDelay
        Volume-delay functions of the groups.
    origins : numpy.ndarray
        Source vertex of each zone.
    destinations : numpy.ndarray
        Sink vertex of each zone.
    zone_ids : tuple
        Label of each zone (TNTP node number, corridor node id).
    arc_ids : tuple
        Label of each arc, e.g. ``(init_node, term_node)`` or a link id.
    group_labels : tuple of str
        Label of each capacity group.
    """

    n_vertices: int
    tail: IntArray
    head: IntArray
    free_time: FloatArray
    fixed_cost: FloatArray
    distance: FloatArray
    group: IntArray
    delay: GroupDelay
    origins: IntArray
    destinations: IntArray
    zone_ids: tuple[object, ...]
    arc_ids: tuple[object, ...]
    group_labels: tuple[str, ...]
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return int(self.tail.shape[0])

    @property
    def n_zones(self) -> int:
        """Number of zones."""
        return int(self.origins.shape[0])

    @property
    def n_groups(self) -> int:
        """Number of capacity groups."""
        return self.delay.n_groups

    @property
    def forward_star(self) -> ForwardStar:
        """Arcs sorted by tail vertex (computed once)."""
        star = self._cache.get("star")
        if star is None:
            order = np.argsort(self.tail, kind="stable").astype(np.int64)
            counts = np.bincount(self.tail, minlength=self.n_vertices)
            indptr = np.zeros(self.n_vertices + 1, dtype=np.int64)
            np.cumsum(counts, out=indptr[1:])
            star = ForwardStar(indptr, order, self.head[order].astype(np.int64))
            self._cache["star"] = star
        assert isinstance(star, ForwardStar)
        return star

    def cached(self, key: str) -> Any:
        """Return a derived structure stored by :meth:`remember` (``None`` if absent)."""
        return self._cache.get(key)

    def remember(self, key: str, value: Any) -> None:
        """Store a structure derived from the (immutable) arrays, e.g. a sparse matrix plan."""
        self._cache[key] = value

    @property
    def grouped(self) -> NDArray[np.bool_]:
        """Mask of the arcs that belong to a capacity group."""
        return np.asarray(self.group >= 0)

    def group_flow(self, arc_flow: FloatArray) -> FloatArray:
        """Sum arc flows into their capacity groups."""
        mask = self.grouped
        return np.bincount(
            self.group[mask], weights=arc_flow[mask], minlength=self.n_groups
        ).astype(np.float64)

    def arc_delay(self, group_delay: FloatArray) -> FloatArray:
        """Spread group delays (time unit) onto the arcs of each group."""
        out = np.zeros(self.n_arcs, dtype=np.float64)
        mask = self.grouped
        out[mask] = group_delay[self.group[mask]]
        return out

    def arc_time(self, arc_flow: FloatArray) -> FloatArray:
        """Travel time of each arc (free-flow time plus group delay) at ``arc_flow``."""
        return self.free_time + self.arc_delay(self.delay.delay(self.group_flow(arc_flow)))

    def arc_cost(self, arc_flow: FloatArray) -> FloatArray:
        """Generalised cost of each arc (fixed cost plus travel time) at ``arc_flow``."""
        return self.fixed_cost + self.arc_time(arc_flow)

    def volume_capacity(self, arc_flow: FloatArray) -> FloatArray:
        """Volume/capacity ratio of each arc's group (NaN for arcs without a group)."""
        gflow = self.group_flow(arc_flow)
        cap = self.delay.capacity
        with np.errstate(divide="ignore", invalid="ignore"):
            gvc = np.where(cap > 0.0, gflow / np.where(cap > 0.0, cap, 1.0), np.nan)
        out = np.full(self.n_arcs, np.nan)
        mask = self.grouped
        out[mask] = gvc[self.group[mask]]
        return out

    def beckmann(self, arc_flow: FloatArray) -> float:
        """Beckmann objective: fixed and free-flow costs times flow plus delay integrals.

        Each group's delay integral is counted once, however many arcs share it.
        """
        fixed = float(np.dot(self.fixed_cost + self.free_time, arc_flow))
        return fixed + float(self.delay.integral(self.group_flow(arc_flow)).sum())


def build_graph(
    *,
    n_vertices: int,
    tail: ArrayLike,
    head: ArrayLike,
    free_time: ArrayLike,
    origins: ArrayLike,
    destinations: ArrayLike,
    fixed_cost: ArrayLike | None = None,
    distance: ArrayLike | None = None,
    group: ArrayLike | None = None,
    group_scale: ArrayLike | None = None,
    group_capacity: ArrayLike | None = None,
    group_alpha: ArrayLike | float = 0.15,
    group_beta: ArrayLike | float = 4.0,
    group_vdf: Sequence[str] | str = "bpr",
    zone_ids: Sequence[object] | None = None,
    arc_ids: Sequence[object] | None = None,
    group_labels: Sequence[str] | None = None,
    what: str = "assignment graph",
) -> AssignmentGraph:
    """Check arrays and assemble an :class:`AssignmentGraph`.

    Parameters
    ----------
    n_vertices : int
        Number of vertices.
    tail, head : array_like of int
        Arc end vertices.
    free_time : array_like
        Free-flow time per arc (hours or the network's time unit).
    origins, destinations : array_like of int
        Source and sink vertex of each zone (may be equal when zones are through nodes).
    fixed_cost : array_like, optional
        Flow-independent cost per arc, in time units; zeros by default.
    distance : array_like, optional
        Length per arc (km or miles); zeros by default.
    group : array_like of int, optional
        Capacity group per arc, -1 for none; by default no arc has a group.
    group_scale : array_like, optional
        Free-flow time each group's delay is proportional to; by default one hour
        (one time unit) per group.
    group_capacity : array_like, optional
        Capacity per group (flow unit), positive.
    group_alpha, group_beta : array_like or float
        VDF parameters per group.
    group_vdf : str or sequence of str
        ``"bpr"`` or ``"conical"``, for all groups or per group.
    zone_ids, arc_ids, group_labels : sequence, optional
        Labels used in result tables.
    what : str
        Name used in error messages.

    Returns
    -------
    AssignmentGraph

    Raises
    ------
    NetworkError
        If arrays disagree in length, name unknown vertices or groups, or carry
        negative times or non-positive capacities.
    """
    problems: list[Problem] = []
    t = np.asarray(tail, dtype=np.int64)
    h = np.asarray(head, dtype=np.int64)
    m = t.shape[0]

    def arc_array(name: str, values: ArrayLike | None, default: float) -> FloatArray:
        if values is None:
            return np.full(m, default, dtype=np.float64)
        arr = np.asarray(values, dtype=np.float64)
        if arr.shape != (m,):
            problems.append(
                Problem(what, None, name, str(arr.shape), f"expected {m} values, one per arc")
            )
            return np.full(m, default, dtype=np.float64)
        bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0.0))
        problems.extend(
            Problem(what, None, name, str(arr[i]), f"arc {i}: must be finite and non-negative")
            for i in bad[:20]
        )
        return arr

    if h.shape != (m,):
        problems.append(Problem(what, None, "head", str(h.shape), f"expected {m} values"))
        h = np.zeros(m, dtype=np.int64)
    for name, arr in (("tail", t), ("head", h)):
        bad = np.flatnonzero((arr < 0) | (arr >= n_vertices))
        problems.extend(
            Problem(what, None, name, str(arr[i]), f"arc {i}: vertex outside 0..{n_vertices - 1}")
            for i in bad[:20]
        )
    ft = arc_array("free_time", free_time, 0.0)
    fc = arc_array("fixed_cost", fixed_cost, 0.0)
    dist = arc_array("distance", distance, 0.0)
    g = np.full(m, -1, dtype=np.int64) if group is None else np.asarray(group, dtype=np.int64)
    n_groups = int(g.max()) + 1 if m and g.size and g.max() >= 0 else 0
    if group_capacity is not None:
        n_groups = max(n_groups, int(np.asarray(group_capacity).shape[0]))

    def group_array(
        name: str, values: ArrayLike | float | None, default: float, *, allow_inf: bool = False
    ) -> FloatArray:
        if values is None:
            return np.full(n_groups, default, dtype=np.float64)
        arr = np.broadcast_to(np.asarray(values, dtype=np.float64), (n_groups,)).copy()
        finite = np.isfinite(arr) | (allow_inf & (arr == np.inf))
        bad = np.flatnonzero(~finite | (arr < 0.0))
        problems.extend(
            Problem(what, None, name, str(arr[i]), f"group {i}: must be finite and non-negative")
            for i in bad[:20]
        )
        return arr

    scale = group_array("group_scale", group_scale, 1.0)
    cap = group_array("group_capacity", group_capacity, np.inf, allow_inf=True)
    alpha = group_array("group_alpha", group_alpha, 0.15)
    beta = group_array("group_beta", group_beta, 4.0)
    unlimited = np.isinf(cap)
    scale[unlimited] = 0.0  # no capacity, no delay
    cap[unlimited] = 1.0
    bad_cap = np.flatnonzero((cap <= 0.0) & (scale > 0.0))
    problems.extend(
        Problem(what, None, "group_capacity", str(cap[i]), f"group {i}: capacity must be positive")
        for i in bad_cap[:20]
    )
    kinds = [group_vdf] * n_groups if isinstance(group_vdf, str) else list(group_vdf)
    kind = np.zeros(n_groups, dtype=np.int8)
    for i, k in enumerate(kinds[:n_groups]):
        if k not in VDF_KINDS:
            problems.append(
                Problem(
                    what,
                    None,
                    "group_vdf",
                    k,
                    f"group {i}: unknown VDF",
                    f"use one of {', '.join(VDF_KINDS)}",
                )
            )
        else:
            kind[i] = VDF_KINDS.index(k)
    conical_bad = np.flatnonzero((kind == 1) & (alpha <= 1.0))
    problems.extend(
        Problem(what, None, "group_alpha", str(alpha[i]), f"group {i}: conical alpha must exceed 1")
        for i in conical_bad[:20]
    )
    bad_group = np.flatnonzero((g < -1) | (g >= n_groups))
    problems.extend(
        Problem(what, None, "group", str(g[i]), f"arc {i}: unknown group") for i in bad_group[:20]
    )
    o = np.asarray(origins, dtype=np.int64)
    d = np.asarray(destinations, dtype=np.int64)
    if o.shape != d.shape:
        problems.append(
            Problem(
                what,
                None,
                "destinations",
                str(d.shape),
                "need one sink vertex per zone, like origins",
            )
        )
    for name, arr in (("origins", o), ("destinations", d)):
        bad = np.flatnonzero((arr < 0) | (arr >= n_vertices))
        problems.extend(
            Problem(what, None, name, str(arr[i]), f"zone {i}: vertex outside graph")
            for i in bad[:20]
        )
    if problems:
        raise NetworkError(problems, what=what)
    n_zones = int(o.shape[0])
    return AssignmentGraph(
        n_vertices=int(n_vertices),
        tail=t,
        head=h,
        free_time=ft,
        fixed_cost=fc,
        distance=dist,
        group=g,
        delay=GroupDelay(scale=scale, capacity=cap, alpha=alpha, beta=beta, kind=kind),
        origins=o,
        destinations=d,
        zone_ids=tuple(zone_ids) if zone_ids is not None else tuple(range(n_zones)),
        arc_ids=tuple(arc_ids) if arc_ids is not None else tuple(range(m)),
        group_labels=(
            tuple(group_labels)
            if group_labels is not None
            else tuple(f"group {i}" for i in range(n_groups))
        ),
    )
