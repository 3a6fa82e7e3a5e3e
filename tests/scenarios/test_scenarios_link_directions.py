"""Link flows by direction: from -> to and to -> from, against a per-direction capacity.

Toy network (tests/scenarios/toy) in 2024, Northern route only (c1 cn -> kzb, n1 kzb ->
ru, n2 ru -> eu, each declared from China towards Europe): 10,000 TEU Xian -> Duisburg
and 4,000 TEU Duisburg -> Xian. Each Northern link carries 10,000 TEU from -> to
(``volume_ab_teu``) and 4,000 TEU to -> from (``volume_ba_teu``), 14,000 in all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from corridors.network import read_network
from corridors.scenarios.model import run_scenario
from corridors.scenarios.spec import Scenario
from corridors.studies.corridor_equilibrium import assign_corridor_equilibrium

TOY = Path(__file__).parent / "toy"


def _market(id_: str, origin: str, destination: str, volume: float) -> dict[str, object]:
    return {
        "id": id_,
        "origin": origin,
        "destination": destination,
        "volume": volume,
        "growth": 0.0,
        "corridors": ["northern"],
    }


def test_link_flows_by_direction_by_hand() -> None:
    sc = Scenario.model_validate(
        {
            "name": "both-ways",
            "base_year": 2024,
            "horizon": 2024,
            "demand": {
                "markets": [
                    _market("west", "Xian", "Duisburg", 10_000),
                    _market("east", "Duisburg", "Xian", 4_000),
                ]
            },
        }
    )
    lf = run_scenario(read_network(TOY), sc).link_flows.set_index("link_id")
    assert sorted(lf.index) == ["c1", "n1", "n2"]
    for lid in ("c1", "n1", "n2"):
        assert lf.loc[lid, "volume_ab_teu"] == pytest.approx(10_000.0, rel=1e-12)
        assert lf.loc[lid, "volume_ba_teu"] == pytest.approx(4_000.0, rel=1e-12)
        assert lf.loc[lid, "volume_teu"] == pytest.approx(14_000.0, rel=1e-12)


def test_assign_links_by_direction_against_the_per_direction_capacity(tmp_path: Path) -> None:
    """``assign`` writes a row per link and direction; n1's 200,000 t a year (20,000
    TEU-equivalents at 10 t) is per direction: 10,000 / 20,000 = 0.5 westbound and
    4,000 / 20,000 = 0.2 eastbound, not 14,000 / 20,000."""
    net_dir = tmp_path / "toy"
    shutil.copytree(TOY, net_dir)
    links = pd.read_csv(net_dir / "link.csv", dtype=str, keep_default_na=False)
    links["capacity_t_yr"] = ["200000" if lid == "n1" else "" for lid in links["link_id"]]
    links.loc[links["corridors"] == "middle", "status"] = "planned"  # Northern only
    links.loc[links["corridors"] == "middle", "open_year"] = "2040"
    links.to_csv(net_dir / "link.csv", index=False)
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "origin,destination,commodity,volume,unit,year,market,source\n"
        "Xian,Duisburg,containers,10000,TEU,2024,west,hand-made\n"
        "Duisburg,Xian,containers,4000,TEU,2024,east,hand-made\n",
        encoding="utf-8",
    )
    res = assign_corridor_equilibrium(read_network(net_dir), demand, network_path=net_dir)
    rows = res.links().set_index(["link_id", "from_node_id", "to_node_id"])
    assert sorted(rows.index) == [
        ("c1", "cn", "kzb"),
        ("c1", "kzb", "cn"),
        ("n1", "kzb", "ru"),
        ("n1", "ru", "kzb"),
        ("n2", "eu", "ru"),
        ("n2", "ru", "eu"),
    ]
    assert rows.loc[("n1", "kzb", "ru"), "volume_teu_equivalent"] == pytest.approx(10_000.0)
    assert rows.loc[("n1", "ru", "kzb"), "volume_teu_equivalent"] == pytest.approx(4_000.0)
    assert rows.loc[("n1", "kzb", "ru"), "capacity_teu_equivalent"] == pytest.approx(20_000.0)
    assert rows.loc[("n1", "kzb", "ru"), "utilisation"] == pytest.approx(0.5)
    assert rows.loc[("n1", "ru", "kzb"), "utilisation"] == pytest.approx(0.2)
    assert rows.loc[("c1", "cn", "kzb"), "volume_teu_equivalent"] == pytest.approx(10_000.0)
    assert rows["utilisation"].isna().sum() == 4  # c1 and n2 have no capacity of their own
    # drawn in the direction of the flow: the eastbound n1 row starts at the Russian border
    gis = pytest.importorskip("corridors.gis")
    frame = gis.flows_geodataframe(res.network, res.links())
    east = frame[(frame["link_id"] == "n1") & (frame["from_node_id"] == "ru")]
    ru = res.network.nodes.set_index("node_id").loc["ru"]
    assert east.geometry.iloc[0].coords[0] == pytest.approx((ru["x_coord"], ru["y_coord"]))
