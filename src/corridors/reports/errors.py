"""Errors raised by :mod:`corridors.reports`."""

from __future__ import annotations

from corridors.errors import CorridorsError


class ReportError(CorridorsError, ValueError):
    """Input a map, chart or report cannot be drawn from (bad coordinates, colours, data)."""
