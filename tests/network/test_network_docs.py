"""The data dictionary in docs/ is generated from the schema and kept in sync."""

from __future__ import annotations

from pathlib import Path

from corridors.network.docs import data_dictionary
from corridors.network.schema import LINK, NETWORK_TABLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"


def test_docs_match_schema():
    assert DOC.read_text(encoding="utf-8") == data_dictionary(), (
        "docs/data-dictionary.md is stale: run `corridors network schema > docs/data-dictionary.md`"
    )


def test_every_field_documented_with_unit_where_numeric():
    text = data_dictionary()
    for table in NETWORK_TABLES:
        assert f"## {table.filename}" in text
        for fld in table.fields:
            assert f"| `{fld.name}` |" in text
    assert "| `length` | float | km |" in text
    assert LINK.field("ef_g_tkm").unit == "g CO2e/t-km"


def test_country_codes_complete():
    from corridors.network.countries import ISO_ALPHA2

    assert len(ISO_ALPHA2) == 249
    assert {
        "CN",
        "KZ",
        "AZ",
        "GE",
        "TR",
        "RU",
        "BY",
        "PL",
        "DE",
        "TM",
        "IR",
        "ZW",
        "AD",
    } <= ISO_ALPHA2
