"""Reading and writing GMNS folders: round trip, extra columns, integer ids."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from corridors.network import read_network, write_network
from corridors.network.schema import LINK, NETWORK_TABLES, NODE


def test_round_trip_keeps_values_and_extra_columns(mini_path, tmp_path):
    net = read_network(mini_path)
    out = write_network(net, tmp_path / "copy")
    again = read_network(out)
    for name in ("nodes", "links", "vessels", "corridors"):
        a = getattr(net, name).drop(columns=["_line"])
        b = getattr(again, name).drop(columns=["_line"])
        pd.testing.assert_frame_equal(a, b)
    with (out / "node.csv").open() as fh:
        header = next(csv.reader(fh))
    assert header[-1] == "remark"  # an undeclared column survives, in place
    assert "km" not in (out / "link.csv").read_text().splitlines()[0].split(",")  # derived


def test_second_write_is_byte_identical(mini_path, tmp_path):
    first = write_network(read_network(mini_path), tmp_path / "a")
    second = write_network(read_network(first), tmp_path / "b")
    for table in ("config.csv", "node.csv", "link.csv", "vessel.csv", "corridor.csv"):
        assert (first / table).read_bytes() == (second / table).read_bytes()


def test_integer_ids(mini_path, tmp_path):
    net = read_network(mini_path)
    mapping = {nid: str(i + 100) for i, nid in enumerate(net.nodes["node_id"])}
    nodes = net.nodes.assign(node_id=net.nodes["node_id"].map(mapping))
    links = net.links.assign(
        link_id=[str(i + 1) for i in range(len(net.links))],
        from_node_id=net.links["from_node_id"].map(mapping),
        to_node_id=net.links["to_node_id"].map(mapping),
    )
    vessels = net.vessels.assign(link_id=["3"])
    changed = net.with_tables(nodes=nodes, links=links)
    changed = type(changed)(
        **{**changed.__dict__, "vessels": vessels, "config": {**net.config, "id_type": "integer"}}
    )
    folder = write_network(changed, tmp_path / "ints")
    again = read_network(folder)
    assert list(again.nodes["node_id"]) == ["100", "101", "102", "103", "104", "105"]
    from corridors.routing import compare

    assert {r.corridor for r in compare(again, "Alpha", "Echo")} == {"middle", "northern"}


def test_schema_declares_gmns_core_fields():
    assert {"node_id", "x_coord", "y_coord"} <= {f.name for f in NODE.fields if f.gmns}
    assert {"link_id", "from_node_id", "to_node_id", "directed", "length", "free_speed"} <= {
        f.name for f in LINK.fields if f.gmns
    }
    for table in NETWORK_TABLES:
        for fld in table.fields:
            assert fld.description, (table.name, fld.name)


def test_for_year_and_operating(mini_path):
    net = read_network(mini_path)
    assert "l7" not in set(net.operating().links["link_id"])
    assert "l7" in set(net.for_year(2030).links["link_id"])
    assert "l7" not in set(net.for_year(2029).links["link_id"])


def test_unknown_closure_suggests(mini_path):
    from corridors.errors import NetworkError

    net = read_network(mini_path)
    with pytest.raises(NetworkError, match="did you mean 'suez'"):
        net.with_closed(passages=["suze"])


def test_rows_read_once_equal_the_tables(mini_path):
    """``node_row``/``link_row`` give each row's values as the table holds them."""
    net = read_network(mini_path)
    for table, row_of in ((net.nodes, net.node_row), (net.links, net.link_row)):
        for i in range(len(table)):
            row = row_of(i)
            assert list(row) == [str(c) for c in table.columns]
            for column, value in table.iloc[i].items():
                got = row[str(column)]
                assert got == value or (pd.isna(got) and pd.isna(value)), (i, column)
    first = net.nodes["node_id"].iloc[0]
    assert net.node_row(net.node_index[first])["node_id"] == first
    assert net.for_year(2030).link_row(0) is not net.link_row(0)  # a new network reads anew


def test_operating_network_is_made_once(mini_path):
    """``operating()`` keeps only operating elements, and a network makes it once."""
    net = read_network(mini_path)
    live = net.operating()
    assert live is net.operating()
    assert set(live.nodes["status"]) <= {"operating"}
    assert set(live.links["status"]) <= {"operating"}


def test_a_derived_value_is_made_once_per_network(mini_path):
    """``derived`` keeps what ``make`` returned for a key; a variant makes its own."""
    net = read_network(mini_path)
    made: list[int] = []

    def make() -> int:
        made.append(len(made))
        return len(made)

    assert net.derived(("count", 1), make) == 1
    assert net.derived(("count", 1), make) == 1
    assert net.derived(("count", 2), make) == 2
    assert net.for_year(2030).derived(("count", 1), make) == 3
    assert made == [0, 1, 2]
