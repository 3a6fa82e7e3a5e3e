"""A measure's new links join the network: blanks as NaN, a missing length from the map."""

from __future__ import annotations

import math
from pathlib import Path

from corridors.network.io import read_network
from corridors.scenarios.measures import add_links
from corridors.scenarios.spec import NewLink


def test_new_links_take_blanks_as_nan_and_a_length_from_the_map(mini_path: Path) -> None:
    net = read_network(mini_path)
    before = len(net.links)
    drawn = NewLink(
        link_id="n1",
        from_node_id="Alpha",
        to_node_id="xe",
        mode="rail",
        free_speed=60.0,
        ef_g_tkm=20.0,
        corridors=["middle"],
        source="test",
    )
    measured = NewLink(
        link_id="n2",
        from_node_id="xc",
        to_node_id="xd",
        mode="ferry",
        length=250.0,
        sailings_per_week=7.0,
        ef_g_tkm=15.0,
        source="test",
    )
    links = add_links(net, [drawn, measured]).links.set_index("link_id")
    assert len(links) == before + 2
    n1, n2 = links.loc["n1"], links.loc["n2"]
    # Alpha (0, 0) to Echo (12, 0) on the equator: 12 degrees of a great circle, x 1.2
    assert math.isclose(n1["km"], 1.2 * 6371.0088 * math.radians(12.0), rel_tol=1e-9)
    assert (n1["from_node_id"], n1["to_node_id"]) == ("xa", "xe")
    assert n1["corridors"] == ("middle",)
    blanks = ("length", "time_h", "gauge_mm", "tracks", "trains_per_day", "capacity_teu_yr")
    assert all(math.isnan(n1[c]) for c in (*blanks, "capacity_t_yr", "sailings_per_week"))
    assert n2["km"] == 250.0
    assert n2["sailings_per_week"] == 7.0
    assert math.isnan(n2["free_speed"])
