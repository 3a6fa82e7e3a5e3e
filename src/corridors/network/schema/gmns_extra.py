"""The standard GMNS tables corridors reads or writes besides node and link.

Shapes (``geometry.csv``), uses (``use_definition.csv``) and groups of uses
(``use_group.csv``).
"""

from __future__ import annotations

from corridors.network.schema.field import Field, Table
from corridors.network.schema.vocabulary import MODES

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

GMNS_EXTRA_TABLES: tuple[Table, ...] = (GEOMETRY, USE_DEFINITION)
"""Standard GMNS tables corridors reads besides node and link (shapes and uses)."""
