"""The demand of a scenario: markets, their volumes and growth, or a demand table."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from corridors.demand.classes import CargoClass, cargo_class
from corridors.network.schema import COMMODITIES, MAX_T_YR, MAX_USD_TEU
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
        Unit of ``volume``: the native unit of the market's cargo class (containers
        in TEU, bulk in tonnes; :mod:`corridors.demand.classes`).
    commodity : str or None
        Cargo class (``containers``, ``dry_bulk``, ``liquid_bulk``, ``trucks``);
        ``None``: containers when ``unit`` is TEU, else dry bulk.
    growth : float
        Growth rate a year (0.03 = 3 % a year), compounded from the base year.
    growth_by_year : dict of int to float
        Growth rates for given years, overriding ``growth`` in those years.
    corridors : list of str or None
        Corridors this market may use (``None``: every corridor the routing finds).
    value_of_time_usd_h : float or None
        Value of time of this market's cargo, USD per ``unit``-hour (per TEU-hour for
        containers, per tonne-hour for bulk); ``None``: the scenario's
        ``behaviour.value_of_time_usd_teu_h``. Markets with the same id and different
        values of time are segments of one market (e.g. China-EU containers worth more
        or less per day in transit); the costs are weighed by
        :func:`corridors.cost.parameters.teu_value_of_time`.
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
    commodity: str | None = None
    value_of_time_usd_h: float | None = Field(default=None, gt=0, le=MAX_USD_TEU)
    source: str = ""

    @field_validator("commodity")
    @classmethod
    def _known_commodity(cls, value: str | None) -> str | None:
        if value is not None and value not in COMMODITIES:
            raise ValueError(f"unknown commodity {value!r}; known: {', '.join(COMMODITIES)}")
        return value

    @model_validator(mode="after")
    def _moves(self) -> Market:
        if self.origin.strip().casefold() == self.destination.strip().casefold():
            raise ValueError(f"origin and destination are the same place ({self.origin!r})")
        if self.commodity is not None and cargo_class(self.commodity).unit != self.unit:
            unit = cargo_class(self.commodity).unit
            raise ValueError(f"{self.commodity} is counted in {unit}, not {self.unit}")
        return self

    @property
    def cargo_class(self) -> CargoClass:
        """The market's cargo class (see ``commodity``)."""
        if self.commodity is not None:
            return cargo_class(self.commodity)
        return cargo_class("containers" if self.unit == "TEU" else "dry_bulk")

    @property
    def containers(self) -> bool:
        """Whether the market's cargo uses TEU capacities (see ``cargo``, ``commodity``)."""
        if self.cargo is not None:
            return self.cargo == "containers"
        return self.cargo_class.counts_against_teu


class TableMarket(Strict):
    """How one market of a demand table grows and which corridors it may use.

    Attributes
    ----------
    id : str
        The table's ``market`` value (``china_eu``).
    share : float
        Share of the table's volume that chooses among the corridors (1: all of it;
        0.1 for the time-sensitive tenth of China-EU sea containers).
    growth, growth_by_year, corridors, name, source
        As for :class:`Market`.
    """

    id: str = Field(min_length=1)
    name: str = ""
    share: float = Field(default=1.0, gt=0, le=1)
    growth: Growth = 0.0
    growth_by_year: dict[Year, Growth] = Field(default_factory=dict)
    corridors: list[str] | None = None
    source: str = ""


class Demand(Strict):
    """Demand: the markets whose freight is split across corridors.

    Either ``markets`` written in the file, or a demand ``table`` (a CSV read by
    :func:`corridors.demand.read_demand`, relative to the scenario file) whose rows
    become the markets: each origin-destination pair and commodity of a table market
    is routed on its own (``grouping: od``), or the pairs are grouped by the
    countries at both ends (``country``) or into one per market and commodity
    (``market``), each group sent between its largest pair's places.
    ``table_markets`` say how each table market grows and where it may go (a market
    not listed: all corridors, no growth). Once read (:mod:`corridors.scenarios.io`)
    ``markets`` holds the table's markets, with the table market's id.
    """

    table: str | None = None
    grouping: Literal["od", "country", "market"] = "od"
    table_markets: list[TableMarket] = Field(default_factory=list)
    markets: list[Market] = Field(default_factory=list)

    @field_validator("table_markets")
    @classmethod
    def _unique_settings(cls, markets: list[TableMarket]) -> list[TableMarket]:
        once([m.id for m in markets], "market id")
        return markets

    @model_validator(mode="after")
    def _markets_or_table(self) -> Demand:
        if self.table is None:
            if not self.markets:
                raise ValueError("demand needs 'markets' or a 'table'")
            if self.table_markets:
                raise ValueError("'table_markets' need a 'table'")
            # a market may have several O-D pairs and segments (values of time) under one id
            once(
                [
                    f"{m.id} {m.origin}-{m.destination} {m.value_of_time_usd_h or ''}"
                    for m in self.markets
                ],
                "market id",
            )
        else:
            once(
                [
                    f"{m.id} {m.origin}-{m.destination} {m.commodity} {m.value_of_time_usd_h}"
                    for m in self.markets
                ],
                "market",
            )
        return self

    @property
    def from_table(self) -> bool:
        """Whether the markets come from a demand table (several rows per market id)."""
        return self.table is not None
