"""Map projections for Eurasia: Lambert conformal conic and equirectangular.

Both work on a unit sphere (radius 1, so projected units are Earth radii) with ``x``
growing east and ``y`` growing north, on numpy arrays of degrees.

* :class:`LambertConformalConic` is the usual choice for a mid-latitude region wider
  than it is tall, such as Europe-China: shapes are kept (conformal) and the scale is
  exact on the two standard parallels and close to it between them. Meridians converge
  towards the pole, parallels are arcs.
* :class:`Equirectangular` (plate carrée with ``cos(lat0)`` scaling of longitude) is
  the fallback when the map reaches the tropics or the southern hemisphere (the sea
  route round the Cape): simple, and true to scale along the parallel ``lat0``.

:func:`auto_projection` picks one for a bounding box.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BBox = tuple[float, float, float, float]
"""``(min_lon, min_lat, max_lon, max_lat)`` in degrees."""

_MAX_LAT = 89.0  # latitudes are clamped here so the conic never reaches the pole


def _wrap(dlon: FloatArray) -> FloatArray:
    """Wrap longitude differences to [-180, 180) degrees."""
    return np.asarray((dlon + 180.0) % 360.0 - 180.0, dtype=np.float64)


class Projection(Protocol):
    """A map projection from degrees to plane coordinates (Earth radii) and back."""

    def forward(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Project ``(lon, lat)`` in degrees to ``(x, y)`` with ``y`` north."""
        ...

    def inverse(self, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Return ``(lon, lat)`` in degrees of plane coordinates ``(x, y)``."""
        ...

    @property
    def description(self) -> str:
        """One line naming the projection and its parameters."""
        ...


@dataclass(frozen=True, slots=True)
class Equirectangular:
    """Equirectangular projection: ``x = cos(lat0) (lon - lon0)``, ``y = lat`` (radians).

    Parameters
    ----------
    lon0 : float
        Central meridian, degrees.
    lat0 : float
        Parallel of true scale, degrees.
    """

    lon0: float = 0.0
    lat0: float = 0.0

    def forward(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Project degrees to plane coordinates (Earth radii)."""
        lam = np.radians(_wrap(np.asarray(lon, dtype=np.float64) - self.lon0))
        phi = np.radians(np.asarray(lat, dtype=np.float64))
        return lam * math.cos(math.radians(self.lat0)), phi

    def inverse(self, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Return degrees of plane coordinates."""
        xa = np.asarray(x, dtype=np.float64)
        ya = np.asarray(y, dtype=np.float64)
        lon = np.degrees(xa / math.cos(math.radians(self.lat0))) + self.lon0
        return lon, np.degrees(ya)

    @property
    def description(self) -> str:
        """One line naming the projection and its parameters."""
        return f"equirectangular, central meridian {self.lon0:g}°, true scale at {self.lat0:g}°"


@dataclass(frozen=True, slots=True)
class LambertConformalConic:
    """Lambert conformal conic projection on the sphere (Snyder 1987, eqs. 15-1 to 15-5).

    Parameters
    ----------
    lon0 : float
        Central meridian, degrees.
    lat0 : float
        Latitude of the origin, degrees.
    lat1, lat2 : float
        Standard parallels (true scale), degrees, both in the same hemisphere.
    """

    lon0: float
    lat0: float
    lat1: float
    lat2: float

    def _constants(self) -> tuple[float, float, float]:
        p1, p2, p0 = (math.radians(v) for v in (self.lat1, self.lat2, self.lat0))
        if abs(p1 - p2) < 1e-10:
            n = math.sin(p1)
        else:
            n = math.log(math.cos(p1) / math.cos(p2)) / math.log(
                math.tan(math.pi / 4 + p2 / 2) / math.tan(math.pi / 4 + p1 / 2)
            )
        f = math.cos(p1) * math.tan(math.pi / 4 + p1 / 2) ** n / n
        rho0 = f / math.tan(math.pi / 4 + p0 / 2) ** n
        return n, f, rho0

    def forward(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Project degrees to plane coordinates (Earth radii)."""
        n, f, rho0 = self._constants()
        lat_a = np.clip(np.asarray(lat, dtype=np.float64), -_MAX_LAT, _MAX_LAT)
        phi = np.radians(lat_a)
        theta = n * np.radians(_wrap(np.asarray(lon, dtype=np.float64) - self.lon0))
        rho = f / np.tan(np.pi / 4 + phi / 2) ** n
        return rho * np.sin(theta), rho0 - rho * np.cos(theta)

    def inverse(self, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Return degrees of plane coordinates."""
        n, f, rho0 = self._constants()
        xa = np.asarray(x, dtype=np.float64)
        dy = rho0 - np.asarray(y, dtype=np.float64)
        sign = 1.0 if n > 0 else -1.0
        rho = sign * np.hypot(xa, dy)
        theta = np.arctan2(sign * xa, sign * dy)
        with np.errstate(divide="ignore"):
            phi = 2 * np.arctan((f / rho) ** (1 / n)) - np.pi / 2
        return np.degrees(theta / n) + self.lon0, np.degrees(phi)

    @property
    def description(self) -> str:
        """One line naming the projection and its parameters."""
        return (
            f"Lambert conformal conic, central meridian {self.lon0:g}°, "
            f"standard parallels {self.lat1:g}° and {self.lat2:g}°"
        )


ProjectionName = Literal["auto", "lcc", "equirectangular"]


def auto_projection(bbox: BBox, *, kind: ProjectionName = "auto") -> Projection:
    """Choose a projection centred on a bounding box.

    Parameters
    ----------
    bbox : tuple of float
        ``(min_lon, min_lat, max_lon, max_lat)`` in degrees; ``max_lon < min_lon`` means
        the box crosses the antimeridian.
    kind : {"auto", "lcc", "equirectangular"}
        ``"auto"`` takes the Lambert conformal conic when the box lies between 15°N and
        80°N (Europe-China by land) and the equirectangular projection otherwise.

    Returns
    -------
    Projection
        Conic: central meridian at the box centre, standard parallels at 1/6 and 5/6 of
        its latitude span (the classic rule of thumb). Equirectangular: true scale at
        the box's middle latitude.
    """
    min_lon, min_lat, max_lon, max_lat = bbox
    span_lon = (max_lon - min_lon) % 360.0 or (360.0 if max_lon != min_lon else 0.0)
    lon0 = round(((min_lon + span_lon / 2 + 180.0) % 360.0) - 180.0, 1)
    lat_mid = round((min_lat + max_lat) / 2, 1)
    if kind == "auto":
        kind = "lcc" if min_lat >= 15.0 and max_lat <= 80.0 else "equirectangular"
    if kind == "lcc":
        span = max_lat - min_lat
        lat1 = round(min_lat + span / 6, 1)
        lat2 = round(max_lat - span / 6, 1)
        if lat1 * lat2 <= 0 or abs(lat1) < 1.0:
            return Equirectangular(lon0=lon0, lat0=lat_mid)
        return LambertConformalConic(lon0=lon0, lat0=lat_mid, lat1=lat1, lat2=lat2)
    return Equirectangular(lon0=lon0, lat0=max(-60.0, min(60.0, lat_mid)))
