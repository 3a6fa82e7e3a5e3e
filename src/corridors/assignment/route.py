"""A route an assignment used between two zones, with its share of their demand."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Route:
    """One route used between an origin and a destination zone.

    Attributes
    ----------
    origin, destination : int
        Zone indices (positions in ``graph.zone_ids``).
    arcs : tuple of int
        Arc indices from origin to destination.
    share : float
        Fraction of the O-D demand on this route (0..1).
    """

    origin: int
    destination: int
    arcs: tuple[int, ...]
    share: float
