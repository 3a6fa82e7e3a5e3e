"""The fitted values live in one fit file that scenarios name (`fit:`).

A scenario that names a fit takes the behaviour fields it leaves out and the disruption
values it writes as ``fit`` from it; a value it writes itself wins; a bad reference is
one error naming the file, line and field, with a "did you mean".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.datasets import eurasia_path
from corridors.errors import ScenarioError
from corridors.scenarios.calibration import history_parameters
from corridors.scenarios.calibration.parameters import current_value
from corridors.scenarios.fit_file import fit_text, read_fit
from corridors.scenarios.io import (
    dump_scenario,
    load_inputs,
    read_scenario,
    read_scenario_text,
    shipped_scenarios,
)

SHIPPED_FIT = eurasia_path() / "fit-2021-2023.yaml"

FIT = """\
name: toy-fit
fitted_to: toy-history
source: "by hand, for this test"
behaviour:
  logit_scale_per_usd: 0.0004
  risk_premium_usd_teu: {middle: 1200, northern: 2500}
  nest_scale: 0.3
  nests: {rail: [northern, middle], sea: [sea_suez]}
disruptions:
  sanctions: {extra_usd_teu: 4000}
  waits: {extra_hours: 120}
"""

SCENARIO = """\
name: toy
base_year: 2024
horizon: 2026
fit: toy-fit.yaml
demand:
  markets:
    - {id: china_eu, origin: Xian, destination: Duisburg, volume: 10000}
disruptions:
  - id: sanctions
    corridors: [northern]
    start: 2024-03-01
    extra_usd_teu: fit
  - id: waits
    links: [m2]
    start: 2024-01-01
    extra_hours: fit
behaviour:
  value_of_time_usd_teu_h: 12.0
"""


def _write(folder: Path, scenario: str, fit: str = FIT) -> Path:
    (folder / "toy-fit.yaml").write_text(fit, encoding="utf-8")
    path = folder / "s.yaml"
    path.write_text(scenario, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    return [str(p) for p in info.value.problems]


def test_a_scenario_naming_the_fit_gets_its_values(tmp_path: Path) -> None:
    sc = read_scenario(_write(tmp_path, SCENARIO)).scenario
    beh = sc.behaviour
    assert beh.logit_scale_per_usd == 0.0004
    assert beh.risk_premium_usd_teu == {"middle": 1200.0, "northern": 2500.0}
    assert beh.nest_scale == 0.3
    assert beh.nests == {"rail": ["northern", "middle"], "sea": ["sea_suez"]}
    assert beh.value_of_time_usd_teu_h == 12.0  # the scenario's own; the fit has none
    assert beh.routes_per_corridor == 1  # neither writes it: the default
    by_id = {d.id: d for d in sc.disruptions}
    assert by_id["sanctions"].extra_usd_teu == 4000.0
    assert by_id["waits"].extra_hours == 120.0
    assert sc.fit == "toy-fit.yaml"


def test_a_field_the_scenario_writes_keeps_its_own_value(tmp_path: Path) -> None:
    text = SCENARIO.replace("    extra_usd_teu: fit", "    extra_usd_teu: 500").replace(
        "  value_of_time_usd_teu_h: 12.0",
        "  value_of_time_usd_teu_h: 12.0\n  nest_scale: 0.9\n  risk_premium_usd_teu: {middle: 7}",
    )
    sc = read_scenario(_write(tmp_path, text)).scenario
    assert sc.behaviour.nest_scale == 0.9
    assert sc.behaviour.risk_premium_usd_teu == {"middle": 7.0}  # the field, not merged
    assert sc.behaviour.logit_scale_per_usd == 0.0004  # left out: the fit's
    by_id = {d.id: d for d in sc.disruptions}
    assert by_id["sanctions"].extra_usd_teu == 500.0
    assert by_id["waits"].extra_hours == 120.0


def test_a_scenario_without_a_fit_is_read_as_before(tmp_path: Path) -> None:
    text = SCENARIO.replace("fit: toy-fit.yaml\n", "").replace(
        "extra_usd_teu: fit", "extra_usd_teu: 300"
    )
    text = text.replace("extra_hours: fit", "extra_hours: 5")
    sc = read_scenario(_write(tmp_path, text)).scenario
    assert sc.fit is None
    assert sc.behaviour.logit_scale_per_usd == 0.002  # the default
    assert [d.extra_usd_teu for d in sc.disruptions] == [300.0, 0.0]


def test_a_missing_fit_file_is_named_with_the_closest_file(tmp_path: Path) -> None:
    path = _write(tmp_path, SCENARIO.replace("fit: toy-fit.yaml", "fit: toy-fitt.yaml"))
    (msg,) = _problems(path)
    assert f"{path}, line 4, field 'fit'" in msg
    assert "no such fit file" in msg
    assert "did you mean 'toy-fit.yaml'?" in msg


def test_a_value_the_fit_does_not_have_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, SCENARIO.replace("id: sanctions", "id: sanction"))
    (msg,) = _problems(path)
    assert f"{path}, line 12, field 'disruptions[0].extra_usd_teu'" in msg
    assert "the fit toy-fit.yaml has no extra_usd_teu for disruption 'sanction'" in msg
    assert "did you mean 'sanctions'?" in msg
    # hours asked of a disruption the fit gives money only
    path = _write(tmp_path, SCENARIO.replace("id: waits", "id: sanctions2"))
    (msg,) = _problems(path)
    assert "line 16, field 'disruptions[1].extra_hours'" in msg
    assert "it has one for: waits" in msg


def test_fit_asked_without_a_fit_file(tmp_path: Path) -> None:
    msgs = _problems(_write(tmp_path, SCENARIO.replace("fit: toy-fit.yaml\n", "")))
    assert len(msgs) == 2
    assert "line 11, field 'disruptions[0].extra_usd_teu'" in msgs[0]
    assert "names no fit file" in msgs[0]


def test_a_malformed_fit_file_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, SCENARIO, FIT.replace("nest_scale: 0.3", "nest_scal: 0.3"))
    (msg,) = _problems(path)
    assert f"{tmp_path / 'toy-fit.yaml'}, line 7, field 'behaviour.nest_scal'" in msg
    assert "did you mean 'nest_scale'" in msg
    path = _write(tmp_path, SCENARIO, FIT.replace('source: "by hand, for this test"\n', ""))
    (msg,) = _problems(path)
    assert "field 'source': a value is required" in msg


def test_the_hash_follows_the_fitted_values(tmp_path: Path) -> None:
    """A run is identified by the values it ran with: a new fit is a new scenario."""
    before = read_scenario(_write(tmp_path, SCENARIO)).sha256
    after = read_scenario(_write(tmp_path, SCENARIO, FIT.replace("4000", "4100"))).sha256
    assert before != after


def test_a_written_scenario_carries_the_values_not_the_reference(tmp_path: Path) -> None:
    sc = read_scenario(_write(tmp_path, SCENARIO)).scenario
    text = dump_scenario(sc)
    assert "fit:" not in text
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    again, _ = read_scenario_text(text, file=str(elsewhere / "s.yaml"))
    assert again == sc.model_copy(update={"fit": None})


def test_every_shipped_scenario_takes_the_shipped_fit() -> None:
    fit = read_fit(SHIPPED_FIT)
    for name in shipped_scenarios():
        sc = load_inputs(name).scenario
        assert sc.fit == "../fit-2021-2023.yaml", name
        for field, value in fit.behaviour_values().items():
            assert getattr(sc.behaviour, field) == value, (name, field)
        premium = {d.id: d.extra_usd_teu for d in sc.disruptions}["northern_sanctions"]
        assert premium == fit.disruptions["northern_sanctions"].extra_usd_teu


def test_the_history_carries_every_fitted_parameter_and_writes_them_back(
    tmp_path: Path,
) -> None:
    """Each parameter `calibrate` fits comes from the fit file, and the fit file that
    `calibrate --write-fit` would write from the history is the shipped one."""
    sc = load_inputs("calibration-2021-2023").scenario
    priced = [d.id for d in sc.disruptions if d.id.startswith("sea_rates_")]
    names = [p.name for p in history_parameters(sc, priced=priced)]
    fit = read_fit(SHIPPED_FIT)
    for name in names:
        head, _, key = name.partition(".")
        if head == "disruption":
            assert current_value(sc, name) == fit.disruptions[key].extra_usd_teu, name
        elif head == "disruption_hours":
            assert current_value(sc, name) == fit.disruptions[key].extra_hours, name
    assert {n.partition(".")[2] for n in names if n.startswith("disruption")} == set(
        fit.disruptions
    )
    written = tmp_path / "fit.yaml"
    written.write_text(fit_text(sc, names, name=fit.name, source=fit.source), encoding="utf-8")
    assert read_fit(written) == fit
