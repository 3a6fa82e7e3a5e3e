"""Energy flows on the shipped data: the CPC outage, the tanker what-if, the contract, power."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.energy.units import grade
from corridors.errors import ScenarioError, UnknownPlaceError
from corridors.studies.energy import energy_flow, energy_route

CRUDE_VALUE = 594.0  # USD/t, CARRIER_VALUES
TANKER_LIFT_T_YR = 4 * 11_400 * 89  # vessels x cargo x trips (energy_link.csv)
AKTAU_T_YR = 8e6


def _row(study, element_id):
    rows = {r["id"]: r for r in (*study.to_dict()["links"], *study.to_dict()["nodes"])}
    return rows[element_id]


def _kz(study):
    return next(c for c in study.to_dict()["commodities"] if c["id"] == "crude:KZ")


def test_base_year_all_crude_moves_and_cpc_is_full() -> None:
    study = energy_flow(carrier="crude", year=2024)
    kz = _kz(study)
    assert kz["stranded_t"] == pytest.approx(0, abs=1)
    assert _row(study, "cpc")["flow_t"] == pytest.approx(67e6)
    assert _row(study, "cpc")["utilisation"] == pytest.approx(1.0)
    # Azerbaijan's own crude shares BTC with Kazakh crude: BTC carries Azeri crude
    btc = _row(study, "btc")
    assert btc["capacity_t"] == pytest.approx(59.12e6, rel=1e-3)
    assert btc["flow_t_by_commodity"]["crude:AZ"] > 20e6


def test_cpc_outage_fills_the_caspian_route_to_the_tanker_limit_and_strands_the_rest() -> None:
    study = energy_flow(scenario="cpc-outage-30d")
    scale = 30 / 365
    assert study.period_days == 30
    kz = _kz(study)
    supply = (29 + 18 + 11 + 10) * 1e6 * scale
    assert kz["supply_t"] == pytest.approx(supply)
    assert kz["stranded_t"] > 0.25 * supply
    assert kz["delivered_t"] + kz["stranded_t"] == pytest.approx(supply)
    tankers = _row(study, "aktau-dubendi-tankers")
    assert tankers["capacity_t"] == pytest.approx(TANKER_LIFT_T_YR * scale)
    assert tankers["utilisation"] == pytest.approx(1.0)
    # one more tonne of lift saves the crude's value less its cheapest Caspian route:
    # rail Tengiz-Aktau 10.1 + tankers 15 + rail Baku-Kulevi 14.8 = USD 39.9/t
    assert tankers["shadow_price_usd_t"] == pytest.approx(CRUDE_VALUE - 39.9, abs=0.01)
    assert _row(study, "aktau_oil")["utilisation"] < 1.0
    assert "aktau-dubendi-tankers" in study.to_dict()["binding"]
    assert "aktau_oil" not in study.to_dict()["binding"]
    # the CPC terminal loads its third and the Atyrau-Samara line is full
    assert _row(study, "novorossiysk_cpc")["flow_t"] == pytest.approx(67e6 * 0.3333 * scale)
    assert _row(study, "atyrau-samara")["utilisation"] == pytest.approx(1.0)


def test_four_more_tankers_move_the_binding_constraint_to_the_aktau_terminal() -> None:
    before = energy_flow(scenario="cpc-outage-30d")
    after = energy_flow(scenario="caspian-tankers-plus-4")
    scale = 30 / 365
    tankers = _row(after, "aktau-dubendi-tankers")
    assert tankers["capacity_t"] == pytest.approx(8 / 4 * TANKER_LIFT_T_YR * scale)
    assert tankers["utilisation"] < 1.0
    assert tankers["shadow_price_usd_t"] == 0
    aktau = _row(after, "aktau_oil")
    assert aktau["utilisation"] == pytest.approx(1.0)
    assert aktau["shadow_price_usd_t"] == pytest.approx(CRUDE_VALUE - 39.9, abs=0.01)
    binding = after.to_dict()["binding"]
    assert "aktau_oil" in binding
    assert "aktau-dubendi-tankers" not in binding
    # what is no longer stranded is exactly the gain from the old lift to the terminal limit
    gained = _kz(before)["stranded_t"] - _kz(after)["stranded_t"]
    assert gained == pytest.approx((AKTAU_T_YR - TANKER_LIFT_T_YR) * scale, rel=1e-6)


def test_the_2_2_mt_agreement_goes_through_btc_at_its_cost_per_barrel() -> None:
    study = energy_flow(scenario="kazakh-crude-via-baku-2024")
    contract = next(c for c in study.to_dict()["commodities"] if c["id"] == "crude:kmg_socar_btc")
    assert contract["delivered_t"] == pytest.approx(2.2e6)
    assert contract["sold_t_by_market"] == {"ceyhan": pytest.approx(2.2e6)}
    # rail 10.1 + tankers 15 + Dubendi-Sangachal 1 + Sangachal handling 5 + BTC 20 = 51.1 USD/t
    assert contract["cost_usd_t"] == pytest.approx(51.1)
    assert contract["cost_usd_bbl"] == pytest.approx(51.1 / grade("tengiz").bbl_per_t)
    assert _row(study, "btc")["flow_t_by_commodity"]["crude:kmg_socar_btc"] == pytest.approx(2.2e6)


def test_black_sea_cable_2030_binds_at_its_megawatts() -> None:
    study = energy_flow(scenario="black-sea-cable-2030")
    cable = _row(study, "black_sea_cable")
    assert cable["flow_mw"] == pytest.approx(1000)
    assert cable["capacity_mw"] == pytest.approx(1000)
    # one more MWh through the cable is worth USD 100 less 5 (AZ-GE) and 15 (cable)
    assert cable["shadow_price_usd_mwh"] == pytest.approx(80)
    az = next(c for c in study.to_dict()["commodities"] if c["id"] == "power:AZ")
    assert az["stranded_mw"] == pytest.approx(500)
    # before it opens nothing flows
    assert _row(energy_flow(carrier="power", year=2024), "black_sea_cable")["flow_mw"] == 0


def test_gas_tap_is_full() -> None:
    study = energy_flow(carrier="gas", year=2024)
    assert _row(study, "tap")["flow_bcm"] == pytest.approx(10)
    assert _row(study, "tanap")["flow_bcm"] == pytest.approx(12)


def test_route_of_a_volume_from_tengiz() -> None:
    study = energy_route(origin="Tengiz", volume="2.2Mt")
    assert sum(r["flow_t"] for r in study.routes) == pytest.approx(2.2e6)
    assert all(r["cost_usd_t"] > 0 for r in study.routes)
    first = study.routes[0]
    assert first["cost_usd_bbl"] == pytest.approx(first["cost_usd_t"] / grade("tengiz").bbl_per_t)


def test_unknown_place_and_scenario_are_clear_errors() -> None:
    with pytest.raises(UnknownPlaceError, match="did you mean 'tengiz'"):
        energy_route(origin="Tengis", volume="2.2Mt")
    with pytest.raises(ScenarioError, match="did you mean 'cpc-outage-30d'"):
        energy_flow(scenario="cpc-outage-30")


def test_scenario_typo_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\nkind: energy\ncarrier: crude\nyear: 2024\nchanges:\n"
        "  - link: aktau-dubendi-tanker\n    add_vessels: 4\n"
        "  - node: novorossiysk_cpc\n    capacity_factr: 0.5\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        energy_flow(scenario=bad)
    text = str(err.value)
    assert "bad.yaml, line 9, field 'changes[1].capacity_factr': unknown field" in text
    assert "did you mean 'capacity_factor'" in text
    bad.write_text(
        "name: bad\nkind: energy\ncarrier: crude\nyear: 2024\nchanges:\n"
        "  - link: aktau-dubendi-tanker\n    add_vessels: 4\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        energy_flow(scenario=bad)
    assert "line 6, field 'changes[0].link': unknown energy link" in str(err.value)
    assert "did you mean 'aktau-dubendi-tankers'?" in str(err.value)
