"""Equilibrium and stochastic assignment of O-D demand onto a network.

* :mod:`~corridors.assignment.graph`: the arrays an assignment runs on, with capacity
  groups (arcs sharing one capacity: ports, border crossings, single-track lines).
* :mod:`~corridors.cost.delay` (re-exported here): BPR and conical volume-delay functions.
* :mod:`~corridors.assignment.paths`: shortest-path trees and all-or-nothing loading.
* :mod:`~corridors.assignment.equilibrium`: user equilibrium (FW, CFW, BFW, MSA),
  single- and multi-class.
* :mod:`~corridors.assignment.stochastic`: route sets, MNL and path-size logit, SUE.
* :mod:`~corridors.assignment.results`: flows, times, v/c, skims, routes as tables.
* :mod:`~corridors.assignment.tntp`: the assignment graph of a TNTP network (read by
  :mod:`corridors.tntp`, re-exported).
* :mod:`~corridors.assignment.corridor`: corridor networks and demand tables.
"""

from corridors.assignment.equilibrium import (
    ALGORITHMS,
    DemandClass,
    assign_all_or_nothing,
    assign_equilibrium,
    assign_multiclass,
    relative_gap,
)
from corridors.assignment.errors import AssignmentInputError
from corridors.assignment.graph import AssignmentGraph, build_graph
from corridors.assignment.results import AssignmentResult, MultiClassResult, Route, Skims
from corridors.assignment.stochastic import RouteSet, assign_stochastic, generate_routes
from corridors.assignment.tntp import TntpNetwork, read_tntp
from corridors.cost.delay import bpr, conical

__all__ = [
    "ALGORITHMS",
    "AssignmentGraph",
    "AssignmentInputError",
    "AssignmentResult",
    "DemandClass",
    "MultiClassResult",
    "Route",
    "RouteSet",
    "Skims",
    "TntpNetwork",
    "assign_all_or_nothing",
    "assign_equilibrium",
    "assign_multiclass",
    "assign_stochastic",
    "bpr",
    "build_graph",
    "conical",
    "generate_routes",
    "read_tntp",
    "relative_gap",
]
