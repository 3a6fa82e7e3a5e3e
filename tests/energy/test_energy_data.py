"""The shipped energy tables: every row sourced, conversions visible, bad tables caught."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from corridors.datasets import eurasia_path
from corridors.energy.io import EnergyDataError, read_energy_tables
from corridors.energy.units import convert

DATA = eurasia_path()


def _bibliography_keys() -> set[str]:
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z0-9-]+)` \|", text, flags=re.M))


def test_every_energy_row_cites_a_listed_source_or_marks_an_estimate() -> None:
    tables = read_energy_tables(DATA)
    keys = _bibliography_keys()
    assert {"CPC", "CPC-2022", "SGC", "BLACK-SEA-CABLE", "PRESS-CASPIAN-OIL"} <= keys
    for frame in (tables.nodes, tables.links):
        for source in frame["source"]:
            cited = set(re.findall(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[A-Z]{3,}", source))
            assert cited & (keys | {"EST", "OSM"}), source


def test_published_units_are_converted_visibly() -> None:
    tables = read_energy_tables(DATA)
    btc = tables.links.set_index("link_id").loc["btc"]
    assert (btc["capacity"], btc["capacity_unit"], btc["crude_grade"]) == (
        1.2,
        "Mb/d",
        "azeri_light",
    )
    # 1.2 million b/d of Azeri Light = 1.2e6 x 365 / 7.4084 bbl/t = 59.1 Mt/yr
    assert convert(1.2, "Mb/d", "Mt/yr", crude="azeri_light") == pytest.approx(59.12, abs=0.01)


def _copy(tmp_path: Path) -> Path:
    for name in ("energy_node.csv", "energy_link.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nan_capacity_unknown_node_and_barrels_without_grade_are_all_reported(
    tmp_path: Path,
) -> None:
    folder = _copy(tmp_path)
    links = folder / "energy_link.csv"
    _edit(
        links,
        "cpc,CPC Atyrau - Novorossiysk,atyrau,novorossiysk_cpc,crude,pipeline,1271,67,",
        "cpc,CPC Atyrau - Novorossiysk,atyrau,novorossiysk_cpc,crude,pipeline,1271,nan,",
    )
    _edit(
        links,
        "wrep,Baku-Supsa (Western Route Export Pipeline),sangachal,supsa,",
        "wrep,Baku-Supsa (Western Route Export Pipeline),sangachal,supsaa,",
    )
    with pytest.raises(EnergyDataError) as err:
        read_energy_tables(folder)
    text = str(err.value)
    assert (
        "energy_link.csv, line 3, field 'capacity': expected a finite number (value 'nan')" in text
    )
    # parse problems come first; the cross-table rules run on a clean parse
    _edit(links, "1271,nan,", "1271,67,")
    with pytest.raises(EnergyDataError) as err:
        read_energy_tables(folder)
    text = str(err.value)
    assert "field 'to_node_id': unknown node (value 'supsaa'); did you mean 'supsa'?" in text
    _edit(links, "supsaa", "supsa")
    _edit(links, "1.2,Mb/d,azeri_light", "1.2,Mb/d,")
    with pytest.raises(EnergyDataError, match="a barrel capacity needs the crude grade"):
        read_energy_tables(folder)


def test_unit_typo_gets_a_suggestion(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "energy_link.csv", "25,bcm/yr", "25,bcm/y")
    with pytest.raises(EnergyDataError) as err:
        read_energy_tables(folder)
    assert "field 'capacity_unit'" in str(err.value)
    assert "did you mean 'bcm/yr'" in str(err.value)
