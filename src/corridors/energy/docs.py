"""Generate docs/energy-tables.md from the declarations of the energy and relief tables."""

from __future__ import annotations

from corridors.energy.schema import CARRIER_VALUES, ENERGY_TABLES
from corridors.energy.units import CRUDE_GRADES, UNITS
from corridors.network.docs import table_markdown
from corridors.relief.schema import RELIEF_LINK, RELIEF_NODE


def energy_data_dictionary() -> str:
    """The energy and relief tables, units, crude grades and carrier values as Markdown."""
    head = (
        "# Energy and relief tables\n\n"
        "Generated from `corridors.energy.schema`, `corridors.relief.schema` and\n"
        "`corridors.energy.units` by `corridors energy schema`; do not edit by hand.\n"
        "See docs/energy.md for the model and the sources.\n\n"
    )
    units = ["## Units", "", "| unit | measures | rate | description |", "|---|---|---|---|"]
    units += [
        f"| `{u.symbol}` | {u.dimension} | {'yes' if u.rate else ''} | {u.description} |"
        for u in UNITS
    ]
    grades = [
        "## Crude grades",
        "",
        "| id | name | API | bbl/t | source |",
        "|---|---|---|---|---|",
    ]
    grades += [
        f"| `{g.id}` | {g.name} | {g.api:g} | {g.bbl_per_t:.3f} | {g.source} |"
        for g in CRUDE_GRADES
    ]
    values = [
        "## Value of a unit not moved",
        "",
        "| carrier | flow unit | USD per unit | source |",
        "|---|---|---|---|",
    ]
    values += [
        f"| {c.carrier} | {c.flow_unit} | {c.value_usd:,.0f} | {c.source} |" for c in CARRIER_VALUES
    ]
    sections = [table_markdown(t) for t in (*ENERGY_TABLES, RELIEF_NODE, RELIEF_LINK)]
    tail = "\n".join(["", *units, "", *grades, "", *values]) + "\n"
    return head + "\n".join(sections) + tail
