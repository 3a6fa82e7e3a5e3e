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
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridors.assignment.frank_wolfe import (
    Algorithm,
    equilibrate,
    relative_gap,
    routes_from_trees,
)
from corridors.assignment.graph import AssignmentGraph
from corridors.assignment.paths import Backend, all_or_nothing
from corridors.assignment.results import AssignmentResult, MultiClassResult

__all__ = [
    "ALGORITHMS",
    "Algorithm",
    "DemandClass",
    "assign_all_or_nothing",
    "assign_equilibrium",
    "assign_multiclass",
    "relative_gap",
]

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
ALGORITHMS: tuple[str, ...] = ("bfw", "cfw", "fw", "msa")
"""Equilibrium algorithms, fastest first."""


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


def _check_demand(graph: AssignmentGraph, demand: FloatArray, what: str) -> FloatArray:
    dem = np.ascontiguousarray(demand, dtype=np.float64)
    if dem.shape != (graph.n_zones, graph.n_zones):
        raise ValueError(f"{what} must be {graph.n_zones} x {graph.n_zones}, got {dem.shape}")
    if (dem < 0).any() or not np.isfinite(dem).all():
        raise ValueError(f"{what} must be finite and non-negative")
    return _without_intrazonal(dem)


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
    sol = equilibrate(
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
    FW, CFW, BFW and MSA are available; see
    :func:`corridors.assignment.frank_wolfe.equilibrate` for how directions are
    combined across classes.

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
    sol = equilibrate(
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
    routes = routes_from_trees(graph, dem, [aon.pred_arc], np.ones(1))
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
