"""The fields of the energy tables (``energy_node.csv``, ``energy_link.csv``), as data.

Declared with the same :class:`~corridors.network.schema.Field` and
:class:`~corridors.network.schema.Table` as the freight network, so reading, lazy
validation (file, line, field, "did you mean") and documentation work the same way.
Quantities are written in the unit the source publishes (``1.2`` ``Mb/d``, ``67``
``Mt/yr``, ``1000`` ``MW``) with the unit beside them; the energy layer converts them
(:mod:`corridors.energy.units`), so every conversion is visible in the data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from corridors.energy.units import CRUDE_GRADES, UNITS
from corridors.network.schema import LINK, NODE, SOURCE, STATUSES, Field, Table

CARRIERS: tuple[str, ...] = ("crude", "gas", "power")
"""What the energy layer moves: crude oil and condensate, natural gas, electricity."""

FLOW_UNIT: dict[str, str] = {"crude": "t", "gas": "bcm", "power": "MWh"}
"""Unit in which each carrier's flows, capacities and tariffs are computed."""

ENERGY_NODE_KINDS: tuple[str, ...] = ("field", "terminal", "junction", "market")
"""Kinds of energy node: ``market`` nodes are where a carrier is sold (exports, grids)."""

ENERGY_LINK_MODES: tuple[str, ...] = ("pipeline", "tanker", "rail_tank", "ferry_tank", "cable")
"""How an energy link moves its carrier."""

UNIT_SYMBOLS: tuple[str, ...] = tuple(u.symbol for u in UNITS)
GRADE_IDS: tuple[str, ...] = tuple(g.id for g in CRUDE_GRADES)

PLACE = (
    NODE.field("node_id"),
    Field("name", "str", required=True, description="Name shown to users."),
)
"""The id and name every energy and relief node starts with."""
COUNTRY = Field("country", "country", required=True, description="ISO 3166-1 alpha-2 code.")
COORDS = (
    replace(NODE.field("x_coord"), description="Longitude (WGS 84).", gmns=False),
    replace(NODE.field("y_coord"), description="Latitude (WGS 84).", gmns=False),
)
SOURCED = replace(
    SOURCE,
    required=True,
    description="Where the row's values come from: source keys of SOURCES.md, EST for ours.",
)
"""Every energy and relief row names its source."""
LINK_ENDS = tuple(LINK.field(n) for n in ("link_id", "name", "from_node_id", "to_node_id"))
"""The id, name and ends every energy and relief link starts with."""
LENGTH_KM = Field(
    "length_km", "float", unit="km", minimum=0, exclusive_minimum=True, description="Length."
)
STATUS = Field(
    "status",
    "enum",
    choices=STATUSES,
    default="operating",
    description="operating, planned (opens in open_year) or closed.",
)
_CAPACITY_UNIT = Field(
    "capacity_unit", "enum", choices=UNIT_SYMBOLS, description="Unit of capacity (a rate)."
)
_LIFE = (
    STATUS,
    Field(
        "open_year", "int", minimum=1900, maximum=2200, description="Year a planned element opens."
    ),
)

ENERGY_NODE = Table(
    name="energy_node",
    filename="energy_node.csv",
    key="node_id",
    description="Energy places: oil and gas fields, terminals, junctions, markets, power sources.",
    fields=(
        *PLACE,
        *COORDS,
        Field(
            "kind", "enum", required=True, choices=ENERGY_NODE_KINDS, description="Kind of place."
        ),
        COUNTRY,
        Field(
            "carrier",
            "tags",
            required=True,
            choices=CARRIERS,
            description="Carriers the node handles (';'-separated).",
        ),
        Field(
            "supply",
            "float",
            minimum=0,
            description="What the node puts in for export each year, in supply_unit.",
        ),
        Field(
            "supply_unit",
            "enum",
            choices=UNIT_SYMBOLS,
            description="Unit of supply (a rate: Mt/yr, b/d, bcm/yr, MW).",
        ),
        Field(
            "capacity",
            "float",
            minimum=0,
            description="Throughput limit, in capacity_unit; blank: no limit modelled.",
        ),
        _CAPACITY_UNIT,
        Field(
            "crude_grade",
            "enum",
            choices=GRADE_IDS,
            description="Crude grade of the supply and of barrel figures (density).",
        ),
        Field(
            "handling_usd",
            "float",
            unit="USD per flow unit",
            default=0.0,
            minimum=0,
            description="Cost per flow unit handled (t crude, bcm gas, MWh power).",
        ),
        *_LIFE,
        SOURCED,
    ),
)

ENERGY_LINK = Table(
    name="energy_link",
    filename="energy_link.csv",
    key="link_id",
    description="Pipelines, tanker and tank-car lifts, and electricity cables.",
    fields=(
        *LINK_ENDS,
        Field("carrier", "enum", required=True, choices=CARRIERS, description="What it moves."),
        Field("mode", "enum", required=True, choices=ENERGY_LINK_MODES, description="How."),
        LENGTH_KM,
        Field(
            "capacity",
            "float",
            minimum=0,
            description="Capacity, in capacity_unit; blank: from the vessel fields, else "
            "no limit modelled.",
        ),
        _CAPACITY_UNIT,
        Field(
            "crude_grade",
            "enum",
            choices=GRADE_IDS,
            description="Grade a barrel capacity refers to (density).",
        ),
        Field(
            "vessels",
            "int",
            minimum=0,
            description="Ships (or ferry sailings' worth) lifting the carrier on this link.",
        ),
        Field("cargo_t", "float", unit="t", minimum=0, description="Cargo of one vessel per trip."),
        Field(
            "trips_per_year",
            "float",
            unit="1/yr",
            minimum=0,
            description="Round trips a vessel makes in a year (weather lost days included).",
        ),
        Field(
            "tariff",
            "float",
            unit="USD per flow unit",
            default=0.0,
            minimum=0,
            description="Cost per flow unit moved (USD/t crude, USD/bcm gas, USD/MWh power).",
        ),
        *_LIFE,
        SOURCED,
    ),
)

ENERGY_TABLES: tuple[Table, ...] = (ENERGY_NODE, ENERGY_LINK)


@dataclass(frozen=True, slots=True)
class CarrierValue:
    """What a unit of a carrier is worth where it is sold: the cost of not moving it.

    It is the penalty per flow unit left unmoved in the flow problem, so the shadow
    price of a capacity that strands a carrier is this value less the cost of the
    route it would take.

    Attributes
    ----------
    carrier : str
    flow_unit : str
        Unit of flows, capacities and tariffs (``t``, ``bcm``, ``MWh``).
    value_usd : float
        USD per flow unit.
    source : str
        How the value was made (``EST`` marks ours).
    """

    carrier: str
    flow_unit: str
    value_usd: float
    source: str


CARRIER_VALUES: tuple[CarrierValue, ...] = (
    CarrierValue(
        "crude",
        "t",
        594.0,
        "EST: Brent 2024 average ~USD 81/bbl (US EIA, Short-Term Energy Outlook, January 2025) "
        "x 7.33 bbl/t (BP Statistical Review conversion factor), as in SOURCES.md",
    ),
    CarrierValue(
        "gas",
        "bcm",
        3.5e8,
        "EST: ~USD 10 per MMBtu, the order of the 2024 European hub price, x 35.3 million "
        "MMBtu per bcm",
    ),
    CarrierValue("power", "MWh", 100.0, "EST: order of the 2024 EU wholesale price, USD/MWh"),
)
"""Value of each carrier at market (the unmet-flow penalty)."""

CARRIER_VALUE: dict[str, CarrierValue] = {c.carrier: c for c in CARRIER_VALUES}
