"""Routing on the hand-made mini network, against totals computed by hand.

Mini network (tests/fixtures/mini), one TEU from Alpha (CN) to Echo (DE):

Middle: terminal Alpha 2 h $50 | l1 rail 300 km at 50 km/h = 6 h $300, 20 g/tkm x 300 km
x 10 t = 60 kg | Bravo: border 10 h $100 + gauge change 5 h $200 | l2 500 km 10 h $400
100 kg | Charlie: rail -> ferry 6 h $150 | l3 ferry 18 h + half of a daily headway 12 h,
$800, 160 g x 250 km x 10 t = 400 kg | Delta: ferry -> rail 6 h $150 | l4 10 h $500
100 kg | terminal Echo 2 h $50.
Totals: 87 h, $2,700, 660 kg, 1,550 km, 3 borders (CN-KZ, KZ-AZ, AZ-DE), 3 transfers.

Northern: terminal 2 h $50 | l1 6 h $300 60 kg | Bravo: into KZ 10 h $100 + gauge change
5 h $200 | out of KZ at Bravo 3 h $30 | l5 10 h $300 100 kg | into RU at Foxtrot 20 h $50 |
gauge change 24 h $300 | l6 1,000 km 20 h $600 200 kg (no exit clearance at Foxtrot) |
terminal 2 h $50. Totals: 102 h, $1,980, 360 kg, 1,800 km, 3 borders, 2 transfers.

Generalised cost = USD + VOT x hours: the two are equal at VOT = 720 / 15 = 48 USD/h.

Borders are directional: a crossing pays the outbound clearance where it leaves a country
and the inbound clearance where it enters. Eastbound on the middle corridor the train
leaves KZ at Bravo (3 h, $30) instead of entering it (10 h, $100): 80 h and $2,630.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from corridors.errors import UnknownPlaceError, UnreachableError
from corridors.network import read_network
from corridors.routing import CostParameters, alternatives, best_route, compare


@pytest.fixture(scope="module")
def mini(mini_path):
    return read_network(mini_path)


def _by_corridor(routes):
    return {r.corridor: r for r in routes}


def test_totals_per_corridor_match_hand_computation(mini):
    routes = _by_corridor(
        compare(mini, "Alpha", "Echo", params=CostParameters(value_of_time_usd_h=10))
    )
    middle, northern = routes["middle"], routes["northern"]
    assert middle.hours == pytest.approx(87.0)
    assert middle.usd == pytest.approx(2700.0)
    assert middle.kg_co2e == pytest.approx(660.0)
    assert middle.km == pytest.approx(1550.0)
    assert (middle.borders, middle.transfers) == (3, 3)
    assert middle.link_ids == ("l1", "l2", "l3", "l4")
    assert northern.hours == pytest.approx(102.0)
    assert northern.usd == pytest.approx(1980.0)
    assert northern.kg_co2e == pytest.approx(360.0)
    assert northern.km == pytest.approx(1800.0)
    assert (northern.borders, northern.transfers) == (3, 2)
    assert northern.generalised_cost_usd == pytest.approx(1980 + 10 * 102)


def test_per_tonne_costs_use_tonne_tariffs(mini):
    routes = _by_corridor(
        compare(mini, "Alpha", "Echo", params=CostParameters(unit="t", value_of_time_usd_h=1))
    )
    # per tonne: handling 5+20+15+15+5, border 10, tariffs 30+40+80+50 = 270
    assert routes["middle"].usd == pytest.approx(270.0)
    # emissions per tonne are a tenth of those per 10-t TEU
    assert routes["middle"].kg_co2e == pytest.approx(66.0)


@pytest.mark.parametrize(
    ("vot", "cheapest"),
    [(10.0, "northern"), (47.0, "northern"), (49.0, "middle"), (100.0, "middle")],
)
def test_value_of_time_switches_route_at_hand_computed_point(mini, vot, cheapest):
    routes = compare(mini, "Alpha", "Echo", params=CostParameters(value_of_time_usd_h=vot))
    assert routes[0].corridor == cheapest
    assert (
        best_route(mini, "Alpha", "Echo", params=CostParameters(value_of_time_usd_h=vot)).corridor
        == cheapest
    )


def test_carbon_price_enters_generalised_cost(mini):
    # at VOT 10 and USD 1,000/t CO2e: middle 2700+870+660 = 4230; northern 1980+1020+360 = 3360
    routes = _by_corridor(
        compare(
            mini, "xa", "xe", params=CostParameters(value_of_time_usd_h=10, carbon_price_usd_t=1000)
        )
    )
    assert routes["middle"].generalised_cost_usd == pytest.approx(4230.0)
    assert routes["northern"].generalised_cost_usd == pytest.approx(3360.0)


def test_steps_list_borders_transfers_and_scheduled_wait(mini):
    middle = _by_corridor(compare(mini, "Alpha", "Echo"))["middle"]
    kinds = [(s.kind, s.node_id or s.link_id) for s in middle.steps]
    assert kinds == [
        ("terminal", "xa"),
        ("link", "l1"),
        ("border", "xb"),
        ("transfer", "xb"),
        ("link", "l2"),
        ("transfer", "xc"),
        ("link", "l3"),
        ("transfer", "xd"),
        ("link", "l4"),
        ("terminal", "xe"),
    ]
    ferry = middle.steps[6]
    assert ferry.wait_h == pytest.approx(12.0)  # 7 sailings a week: headway 24 h, half of it
    assert ferry.hours == pytest.approx(30.0)
    assert sum(s.hours for s in middle.steps) == pytest.approx(middle.hours)
    assert middle.node_ids == ("xa", "xb", "xc", "xd", "xe")


def test_reverse_direction_uses_same_links_and_outbound_clearance(mini):
    back = _by_corridor(compare(mini, "Echo", "Alpha"))["middle"]
    assert back.link_ids == ("l4", "l3", "l2", "l1")
    assert back.hours == pytest.approx(80.0)
    assert back.usd == pytest.approx(2630.0)
    kinds = [(s.kind, s.node_id or s.link_id) for s in back.steps]
    assert kinds[-4:] == [("transfer", "xb"), ("border", "xb"), ("link", "l1"), ("terminal", "xa")]


def test_northern_pays_exit_and_entry_in_order(mini):
    northern = _by_corridor(compare(mini, "Alpha", "Echo"))["northern"]
    kinds = [(s.kind, s.node_id or s.link_id, s.hours) for s in northern.steps]
    assert kinds == [
        ("terminal", "xa", 2.0),
        ("link", "l1", 6.0),
        ("border", "xb", 10.0),
        ("transfer", "xb", 5.0),
        ("border", "xb", 3.0),
        ("link", "l5", 10.0),
        ("border", "xf", 20.0),
        ("transfer", "xf", 24.0),
        ("link", "l6", 20.0),
        ("terminal", "xe", 2.0),
    ]


def test_planned_link_opens_in_its_year(mini):
    before = alternatives(mini, "Alpha", "Echo", k=5, params=CostParameters(year=2029))
    after = alternatives(mini, "Alpha", "Echo", k=5, params=CostParameters(year=2030))
    assert all("l7" not in r.link_ids for r in before)
    assert any("l7" in r.link_ids for r in after)
    assert len(after) == len(before) + 1 == 3


def test_alternatives_are_sorted_distinct_and_physically_loopless(mini):
    routes = alternatives(
        mini, "Alpha", "Echo", k=10, params=CostParameters(year=2030, value_of_time_usd_h=10)
    )
    costs = [r.generalised_cost_usd for r in routes]
    assert costs == sorted(costs)
    assert len({r.link_ids for r in routes}) == len(routes)
    for r in routes:
        assert len(set(r.node_ids)) == len(r.node_ids)


def test_unknown_place_suggests_nearest(mini):
    with pytest.raises(UnknownPlaceError, match="did you mean 'Echo'"):
        compare(mini, "Alpha", "Ecko")


def test_place_lookup_ignores_case_punctuation_and_uses_aliases(mini):
    assert mini.place("ALFA") == "xa"
    assert mini.place("charlie") == "xc"
    assert mini.place("xd") == "xd"


def test_unreachable_destination_is_a_clear_error(mini):
    closed = mini.with_closed(links=["l4", "l6"])
    with pytest.raises(UnreachableError, match="no route from Alpha to Echo"):
        compare(closed, "Alpha", "Echo")


def test_closing_a_corridor_keeps_shared_links(mini):
    closed = mini.with_closed(corridors=["northern"])
    assert "l5" not in set(closed.links["link_id"])
    assert "l1" in set(closed.links["link_id"])  # shared with the middle corridor
    assert [r.corridor for r in compare(closed, "Alpha", "Echo")] == ["middle"]


def test_route_json_has_documented_fields(mini):
    route = compare(mini, "Alpha", "Echo")[0]
    data = json.loads(json.dumps(route.to_dict()))
    for key in ("corridor", "days", "usd", "kg_co2e", "km", "borders", "transfers", "legs"):
        assert key in data
    assert data["days"] == pytest.approx(route.hours / 24, abs=1e-3)
    assert [leg["link_id"] for leg in data["legs"]] == list(route.link_ids)


def test_suggestions_keep_apostrophes_and_prefer_names(mini):
    nodes = mini.nodes.copy()
    nodes.loc[nodes["node_id"] == "xe", "name"] = "Xi'an"
    nodes.loc[nodes["node_id"] == "xe", "aliases"] = pd.Series(
        [("Xian",)], index=nodes.index[nodes["node_id"] == "xe"]
    )
    with pytest.raises(UnknownPlaceError) as info:
        mini.with_tables(nodes=nodes).place("Xi'ang")
    assert info.value.suggestions[0] == "Xi'an"
