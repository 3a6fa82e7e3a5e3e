"""Scenario files: one clear error per mistake, naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.errors import ScenarioError
from corridors.scenarios.io import load_inputs, read_measures_text, read_scenario_text

HERE = Path(__file__).parent
TOY = HERE / "toy"
MEASURES = HERE / "files" / "toy-measures.yaml"

GOOD = """\
name: toy
base_year: 2024
horizon: 2030
network: {toy}
measures_file: {measures}
demand:
  markets:
    - id: china_eu
      origin: Xian
      destination: Duisburg
      volume: 10000
      growth: 0.05
measures: [ferry_x2]
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(
        text.replace("{toy}", str(TOY)).replace("{measures}", str(MEASURES)), encoding="utf-8"
    )
    return p


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_inputs(path)
    return [str(p) for p in info.value.problems]


def test_good_file_loads(tmp_path: Path) -> None:
    inputs = load_inputs(write(tmp_path, GOOD))
    assert inputs.scenario.years == tuple(range(2024, 2031))
    assert inputs.catalogue is not None
    assert "ferry_x2" in inputs.catalogue.ids
    assert len(inputs.loaded.sha256) == 64


def test_unknown_node(tmp_path: Path) -> None:
    p = write(tmp_path, GOOD.replace("destination: Duisburg", "destination: Duisberg"))
    (msg,) = problems_of(p)
    assert str(p) in msg
    assert "line 10" in msg
    assert "field 'demand.markets[0].destination'" in msg
    assert "unknown node" in msg
    assert "Duisburg" in msg  # the suggestion


def test_unknown_field_did_you_mean(tmp_path: Path) -> None:
    p = write(tmp_path, GOOD.replace("      growth: 0.05", "      grwth: 0.05"))
    (msg,) = problems_of(p)
    assert str(p) in msg
    assert "line 12" in msg
    assert "field 'demand.markets[0].grwth'" in msg
    assert "unknown field 'grwth'" in msg
    assert "did you mean 'growth'" in msg


def test_payload_per_teu_is_not_a_behaviour_field(tmp_path: Path) -> None:
    """The payload per TEU is the cargo class's: a file still setting it is told so."""
    text = GOOD.replace(
        "measures: [ferry_x2]", "measures: [ferry_x2]\nbehaviour:\n  tonnes_per_teu: 12"
    )
    p = write(tmp_path, text)
    (msg,) = problems_of(p)
    assert str(p) in msg
    assert "line 15" in msg
    assert "field 'behaviour.tonnes_per_teu'" in msg
    assert "'tonnes_per_teu' is no longer a field here" in msg
    assert "declared once, per cargo class" in msg
    assert "remove this line" in msg


def test_negative_capacity(tmp_path: Path) -> None:
    text = (
        GOOD
        + """\
new_measures:
  - id: shrink
    open_year: 2026
    capex_usd: 0
    source: test
    changes:
      - link: m2
        set: {capacity_teu_yr: -5}
"""
    )
    (msg,) = problems_of(write(tmp_path, text))
    assert "line 21" in msg
    assert "field 'new_measures[0].changes[0].set.capacity_teu_yr'" in msg
    assert "capacity_teu_yr must be at least 1 TEU/yr" in msg
    assert "-5" in msg


def test_negative_capex_and_volume(tmp_path: Path) -> None:
    text = GOOD.replace("volume: 10000", "volume: -1")
    msgs = problems_of(write(tmp_path, text))
    assert len(msgs) == 1
    assert "line 11" in msgs[0]
    assert "demand.markets[0].volume" in msgs[0]


def test_horizon_before_base_year(tmp_path: Path) -> None:
    p = write(tmp_path, GOOD.replace("horizon: 2030", "horizon: 2020"))
    (msg,) = problems_of(p)
    assert str(p) in msg
    assert "line 3" in msg
    assert "field 'horizon'" in msg
    assert "before the base year 2024" in msg


def test_all_problems_reported_together(tmp_path: Path) -> None:
    text = (
        GOOD.replace("horizon: 2030", "horizon: 2020")
        .replace("      growth: 0.05", "      grwth: 0.05")
        .replace("name: toy", "name: toy\ncolour: red")
    )
    msgs = problems_of(write(tmp_path, text))
    assert len(msgs) == 3
    joined = "\n".join(msgs)
    assert "line 2, field 'colour'" in joined
    assert "line 4, field 'horizon'" in joined
    assert "line 13, field 'demand.markets[0].grwth'" in joined


def test_unknown_measure_and_corridor(tmp_path: Path) -> None:
    text = (
        GOOD.replace("measures: [ferry_x2]", "measures: [ferry_x3]")
        + """\
behaviour:
  risk_premium_usd_teu: {nothern: 100}
"""
    )
    msgs = problems_of(write(tmp_path, text))
    joined = "\n".join(msgs)
    assert "line 13, field 'measures[0]'" in joined
    assert "did you mean 'ferry_x2'" in joined
    assert "line 15, field 'behaviour.risk_premium_usd_teu.nothern'" in joined
    assert "did you mean 'northern'" in joined


def test_unknown_attribute_in_measure_catalogue() -> None:
    text = """\
measures:
  - id: faster
    open_year: 2026
    capex_usd: 1
    source: test
    changes:
      - country: KZ
        scale: {border_hours: 0.5}
"""
    with pytest.raises(ScenarioError) as info:
        read_measures_text(text, file="m.yaml")
    (p,) = info.value.problems
    assert (p.file, p.row, p.column) == ("m.yaml", 8, "measures[0].changes[0].scale.border_hours")
    assert "did you mean 'border_h'" in str(p)


def test_bad_yaml_and_duplicate_key() -> None:
    with pytest.raises(ScenarioError, match=r"x.yaml, line 3: not valid YAML"):
        read_scenario_text("name: a\nbase_year: 2024\nhorizon: : 2\n", file="x.yaml")
    with pytest.raises(ScenarioError, match=r"x.yaml, line 2, field 'name': key written twice"):
        read_scenario_text("name: a\nname: b\n", file="x.yaml")


def test_disruption_checks(tmp_path: Path) -> None:
    text = (
        GOOD
        + """\
disruptions:
  - id: canal
    passages: [suezz]
    closed: true
    start: 2025-01-01
  - id: backwards
    corridors: [northern]
    start: 2026-01-01
    end: 2025-01-01
"""
    )
    msgs = problems_of(write(tmp_path, text))
    joined = "\n".join(msgs)
    assert "line 16, field 'disruptions[0].passages'" in joined
    assert "unknown sea passage 'suezz'" in joined
    assert "line 22, field 'disruptions[1].end'" in joined
