"""Sea and ferry legs from the maritime network shipped in the ``searoute`` package.

Lengths and geometries of sea links are not typed in by hand: they are computed on
the Eurostat/searoute maritime graph between the two ports, avoiding the passages
the link names in ``sea_avoid``. The passages each leg traverses are recorded so that
a scenario can close one (Suez, Bab-el-Mandeb, Bosporus, ...) and every leg through
it closes with it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import searoute

logger = logging.getLogger(__name__)

ALWAYS_AVOID: tuple[str, ...] = ("northwest",)
"""Passages avoided unless a link asks for them (the Arctic Northwest Passage)."""


@dataclass(frozen=True, slots=True)
class SeaLeg:
    """A computed sea leg.

    Attributes
    ----------
    km : float
        Length along the maritime network between the network points nearest to the
        two ports, km (searoute's figure; the connectors from the ports to the network
        are drawn but not counted, as they often cut across land).
    coords : list of (float, float)
        Geometry, lon/lat, from the origin port to the destination port.
    passages : tuple of str
        Passages (``suez``, ``babalmandab``, ``south_africa``, ...) the leg traverses.
    """

    km: float
    coords: list[tuple[float, float]]
    passages: tuple[str, ...]


def sea_leg(
    origin: tuple[float, float],
    destination: tuple[float, float],
    *,
    avoid: tuple[str, ...] = (),
) -> SeaLeg:
    """Compute the shortest sea leg between two ports.

    Parameters
    ----------
    origin, destination : (float, float)
        Port positions as (lon, lat), degrees.
    avoid : tuple of str
        Passages the leg must not use, in addition to :data:`ALWAYS_AVOID`.

    Returns
    -------
    SeaLeg
        Length (km), geometry and traversed passages.
    """
    restrictions = sorted(set(ALWAYS_AVOID) | set(avoid))
    feature = searoute.searoute(
        list(origin),
        list(destination),
        units="km",
        restrictions=restrictions,
        append_orig_dest=False,
        return_passages=True,
    )
    path = [(float(x), float(y)) for x, y in feature.geometry["coordinates"]]
    coords = [(float(origin[0]), float(origin[1])), *path]
    coords.append((float(destination[0]), float(destination[1])))
    props = feature.properties
    passages = tuple(sorted(str(p) for p in props.get("traversed_passages", ())))
    km = float(props["length"])
    logger.debug("sea leg %s -> %s: %.0f km via %s", origin, destination, km, passages)
    return SeaLeg(km=km, coords=coords, passages=passages)
