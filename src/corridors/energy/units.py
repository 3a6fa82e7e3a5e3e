"""Energy units, declared once as data, and the conversions between them.

Amounts (``t``, ``Mt``, ``bbl``, ``bcm``, ``MWh``, ``TWh``) and rates (``t/yr``,
``Mt/yr``, ``b/d``, ``kb/d``, ``Mb/d``, ``bcm/yr``, ``MW``, ``GW``, ``TWh/yr``) of four
dimensions: mass (base ``t``), oil volume (base ``bbl``), gas volume (base ``m3``) and
electric energy (base ``MWh``). Rates convert through a year of 365 days or 8,760 hours.
Mass and oil volume convert through the density of a crude grade (:data:`CRUDE_GRADES`),
from its API gravity: specific gravity = 141.5 / (API + 131.5), density = specific gravity
x 999.016 kg/m3 (water at 60 °F), one barrel = 0.158987 m3.

SI prefixes are used throughout: ``kbbl`` is a thousand barrels, ``Mbbl`` and ``Mb/d`` a
million (the oil trade's MMbbl and mb/d).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from corridors.errors import CorridorsError, did_you_mean

Dimension = Literal["mass", "oil_volume", "gas_volume", "electric_energy"]

HOURS_PER_YEAR = 8760.0
"""Hours in a (non-leap) year: rates in MW convert to MWh a year with this."""
DAYS_PER_YEAR = 365.0
"""Days in a year: b/d convert to bbl a year with this."""
BARREL_M3 = 0.158987
"""One US oil barrel, cubic metres."""
WATER_60F_KG_M3 = 999.016
"""Density of water at 60 °F, kg/m3 (the reference of API gravity)."""


class UnitError(CorridorsError, ValueError):
    """An unknown unit, a quantity that cannot be read, or a conversion that needs a density."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit.

    Attributes
    ----------
    symbol : str
        How it is written (``Mt/yr``).
    dimension : Dimension
        What it measures.
    factor : float
        Base units of the dimension in one of this unit (a year's worth for a rate).
    rate : bool
        A flow per unit of time (per year, day or hour) rather than an amount.
    description : str
        Words for the documentation.
    """

    symbol: str
    dimension: Dimension
    factor: float
    rate: bool
    description: str


UNITS: tuple[Unit, ...] = (
    Unit("t", "mass", 1.0, False, "metric tonne"),
    Unit("kt", "mass", 1e3, False, "thousand tonnes"),
    Unit("Mt", "mass", 1e6, False, "million tonnes"),
    Unit("t/yr", "mass", 1.0, True, "tonnes a year"),
    Unit("kt/yr", "mass", 1e3, True, "thousand tonnes a year"),
    Unit("Mt/yr", "mass", 1e6, True, "million tonnes a year"),
    Unit("t/d", "mass", DAYS_PER_YEAR, True, "tonnes a day"),
    Unit("bbl", "oil_volume", 1.0, False, "US oil barrel (0.158987 m3)"),
    Unit("kbbl", "oil_volume", 1e3, False, "thousand barrels"),
    Unit("Mbbl", "oil_volume", 1e6, False, "million barrels (MMbbl)"),
    Unit("bbl/yr", "oil_volume", 1.0, True, "barrels a year"),
    Unit("Mbbl/yr", "oil_volume", 1e6, True, "million barrels a year"),
    Unit("b/d", "oil_volume", DAYS_PER_YEAR, True, "barrels a day"),
    Unit("kb/d", "oil_volume", 1e3 * DAYS_PER_YEAR, True, "thousand barrels a day"),
    Unit("Mb/d", "oil_volume", 1e6 * DAYS_PER_YEAR, True, "million barrels a day (mb/d)"),
    Unit("m3", "gas_volume", 1.0, False, "cubic metre of natural gas"),
    Unit("mcm", "gas_volume", 1e6, False, "million cubic metres"),
    Unit("bcm", "gas_volume", 1e9, False, "billion cubic metres"),
    Unit("bcm/yr", "gas_volume", 1e9, True, "billion cubic metres a year"),
    Unit("MWh", "electric_energy", 1.0, False, "megawatt-hour"),
    Unit("GWh", "electric_energy", 1e3, False, "gigawatt-hour"),
    Unit("TWh", "electric_energy", 1e6, False, "terawatt-hour"),
    Unit("TWh/yr", "electric_energy", 1e6, True, "terawatt-hours a year"),
    Unit("MW", "electric_energy", HOURS_PER_YEAR, True, "megawatt (average power)"),
    Unit("GW", "electric_energy", 1e3 * HOURS_PER_YEAR, True, "gigawatt (average power)"),
)
"""Every unit the energy layer reads or writes."""

UNIT_BY_SYMBOL: dict[str, Unit] = {u.symbol: u for u in UNITS}


@dataclass(frozen=True, slots=True)
class CrudeGrade:
    """A crude oil or condensate and its density.

    Attributes
    ----------
    id : str
        Identifier used in the data (``cpc_blend``).
    name : str
        Display name.
    api : float
        API gravity, degrees.
    source : str
        Where the API gravity comes from (key in ``SOURCES.md``; ``EST`` marks ours).
    """

    id: str
    name: str
    api: float
    source: str

    @property
    def density_kg_m3(self) -> float:
        """Density at 60 °F, kg/m3."""
        return 141.5 / (self.api + 131.5) * WATER_60F_KG_M3

    @property
    def bbl_per_t(self) -> float:
        """Barrels in one tonne."""
        return 1000.0 / (self.density_kg_m3 * BARREL_M3)


CRUDE_GRADES: tuple[CrudeGrade, ...] = (
    CrudeGrade("cpc_blend", "CPC Blend", 45.0, "ASSAYS (API ~45, ~7.9 bbl/t)"),
    CrudeGrade("tengiz", "Tengiz", 46.0, "ASSAYS (API ~46, ~8.0 bbl/t)"),
    CrudeGrade("azeri_light", "Azeri Light", 35.0, "ASSAYS (API ~35, ~7.4 bbl/t)"),
    CrudeGrade(
        "kashagan",
        "Kashagan",
        45.0,
        "EST (exported in CPC Blend; taken as CPC Blend's API 45, ASSAYS)",
    ),
    CrudeGrade(
        "karachaganak",
        "Karachaganak condensate",
        45.0,
        "EST (exported mostly in CPC Blend; taken as CPC Blend's API 45, ASSAYS)",
    ),
)
"""Crude grades of the energy layer with their API gravity."""

GRADE_BY_ID: dict[str, CrudeGrade] = {g.id: g for g in CRUDE_GRADES}


def unit(symbol: str) -> Unit:
    """The :class:`Unit` written ``symbol`` (``UnitError`` with a hint when unknown)."""
    found = UNIT_BY_SYMBOL.get(symbol.strip())
    if found is None:
        hint = did_you_mean(symbol, UNIT_BY_SYMBOL)
        msg = f"unknown unit {symbol!r}" + (f"; {hint}" if hint else "")
        raise UnitError(msg)
    return found


def grade(grade_id: str) -> CrudeGrade:
    """The :class:`CrudeGrade` ``grade_id`` (``UnitError`` with a hint when unknown)."""
    found = GRADE_BY_ID.get(grade_id)
    if found is None:
        hint = did_you_mean(grade_id, GRADE_BY_ID)
        msg = f"unknown crude grade {grade_id!r}" + (f"; {hint}" if hint else "")
        raise UnitError(msg)
    return found


def convert(value: float, source: str, target: str, *, crude: str | None = None) -> float:
    """Convert ``value`` from unit ``source`` to unit ``target``.

    Parameters
    ----------
    value : float
        Quantity in ``source`` units.
    source, target : str
        Unit symbols (see :data:`UNITS`); both amounts or both rates.
    crude : str, optional
        Crude grade id, needed between mass and oil volume (``t`` <-> ``bbl``).

    Returns
    -------
    float
        Quantity in ``target`` units.

    Raises
    ------
    UnitError
        Unknown unit or grade, an amount converted to a rate, incompatible dimensions,
        or mass <-> barrels without a crude grade.

    Examples
    --------
    >>> round(convert(16.5, "Mbbl/yr", "Mt/yr", crude="cpc_blend"), 3)
    2.101
    >>> round(convert(1.2, "Mb/d", "Mt/yr", crude="azeri_light"), 1)
    59.1
    >>> round(convert(1000, "MW", "TWh/yr"), 2)
    8.76
    """
    a, b = unit(source), unit(target)
    if a.rate != b.rate:
        kinds = {True: "a rate", False: "an amount"}
        msg = f"cannot convert {kinds[a.rate]} ({a.symbol}) to {kinds[b.rate]} ({b.symbol})"
        raise UnitError(msg)
    base = value * a.factor
    if a.dimension != b.dimension:
        dims = {a.dimension, b.dimension}
        if dims != {"mass", "oil_volume"}:
            msg = f"cannot convert {a.symbol} ({a.dimension}) to {b.symbol} ({b.dimension})"
            raise UnitError(msg)
        if crude is None:
            msg = f"converting {a.symbol} to {b.symbol} needs a crude grade (its density)"
            raise UnitError(msg)
        bpt = grade(crude).bbl_per_t
        base = base * bpt if a.dimension == "mass" else base / bpt
    return base / b.factor


_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([^\d\s].*?)\s*$")


def parse_quantity(text: str) -> tuple[float, Unit]:
    """Read a quantity written as number and unit (``"2.2Mt"``, ``"300 kb/d"``).

    Raises
    ------
    UnitError
        No number, no unit, an unknown unit, or a number that is not finite.
    """
    m = _QUANTITY.match(text)
    if m is None:
        msg = f"cannot read quantity {text!r}; write a number and a unit, e.g. 2.2Mt or 300kb/d"
        raise UnitError(msg)
    number = float(m.group(1))
    if not math.isfinite(number):
        msg = f"quantity {text!r} is not a finite number"
        raise UnitError(msg)
    return number, unit(m.group(2))
