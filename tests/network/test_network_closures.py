"""Closures by name: passages, countries, borders, places and links (the mini network).

Mini network (tests/fixtures/mini): Alpha (CN) - Bravo (KZ) - Charlie (KZ) ~ferry~ Delta (AZ)
- Echo (DE) is the middle corridor; Bravo - Foxtrot (RU) - Echo the northern one.
"""

from __future__ import annotations

import pytest

from corridors.errors import NetworkError, UnknownClosureError, UnknownNameError
from corridors.network import read_network
from corridors.network.closures import (
    PASSAGE_NAMES,
    Closures,
    borders_of,
    resolve_closures,
)
from corridors.network.schema import SEA_PASSAGES


@pytest.fixture(scope="module")
def mini(mini_path):
    return read_network(mini_path)


def test_every_passage_has_a_readable_name():
    assert set(PASSAGE_NAMES) == set(SEA_PASSAGES)
    assert PASSAGE_NAMES["ormuz"][0] == "Strait of Hormuz"


def test_names_resolve_to_each_kind(mini):
    got = resolve_closures(mini, ["Strait of Hormuz, suez", "ru", "KZ-AZ", "Charlie", "l4"])
    assert got == Closures(
        passages=("ormuz", "suez"),
        countries=("RU",),
        borders=(("AZ", "KZ"),),
        nodes=("xc",),
        links=("l4",),
    )
    assert resolve_closures(mini, []) == Closures()
    assert not Closures()


def test_borders_are_the_land_and_ferry_links_between_two_countries(mini):
    assert borders_of(mini) == {
        ("AZ", "DE"): ["l4", "l7"],
        ("AZ", "KZ"): ["l3"],
        ("CN", "KZ"): ["l1"],
        ("DE", "RU"): ["l6"],
        ("KZ", "RU"): ["l5"],
    }


def test_country_closes_its_nodes_and_their_links(mini):
    net = mini.closing(["RU"])
    assert "xf" not in net.node_index
    assert set(net.link_index) == {"l1", "l2", "l3", "l4", "l7"}  # l5, l6 touch Foxtrot


def test_border_closes_the_crossing_not_the_countries(mini):
    net = mini.closing(["RU-KZ"])
    assert set(net.node_index) == set(mini.node_index)
    assert set(net.link_index) == set(mini.link_index) - {"l5"}


def test_place_and_link_closures(mini):
    assert set(mini.closing(["Charlie"]).link_index) == {"l1", "l5", "l6", "l4", "l7"}
    assert set(mini.closing(["l3", "l4"]).link_index) == {"l1", "l2", "l5", "l6", "l7"}


def test_unknown_names_are_reported_together_with_suggestions(mini):
    with pytest.raises(UnknownClosureError) as info:
        resolve_closures(mini, ["suze", "Ecko", "CN-DE"])
    err = info.value
    assert isinstance(err, UnknownNameError)  # the CLI exits 2 on it
    assert [p.value for p in err.problems] == ["suze", "Ecko", "CN-DE"]
    assert err.problems[0].hint == "did you mean 'suez'?"
    assert err.problems[1].hint == "did you mean 'Echo'?"
    assert err.problems[2].message == "no link crosses the CN-DE border"


def test_every_link_closed_plus_a_passage_is_an_empty_network(mini):
    # used to raise TypeError: a float array from an empty list or-ed into a bool mask
    net = mini.with_closed(links=list(mini.link_index), passages=["suez"])
    assert len(net.links) == 0
    assert len(net.nodes) == len(mini.nodes)
    empty = net.with_closed(passages=["suez"], corridors=["middle"], borders=[("KZ", "RU")])
    assert len(empty.links) == 0


def test_with_closed_rejects_unknown_countries(mini):
    with pytest.raises(NetworkError, match="unknown country"):
        mini.with_closed(countries=["XX"])
