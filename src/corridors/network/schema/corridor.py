"""The ``corridor.csv`` table: the named corridors links are tagged with."""

from __future__ import annotations

from corridors.network.schema.field import SOURCE, Field, Table

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
