"""Energy unit conversions against hand computations."""

from __future__ import annotations

import pytest

from corridors.energy.units import (
    CRUDE_GRADES,
    UNITS,
    UnitError,
    convert,
    grade,
    parse_quantity,
)


def test_cpc_blend_density_from_api_gravity() -> None:
    # API 45: SG = 141.5 / 176.5 = 0.80170; x 999.016 = 800.91 kg/m3;
    # one barrel (0.158987 m3) weighs 127.34 kg -> 7.853 bbl/t (facts: ~7.9)
    cpc = grade("cpc_blend")
    assert cpc.density_kg_m3 == pytest.approx(800.91, abs=0.01)
    assert cpc.bbl_per_t == pytest.approx(7.853, abs=0.001)
    assert grade("azeri_light").bbl_per_t == pytest.approx(7.408, abs=0.001)  # facts: ~7.4


def test_16_5_million_barrels_of_cpc_blend_in_million_tonnes() -> None:
    # 16.5e6 bbl / 7.8533 bbl/t = 2.101e6 t: the "16.5 million barrels a year" is the
    # 2.2 Mt/yr KazMunayGas-SOCAR agreement within 5 %.
    mt = convert(16.5, "Mbbl/yr", "Mt/yr", crude="cpc_blend")
    assert mt == pytest.approx(2.101, abs=0.001)
    assert convert(16.5e6, "bbl", "Mt", crude="cpc_blend") == pytest.approx(mt)


def test_barrels_a_day_to_tonnes_a_year_and_back() -> None:
    # 100,000 b/d of Azeri Light: 100,000 x 365 / 7.4084 = 4,926,848 t/yr
    t_yr = convert(100_000, "b/d", "t/yr", crude="azeri_light")
    assert t_yr == pytest.approx(100_000 * 365 / 7.408388, rel=1e-6)
    assert t_yr == pytest.approx(4_926_848, abs=1)
    assert convert(t_yr, "t/yr", "b/d", crude="azeri_light") == pytest.approx(100_000)
    # the same volume of the lighter CPC Blend weighs less
    assert convert(100_000, "b/d", "t/yr", crude="cpc_blend") < t_yr


def test_power_gas_and_mass_prefixes() -> None:
    assert convert(1000, "MW", "TWh/yr") == pytest.approx(8.76)
    assert convert(1.3, "GW", "MW") == pytest.approx(1300)
    assert convert(16, "bcm/yr", "bcm/yr") == 16
    assert convert(2.2, "Mt", "t") == pytest.approx(2.2e6)
    assert convert(365, "t/d", "t/yr") == pytest.approx(365 * 365)


def test_impossible_conversions_say_why() -> None:
    with pytest.raises(UnitError, match="needs a crude grade"):
        convert(1, "bbl", "t")
    with pytest.raises(UnitError, match="rate"):
        convert(1, "Mt", "Mt/yr")
    with pytest.raises(UnitError, match="cannot convert"):
        convert(1, "bcm", "t")
    with pytest.raises(UnitError, match="did you mean 'Mt/yr'"):
        convert(1, "Mt/y", "t/yr")
    with pytest.raises(UnitError, match="did you mean 'tengiz'"):
        convert(1, "bbl", "t", crude="tengis")


def test_quantities_from_the_command_line() -> None:
    assert parse_quantity("2.2Mt") == (2.2, next(u for u in UNITS if u.symbol == "Mt"))
    number, u = parse_quantity(" 300 kb/d ")
    assert (number, u.symbol) == (300, "kb/d")
    with pytest.raises(UnitError, match="write a number and a unit"):
        parse_quantity("Mt")
    with pytest.raises(UnitError, match="unknown unit"):
        parse_quantity("2.2 Mtons")


def test_every_grade_cites_a_source() -> None:
    assert all(g.source for g in CRUDE_GRADES)


def test_docstring_examples_run() -> None:
    import doctest

    import corridors.energy.units as mod

    result = doctest.testmod(mod)
    assert result.attempted >= 3
    assert result.failed == 0
