"""Errors of the simulation: one model error that lists every problem together."""

from __future__ import annotations

from corridors.errors import Problem, ProblemsError

__all__ = ["SimulationModelError"]

_WHERE = "simulation model"


class SimulationModelError(ProblemsError, ValueError):
    """A simulation model (or the network, demand or routes it is built from) is invalid."""


def model_problem(column: str, value: object, message: str, hint: str | None = None) -> Problem:
    """A problem of the simulation model at ``column`` (e.g. ``stations[x].servers``)."""
    return Problem(_WHERE, None, column, None if value is None else str(value), message, hint)
