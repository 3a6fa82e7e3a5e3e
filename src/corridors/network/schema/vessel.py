"""The ``vessel.csv`` table: the ships of the scheduled ferry and feeder lines."""

from __future__ import annotations

from corridors.network.schema.bounds import HOURS_PER_YEAR
from corridors.network.schema.field import SOURCE, Field, Table

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
