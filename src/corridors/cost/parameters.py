"""Generalised cost parameters: how time, money and CO2e combine into one figure.

Generalised cost per unit (TEU or tonne), USD::

    cost = money + value_of_time * hours + carbon_price * kg_co2e / 1000

Money covers tariffs, handling, border fees and gauge changes; hours cover moving,
dwell at borders and transfers, and the expected wait for scheduled services (half
the headway).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from corridors.demand.classes import CONTAINER_PAYLOAD_T
from corridors.network.schema import SEA_PASSAGES

DEFAULT_VALUE_OF_TIME_USD_PER_TEU_H = 16.7
"""Value of time of a loaded TEU in transit, USD per TEU-hour.

Cargo value ~USD 40,000 per TEU on China-Europe trains (between ~USD 58k in 2020 and
~USD 30k in 2023, derived from UTLC and China Railway figures) times 1 % of cargo value
per day (Hummels and Schaur 2013: 0.6-2.1 %/day) = USD 400 per TEU-day.
"""

DEFAULT_TONNES_PER_TEU = CONTAINER_PAYLOAD_T
"""Average payload of a TEU, tonnes: the containers' payload of the cargo-class table
(:data:`corridors.demand.classes.CONTAINER_PAYLOAD_T`, GLEC average-loaded TEU)."""


def money_columns(unit: str) -> tuple[str, float]:
    """Suffix of the money columns to read for ``unit`` and the factor to apply to them.

    The data quotes money per TEU (``*_usd_teu``) and per tonne (``*_usd_t``); an FEU
    pays twice the TEU figures. Market rates quoted per FEU (Drewry WCI, ERAI) enter the
    shipped data halved as ``*_usd_teu`` (SOURCES.md), so a cost per FEU gives back the
    quote itself (Shanghai-Rotterdam USD 2,512 per FEU, Nov 2025). Real FEU rates are
    often below two TEU rates; a dataset whose per-TEU figures are TEU quotes therefore
    overstates the cost per FEU by that discount.

    Returns
    -------
    tuple of (str, float)
        ``("teu", 1.0)``, ``("teu", 2.0)`` (FEU) or ``("t", 1.0)``.
    """
    return ("t", 1.0) if unit == "t" else ("teu", 2.0 if unit == "FEU" else 1.0)


class CostParameters(BaseModel):
    """How a route's time, money and emissions are weighed (keyword arguments = fields).

    Attributes
    ----------
    unit : {"TEU", "FEU", "t"}
        Unit the costs are expressed per: a twenty-foot equivalent unit, a forty-foot
        box (2 TEU; market rates are quoted per FEU) or a tonne.
    value_of_time_usd_h : float, optional
        Value of time, USD per unit-hour. Default: USD 16.7 per TEU-hour (twice that
        per FEU-hour), or that divided by ``tonnes_per_teu`` per tonne-hour.
    carbon_price_usd_t : float
        Price of emissions, USD per tonne CO2e (0: emissions reported, not priced).
    tonnes_per_teu : float
        Payload per TEU, tonnes, for emissions per TEU and capacity conversions.
    year : int, optional
        Network year: planned links open from their ``open_year`` (default: only
        links operating now).
    closed_passages : tuple of str
        Sea passages closed (e.g. ``("suez", "babalmandab")`` for a Red Sea closure).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: Literal["TEU", "FEU", "t"] = "TEU"
    value_of_time_usd_h: float | None = Field(default=None, ge=0)
    carbon_price_usd_t: float = Field(default=0.0, ge=0)
    tonnes_per_teu: float = Field(default=DEFAULT_TONNES_PER_TEU, gt=0)
    year: int | None = Field(default=None, ge=1900, le=2200)
    closed_passages: tuple[str, ...] = ()

    @field_validator("closed_passages")
    @classmethod
    def _known_passages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [p for p in value if p not in SEA_PASSAGES]
        if unknown:
            msg = f"unknown sea passage(s) {unknown}; known: {', '.join(SEA_PASSAGES)}"
            raise ValueError(msg)
        return value

    @property
    def vot(self) -> float:
        """Value of time in USD per unit-hour, with the default filled in."""
        if self.value_of_time_usd_h is not None:
            return self.value_of_time_usd_h
        if self.unit == "t":
            return DEFAULT_VALUE_OF_TIME_USD_PER_TEU_H / self.tonnes_per_teu
        return DEFAULT_VALUE_OF_TIME_USD_PER_TEU_H * self.teu_per_unit

    @property
    def vot_per_teu(self) -> float:
        """Value of time in USD per TEU(-equivalent)-hour.

        :attr:`vot` over :attr:`teu_per_unit` (a tonne-hour at ``tonnes_per_teu`` a TEU).
        """
        return self.vot / self.teu_per_unit

    @property
    def teu_per_unit(self) -> float:
        """TEU in one unit: 1 for TEU, 2 for FEU, ``1 / tonnes_per_teu`` for tonnes."""
        return {"TEU": 1.0, "FEU": 2.0}.get(self.unit, 1.0 / self.tonnes_per_teu)

    @property
    def tonnes_per_unit(self) -> float:
        """Tonnes in one unit (``tonnes_per_teu`` per TEU, twice that per FEU, 1 per tonne)."""
        return self.teu_per_unit * self.tonnes_per_teu

    def generalised(self, *, usd: float, hours: float, kg_co2e: float) -> float:
        """Generalised cost, USD per unit, of the given money, time and emissions."""
        return usd + self.vot * hours + self.carbon_price_usd_t * kg_co2e / 1000.0
