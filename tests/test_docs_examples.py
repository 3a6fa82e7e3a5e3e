"""The examples in the README and the docs run, and print what they say they print."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize(
    "path", [p for p in DOCS if ">>> " in p.read_text(encoding="utf-8")], ids=lambda p: p.name
)
def test_doc_examples(path):
    result = doctest.testfile(
        str(path),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.attempted > 0
    assert result.failed == 0


def test_readme_comparison_table_matches_the_model():
    """The README's Xi'an -> Duisburg table is what `corridors compare` gives today."""
    from corridors.datasets import eurasia_path
    from corridors.network import read_network
    from corridors.routing import compare

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("| corridor | days | USD | kg CO2e | km | borders | transfers |")
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    routes = compare(read_network(eurasia_path()), "Xi'an", "Duisburg")
    expected = [
        [
            r.corridor,
            f"{r.days:.1f}",
            f"{r.usd:,.0f}",
            f"{r.kg_co2e:,.0f}",
            f"{r.km:,.0f}",
            str(r.borders),
            str(r.transfers),
        ]
        for r in routes
    ]
    assert rows == expected, 'README table is stale: rerun `corridors compare "Xi\'an" Duisburg`'


def test_model_page_scenario_yaml_is_a_valid_demand_part():
    """The ```yaml block of docs/model.md is what a scenario's ``demand:`` accepts."""
    import re

    import yaml

    from corridors.scenarios.spec.demand import Demand

    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S)
    assert len(blocks) == 1
    demand = Demand.model_validate(yaml.safe_load(blocks[0])["demand"])
    assert demand.grouping == "country"
    assert [m.id for m in demand.table_markets] == ["china_eu_sea"]
    assert demand.table_markets[0].share == 0.1
