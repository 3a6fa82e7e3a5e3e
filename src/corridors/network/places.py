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
    """Nodes whose id, name or an alias contains ``query``, best first.

    Matching ignores case, accents and punctuation, as :meth:`Network.place` does.
    A name that starts with the query ranks before one that only contains it, and
    display names before aliases. An empty query lists the nodes in table order.

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
    ranked: list[tuple[int, int, PlaceMatch]] = []
    nodes = network.nodes
    for row, (nid, name, country, kind, aliases) in enumerate(
        zip(
            nodes["node_id"],
            nodes["name"],
            nodes["country"],
            nodes["kind"],
            nodes["aliases"],
            strict=True,
        )
    ):
        best: tuple[int, str] | None = None
        for rank, label in enumerate((name, nid, *aliases)):
            norm = _normalise(str(label))
            if not norm or key not in norm:
                continue
            score = (0 if norm.startswith(key) else 2) + (0 if rank == 0 else 1)
            if best is None or score < best[0]:
                best = (score, str(label))
        if best is not None:
            match = PlaceMatch(str(nid), str(name), str(country), str(kind), best[1])
            ranked.append((best[0], row, match))
    ranked.sort(key=lambda t: (t[0], t[1]))
    return [m for _, _, m in ranked[:limit]]
