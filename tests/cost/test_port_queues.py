"""Every element of the shipped network that can bind has a queue below its capacity.

Ports and the BTK gauge change had a table capacity but no servers (a hard limit with
no delay below it); they now have berths from a source or the capacity rule of
:func:`corridors.cost.element_queues.node_servers`, and the equilibrium and the
simulation serve the same servers.
"""

from __future__ import annotations

import math

import pytest

from corridors.cost.element_queues import (
    CAPACITY_SERVERS_RULE,
    capacity_teu_yr,
    element_queue,
    line_queue,
    node_lined,
    node_servers,
)
from corridors.cost.mean_waits import QueueElement
from corridors.datasets import eurasia_path
from corridors.network import Network, read_network
from corridors.network.schema import NODE
from corridors.routing import Route, compare
from corridors.scenarios.elements import network_elements
from corridors.scenarios.route_elements import element_share, route_elements
from corridors.simulation import BuildOptions
from corridors.simulation.resources import ResourceBuilder

OPEN = 1.0 - 54.5 / 365.0  # a Caspian port outside its storm days


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return read_network(eurasia_path()).for_year(2024)


def route(net: Network, origin: str, destination: str, corridor: str) -> Route:
    """The route of ``corridor`` among the corridors' routes."""
    found = {r.corridor: r for r in compare(net, origin, destination)}
    return found[corridor]


def test_capacity_rule_by_hand() -> None:
    # Batumi: 100k TEU a year = 1,000 trains of 100 TEU x 24 h / 8,760 h = 2.74 -> 3
    assert node_servers("", "", 24.0, capacity_teu_yr=100_000) == 3
    # Aktau: the more of 140k TEU (1,400 trains) and 11 Mt (7,333 wagon groups of
    # 1,500 t): 7,333.3 x 7 h / (8,760 h x 0.851 open) = 6.89 -> 7
    assert node_servers(None, None, 7.0, capacity_teu_yr=140e3, capacity_t_yr=11e6) == 6
    assert (
        node_servers(None, None, 7.0, capacity_teu_yr=140e3, capacity_t_yr=11e6, open_share=OPEN)
        == 7
    )
    # Akhalkalaki: 5 Mt = 3,333 groups x 12 h / 8,760 h = 4.57 -> 5 tracks
    assert node_servers(math.nan, math.nan, 12.0, capacity_t_yr=5e6) == 5
    # berths and trains a day come first; no capacity and no service: no servers
    assert node_servers(2, 10, 7.0, capacity_t_yr=6e6) == 2
    assert node_servers("", 10, 4.25, capacity_t_yr=15e6) == 2  # ceil(10 x 4.25 / 24)
    assert node_servers("", "", 7.0) is None
    assert node_servers("", "", 0.0, capacity_teu_yr=1e5) is None
    # the rule is declared once and the schema says it
    berths = next(f for f in NODE.fields if f.name == "berths")
    assert "capacity" in berths.description
    assert "1,500 t" in CAPACITY_SERVERS_RULE


def test_shipped_ports_get_the_servers_of_their_sources(eurasia: Network) -> None:
    expected = {  # node: (kind, servers, service h, open share)
        "alat": ("port", 4, 7.0, OPEN),  # PORT-BAKU-BERTHS: 2 rail-ferry + 2 Ro-Ro
        "kuryk": ("port", 2, 7.0, OPEN),  # KURYK-BERTHS: two railway berths
        "aktau": ("port", 7, 7.0, OPEN),  # the capacity rule, as above
        "turkmenbashi": ("port", 11, 7.0, OPEN),  # 17 Mt: 11,333 groups x 7 / 7,452 h
        "poti": ("terminal", 11, 24.0, 1.0),  # 400k TEU: 4,000 trains x 24 / 8,760 h
        "batumi": ("terminal", 3, 24.0, 1.0),
        "akhalkalaki": ("gauge", 5, 12.0, 1.0),
    }
    for node, (kind, servers, service, open_share) in expected.items():
        q = element_queue(eurasia, f"node:{node}")
        assert isinstance(q, QueueElement), node
        assert (q.kind, q.servers, q.service_h) == (kind, servers, service), node
        assert q.open_share == pytest.approx(open_share), node
        if node in ("alat", "kuryk"):  # their published berths, whatever the table says
            continue
        # by the rule the stated capacity is where the queue binds: it passes at least it
        row = eurasia.node_row(eurasia.node_index[node])
        teu = float(row["capacity_teu_yr"]) if row["capacity_teu_yr"] > 0 else 0.0
        groups = float(row["capacity_t_yr"]) / 1500.0 if row["capacity_t_yr"] > 0 else 0.0
        assert q.capacity_per_h * 8760.0 >= max(teu / 100.0, groups) - 1e-6, node
    # a Black Sea port without ships in vessel.csv serves every transfer at its cranes
    assert node_lined(eurasia, "alat")
    assert not node_lined(eurasia, "poti")


def test_one_port_delay_by_hand(eurasia: Network) -> None:
    """Batumi: M/G/3, 24 h a train, cv 0.5, at utilisation 0.8 (Allen-Cunneen)."""
    batumi = element_queue(eurasia, "node:batumi")
    assert isinstance(batumi, QueueElement)
    rate = 0.8 * 3 / 24.0  # trains an hour: offered load a = 2.4 Erlangs
    # Erlang C: a^3 / (3! (1 - rho)) = 11.52 over 1 + 2.4 + 2.88 + 11.52 = 17.8
    c = 11.52 / 17.8
    # W_q = C x 24 h / (3 x 0.2) x (1 + 0.5^2) / 2 = C x 25 h = 16.18 h
    assert c * 24.0 / (3 * 0.2) * (1 + 0.25) / 2 == pytest.approx(16.1798, rel=1e-4)
    assert batumi.wait_h(rate) == pytest.approx(16.1798, rel=1e-4)
    assert capacity_teu_yr(batumi) == pytest.approx(3 / 24.0 * 8760 * 100)


def test_no_element_that_can_bind_is_left_without_a_queue(eurasia: Network) -> None:
    """Every capacitated node and link of the shipped network has a queue, but:

    - a node's throughput (``node:aktau@throughput``): the table tonnes of a port whose
      crude tankers never take a ferry berth; its berths are the port's queue;
    - a pipeline: a continuous flow with no servers or shipments, whose capacity is a
      hard limit (the energy flows' shadow price), not a queue.
    """
    groups = network_elements(eurasia, tonnes_per_teu=10.0)
    without = set()
    for element in [*groups.nodes.values(), *groups.links.values()]:
        if element_queue(eurasia, element.key) is None:
            without.add(element.key)
    pipelines = set(eurasia.links.loc[eurasia.links["mode"] == "pipeline", "link_id"])
    for key in without:
        link = key.partition(":")[2].partition("@")[0]
        assert key.startswith("link:"), key
        assert link in pipelines, key
    assert {"link:sangachal-ceyhan@sangachal", "link:sangachal-supsa@supsa"} <= without
    assert all(element_queue(eurasia, e.key) is None for e in groups.throughput.values())


def test_kazakh_ports_share_the_crossing_as_the_simulation_splits_it(eurasia: Network) -> None:
    """A route through Aktau boards at Aktau's or Kuryk's berths in proportion to the lift
    of each port's lines, as the simulation splits the crossing over the lines."""
    groups = network_elements(eurasia, tonnes_per_teu=10.0)
    shares = dict(groups.port_shares["aktau"])
    assert groups.port_shares["kuryk"] == groups.port_shares["aktau"]
    lift = {
        lid: q.capacity_per_h(0.0)
        for lid in ("aktau-alat", "aktau-alat-feeder", "kuryk-alat")
        if (q := line_queue(eurasia, lid)) is not None
    }
    total = sum(lift.values())
    assert shares["kuryk"] == pytest.approx(lift["kuryk-alat"] / total)
    assert shares["aktau"] == pytest.approx(1.0 - shares["kuryk"])
    assert 0.0 < shares["kuryk"] < 0.5
    assert "alat" not in groups.port_shares  # Alat is the only port of its side
    boxes = route(eurasia, "Xi'an", "Duisburg", "middle")
    keys = [k for k, _, _ in route_elements(boxes, eurasia, tonnes_per_teu=10.0, groups=groups)]
    got = dict(zip(keys, element_share(boxes, groups, keys), strict=True))
    assert got["node:aktau"] + got["node:kuryk"] == pytest.approx(1.0)
    assert got["node:alat"] == 1.0
    assert got["node:dostyk"] == 1.0


def test_the_simulation_serves_the_new_servers(eurasia: Network) -> None:
    """The simulation's port stations have the equilibrium's servers and service times."""
    builder = ResourceBuilder(eurasia, BuildOptions())
    for destination in ("Baku", "Duisburg"):
        builder.itinerary(route(eurasia, "Xi'an", destination, "middle"))
    queues = {n: element_queue(eurasia, f"node:{n}") for n in ("aktau", "alat", "poti")}
    got = {
        n: (builder.stations[f"port:{n}"].servers, builder.stations[f"port:{n}"].service.mean_h)
        for n in queues
    }
    assert got == {
        n: (q.servers, q.service_h) for n, q in queues.items() if isinstance(q, QueueElement)
    }
    assert got == {"aktau": (7, 7.0), "alat": (4, 7.0), "poti": (11, 24.0)}
