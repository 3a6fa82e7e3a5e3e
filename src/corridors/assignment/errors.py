"""Errors of the assignment package."""

from __future__ import annotations

from corridors.errors import ProblemsError


class AssignmentInputError(ProblemsError, ValueError):
    """An assignment input (TNTP file, demand table, network arrays) is malformed.

    Each :class:`corridors.errors.Problem` names the file, line and field.
    """
