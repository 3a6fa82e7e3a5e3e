"""``corridors assign`` on a corridor network runs the model of ``corridors run``.

Known answers: the 2024 corridor volumes of ``run baseline-2024`` (same solver, same
demand table), the table's own totals per cargo class, the capacities of the elements.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from corridors.datasets import eurasia_path
from corridors.demand import read_demand
from corridors.network import Network, read_network
from corridors.scenarios.io import load_inputs
from corridors.scenarios.result import ScenarioResult
from corridors.studies.corridor_equilibrium import CorridorEquilibrium, assign_corridor_equilibrium
from corridors.studies.scenario import scenario_run

DEMAND = eurasia_path() / "demand-2024.csv"
TOLERANCE = 1e-5
"""Utilisation allowed above 1: the equilibrium's tolerance on a binding hard limit."""


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return read_network(eurasia_path())


@pytest.fixture(scope="module")
def assigned(eurasia: Network) -> CorridorEquilibrium:
    return assign_corridor_equilibrium(eurasia, DEMAND, network_path=eurasia_path())


@pytest.fixture(scope="module")
def run_2024(eurasia: Network) -> ScenarioResult:
    inputs = load_inputs("baseline-2024", network=eurasia)
    return scenario_run(eurasia, inputs.scenario.until(2024), catalogue=inputs.catalogue)


def test_assign_and_run_give_the_same_2024_corridor_volumes(
    assigned: CorridorEquilibrium, run_2024: ScenarioResult
) -> None:
    assert assigned.scenario == "baseline-2024"
    assert assigned.year == 2024
    assert assigned.converged
    ours = assigned.result.corridor_volumes.groupby("corridor")["volume_teu"].sum()
    cv = run_2024.corridor_volumes
    theirs = cv[cv["year"] == 2024].groupby("corridor")["volume_teu"].sum()
    assert set(ours.index) == set(theirs.index) >= {"middle", "northern", "sea_cape", "energy"}
    for corridor, volume in theirs.items():
        assert ours[corridor] == pytest.approx(volume, rel=1e-9)
    # link flows are the route flows of the same equilibrium
    links = assigned.links().groupby("link_id")["volume_teu_equivalent"].sum()
    lf = run_2024.link_flows
    run_links = lf[(lf["year"] == 2024) & (lf["volume_teu"] > 0)].set_index("link_id")
    assert set(links.index) == set(run_links.index)
    for lid, volume in run_links["volume_teu"].items():
        assert links[lid] == pytest.approx(volume, rel=1e-9)


def test_volumes_are_the_tables_in_each_class_own_unit(assigned: CorridorEquilibrium) -> None:
    table = read_demand(DEMAND)
    by_market = table.groupby("market")["volume"].sum()
    frame = assigned.corridor_volumes()
    total = frame.groupby(["commodity", "unit"])["volume"].sum()
    # baseline-2024 offers all the rail containers and a tenth of the sea containers
    containers = by_market["china_eu"] + 0.1 * by_market["china_eu_sea"]
    containers += by_market["china_caucasus_tr"] + by_market["china_ru_by"]
    assert total["containers", "TEU"] == pytest.approx(containers, rel=1e-9)
    bulk = by_market[["central_asia_tr", "central_asia_eu", "kz_caucasus"]].sum()
    assert total["dry_bulk", "t"] == pytest.approx(bulk, rel=1e-9)
    # crude: in tonnes, on the energy corridor, never in TEU
    crude = frame[frame["commodity"] == "liquid_bulk"]
    assert set(crude["unit"]) == {"t"}
    assert set(crude["corridor"]) == {"energy"}
    assert crude["volume"].sum() == pytest.approx(by_market["kz_crude"])
    assert ("liquid_bulk", "TEU") not in total.index


def test_no_element_above_capacity(assigned: CorridorEquilibrium) -> None:
    el = assigned.elements()
    assert len(el) > 10
    assert (el["utilisation"] <= 1.0 + TOLERANCE).all(), el.sort_values("utilisation").tail(3)
    full = el[el["utilisation"] > 1.0 - TOLERANCE]
    # a full element under a hard limit carries a shadow price instead of more cargo; of
    # sections in series with the same trains (Alashankou - Dostyk - Aktogay - Moyinty)
    # one holds the limit and its price
    priced = full[full["shadow_price_usd_teu"] > 0]
    assert len(priced) > 0
    held = {round(float(v)) for v in priced["volume_teu"]}
    assert all(round(float(v)) in held for v in full["volume_teu"]), full.to_string()
    links = assigned.links()
    assert (links["utilisation"].dropna() <= 1.0 + TOLERANCE).all()


def test_crude_never_counts_against_a_teu_capacity(eurasia: Network, tmp_path: Path) -> None:
    table = read_demand(DEMAND)
    crude = table[table["market"] == "kz_crude"].drop(columns=["_line"])
    path = tmp_path / "crude.csv"
    crude.to_csv(path, index=False)
    res = assign_corridor_equilibrium(eurasia, path, network_path=eurasia_path())
    el = res.elements()
    used = el[el["volume_teu"] > 0]
    assert len(used) > 0  # the pipelines and the tanker lift carry it
    assert "containers" not in set(used["cargo"])
    volumes = res.corridor_volumes()
    assert volumes["volume"].sum() == pytest.approx(crude["volume"].sum())
    assert set(volumes["unit"]) == {"t"}


def test_other_networks_get_hard_capacities_and_the_table_year(
    mini_path: Path, tmp_path: Path
) -> None:
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "origin,destination,commodity,volume,unit,year,market,source\n"
        "Alpha,Echo,containers,600,TEU,2024,test,hand-made\n"
        "Alpha,Echo,dry_bulk,3000,t,2024,bulk,hand-made\n"
    )
    net = read_network(mini_path)
    res = assign_corridor_equilibrium(net, demand, network_path=mini_path)
    assert res.scenario == "assign"
    assert res.year == 2024
    frame = res.corridor_volumes().groupby(["commodity", "unit"])["volume"].sum()
    assert frame["containers", "TEU"] == pytest.approx(600.0)
    assert frame["dry_bulk", "t"] == pytest.approx(3000.0)


def test_cli_assign_runs_the_model_and_checks_its_options(
    run_cli, eurasia: Network, tmp_path: Path, run_2024: ScenarioResult
) -> None:
    target = tmp_path / "flows.csv"
    code, out, err = run_cli("assign", str(eurasia_path()), str(DEMAND), "-o", str(target))
    assert code == 0, err
    assert "with the behaviour of baseline-2024" in out
    assert "energy liquid_bulk: 2,200,000 t" in out
    flows = pd.read_csv(target)
    lf = run_2024.link_flows
    assert flows["volume_teu_equivalent"].sum() == pytest.approx(
        lf.loc[lf["year"] == 2024, "volume_teu"].sum(), rel=1e-9
    )
    # options of the link model are refused without it; an unknown scenario is a usage error
    code, _, err = run_cli(
        "assign", str(eurasia_path()), str(DEMAND), "--vot", "5", "-o", str(target)
    )
    assert code == 2
    assert "--link-model" in err
    code, _, err = run_cli(
        "assign", str(eurasia_path()), str(DEMAND), "--scenario", "baseline-2042", "-o", str(target)
    )
    assert code == 2
    assert "baseline-2024" in err


def test_cli_assign_gap_and_max_iter_reach_the_corridor_model(
    run_cli, eurasia: Network, tmp_path: Path
) -> None:
    """``--gap``/``--max-iter`` set the year solver's tolerance and iteration limit (one
    iteration cannot reach 1e-12, so it is not converged: exit 1, nothing written);
    ``--algorithm`` belongs to the link model."""
    target = tmp_path / "flows.csv"
    args = ("assign", str(eurasia_path()), str(DEMAND), "-o", str(target))
    code, _, err = run_cli(*args, "--gap", "1e-12", "--max-iter", "1")
    assert code == 1, err
    assert "not converged" in err.lower() or "NOT converged" in err
    assert not target.exists()
    code, _, err = run_cli(*args, "--gap", "1e-12", "--max-iter", "1", "--allow-unconverged")
    assert code == 0, err
    assert target.exists()
    loose = assign_corridor_equilibrium(
        eurasia, DEMAND, network_path=eurasia_path(), tolerance=1e-12, max_iterations=1
    )
    assert loose.iterations == 1
    assert not loose.converged
    code, _, err = run_cli(*args, "--algorithm", "msa")
    assert code == 2
    assert "--link-model" in err


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("xian,duisburg,containers,10,TEU,2024,,16.7,x", "market", "market of every row"),
        ("tengiz,ceyhan,liquid_bulk,10,TEU,2024,kz_crude,0.15,x", "unit", "counted in t"),
        ("xian,duisbrug,containers,10,TEU,2024,china_eu,16.7,x", "destination", "unknown place"),
    ],
)
def test_cli_assign_bad_rows_name_file_line_and_field(
    run_cli, tmp_path: Path, row: str, field: str, words: str
) -> None:
    demand = tmp_path / "demand.csv"
    head = DEMAND.read_text(encoding="utf-8").splitlines()[:3]
    demand.write_text("\n".join([*head, row]) + "\n", encoding="utf-8")
    target = tmp_path / "flows.csv"
    code, _, err = run_cli("assign", str(eurasia_path()), str(demand), "-o", str(target))
    assert code == 1
    assert "demand.csv" in err
    assert "line 4" in err or ":4" in err
    assert field in err
    assert words in err
    assert not target.exists()


def test_cli_run_reports_crude_in_tonnes_not_teu(run_cli) -> None:
    code, out, err = run_cli("run", "baseline-2024", "--to", "2024", "--no-store")
    assert code == 0, err
    containers, _, bulk = out.partition("bulk and crude,")  # titles wrap at the table's width
    assert "containers, TEU a year" in " ".join(containers.split())
    assert "tonnes a year" in bulk
    assert "energy" not in containers  # crude is never in the TEU table
    assert "energy" in bulk
    assert "2,200,000" in bulk


def test_assign_reports_the_demand_no_route_carries(
    run_cli, mini_path: Path, tmp_path: Path
) -> None:
    """Foxtrot closed all year: its rows are unserved (with the closure), never dropped.

    Alpha -> Echo 600 TEU goes by the Middle route; Alpha -> Foxtrot 100 TEU and
    Foxtrot -> Echo 3,000 t (300 TEU-equivalents) have no route: served 600 +
    unserved 400 = the table's 1,000 TEU-equivalents.
    """
    scenario = tmp_path / "closed.yaml"
    scenario.write_text(
        "name: foxtrot-closed\nbase_year: 2024\nhorizon: 2024\n"
        f"network: {mini_path}\n"
        "demand:\n  markets:\n    - {id: test, origin: Alpha, destination: Echo, volume: 1}\n"
        "disruptions:\n"
        "  - {id: foxtrot_shut, nodes: [Foxtrot], closed: true, start: 2024-01-01}\n"
        "behaviour:\n  capacity_limits: hard\n",
        encoding="utf-8",
    )
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "origin,destination,commodity,volume,unit,year,market,source\n"
        "Alpha,Echo,containers,600,TEU,2024,test,hand-made\n"
        "Alpha,Foxtrot,containers,100,TEU,2024,russia,hand-made\n"
        "Foxtrot,Echo,dry_bulk,3000,t,2024,bulk,hand-made\n",
        encoding="utf-8",
    )
    res = assign_corridor_equilibrium(
        read_network(mini_path), demand, network_path=mini_path, scenario=str(scenario)
    )
    un = res.unserved().set_index("market")
    assert un.loc["russia", ["origin", "destination", "unit"]].tolist() == [
        "Alpha",
        "Foxtrot",
        "TEU",
    ]
    assert un.loc["russia", "volume"] == pytest.approx(100.0)
    assert un.loc["bulk", "volume"] == pytest.approx(3000.0)
    assert un.loc["bulk", "volume_teu"] == pytest.approx(300.0)
    assert set(un["reason"]) == {"closed: foxtrot_shut"}
    served = res.corridor_volumes()["volume_teu_equivalent"].sum()
    assert served == pytest.approx(600.0)
    assert served + un["volume_teu"].sum() == pytest.approx(1000.0)
    code, out, err = run_cli(
        "assign",
        str(mini_path),
        str(demand),
        "--scenario",
        str(scenario),
        "-o",
        str(tmp_path / "flows.csv"),
    )
    assert code == 0, err
    assert "unserved demand, a year (no route, or no room; not in the volumes above):" in out
    assert "  russia Alpha - Foxtrot: 100 TEU (closed: foxtrot_shut)" in out
    assert "  bulk Foxtrot - Echo: 3,000 t (closed: foxtrot_shut)" in out
