"""The fields of every network table, declared once, as data.

Each table of a network folder (GMNS v0.96 style) is described here by a tuple of
:class:`Field` rows: name, type, unit, default, whether it is required, bounds,
allowed values and a description. The reader, the validators and the generated
documentation (``docs/data-dictionary.md``) all derive from these declarations, so a
new column is added in one place.

Fields marked ``gmns=True`` are standard GMNS fields; the others are corridors'
extra columns, which GMNS allows and which survive a read-write round trip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

FieldType = Literal["id", "str", "int", "float", "bool", "enum", "tags", "country"]

MODES: tuple[str, ...] = ("rail", "road", "ferry", "sea", "pipeline")
"""Transport modes a link can carry."""

NODE_KINDS: tuple[str, ...] = (
    "terminal",
    "port",
    "border",
    "junction",
    "city",
    "oilfield",
    "pipeline_terminal",
)
"""Kinds of node."""

STATUSES: tuple[str, ...] = ("operating", "planned", "closed")
"""Life-cycle status of a node or link."""

SEA_PASSAGES: tuple[str, ...] = (
    "babalmandab",
    "bosporus",
    "gibraltar",
    "suez",
    "panama",
    "ormuz",
    "northwest",
    "malacca",
    "sunda",
    "chili",
    "south_africa",
)
"""Sea passages known to the ``searoute`` maritime network, each closable."""

UNITS: tuple[str, ...] = ("TEU", "t")
"""Freight units: twenty-foot equivalent units and metric tonnes."""

LENGTH_UNITS: dict[str, float] = {
    "km": 1.0,
    "kilometer": 1.0,
    "kilometre": 1.0,
    "kilometers": 1.0,
    "kilometres": 1.0,
    "m": 0.001,
    "meter": 0.001,
    "metre": 0.001,
    "meters": 0.001,
    "metres": 0.001,
    "mi": 1.609344,
    "mile": 1.609344,
    "miles": 1.609344,
    "ft": 0.0003048,
    "foot": 0.0003048,
    "feet": 0.0003048,
}
"""Length units accepted in ``config.csv`` and their size in km (GMNS writes ``mile``,
``foot``, ``meter``; corridors works in km and converts on reading)."""

SPEED_UNITS: dict[str, float] = {
    "kph": 1.0,
    "km/h": 1.0,
    "kmh": 1.0,
    "mph": 1.609344,
    "mi/h": 1.609344,
    "m/s": 3.6,
}
"""Speed units accepted in ``config.csv`` and their size in km/h."""

USE_MODES: dict[str, str] = {
    "rail": "rail",
    "train": "rail",
    "freight_rail": "rail",
    "road": "road",
    "truck": "road",
    "auto": "road",
    "car": "road",
    "bus": "road",
    "hov": "road",
    "hov2": "road",
    "hov3": "road",
    "taxi": "road",
    "all": "road",
    "ferry": "ferry",
    "sea": "sea",
    "ship": "sea",
    "vessel": "sea",
    "pipeline": "pipeline",
}
"""GMNS uses (``allowed_uses``, ``use_definition.csv``) that carry freight, and the mode
corridors gives a link that allows them; the first mode of :data:`MODES` found wins."""

NON_FREIGHT_USES: tuple[str, ...] = (
    "walk",
    "ped",
    "pedestrian",
    "bike",
    "bicycle",
    "scooter",
    "wheelchair",
    "parking",
    "shoulder",
    "twltl",
)
"""GMNS uses that carry no freight: links allowing only these are left out on reading
(and listed in the reading notes)."""

GMNS_TABLES: tuple[str, ...] = (
    "node",
    "link",
    "geometry",
    "zone",
    "config",
    "segment",
    "location",
    "lane",
    "segment_lane",
    "link_tod",
    "segment_tod",
    "lane_tod",
    "segment_lane_tod",
    "movement",
    "movement_tod",
    "signal_controller",
    "signal_coordination",
    "signal_detector",
    "signal_phase_mvmt",
    "signal_timing_plan",
    "signal_timing_phase",
    "time_set_definitions",
    "use_definition",
    "use_group",
    "curb_seg",
)
"""Tables of GMNS 0.96; those corridors does not read are tolerated and listed."""

HOURS_PER_YEAR = 8760.0
"""Upper bound of every duration field, hours: nothing on a corridor takes a year."""

MAX_USD_TEU = 1_000_000.0
"""Upper bound of money per TEU (and value of time per unit-hour), USD."""

MAX_USD_T = 100_000.0
"""Upper bound of money per tonne, USD."""

MAX_TEU_YR = 1e9
"""Upper bound of a capacity or volume in TEU a year (world container trade: ~2e8)."""

MAX_T_YR = 1e11
"""Upper bound of a capacity or volume in tonnes a year (world seaborne trade: ~1.2e10)."""


@dataclass(frozen=True, slots=True)
class Field:
    """Declaration of one column of a table.

    Attributes
    ----------
    name : str
        Column name in the CSV file.
    type : FieldType
        ``id`` (string or integer identifier), ``str``, ``int``, ``float``, ``bool``,
        ``enum`` (one of ``choices``), ``tags`` (``;``-separated words) or
        ``country`` (ISO 3166-1 alpha-2 code).
    unit : str
        Physical unit, ``""`` when dimensionless.
    description : str
        One sentence for the data dictionary.
    required : bool
        The column must exist and every row must have a value.
    default : object
        Value used when the cell is blank (``None``: missing stays missing).
    minimum, maximum : float or None
        Inclusive bounds for numbers.
    exclusive_minimum : bool
        When true the value must be strictly greater than ``minimum``.
    choices : tuple of str
        Allowed values of an ``enum`` (or of each word of ``tags``).
    gmns : bool
        Standard GMNS field (as opposed to a corridors extension).
    aliases : tuple of str
        Other column names accepted on reading (e.g. GMNS's ``allowed_uses``).
    """

    name: str
    type: FieldType
    unit: str = ""
    description: str = ""
    required: bool = False
    default: object = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    choices: tuple[str, ...] = ()
    gmns: bool = False
    aliases: tuple[str, ...] = ()

    def check(self, number: float) -> str | None:
        """What is wrong with a number for this field, or ``None`` when it is fine.

        Numbers must be finite, whole for ``int`` fields, and within the declared
        bounds. Every number entering the model (tables, scenario changes, new links)
        is checked here.
        """
        if not math.isfinite(number):
            return "expected a finite number"
        if self.type == "int" and not float(number).is_integer():
            return "expected a whole number"
        unit = f" {self.unit}" if self.unit else ""
        if self.minimum is not None:
            if self.exclusive_minimum and number <= self.minimum:
                return f"must be greater than {self.minimum:g}{unit}"
            if number < self.minimum:
                return f"must be at least {self.minimum:g}{unit}"
        if self.maximum is not None and number > self.maximum:
            return f"must be at most {self.maximum:g}{unit}"
        return None


@dataclass(frozen=True, slots=True)
class Table:
    """Declaration of a table: its file name and its fields."""

    name: str
    filename: str
    fields: tuple[Field, ...]
    description: str
    required: bool = True
    key: str | None = None
    other_gmns_fields: tuple[str, ...] = ()
    """Standard GMNS columns corridors does not use: kept as text, never taken for a
    misspelling of a declared column."""

    def field(self, name: str) -> Field:
        """Return the declaration of column ``name`` (``KeyError`` if unknown)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the declared columns, in declaration order."""
        return tuple(f.name for f in self.fields)


SOURCE = Field(
    "source",
    "str",
    description="Where the row's values come from (publication, operator, date); optional "
    "in a network folder (the shipped dataset sources every row, a test checks it).",
)

DEMAND_SOURCE = Field(
    "source",
    "str",
    description="Where the row's values come from (publication, operator, date).",
    required=True,
)

CONFIG = Table(
    name="config",
    filename="config.csv",
    key=None,
    description="Dataset-wide settings, read first: units, coordinate system, id type.",
    fields=(
        Field("dataset_name", "str", description="Name of the dataset.", gmns=True),
        Field(
            "short_length",
            "enum",
            choices=tuple(LENGTH_UNITS),
            default="m",
            gmns=True,
            description="Unit of short lengths (not used by corridors).",
        ),
        Field(
            "long_length",
            "enum",
            choices=tuple(LENGTH_UNITS),
            default="km",
            gmns=True,
            description="Unit of link lengths; corridors works in km and converts on reading.",
        ),
        Field(
            "speed",
            "enum",
            choices=tuple(SPEED_UNITS),
            default="kph",
            gmns=True,
            description="Unit of speeds; corridors works in km/h and converts on reading.",
        ),
        Field(
            "crs",
            "str",
            default="EPSG:4326",
            gmns=True,
            description="Coordinate reference system of coordinates and geometries: an EPSG "
            "code (4326, EPSG:32638) or any CRS pyproj reads; other CRS than lon/lat are "
            "converted to lon/lat (WGS 84) on reading.",
        ),
        Field(
            "geometry_field_format",
            "str",
            default="WKT",
            gmns=True,
            description="Format of geometry fields.",
        ),
        Field("currency", "str", default="USD", gmns=True, description="Currency of money fields."),
        Field("version_number", "str", default="0.96", gmns=True, description="GMNS version."),
        Field(
            "id_type",
            "enum",
            choices=("string", "integer"),
            default="string",
            gmns=True,
            description="Whether node_id and link_id are strings or integers.",
        ),
        Field(
            "reference_year",
            "int",
            minimum=1900,
            maximum=2200,
            description="Year the prices and times refer to.",
        ),
    ),
)

NODE = Table(
    name="node",
    filename="node.csv",
    key="node_id",
    description="Places: terminals, ports, border crossings, junctions, cities, oil fields.",
    other_gmns_fields=("z_coord", "ctrl_type", "zone_id", "parent_node_id"),
    fields=(
        Field("node_id", "id", required=True, gmns=True, description="Unique node identifier."),
        Field("name", "str", gmns=True, description="Name shown to users; blank: the node id."),
        Field(
            "x_coord",
            "float",
            unit="deg",
            required=True,
            minimum=-180,
            maximum=180,
            gmns=True,
            description="Longitude (WGS 84); x in the config's crs, converted on reading.",
        ),
        Field(
            "y_coord",
            "float",
            unit="deg",
            required=True,
            minimum=-90,
            maximum=90,
            gmns=True,
            description="Latitude (WGS 84); y in the config's crs, converted on reading.",
        ),
        Field(
            "node_type",
            "str",
            gmns=True,
            description="GMNS node type, free text (intersection, external, port, ...); "
            "written from kind on export.",
        ),
        Field(
            "kind",
            "enum",
            choices=NODE_KINDS,
            description="Kind of place; blank: node_type when it names a kind, else junction.",
        ),
        Field(
            "country",
            "country",
            description="ISO 3166-1 alpha-2 code of the country the node lies in; blank: "
            "unknown (no border is counted between two nodes of unknown country).",
        ),
        Field("aliases", "tags", description="Other names users may type (';'-separated)."),
        Field(
            "handling_h",
            "float",
            unit="h",
            default=0.0,
            minimum=0,
            maximum=HOURS_PER_YEAR,
            description="Time to transfer a unit between modes or gauges here.",
        ),
        Field(
            "handling_usd_teu",
            "float",
            unit="USD/TEU",
            default=0.0,
            minimum=0,
            maximum=MAX_USD_TEU,
            description="Cost of a transfer (mode change or gauge change) per TEU.",
        ),
        Field(
            "handling_usd_t",
            "float",
            unit="USD/t",
            default=0.0,
            minimum=0,
            maximum=MAX_USD_T,
            description="Cost of a transfer (mode change or gauge change) per tonne.",
        ),
        Field(
            "border_h",
            "float",
            unit="h",
            default=0.0,
            minimum=0,
            maximum=HOURS_PER_YEAR,
            description="Clearance time entering this node's country over a link from "
            "another country (inbound).",
        ),
        Field(
            "border_usd_teu",
            "float",
            unit="USD/TEU",
            default=0.0,
            minimum=0,
            maximum=MAX_USD_TEU,
            description="Inbound clearance cost per TEU.",
        ),
        Field(
            "border_usd_t",
            "float",
            unit="USD/t",
            default=0.0,
            minimum=0,
            maximum=MAX_USD_T,
            description="Inbound clearance cost per tonne.",
        ),
        Field(
            "border_exit_h",
            "float",
            unit="h",
            minimum=0,
            maximum=HOURS_PER_YEAR,
            description="Clearance time leaving this node's country over a link to another "
            "country (outbound); blank: same as border_h.",
        ),
        Field(
            "border_exit_usd_teu",
            "float",
            unit="USD/TEU",
            minimum=0,
            maximum=MAX_USD_TEU,
            description="Outbound clearance cost per TEU; blank: same as border_usd_teu.",
        ),
        Field(
            "border_exit_usd_t",
            "float",
            unit="USD/t",
            minimum=0,
            maximum=MAX_USD_T,
            description="Outbound clearance cost per tonne; blank: same as border_usd_t.",
        ),
        Field(
            "capacity_teu_yr",
            "float",
            unit="TEU/yr",
            minimum=1,
            exclusive_minimum=False,
            maximum=MAX_TEU_YR,
            description="Throughput capacity in TEU a year (blank: not binding).",
        ),
        Field(
            "capacity_t_yr",
            "float",
            unit="t/yr",
            minimum=1,
            exclusive_minimum=False,
            maximum=MAX_T_YR,
            description="Throughput capacity in tonnes a year (blank: not binding).",
        ),
        Field(
            "trains_per_day",
            "float",
            unit="trains/day",
            minimum=0.01,
            exclusive_minimum=False,
            maximum=1000,
            description="Trains the node can process (border or gauge change) a day.",
        ),
        Field(
            "berths",
            "int",
            minimum=0,
            exclusive_minimum=True,
            maximum=1000,
            description="Berths (ports) or inspection lanes (borders) working in parallel.",
        ),
        Field(
            "yard_slots",
            "int",
            minimum=0,
            exclusive_minimum=True,
            maximum=10000000,
            description="Wagons or TEU that can wait in a port's yard for a ship (blank: "
            "unlimited); when the yard is full, trains wait before the port.",
        ),
        Field(
            "status",
            "enum",
            choices=STATUSES,
            default="operating",
            description="Operating, planned (opens in open_year) or closed.",
        ),
        Field(
            "open_year",
            "int",
            minimum=1800,
            maximum=2200,
            description="First year of operation; required for planned nodes.",
        ),
        SOURCE,
    ),
)

LINK = Table(
    name="link",
    filename="link.csv",
    key="link_id",
    description="Rail sections, roads, ferry lines, sea legs and pipelines between two nodes.",
    other_gmns_fields=(
        "parent_link_id",
        "grade",
        "facility_type",
        "capacity",
        "lanes",
        "bike_facility",
        "ped_facility",
        "parking",
        "toll",
        "jurisdiction",
        "row_width",
    ),
    fields=(
        Field("link_id", "id", required=True, gmns=True, description="Unique link identifier."),
        Field("name", "str", gmns=True, description="Name shown to users."),
        Field("from_node_id", "id", required=True, gmns=True, description="Start node."),
        Field("to_node_id", "id", required=True, gmns=True, description="End node."),
        Field(
            "directed",
            "bool",
            default=False,
            gmns=True,
            description="True: usable from -> to only; false: both directions.",
        ),
        Field(
            "allowed_uses",
            "str",
            gmns=True,
            description="GMNS uses allowed on the link (';' or ',' separated), defined in "
            "use_definition.csv; written from mode on export.",
        ),
        Field(
            "mode",
            "enum",
            choices=MODES,
            description="Transport mode; blank: the mode of the first freight use in "
            "allowed_uses (truck, auto, all: road; rail, train: rail; ship: sea; ...).",
        ),
        Field(
            "length",
            "float",
            unit="km",
            minimum=0.01,
            exclusive_minimum=False,
            gmns=True,
            maximum=40000,
            description="Length; blank on sea links, where searoute computes it.",
        ),
        Field(
            "free_speed",
            "float",
            unit="km/h",
            minimum=0.5,
            exclusive_minimum=False,
            gmns=True,
            maximum=1000,
            description="Commercial speed including stops en route (not dwell at nodes).",
        ),
        Field(
            "time_h",
            "float",
            unit="h",
            minimum=0,
            exclusive_minimum=True,
            maximum=HOURS_PER_YEAR,
            description="Fixed travel time; overrides length/free_speed when given.",
        ),
        Field(
            "gauge_mm",
            "int",
            unit="mm",
            choices=(),
            minimum=600,
            maximum=2000,
            description="Track gauge (rail only): 1435 standard, 1520 Russian.",
        ),
        Field("tracks", "int", minimum=1, maximum=4, description="Number of tracks (rail only)."),
        Field(
            "trains_per_day",
            "float",
            unit="trains/day",
            minimum=0.01,
            exclusive_minimum=False,
            maximum=1000,
            description="Train paths a day in each direction (rail).",
        ),
        Field(
            "tariff_usd_teu",
            "float",
            unit="USD/TEU",
            default=0.0,
            minimum=0,
            maximum=MAX_USD_TEU,
            description="Haulage tariff for the whole link per TEU.",
        ),
        Field(
            "tariff_usd_t",
            "float",
            unit="USD/t",
            default=0.0,
            minimum=0,
            maximum=MAX_USD_T,
            description="Haulage tariff for the whole link per tonne.",
        ),
        Field(
            "capacity_teu_yr",
            "float",
            unit="TEU/yr",
            minimum=1,
            exclusive_minimum=False,
            maximum=MAX_TEU_YR,
            description="Capacity in TEU a year in each direction (blank: not binding).",
        ),
        Field(
            "capacity_t_yr",
            "float",
            unit="t/yr",
            minimum=1,
            exclusive_minimum=False,
            maximum=MAX_T_YR,
            description="Capacity in tonnes a year in each direction (blank: not binding).",
        ),
        Field(
            "sailings_per_week",
            "float",
            unit="1/week",
            minimum=0.01,
            exclusive_minimum=False,
            maximum=1000,
            description="Scheduled departures a week (ferry, sea); adds half the headway.",
        ),
        Field(
            "headway_h",
            "float",
            unit="h",
            minimum=0,
            exclusive_minimum=True,
            maximum=HOURS_PER_YEAR,
            description="Interval between scheduled departures; adds half of it as wait.",
        ),
        Field(
            "ef_g_tkm",
            "float",
            unit="g CO2e/t-km",
            minimum=0,
            default=0.0,
            maximum=10000,
            description="Emission factor (GLEC framework, tank-to-wheel); blank: 0 (the "
            "link's emissions are not counted).",
        ),
        Field(
            "corridors",
            "tags",
            description="Corridors this link belongs to (';'-separated); blank: shared.",
        ),
        Field(
            "sea_avoid",
            "tags",
            choices=SEA_PASSAGES,
            description="Sea passages the searoute path must avoid (sea links).",
        ),
        Field(
            "status",
            "enum",
            choices=STATUSES,
            default="operating",
            description="Operating, planned (opens in open_year) or closed.",
        ),
        Field(
            "open_year",
            "int",
            minimum=1800,
            maximum=2200,
            description="First year of operation; required for planned links.",
        ),
        Field(
            "geometry",
            "str",
            gmns=True,
            description="WKT LINESTRING (or MULTILINESTRING) in the config's crs; blank: "
            "the geometry of geometry_id, else a straight line or the searoute path.",
        ),
        Field(
            "geometry_id",
            "id",
            gmns=True,
            description="Row of geometry.csv holding the link's shape (when geometry is blank).",
        ),
        Field(
            "dir_flag",
            "int",
            gmns=True,
            minimum=-1,
            maximum=1,
            description="1: the shape runs from from_node to to_node; -1: the other way.",
        ),
        SOURCE,
    ),
)

VESSEL = Table(
    name="vessel",
    filename="vessel.csv",
    key="vessel_id",
    required=False,
    description="Ships of the scheduled ferry and feeder lines (used by the simulation).",
    fields=(
        Field("vessel_id", "id", required=True, description="Unique vessel identifier."),
        Field("name", "str", required=True, description="Ship name or class."),
        Field("link_id", "id", required=True, description="Ferry or sea link the ship serves."),
        Field(
            "capacity_wagons",
            "int",
            minimum=0,
            maximum=10_000,
            description="Rail wagons per sailing.",
        ),
        Field("capacity_teu", "int", minimum=0, maximum=50_000, description="TEU per sailing."),
        Field(
            "capacity_trucks",
            "int",
            minimum=0,
            maximum=10_000,
            description="Trucks per sailing.",
        ),
        Field(
            "speed_kn",
            "float",
            unit="kn",
            minimum=1,
            exclusive_minimum=False,
            maximum=60,
            description="Service speed.",
        ),
        Field(
            "load_h",
            "float",
            unit="h",
            default=0.0,
            minimum=0,
            maximum=HOURS_PER_YEAR,
            description="Loading time per call.",
        ),
        Field(
            "unload_h",
            "float",
            unit="h",
            default=0.0,
            minimum=0,
            maximum=HOURS_PER_YEAR,
            description="Unloading time per call.",
        ),
        SOURCE,
    ),
)

CORRIDOR = Table(
    name="corridor",
    filename="corridor.csv",
    key="corridor_id",
    required=False,
    description="Named corridors that links are tagged with.",
    fields=(
        Field("corridor_id", "id", required=True, description="Tag used in link.corridors."),
        Field("name", "str", required=True, description="Name shown to users."),
        Field("color", "str", default="#444444", description="Colour on maps (#rrggbb)."),
        Field("description", "str", description="One sentence on the corridor."),
        SOURCE,
    ),
)

GEOMETRY = Table(
    name="geometry",
    filename="geometry.csv",
    key="geometry_id",
    required=False,
    description="GMNS shapes shared by links (link.geometry_id); read, not written.",
    fields=(
        Field("geometry_id", "id", required=True, gmns=True, description="Unique shape id."),
        Field(
            "geometry",
            "str",
            required=True,
            gmns=True,
            description="WKT LINESTRING (or MULTILINESTRING) in the config's crs.",
        ),
    ),
)

USE_DEFINITION = Table(
    name="use_definition",
    filename="use_definition.csv",
    key="use",
    required=False,
    description="GMNS uses (vehicle types) named in link.allowed_uses; written on GMNS export "
    "with the corridors mode of each use.",
    fields=(
        Field("use", "str", required=True, gmns=True, description="Use named in allowed_uses."),
        Field(
            "persons_per_vehicle",
            "float",
            required=True,
            minimum=0,
            gmns=True,
            description="Persons per vehicle (0 for freight).",
        ),
        Field(
            "pce",
            "float",
            required=True,
            minimum=0,
            gmns=True,
            description="Passenger car equivalents of one vehicle.",
        ),
        Field("special_conditions", "str", gmns=True, description="Conditions of the use."),
        Field("description", "str", gmns=True, description="What the use is."),
        Field(
            "mode",
            "enum",
            choices=MODES,
            description="Transport mode of the use; blank: from the use's name (see allowed_uses).",
        ),
    ),
)

USE_GROUP = Table(
    name="use_group",
    filename="use_group.csv",
    key="use_group",
    required=False,
    description="GMNS groups of uses; written on GMNS export (one group of every use), not read.",
    fields=(
        Field("use_group", "str", required=True, gmns=True, description="Group name."),
        Field("uses", "str", required=True, gmns=True, description="Comma-separated uses."),
        Field("description", "str", gmns=True, description="What the group is."),
    ),
)

NETWORK_TABLES: tuple[Table, ...] = (CONFIG, NODE, LINK, VESSEL, CORRIDOR)
"""Tables of a network folder in reading order (config first)."""

GMNS_EXTRA_TABLES: tuple[Table, ...] = (GEOMETRY, USE_DEFINITION)
"""Standard GMNS tables corridors reads besides node and link (shapes and uses)."""

COMMODITIES: tuple[str, ...] = ("containers", "dry_bulk", "liquid_bulk", "trucks")
"""Commodity classes of demand."""

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
