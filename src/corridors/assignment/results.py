"""Assignment results as arrays and tables.

:class:`AssignmentResult` holds the arc flows of an assignment with the graph and
demand it came from; times, costs, volume/capacity ratios, skims and tables are derived
from them on request.

A module per part, re-exported here: :mod:`~corridors.assignment.route` (a route used
between two zones), :mod:`~corridors.assignment.result_tables` (skims and group tables),
:mod:`~corridors.assignment.assignment_result` (one class) and
:mod:`~corridors.assignment.multiclass_result` (several classes).
"""

from __future__ import annotations

from corridors.assignment.assignment_result import AssignmentResult
from corridors.assignment.multiclass_result import MultiClassResult
from corridors.assignment.result_tables import Skims
from corridors.assignment.route import Route

__all__ = ["AssignmentResult", "MultiClassResult", "Route", "Skims"]
