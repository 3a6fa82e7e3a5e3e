"""The Frank-Wolfe family on capacity groups: the iterations behind every user equilibrium.

:func:`equilibrate` minimises the (multi-class) Beckmann objective by Frank-Wolfe,
conjugate or bi-conjugate Frank-Wolfe or MSA (see :mod:`corridors.assignment.equilibrium`
for the methods and the relative gap); :func:`relative_gap` and the route shares from
weighted all-or-nothing trees live here too. No I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from corridors.assignment.graph import AssignmentGraph
from corridors.assignment.paths import Backend, all_or_nothing, trace_route
from corridors.assignment.results import Route
from corridors.cost.delay import GroupDelay

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Algorithm = Literal["fw", "cfw", "bfw", "msa"]

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


@dataclass
class Solution:
    """Raw output of :func:`equilibrate`."""

    flows: FloatArray  # classes x arcs
    demands: FloatArray  # classes x zones x zones (intrazonal removed)
    iterations: int
    gap: float
    converged: bool
    history: FloatArray
    routes: list[list[Route]] | None


def equilibrate(
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
) -> Solution:
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
        routes = [
            routes_from_trees(graph, demands[k], [t[k] for t in trees], weights)
            for k in range(n_cls)
        ]
    return Solution(
        flows=np.maximum(x, 0.0),
        demands=np.stack(demands) if demands else np.zeros((0, 0, 0)),
        iterations=iteration,
        gap=current_gap if iteration > 1 else float("nan"),
        converged=converged,
        history=np.asarray(history, dtype=np.float64),
        routes=routes,
    )


def routes_from_trees(
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
