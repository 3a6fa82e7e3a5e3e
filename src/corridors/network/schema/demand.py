"""The ``demand.csv`` table: origin-destination volumes a year, by commodity."""

from __future__ import annotations

from corridors.network.schema.bounds import MAX_T_YR, MAX_USD_TEU
from corridors.network.schema.field import Field, Table
from corridors.network.schema.vocabulary import UNITS

COMMODITIES: tuple[str, ...] = ("containers", "dry_bulk", "liquid_bulk", "trucks")
"""Commodity classes of demand."""

DEMAND_SOURCE = Field(
    "source",
    "str",
    description="Where the row's values come from (publication, operator, date).",
    required=True,
)

DEMAND = Table(
    name="demand",
    filename="demand.csv",
    key=None,
    description="Origin-destination demand: volume a year between two nodes.",
    fields=(
        Field("origin", "id", required=True, description="Origin node id or name."),
        Field("destination", "id", required=True, description="Destination node id or name."),
        Field(
            "commodity",
            "enum",
            choices=COMMODITIES,
            default="containers",
            description="Commodity class.",
        ),
        Field(
            "volume",
            "float",
            required=True,
            minimum=0,
            maximum=MAX_T_YR,
            description="Volume a year in `unit`.",
        ),
        Field("unit", "enum", choices=UNITS, default="TEU", description="TEU or t (tonnes)."),
        Field("year", "int", minimum=1900, maximum=2200, description="Year of the volume."),
        Field("market", "str", description="Market the flow belongs to (e.g. china_eu)."),
        Field(
            "value_of_time_usd_h",
            "float",
            unit="USD/unit-h",
            minimum=0,
            maximum=MAX_USD_TEU,
            description="Value of time of this flow per unit-hour (blank: the default of "
            "the cost parameters); sea cargo is worth less per hour than rail cargo.",
        ),
        DEMAND_SOURCE,
    ),
)
