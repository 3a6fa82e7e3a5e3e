"""docs/energy-tables.md is generated from the declarations and kept in sync."""

from __future__ import annotations

from pathlib import Path

from corridors.energy.docs import energy_data_dictionary

DOC = Path(__file__).resolve().parents[2] / "docs" / "energy-tables.md"


def test_energy_tables_doc_is_in_sync() -> None:
    assert DOC.read_text(encoding="utf-8") == energy_data_dictionary(), (
        "docs/energy-tables.md is stale: run `corridors energy schema > docs/energy-tables.md`"
    )


def test_doc_lists_every_table_and_unit() -> None:
    text = energy_data_dictionary()
    for name in ("energy_node.csv", "energy_link.csv", "relief_node.csv", "relief_link.csv"):
        assert f"## {name}" in text
    assert "| `Mb/d` |" in text
    assert "| `cpc_blend` | CPC Blend | 45 | 7.853 |" in text
