"""Sea legs from the searoute maritime network, against published distances."""

from __future__ import annotations

import pytest

from corridors.network.sea import sea_leg

SHANGHAI = (121.50, 31.23)
ROTTERDAM = (4.05, 51.95)
AKTAU = (51.17, 43.60)
ALAT = (49.42, 39.95)


def test_shanghai_rotterdam_via_suez():
    leg = sea_leg(SHANGHAI, ROTTERDAM)
    assert 19_000 <= leg.km <= 20_500
    assert "suez" in leg.passages
    assert "northwest" not in leg.passages  # Arctic closed unless asked


def test_shanghai_rotterdam_via_the_cape():
    leg = sea_leg(SHANGHAI, ROTTERDAM, avoid=("suez", "babalmandab", "panama"))
    assert 25_000 <= leg.km <= 27_500
    assert "south_africa" in leg.passages
    assert "suez" not in leg.passages


def test_caspian_aktau_alat():
    leg = sea_leg(AKTAU, ALAT)
    assert 420 <= leg.km <= 520
    assert leg.passages == ()
    assert leg.coords[0] == pytest.approx(AKTAU)
    assert leg.coords[-1] == pytest.approx(ALAT)
