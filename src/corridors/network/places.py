"""Place search: every name and alias of the network's nodes, for search boxes."""

from __future__ import annotations

from dataclasses import dataclass

from corridors.network.model import Network, _normalise


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A node found by a search.

    Attributes
    ----------
    node_id : str
        Node id.
    name : str
        Display name of the node.
    country : str
        ISO 3166-1 alpha-2 country code.
    kind : str
        Node kind (``terminal``, ``port``, ``border`` ...).
    matched : str
        The name, alias or id that matched the query (the alias when a user typed
        "Baku" and the node is Alat).
    """

    node_id: str
    name: str
    country: str
    kind: str
    matched: str


def search_places(network: Network, query: str, *, limit: int = 10) -> list[PlaceMatch]:
    """The places :meth:`Network.find_places` finds, best first, each saying what matched.

    A name that starts with the query ranks before one that only contains it, and
    display names before aliases; ``matched`` is the label that matched (the alias
    "Baku port" when a user typed "Baku" and the node is Alat). An empty query lists
    the nodes in table order.

    Parameters
    ----------
    network : Network
        The network searched.
    query : str
        What the user typed.
    limit : int
        At most this many matches.
    """
    key = _normalise(query)
    nodes = network.nodes
    ranked: list[tuple[int, int, PlaceMatch]] = []
    for nid in network.find_places(query or None):
        row = network.node_index[nid]
        name = str(nodes["name"].iat[row])
        aliases: tuple[str, ...] = tuple(nodes["aliases"].iat[row])  # type: ignore[arg-type]
        labels = [name, nid, *(str(a) for a in aliases)]
        keys = [_normalise(x) for x in labels]
        starts = [k for k, n in enumerate(keys) if key and n.startswith(key)]
        within = [k for k, n in enumerate(keys) if key and key in n]
        best = starts[0] if starts else (within[0] if within else 0)
        score = (0 if starts else 2) + (0 if best == 0 else 1)
        match = PlaceMatch(
            nid, name, str(nodes["country"].iat[row]), str(nodes["kind"].iat[row]), labels[best]
        )
        ranked.append((score, row, match))
    ranked.sort(key=lambda t: (t[0], t[1]))
    return [m for _, _, m in ranked[:limit]]
