"""Routing and generalised cost: door-to-door routes per corridor and k alternatives."""

from __future__ import annotations

from corridors.cost.parameters import CostParameters
from corridors.routing.graph import ExpandedGraph, build_graph
from corridors.routing.routes import Route, Step, alternatives, best_route, compare, retrace

__all__ = [
    "CostParameters",
    "ExpandedGraph",
    "Route",
    "Step",
    "alternatives",
    "best_route",
    "build_graph",
    "compare",
    "retrace",
]
