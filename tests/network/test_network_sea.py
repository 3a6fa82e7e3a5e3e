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


def test_router_equals_searoute_on_many_legs():
    """The compiled searches give searoute's own answer: same length, passages, path."""
    from corridors.network.sea import SeaRouter

    genoa, piraeus, poti, constanta = (8.92, 44.41), (23.62, 37.94), (41.65, 42.15), (28.65, 44.17)
    requests = [
        (SHANGHAI, ROTTERDAM, ()),
        (SHANGHAI, ROTTERDAM, ("suez", "babalmandab", "panama")),
        (SHANGHAI, genoa, ()),
        (SHANGHAI, piraeus, ()),
        (AKTAU, ALAT, ()),
        (poti, constanta, ()),
        (poti, piraeus, ()),
    ]
    legs = SeaRouter().legs(requests)
    for (o, d, avoid), leg in zip(requests, legs, strict=True):
        ref = sea_leg(o, d, avoid=avoid)
        assert leg.km == pytest.approx(ref.km, rel=1e-9)
        assert leg.passages == ref.passages
        assert leg.coords == ref.coords


def test_black_sea_is_closed_without_bosporus():
    from corridors.network.sea import SeaRouter

    with pytest.raises(ValueError, match="no sea route"):
        SeaRouter().legs([((41.65, 42.15), (23.62, 37.94), ("bosporus",))])
