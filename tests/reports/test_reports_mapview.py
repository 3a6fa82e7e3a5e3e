"""Maps as data for the map component: a run's flows, elements and bottlenecks (hand-made)."""

from __future__ import annotations

import pandas as pd
import pytest

from corridors.network import read_network
from corridors.reports.mapview import MapView, route_entry, run_flows_geojson, run_flows_layer
from corridors.routing import CostParameters, compare


@pytest.fixture(scope="module")
def mini(mini_path):
    return read_network(mini_path)


def _bottlenecks(rows: list[tuple[str, str, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "year": 2030,
                "element": e,
                "cargo": c,
                "volume_teu": v,
                "capacity_teu": cap,
                "utilisation": v / cap,
                "shadow_price_usd_teu": p,
            }
            for e, c, v, cap, p in rows
        ]
    )


def test_run_map_colours_links_nodes_and_fleets_and_marks_bottlenecks(mini) -> None:
    flows = pd.DataFrame(
        {
            "year": [2030, 2030, 2030, 2029],
            "link_id": ["l1", "l2", "l3", "l4"],
            "volume_teu": [1500.0, 1000.0, 800.0, 999.0],
        }
    )
    b = _bottlenecks(
        [
            ("node:xb", "all", 1000.0, 1000.0, 250.0),  # the border, full: 250 USD/TEU
            ("node:xb", "containers", 400.0, 1000.0, 0.0),
            ("link:l2@xb", "all", 1000.0, 2000.0, 0.0),  # half used
            ("link:l2@xc", "all", 200.0, 2000.0, 0.0),  # the other direction
            ("water:xc+xd@xd", "all", 300.0, 1000.0, 0.0),  # the ferries of Charlie-Delta
            ("water:xc+xd@xc", "all", 800.0, 1000.0, 0.0),  # ... the busier direction
        ]
    )
    geo = run_flows_geojson(mini, flows, b, year=2030)
    props = {
        (f["properties"]["element"], f["properties"]["id"]): f["properties"]
        for f in geo["features"]
    }
    # links with volume in 2030 only (l4's volume is 2029's)
    assert sorted(k for k in props if k[0] == "link") == [
        ("link", "l1"),
        ("link", "l2"),
        ("link", "l3"),
    ]
    assert props["link", "l1"]["utilisation"] is None  # no capacity of its own: grey
    assert props["link", "l1"]["volume_teu"] == 1500.0
    assert props["link", "l2"]["utilisation"] == 0.5
    assert props["link", "l2"]["bottleneck"] is False
    assert props["link", "l3"]["utilisation"] == 0.8  # from the fleet shared by its ports
    # the node takes its worst cargo row, and its shadow price
    assert props["node", "xb"]["utilisation"] == 1.0
    assert props["node", "xb"]["shadow_price_usd_teu"] == 250.0
    assert props["node", "xb"]["bottleneck"] is True
    assert props["node", "xb"]["name"] == "Bravo"
    (node,) = [f for f in geo["features"] if f["properties"]["element"] == "node"]
    assert node["geometry"]["coordinates"] == [2.0, 0.0]
    layer = run_flows_layer(geo)
    assert (layer["flowKey"], layer["priceKey"], layer["priceUnit"]) == (
        "volume_teu",
        "shadow_price_usd_teu",
        "USD/TEU",
    )
    assert MapView(layers=[layer]).spec() == {"layers": [layer]}


def test_route_entry_draws_each_leg_in_the_direction_used(mini) -> None:
    routes = compare(mini, "Echo", "Alpha", params=CostParameters())
    entry = route_entry(mini, routes[0])
    legs = entry["geometry"]["features"]
    assert [f["properties"]["link_id"] for f in legs] == [leg.link_id for leg in routes[0].legs]
    # Echo (12, 0) to Alpha (0, 0): the first leg starts at Echo, the last ends at Alpha
    assert legs[0]["geometry"]["coordinates"][0] == [12.0, 0.0]
    assert legs[-1]["geometry"]["coordinates"][-1] == [0.0, 0.0]
    assert entry["color"] == mini.corridor_color(routes[0].corridor)
