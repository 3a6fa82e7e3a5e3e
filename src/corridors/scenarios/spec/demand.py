"""The demand of a scenario: markets, their volumes and growth."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from corridors.network.schema import MAX_T_YR
from corridors.scenarios.spec.common import Growth, Strict, Year, once


class Market(Strict):
    """Total freight of one market between a representative origin and destination.

    Attributes
    ----------
    id : str
        Market identifier (``china_eu``, ``central_asia_eu``, ...).
    origin, destination : str
        Place names or node ids of the representative origin-destination pair.
    volume : float
        Volume a year in the base year, in ``unit`` (all corridors together).
    unit : {"TEU", "t"}
        Unit of ``volume``; tonnes are converted to TEU with ``tonnes_per_teu``.
    growth : float
        Growth rate a year (0.03 = 3 % a year), compounded from the base year.
    growth_by_year : dict of int to float
        Growth rates for given years, overriding ``growth`` in those years.
    corridors : list of str or None
        Corridors this market may use (``None``: every corridor the routing finds).
    cargo : {"containers", "general"} or None
        Containers count against the TEU capacity of terminals, feeders and
        borders that have one; general cargo (bulk, break-bulk, wagons) against
        tonne capacities only. ``None``: containers when ``unit`` is TEU, else
        general.
    name, source : str
        Display name and where the volume and growth figures come from.
    """

    id: str = Field(min_length=1)
    name: str = ""
    origin: str = Field(min_length=1)
    destination: str = Field(min_length=1)
    volume: float = Field(ge=0, le=MAX_T_YR)
    unit: Literal["TEU", "t"] = "TEU"
    growth: Growth = 0.0
    growth_by_year: dict[Year, Growth] = Field(default_factory=dict)
    corridors: list[str] | None = None
    cargo: Literal["containers", "general"] | None = None
    source: str = ""

    @model_validator(mode="after")
    def _moves(self) -> Market:
        if self.origin.strip().casefold() == self.destination.strip().casefold():
            raise ValueError(f"origin and destination are the same place ({self.origin!r})")
        return self

    @property
    def containers(self) -> bool:
        """Whether the market's cargo is containers (see ``cargo``)."""
        if self.cargo is not None:
            return self.cargo == "containers"
        return self.unit == "TEU"


class Demand(Strict):
    """Demand: the markets whose freight is split across corridors."""

    markets: list[Market] = Field(min_length=1)

    @field_validator("markets")
    @classmethod
    def _unique_ids(cls, markets: list[Market]) -> list[Market]:
        once([m.id for m in markets], "market id")
        return markets
