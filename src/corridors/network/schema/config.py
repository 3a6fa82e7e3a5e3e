"""The ``config.csv`` table: dataset-wide units, coordinate system and id type."""

from __future__ import annotations

from corridors.network.schema.field import Field, Table
from corridors.network.schema.vocabulary import LENGTH_UNITS, SPEED_UNITS

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
