"""The ferry and feeder lines across one water as elements of the equilibrium.

Lines join into one water when they share a port and link the same two countries
(:func:`water_groups`); the water has one element per direction, from the ports of one
country (:func:`water_sides`, keys ``water:<ports>@<side>``, :func:`water_ports`), with
the lines' capacities together by cargo class (:func:`water_capacities`). No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from corridors.network.model import Network

__all__ = ["water_capacities", "water_groups", "water_ports", "water_sides"]


def water_capacities(
    teu: np.ndarray, t_eq: np.ndarray, *, container_ships: np.ndarray | None = None
) -> dict[str, float]:
    """Capacities of parallel ferry and feeder services across one water, by class.

    A rail ferry carries any cargo up to its tonnes (TEU-equivalents; a ferry with
    only a TEU capacity is taken to carry that many TEU-equivalents) and containers
    up to its TEU capacity. A container ship (``container_ships``: a sea line with a
    TEU capacity and no tonne capacity, e.g. the Caspian feeders) carries
    containers only. So all cargo fits in the ferries' tonnes plus the ships' TEU,
    containers in everyone's TEU, and general cargo in the ferries' tonnes only.
    """
    ships = (
        np.zeros(len(teu), dtype=bool) if container_ships is None else np.asarray(container_ships)
    )
    has_teu = np.isfinite(teu)
    ferry_t = np.where(np.isfinite(t_eq), t_eq, np.where(has_teu, teu, 0.0))
    ferry_t = np.where(ships, 0.0, ferry_t)
    ship_teu = np.where(ships & has_teu, teu, 0.0)
    everything = float(ferry_t.sum() + ship_teu.sum())
    boxes = float(np.where(has_teu, teu, ferry_t).sum())
    general = float(ferry_t.sum())
    out = {"all": everything}
    if boxes < everything:
        out["containers"] = boxes
    if general < everything:
        out["general"] = general
    return out


def water_ports(key: str) -> tuple[frozenset[str], frozenset[str]]:
    """The ports of a water element key and the ports of the side it leaves from.

    ``water:aktau+alat+kuryk@aktau+kuryk`` gives ``({aktau, alat, kuryk}, {aktau,
    kuryk})``; a key of both directions (``water:<ports>``, stores written before the
    crossings were split by direction) leaves from any of its ports; anything else gives
    two empty sets.
    """
    kind, _, rest = key.partition(":")
    if kind != "water":
        return frozenset(), frozenset()
    ports, at, side = rest.partition("#")[0].partition("@")
    every = frozenset(ports.split("+"))
    return every, frozenset(side.split("+")) if at else every


def water_groups(network: Network, has_caps: np.ndarray) -> list[list[int]]:
    """Rows of the ferry and sea lines with a capacity or ships, by the water they cross.

    Lines join when they share a port and link the same two countries (Aktau-Alat,
    the Aktau-Alat feeders and Kuryk-Alat cross from Kazakhstan to Azerbaijan;
    Turkmenbashi-Alat is its own crossing): a shipper reaches any of them by rail.
    """
    links = network.links
    lined = np.zeros(len(links), dtype=bool)
    if len(network.vessels):
        lined = links["link_id"].isin(set(network.vessels["link_id"])).to_numpy()
    water = links["mode"].isin(("ferry", "sea")).to_numpy() & (has_caps | lined)
    country = dict(zip(network.nodes["node_id"], network.nodes["country"], strict=True))
    a_ends = links["from_node_id"].astype(str).to_numpy()
    b_ends = links["to_node_id"].astype(str).to_numpy()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def tag(i: int, port: str) -> str:
        pair = sorted((str(country.get(a_ends[i])), str(country.get(b_ends[i]))))
        return f"{port}|{pair[0]}|{pair[1]}"

    idx = np.flatnonzero(water)
    for i in idx:
        parent[find(tag(int(i), a_ends[i]))] = find(tag(int(i), b_ends[i]))
    members: dict[str, list[int]] = {}
    for i in idx:
        members.setdefault(find(tag(int(i), a_ends[i])), []).append(int(i))
    return list(members.values())


def water_sides(network: Network, rows: Sequence[int]) -> dict[str, str]:
    """The side of a water each of its ports is on: ``+``-joined ports of one country.

    A crossing between two countries has two sides (Kazakhstan's Aktau and Kuryk,
    Azerbaijan's Alat); on a water within one country each port is its own side.
    """
    links = network.links
    ends = {str(links["from_node_id"].iat[r]) for r in rows}
    ends |= {str(links["to_node_id"].iat[r]) for r in rows}
    country = dict(zip(network.nodes["node_id"], network.nodes["country"], strict=True))
    by_country: dict[str, set[str]] = {}
    for port in ends:
        by_country.setdefault(str(country.get(port)), set()).add(port)
    if len(by_country) < 2:
        return {port: port for port in ends}
    return {port: "+".join(sorted(by_country[str(country.get(port))])) for port in ends}
