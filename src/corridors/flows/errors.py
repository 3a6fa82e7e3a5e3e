"""Errors of the flow engine."""

from __future__ import annotations

from corridors.errors import CorridorsError, ProblemsError


class FlowInputError(ProblemsError, ValueError):
    """A flow problem is malformed: unknown node, NaN or negative capacity, unbalanced commodity.

    Each :class:`corridors.errors.Problem` names the element (``arc``, ``node`` or
    ``commodity``), its id and the field.
    """


class FlowSolveError(CorridorsError, RuntimeError):
    """The linear-programming solver (HiGHS) did not return an optimal solution."""
