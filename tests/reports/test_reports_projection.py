"""Projections: round trips, monotonicity, true scale on the standard parallels."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridors.reports.projection import (
    Equirectangular,
    LambertConformalConic,
    auto_projection,
)

LCC = LambertConformalConic(lon0=60.0, lat0=45.0, lat1=35.0, lat2=55.0)
EQ = Equirectangular(lon0=60.0, lat0=30.0)


@pytest.mark.parametrize("proj", [LCC, EQ], ids=["lcc", "eq"])
def test_round_trip(proj: LambertConformalConic | Equirectangular) -> None:
    lon, lat = np.meshgrid(np.linspace(-10, 125, 28), np.linspace(-30 if proj is EQ else 5, 75, 15))
    x, y = proj.forward(lon, lat)
    lon2, lat2 = proj.inverse(x, y)
    np.testing.assert_allclose(lon2, lon, atol=1e-9)
    np.testing.assert_allclose(lat2, lat, atol=1e-9)


@pytest.mark.parametrize("proj", [LCC, EQ], ids=["lcc", "eq"])
def test_monotonic(proj: LambertConformalConic | Equirectangular) -> None:
    lons = np.linspace(-10, 125, 50)
    for lat in (20.0, 40.0, 60.0):
        x, _ = proj.forward(lons, np.full_like(lons, lat))
        assert np.all(np.diff(x) > 0)  # east is right
    lats = np.linspace(10, 70, 50)
    for lon in (0.0, 60.0, 110.0):
        _, y = proj.forward(np.full_like(lats, lon), lats)
        assert np.all(np.diff(y) > 0)  # north is up


def _scale_along_parallel(proj: LambertConformalConic | Equirectangular, lat: float) -> float:
    d = 1e-4
    x, y = proj.forward(np.array([60.0 - d, 60.0 + d]), np.array([lat, lat]))
    arc = math.radians(2 * d) * math.cos(math.radians(lat))
    return float(math.hypot(x[1] - x[0], y[1] - y[0]) / arc)


def test_lcc_true_scale_on_standard_parallels_and_conformal() -> None:
    # Snyder: the scale factor k is exactly 1 on both standard parallels, below 1 between.
    assert _scale_along_parallel(LCC, 35.0) == pytest.approx(1.0, abs=1e-6)
    assert _scale_along_parallel(LCC, 55.0) == pytest.approx(1.0, abs=1e-6)
    assert _scale_along_parallel(LCC, 45.0) < 0.99
    # conformal: the scale along the meridian equals the scale along the parallel
    d = 1e-4
    x, y = LCC.forward(np.array([80.0, 80.0]), np.array([45.0 - d, 45.0 + d]))
    k_meridian = math.hypot(x[1] - x[0], y[1] - y[0]) / math.radians(2 * d)
    x, y = LCC.forward(np.array([80.0 - d, 80.0 + d]), np.array([45.0, 45.0]))
    arc = math.radians(2 * d) * math.cos(math.radians(45))
    k_parallel = math.hypot(x[1] - x[0], y[1] - y[0]) / arc
    assert k_meridian == pytest.approx(k_parallel, rel=1e-6)


def test_equirectangular_true_scale_at_lat0() -> None:
    assert _scale_along_parallel(EQ, 30.0) == pytest.approx(1.0, abs=1e-9)


def test_auto_projection_choice() -> None:
    land = auto_projection((6.0, 30.0, 110.0, 56.0))
    assert isinstance(land, LambertConformalConic)
    assert land.lon0 == 58.0
    assert land.lat1 < land.lat2
    sea = auto_projection((-10.0, -36.0, 122.0, 56.0))  # round the Cape
    assert isinstance(sea, Equirectangular)
    assert isinstance(
        auto_projection((6.0, 30.0, 110.0, 56.0), kind="equirectangular"), Equirectangular
    )
    # a box crossing the antimeridian (170E to 170W) is centred on 180
    across = auto_projection((170.0, 50.0, -170.0, 60.0))
    assert isinstance(across, LambertConformalConic)
    assert abs(across.lon0) == 180.0
