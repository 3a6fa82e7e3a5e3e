"""The fields of the relief tables (``relief_node.csv``, ``relief_link.csv``), as data."""

from __future__ import annotations

from dataclasses import replace

from corridors.energy.schema import COORDS, COUNTRY, LENGTH_KM, LINK_ENDS, PLACE, SOURCED, STATUS
from corridors.network.schema import Field, Table

RELIEF_MODES: tuple[str, ...] = ("road", "rail", "air", "sea")
"""Modes relief goods travel by."""

MODE_PRIORITY: tuple[str, ...] = ("air", "sea", "rail", "road")
"""A route is called by the first of these modes it uses ("by air" with trucks at the ends)."""

RELIEF_NODE_KINDS: tuple[str, ...] = ("depot", "city", "airport", "port", "junction", "border")
OTS_STATUS: tuple[str, ...] = ("member", "observer")
_STATUS = replace(STATUS, description="operating or closed.")

RELIEF_NODE = Table(
    name="relief_node",
    filename="relief_node.csv",
    key="node_id",
    description="Relief places: depots, cities of the disaster area, airports, ports, borders.",
    fields=(
        *PLACE,
        *COORDS,
        Field("kind", "enum", required=True, choices=RELIEF_NODE_KINDS, description="Kind."),
        COUNTRY,
        Field("aliases", "tags", description="Other names users may type (';'-separated)."),
        Field(
            "ots",
            "enum",
            choices=OTS_STATUS,
            description="Depots: the state's standing in the Organization of Turkic States.",
        ),
        Field(
            "dispatch_t_day",
            "float",
            unit="t/day",
            minimum=0,
            description="Depots: tonnes a day they can send out.",
        ),
        Field(
            "handling_t_day",
            "float",
            unit="t/day",
            minimum=0,
            description="Airports, ports, depot airfields: tonnes a day they can handle; "
            "blank: no limit modelled.",
        ),
        _STATUS,
        SOURCED,
    ),
)

RELIEF_LINK = Table(
    name="relief_link",
    filename="relief_link.csv",
    key="link_id",
    description="Roads, rail lines, flights and sea legs that relief can use.",
    fields=(
        *LINK_ENDS,
        Field("mode", "enum", required=True, choices=RELIEF_MODES, description="Mode."),
        Field("directed", "bool", default=False, description="Only from -> to (false: both ways)."),
        LENGTH_KM,
        Field(
            "speed_kmh",
            "float",
            unit="km/h",
            minimum=0,
            exclusive_minimum=True,
            description="Average speed including stops.",
        ),
        Field(
            "fixed_h",
            "float",
            unit="h",
            default=0.0,
            minimum=0,
            description="Hours added to the running time: borders, loading, gauge change.",
        ),
        Field(
            "capacity_t_day",
            "float",
            unit="t/day",
            minimum=0,
            description="Tonnes a day the link can take; blank: no limit modelled.",
        ),
        _STATUS,
        SOURCED,
    ),
)
