"""Generate the data dictionary (docs/data-dictionary.md) from the table declarations."""

from __future__ import annotations

from corridors.network.schema import (
    DEMAND,
    GMNS_EXTRA_TABLES,
    NETWORK_TABLES,
    USE_GROUP,
    Field,
    Table,
)


def _constraints(f: Field) -> str:
    parts: list[str] = []
    if f.minimum is not None:
        parts.append(f"{'>' if f.exclusive_minimum else '>='} {f.minimum:g}")
    if f.maximum is not None:
        parts.append(f"<= {f.maximum:g}")
    if f.choices:
        parts.append("one of " + ", ".join(f"`{c}`" for c in f.choices))
    if f.aliases:
        parts.append("also read as " + ", ".join(f"`{a}`" for a in f.aliases))
    return "; ".join(parts)


def table_markdown(table: Table) -> str:
    """One table's fields as a Markdown section."""
    lines = [
        f"## {table.filename}" + ("" if table.required else " (optional)"),
        "",
        table.description,
        "",
        "| field | type | unit | required | default | constraints | GMNS | description |",
        "|---|---|---|---|---|---|---|---|",
    ]
    if table.other_gmns_fields:
        kept = ", ".join(f"`{n}`" for n in table.other_gmns_fields)
        lines[4:4] = [f"Other GMNS columns, kept as text: {kept}.", ""]
    for f in table.fields:
        default = "" if f.default is None else f"`{f.default}`"
        lines.append(
            f"| `{f.name}` | {f.type} | {f.unit} | {'yes' if f.required else ''} | {default} "
            f"| {_constraints(f)} | {'yes' if f.gmns else ''} | {f.description} |"
        )
    return "\n".join(lines) + "\n"


def data_dictionary() -> str:
    """The whole data dictionary as Markdown."""
    head = (
        "# Data dictionary\n\n"
        "Generated from `corridors.network.schema` (the single declaration of every table's\n"
        "fields) by `corridors network schema`; do not edit by hand. A network is a folder\n"
        "of GMNS v0.96 style CSV tables; fields marked GMNS are standard GMNS fields, the\n"
        "others are corridors' extensions. Blank cells take the default. Undeclared\n"
        "columns are kept as text and written back unchanged.\n\n"
    )
    sections = [table_markdown(t) for t in (*NETWORK_TABLES, *GMNS_EXTRA_TABLES, USE_GROUP, DEMAND)]
    return head + "\n".join(sections)
