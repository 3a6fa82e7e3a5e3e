"""User equilibrium by Frank-Wolfe, conjugate and bi-conjugate Frank-Wolfe, or MSA.

All methods minimise the Beckmann objective::

    Z(x) = sum_a (fixed_cost[a] + free_time[a]) * x[a] + sum_g integral_0^{x_g} delay_g(w) dw

where ``x_g`` is the flow of capacity group ``g`` (arcs sharing one capacity). Each
iteration loads the demand all-or-nothing on the shortest paths at the current costs,
measures the relative gap there, builds a search direction and steps along it by an
exact line search on ``Z``:

* ``fw``: Frank-Wolfe, direction towards the all-or-nothing flows;
* ``cfw``: conjugate Frank-Wolfe, direction conjugate to the previous one;
* ``bfw``: bi-conjugate Frank-Wolfe, conjugate to the two previous ones
  (Mitradjieva and Lindberg 2013, *Transportation Science* 47(2), 280-293);
* ``msa``: method of successive averages (step ``1/k``, no line search).

The conjugacy uses the Hessian of ``Z``, which with capacity groups is block-diagonal:
arcs of one group share the second derivative ``delay_g'(x_g)``.

The relative gap is ``(sum_a x_a c_a(x) - sum_od demand_od * mincost_od(x)) /
sum_a x_a c_a(x)``, the definition used by TNTP and AequilibraE.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from corridors.assignment.graph import AssignmentGraph
from corridors.assignment.paths import Backend, all_or_nothing, trace_route
from corridors.assignment.results import AssignmentResult, MultiClassResult, Route
from corridors.cost.delay import GroupDelay

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Algorithm = Literal["fw", "cfw", "bfw", "msa"]
ALGORITHMS: tuple[str, ...] = ("bfw", "cfw", "fw", "msa")
"""Equilibrium algorithms, fastest first."""

_CONJUGATE_MAX = 0.99999


def relative_gap(total_cost: float, shortest_cost: float) -> float:
    """Relative gap ``(total_cost - shortest_cost) / total_cost`` (0 when nothing moves).

    Parameters
    ----------
    total_cost : float
        Sum over arcs of flow times cost at the current flows.
    shortest_cost : float
        Sum over O-D pairs of demand times the shortest-path cost at those costs.
    """
    if total_cost <= 0.0:
        return 0.0 if shortest_cost <= 0.0 else float("inf")
    return (total_cost - shortest_cost) / total_cost


@dataclass
class _Combination:
    """Weights of the stored all-or-nothing trees that compose a flow vector."""

    weights: FloatArray = field(default_factory=lambda: np.zeros(0))

    def padded(self, n: int) -> FloatArray:
        out = np.zeros(n)
        out[: self.weights.shape[0]] = self.weights
        return out


class _Objective:
    """Beckmann objective pieces on group-level arrays."""

    def __init__(self, graph: AssignmentGraph) -> None:
        self.graph = graph
        self.linear = graph.fixed_cost + graph.free_time
        self.mask = graph.grouped
        self.garc = graph.group[self.mask]
        self.n_groups = graph.n_groups

    def gsum(self, arc_values: FloatArray) -> FloatArray:
        return np.bincount(
            self.garc, weights=arc_values[self.mask], minlength=self.n_groups
        ).astype(np.float64)

    def arc_cost(self, group_flow: FloatArray) -> FloatArray:
        cost = self.linear.copy()
        cost[self.mask] += self.graph.delay.delay(group_flow)[self.garc]
        return cost

    def step(
        self, xg: FloatArray, dg: FloatArray, linear_d: float, *, tol: float = 1e-13
    ) -> tuple[float, bool]:
        """Exact line search on [0, 1]: root of dZ/dlambda along ``d``.

        Returns the step and whether the direction descends at 0.
        """
        delay = self.graph.delay
        active = dg != 0.0
        xa = xg[active]
        da = dg[active]
        sub = GroupDelay(
            scale=delay.scale[active],
            capacity=delay.capacity[active],
            alpha=delay.alpha[active],
            beta=delay.beta[active],
            kind=delay.kind[active],
        )

        def slope(lam: float) -> float:
            return linear_d + float(np.dot(sub.delay(xa + lam * da), da))

        s0 = slope(0.0)
        if s0 >= 0.0:
            return 0.0, False
        s1 = slope(1.0)
        if s1 <= 0.0:
            return 1.0, True
        lo, hi = 0.0, 1.0
        lam = s0 / (s0 - s1)  # secant start
        for _ in range(100):
            s = slope(lam)
            if s > 0.0:
                hi = lam
            else:
                lo = lam
            if hi - lo <= tol or s == 0.0:
                break
            curv = float(np.dot(sub.derivative(xa + lam * da), da * da))
            newton = lam - s / curv if curv > 0.0 else -1.0
            lam = newton if lo < newton < hi else 0.5 * (lo + hi)
            if abs(newton - lam) <= tol and lo < newton < hi:
                break
        return min(max(lam, 0.0), 1.0), True


@dataclass(frozen=True)
class DemandClass:
    """One user class of a multi-class assignment.

    Attributes
    ----------
    name : str
        Label used in result tables (e.g. ``"containers @ 16.7 USD/TEU-h"``).
    demand : numpy.ndarray
        O-D matrix of the class, zones by zones, in the network's flow unit (e.g.
        TEU/yr); every class's flow counts fully against the shared capacities.
    fixed_cost : numpy.ndarray, optional
        Flow-independent cost per arc for this class in time units (its money terms
        divided by its own value of time); ``None`` means ``graph.fixed_cost``.
    capacity_share : numpy.ndarray, optional
        Per capacity group, the share of this class's flow that counts against the
        group's capacity (1: fully, 0: not at all, e.g. crude at a container
        terminal); the class meets ``capacity_share * delay`` there. ``None``: 1
        everywhere.
    """

    name: str
    demand: FloatArray
    fixed_cost: FloatArray | None = None
    capacity_share: FloatArray | None = None


@dataclass
class _Solution:
    """Raw output of :func:`_equilibrate`."""

    flows: FloatArray  # classes x arcs
    demands: FloatArray  # classes x zones x zones (intrazonal removed)
    iterations: int
    gap: float
    converged: bool
    history: FloatArray
    routes: list[list[Route]] | None


def _check_demand(graph: AssignmentGraph, demand: FloatArray, what: str) -> FloatArray:
    dem = np.ascontiguousarray(demand, dtype=np.float64)
    if dem.shape != (graph.n_zones, graph.n_zones):
        raise ValueError(f"{what} must be {graph.n_zones} x {graph.n_zones}, got {dem.shape}")
    if (dem < 0).any() or not np.isfinite(dem).all():
        raise ValueError(f"{what} must be finite and non-negative")
    return _without_intrazonal(dem)


def _equilibrate(
    graph: AssignmentGraph,
    demands: list[FloatArray],
    linears: list[FloatArray],
    *,
    algorithm: Algorithm,
    gap: float,
    max_iter: int,
    callback: Callable[[int, float], None] | None,
    track: bool,
    backend: Backend,
    shares: list[FloatArray] | None = None,
) -> _Solution:
    """Multi-class user equilibrium (one class is the ordinary single-class case).

    Each class ``k`` routes all-or-nothing on its own arc costs ``linears[k] + delay``;
    the classes share the capacity groups through the total flow. The search
    direction of every class is built with one common set of conjugacy weights,
    computed with the Hessian on *total* flows (the Hessian of the multi-class
    Beckmann objective is ``H`` in every class pair), and all classes take one common
    step from an exact line search on the total objective. This is AequilibraE's
    multi-class bi-conjugate Frank-Wolfe (``linear_approximation.py``: products of
    the class-summed direction differences, common betas and step size). With
    ``shares`` (per class, per group) a group's flow is ``sum_k shares[k][g] x_kg``
    and class ``k`` meets ``shares[k][g]`` times its delay: the objective keeps its
    form on these weighted group flows, so the line search and conjugacy are exact.
    """
    n_cls = len(demands)
    obj = _Objective(graph)
    mask = obj.mask
    garc = obj.garc
    trees: list[list[IntArray]] = []  # per iteration, one tree array per class

    def total(arr: FloatArray) -> FloatArray:
        return arr[0] if n_cls == 1 else np.asarray(arr.sum(axis=0), dtype=np.float64)

    def group_sum(arr: FloatArray) -> FloatArray:
        if shares is None:
            return obj.gsum(total(arr))
        return np.asarray(sum(obj.gsum(arr[k]) * shares[k] for k in range(n_cls)), dtype=np.float64)

    def costs(group_flow: FloatArray) -> list[FloatArray]:
        dl = graph.delay.delay(group_flow)[garc]
        out = []
        for k, lin in enumerate(linears):
            c = lin.copy()
            c[mask] += dl if shares is None else dl * shares[k][garc]
            out.append(c)
        return out

    x = np.zeros((n_cls, graph.n_arcs))
    xg = np.zeros(graph.n_groups)
    wx = _Combination()
    s1 = s2 = None  # previous directions (class x arc points)
    s1g = s2g = None  # and their group sums of total flow
    w1 = w2 = _Combination()
    tau = 0.0  # previous step
    next_direction = "fw"
    history: list[float] = []
    current_gap = float("inf")
    converged = False
    iteration = 0
    for iteration in range(1, max_iter + 1):
        cost = costs(xg)
        y = np.zeros((n_cls, graph.n_arcs))
        shortest = 0.0
        these: list[IntArray] = []
        for k in range(n_cls):
            aon = all_or_nothing(graph, cost[k], demands[k], keep_trees=track, backend=backend)
            y[k] = aon.arc_flow
            shortest += aon.shortest_total
            if track:
                assert aon.pred_arc is not None
                these.append(aon.pred_arc)
        if track:
            trees.append(these)
        n_trees = len(trees)
        wy = np.zeros(n_trees)
        if track:
            wy[-1] = 1.0
        if iteration == 1:
            x = y.copy()
            xg = group_sum(x)
            wx = _Combination(wy)
            continue
        spent = sum(float(np.dot(x[k], cost[k])) for k in range(n_cls))
        current_gap = relative_gap(spent, shortest)
        history.append(current_gap)
        if callback is not None:
            callback(iteration, current_gap)
        logger.debug("iteration %d relative gap %.3e", iteration, current_gap)
        if current_gap <= gap:
            converged = True
            break
        if iteration == max_iter:
            break
        yg = group_sum(y)
        if algorithm == "msa":
            lam = 1.0 / iteration
            x = x + lam * (y - x)
            xg = xg + lam * (yg - xg)
            wx = _Combination((1.0 - lam) * wx.padded(n_trees) + lam * wy)
            continue
        direction = "fw" if algorithm == "fw" else next_direction
        hess = graph.delay.derivative(xg)
        for _attempt in range(2):
            if direction == "fw" or s1 is None or s1g is None:
                s, sg, ws = y, yg, wy
                direction = "fw"
                next_direction = "cfw"
            elif direction == "cfw" or s2 is None or s2g is None:
                a = s1g - xg
                num = float(np.dot(hess * a, yg - xg))
                den = float(np.dot(hess * a, yg - s1g))
                alpha = num / den if den != 0.0 else 0.0
                alpha = min(max(alpha, 0.0), _CONJUGATE_MAX)
                s = alpha * s1 + (1.0 - alpha) * y
                sg = alpha * s1g + (1.0 - alpha) * yg
                ws = alpha * w1.padded(n_trees) + (1.0 - alpha) * wy
                direction = "cfw"
                next_direction = "bfw" if algorithm == "bfw" else "cfw"
            else:
                xv = tau * s1g + (1.0 - tau) * s2g - xg
                yv = yg - xg
                zv = s1g - xg
                wv = s2g - s1g
                mu_den = float(np.dot(hess * xv, wv))
                mu = max(0.0, -float(np.dot(hess * xv, yv)) / mu_den) if mu_den != 0.0 else 0.0
                nu_den = float(np.dot(hess * zv, zv))
                nu = (
                    max(0.0, -float(np.dot(hess * zv, yv)) / nu_den + mu * tau / (1.0 - tau))
                    if nu_den != 0.0
                    else 0.0
                )
                b0 = 1.0 / (1.0 + nu + mu)
                b1, b2 = nu * b0, mu * b0
                assert s2 is not None
                s = b0 * y + b1 * s1 + b2 * s2
                sg = b0 * yg + b1 * s1g + b2 * s2g
                ws = b0 * wy + b1 * w1.padded(n_trees) + b2 * w2.padded(n_trees)
                direction = "bfw"
                next_direction = "bfw"
            d = s - x
            linear_d = sum(float(np.dot(linears[k], d[k])) for k in range(n_cls))
            lam, descends = obj.step(xg, sg - xg, linear_d)
            if descends or direction == "fw":
                break
            direction = "fw"  # conjugate direction does not descend: restart with FW
        if not descends:
            lam = 0.01 / iteration  # at (numerical) optimum along FW: take a tiny step
        if algorithm in ("cfw", "bfw"):
            s2, s2g, w2 = s1, s1g, w1
            s1, s1g, w1 = s, sg, _Combination(ws)
            tau = lam
            if lam >= 1.0 - 1e-12:  # landed on the direction point: restart conjugacy
                next_direction = "fw"
        x = x + lam * d
        xg = xg + lam * (sg - xg)
        wx = _Combination((1.0 - lam) * wx.padded(n_trees) + lam * ws)
    routes = None
    if track:
        weights = wx.padded(len(trees))
        routes = [_routes(graph, demands[k], [t[k] for t in trees], weights) for k in range(n_cls)]
    return _Solution(
        flows=np.maximum(x, 0.0),
        demands=np.stack(demands) if demands else np.zeros((0, 0, 0)),
        iterations=iteration,
        gap=current_gap if iteration > 1 else float("nan"),
        converged=converged,
        history=np.asarray(history, dtype=np.float64),
        routes=routes,
    )


def _check_common(algorithm: str, max_iter: int) -> None:
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS)}")
    if max_iter < 1:
        raise ValueError("max_iter must be at least 1")


def assign_equilibrium(
    graph: AssignmentGraph,
    demand: FloatArray,
    *,
    algorithm: Algorithm = "bfw",
    gap: float = 1e-4,
    max_iter: int = 500,
    callback: Callable[[int, float], None] | None = None,
    keep_routes: bool | None = None,
    backend: Backend = "auto",
) -> AssignmentResult:
    """Deterministic user equilibrium of ``demand`` on ``graph``.

    Parameters
    ----------
    graph : AssignmentGraph
        Network with costs and capacity groups (time unit: hours, or minutes in TNTP).
    demand : numpy.ndarray
        O-D matrix, zones by zones (flow unit: TEU/yr, tonnes/yr, vehicles/h).
    algorithm : {"bfw", "cfw", "fw", "msa"}
        Bi-conjugate, conjugate or plain Frank-Wolfe, or successive averages.
    gap : float
        Stop once the relative gap is at or below this value.
    max_iter : int
        Stop after this many all-or-nothing loadings (shortest-path rounds).
    callback : callable, optional
        Called as ``callback(iteration, gap)`` after each gap evaluation (e.g. to
        drive a progress bar); the engine itself never prints.
    keep_routes : bool, optional
        Keep every iteration's shortest-path trees to report the routes used per
        O-D pair and their shares. Default: only on small networks (<= 60 zones).
    backend : {"auto", "numba", "scipy"}
        Shortest-path implementation.

    Returns
    -------
    AssignmentResult
        Flows, gap history and (when kept) routes with shares. Intrazonal demand (the
        diagonal) loads no arc and is left out of ``result.demand``, as in TNTP's
        best-known solutions.

    Raises
    ------
    ValueError
        On an unknown algorithm or a demand matrix of the wrong shape or sign.
    corridors.errors.UnreachableError
        If an O-D pair with demand has no path.

    See Also
    --------
    assign_multiclass : several user classes with their own fixed costs.
    """
    _check_common(algorithm, max_iter)
    dem = _check_demand(graph, demand, "demand")
    track = keep_routes if keep_routes is not None else graph.n_zones <= 60
    started = time.perf_counter()
    sol = _equilibrate(
        graph,
        [dem],
        [graph.fixed_cost + graph.free_time],
        algorithm=algorithm,
        gap=gap,
        max_iter=max_iter,
        callback=callback,
        track=track,
        backend=backend,
    )
    logger.info(
        "%s: %d iterations, relative gap %.3e, %.2f s",
        algorithm,
        sol.iterations,
        sol.gap,
        time.perf_counter() - started,
    )
    return AssignmentResult(
        graph=graph,
        demand=dem,
        flow=sol.flows[0],
        algorithm=algorithm,
        iterations=sol.iterations,
        gap=sol.gap,
        converged=sol.converged,
        gap_history=sol.history,
        routes=sol.routes[0] if sol.routes is not None else None,
    )


def assign_multiclass(
    graph: AssignmentGraph,
    classes: Sequence[DemandClass],
    *,
    algorithm: Algorithm = "bfw",
    gap: float = 1e-4,
    max_iter: int = 500,
    callback: Callable[[int, float], None] | None = None,
    keep_routes: bool | None = None,
    backend: Backend = "auto",
) -> MultiClassResult:
    """Multi-class user equilibrium: classes with their own fixed costs share capacities.

    Class ``k`` sees the arc cost ``fixed_cost_k[a] + free_time[a] + delay_g(x_g)``
    (time units), where ``x_g`` sums the flows of *all* classes on the arcs of group
    ``g``. A class with a high value of time has small fixed costs in hours, so it
    weighs time more and takes faster, dearer routes. The equilibrium minimises::

        Z = sum_k sum_a fixed_cost_k[a] x_ka + sum_a free_time[a] x_a
            + sum_g integral_0^{x_g} delay_g(w) dw

    and satisfies Wardrop's condition per class. The relative gap is taken over all
    classes: ``(sum_k x_k . c_k - sum_k sum_od d_k,od mincost_k,od) / sum_k x_k . c_k``.
    FW, CFW, BFW and MSA are available; see :func:`_equilibrate` for how directions
    are combined across classes.

    Parameters
    ----------
    graph : AssignmentGraph
        The network (time unit: hours in corridor networks).
    classes : sequence of DemandClass
        The user classes, at least one; names must be unique.
    algorithm, gap, max_iter, callback, keep_routes, backend
        As in :func:`assign_equilibrium`.

    Returns
    -------
    MultiClassResult
        Flows per class, their total, gap history and routes per class.

    Raises
    ------
    ValueError
        On no class, duplicate names, wrong shapes, negative demand or fixed costs.
    corridors.errors.UnreachableError
        If an O-D pair with demand has no path.
    """
    _check_common(algorithm, max_iter)
    if not classes:
        raise ValueError("assign_multiclass needs at least one demand class")
    names = [c.name for c in classes]
    if len(set(names)) != len(names):
        raise ValueError(f"class names must be unique, got {names}")
    demands: list[FloatArray] = []
    fixed: list[FloatArray] = []
    for c in classes:
        demands.append(_check_demand(graph, c.demand, f"demand of class {c.name!r}"))
        fc = (
            graph.fixed_cost if c.fixed_cost is None else np.asarray(c.fixed_cost, dtype=np.float64)
        )
        if fc.shape != (graph.n_arcs,) or (fc < 0).any() or not np.isfinite(fc).all():
            raise ValueError(
                f"fixed cost of class {c.name!r} must be {graph.n_arcs} finite, "
                "non-negative values (one per arc)"
            )
        fixed.append(fc)
    shares: list[FloatArray] | None = None
    if any(c.capacity_share is not None for c in classes):
        shares = []
        for c in classes:
            w = (
                np.ones(graph.n_groups)
                if c.capacity_share is None
                else np.asarray(c.capacity_share, dtype=np.float64)
            )
            if w.shape != (graph.n_groups,) or (w < 0).any() or not np.isfinite(w).all():
                raise ValueError(
                    f"capacity share of class {c.name!r} must be {graph.n_groups} finite, "
                    "non-negative values (one per capacity group)"
                )
            shares.append(w)
    track = keep_routes if keep_routes is not None else graph.n_zones <= 60
    started = time.perf_counter()
    sol = _equilibrate(
        graph,
        demands,
        [fc + graph.free_time for fc in fixed],
        algorithm=algorithm,
        gap=gap,
        max_iter=max_iter,
        callback=callback,
        track=track,
        backend=backend,
        shares=shares,
    )
    logger.info(
        "%s, %d classes: %d iterations, relative gap %.3e, %.2f s",
        algorithm,
        len(classes),
        sol.iterations,
        sol.gap,
        time.perf_counter() - started,
    )
    return MultiClassResult(
        graph=graph,
        names=tuple(names),
        demands=sol.demands,
        fixed_costs=np.stack(fixed),
        class_flow=sol.flows,
        algorithm=algorithm,
        iterations=sol.iterations,
        gap=sol.gap,
        converged=sol.converged,
        gap_history=sol.history,
        routes=sol.routes,
        capacity_share=None if shares is None else np.stack(shares),
    )


def assign_all_or_nothing(
    graph: AssignmentGraph,
    demand: FloatArray,
    *,
    cost: FloatArray | None = None,
    backend: Backend = "auto",
) -> AssignmentResult:
    """Load every O-D demand on its shortest path at free-flow (or given) costs.

    Parameters
    ----------
    graph : AssignmentGraph
        The network.
    demand : numpy.ndarray
        O-D matrix, zones by zones (flow unit).
    cost : numpy.ndarray, optional
        Arc costs to route on; by default fixed cost plus free-flow time.
    backend : {"auto", "numba", "scipy"}
        Shortest-path implementation.
    """
    dem = _without_intrazonal(np.ascontiguousarray(demand, dtype=np.float64))
    arc_cost = graph.fixed_cost + graph.free_time if cost is None else cost
    aon = all_or_nothing(graph, arc_cost, dem, keep_trees=True, backend=backend)
    assert aon.pred_arc is not None
    routes = _routes(graph, dem, [aon.pred_arc], np.ones(1))
    return AssignmentResult(
        graph=graph,
        demand=dem,
        flow=aon.arc_flow,
        algorithm="aon",
        iterations=1,
        gap=float("nan"),
        converged=True,
        gap_history=np.zeros(0),
        routes=routes,
    )


def _without_intrazonal(demand: FloatArray) -> FloatArray:
    """Copy of ``demand`` without its diagonal: trips within a zone load no arc."""
    inside = float(np.trace(demand))
    if inside == 0.0:
        return demand
    logger.info("intrazonal demand %.6g (the matrix diagonal) is not assigned", inside)
    out = demand.copy()
    np.fill_diagonal(out, 0.0)
    return out


def _routes(
    graph: AssignmentGraph,
    demand: FloatArray,
    trees: list[IntArray],
    weights: FloatArray,
    *,
    min_share: float = 1e-9,
) -> list[Route]:
    """Routes per O-D pair with shares, from weighted all-or-nothing trees."""
    routes: list[Route] = []
    total = float(weights.sum())
    if total <= 0.0:
        return routes
    w = weights / total
    used = np.flatnonzero(w > min_share)
    for o, d in np.argwhere(demand > 0.0):
        shares: dict[tuple[int, ...], float] = {}
        for t in used:
            arcs = tuple(trace_route(graph, trees[t][o], int(graph.destinations[d])))
            shares[arcs] = shares.get(arcs, 0.0) + float(w[t])
        routes.extend(
            Route(int(o), int(d), arcs, share)
            for arcs, share in sorted(shares.items(), key=lambda kv: -kv[1])
            if share > min_share
        )
    return routes
