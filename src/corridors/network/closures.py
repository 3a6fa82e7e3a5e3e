"""What can be closed, by name: sea passages, countries, borders, nodes and links.

One resolver serves the library, the command line (``--close``) and the web dashboard:
:func:`resolve_closures` turns the names a user writes (``suez``, ``Strait of Hormuz``,
``RU``, ``CN-KZ``, ``Khorgos``, a link id) into a :class:`Closures`, reporting every
unknown name together with "did you mean" suggestions; :meth:`Network.with_closures
<corridors.network.model.Network.with_closures>` applies it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridors.errors import Problem, UnknownClosureError, did_you_mean
from corridors.network.schema import SEA_PASSAGES

if TYPE_CHECKING:
    from corridors.network.model import Network

PASSAGE_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "suez": ("Suez Canal", ()),
    "babalmandab": ("Bab-el-Mandeb (Red Sea)", ("Bab-el-Mandeb", "Red Sea")),
    "bosporus": ("Bosporus and Dardanelles (Turkish Straits)", ("Bosphorus", "Turkish Straits")),
    "gibraltar": ("Strait of Gibraltar", ()),
    "panama": ("Panama Canal", ()),
    "ormuz": ("Strait of Hormuz", ("Hormuz",)),
    "northwest": ("Northwest Passage", ()),
    "malacca": ("Strait of Malacca", ()),
    "sunda": ("Sunda Strait", ()),
    "chili": ("Strait of Magellan and Cape Horn (Chile)", ("Magellan", "Cape Horn")),
    "south_africa": ("Cape of Good Hope (South Africa)", ("Cape of Good Hope", "Cape")),
}
"""Readable name and other names of each sea passage of the ``searoute`` maritime network.

The id, the name and the other names all work with ``--close`` (case, spaces and
punctuation ignored).
"""

_BORDER = re.compile(r"^([A-Za-z]{2})\s*[-/]\s*([A-Za-z]{2})$")


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


@dataclass(frozen=True)
class Closures:
    """Elements to close, resolved against a network.

    Attributes
    ----------
    passages : tuple of str
        Sea passages (``searoute`` names, e.g. ``suez``); every sea leg through one closes.
    countries : tuple of str
        ISO 3166-1 alpha-2 codes; every node of the country closes, with its links.
    borders : tuple of (str, str)
        Pairs of ISO codes (sorted); every link between a node of one and a node of the
        other closes (the crossing, not the countries).
    nodes, links : tuple of str
        Node and link ids; a closed node closes its links.
    """

    passages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    borders: tuple[tuple[str, str], ...] = ()
    nodes: tuple[str, ...] = ()
    links: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return any((self.passages, self.countries, self.borders, self.nodes, self.links))

    def labels(self) -> list[str]:
        """One readable label per closed element (for messages and reports)."""
        return [
            *(PASSAGE_NAMES.get(p, (p, ()))[0] for p in self.passages),
            *self.countries,
            *(f"{a}-{b} border" for a, b in self.borders),
            *self.nodes,
            *self.links,
        ]


def borders_of(network: Network) -> dict[tuple[str, str], list[str]]:
    """Country pairs joined by a land or ferry link, with the ids of those links.

    Sea legs between ports of two countries are not border crossings (close a port or a
    passage instead).
    """
    country = dict(zip(network.nodes["node_id"], network.nodes["country"], strict=True))
    out: dict[tuple[str, str], list[str]] = {}
    for lid, a, b, mode in zip(
        network.links["link_id"],
        network.links["from_node_id"],
        network.links["to_node_id"],
        network.links["mode"],
        strict=True,
    ):
        if mode == "sea":
            continue
        ca, cb = str(country.get(a, "")), str(country.get(b, ""))
        if ca and cb and ca != cb:
            out.setdefault((min(ca, cb), max(ca, cb)), []).append(str(lid))
    return dict(sorted(out.items()))


def resolve_closures(network: Network, names: Iterable[str]) -> Closures:
    """Resolve names to close against a network.

    Each name is tried, in this order, as a sea passage (id, readable name or alias), a
    border ``XX-YY`` between two countries of the network, a country (ISO code), a link id
    and a place (node id, name or alias, as :meth:`Network.place` matches it).

    Parameters
    ----------
    network : Network
        The network whose elements are named.
    names : iterable of str
        What to close; a comma-separated string counts as several names.

    Returns
    -------
    Closures

    Raises
    ------
    UnknownClosureError
        Listing every name that matches nothing, each with suggestions.
    """
    passage_keys = {_key(p): p for p in SEA_PASSAGES}
    for pid, (label, aliases) in PASSAGE_NAMES.items():
        for text in (label, *aliases):
            passage_keys.setdefault(_key(text), pid)
    countries = {str(c) for c in network.nodes["country"] if c}
    borders = borders_of(network)
    passages: dict[str, None] = {}
    closed_countries: dict[str, None] = {}
    closed_borders: dict[tuple[str, str], None] = {}
    nodes: dict[str, None] = {}
    links: dict[str, None] = {}
    problems: list[Problem] = []
    for raw in names:
        for name in (n.strip() for n in str(raw).split(",")):
            if not name:
                continue
            border = _BORDER.match(name)
            if _key(name) in passage_keys:
                passages[passage_keys[_key(name)]] = None
            elif border is not None and {border[1].upper(), border[2].upper()} <= countries:
                a, b = sorted((border[1].upper(), border[2].upper()))
                if (a, b) not in borders:
                    problems.append(
                        Problem(
                            "--close",
                            None,
                            "border",
                            name,
                            f"no link crosses the {a}-{b} border",
                            "known borders: " + ", ".join(f"{x}-{y}" for x, y in borders),
                        )
                    )
                closed_borders[a, b] = None
            elif name.upper() in countries and len(name) == 2:
                closed_countries[name.upper()] = None
            elif name in network.link_index:
                links[name] = None
            else:
                try:
                    nodes[network.place(name)] = None
                except KeyError:
                    pool = [
                        *SEA_PASSAGES,
                        *(label for label, _ in PASSAGE_NAMES.values()),
                        *countries,
                        *(f"{x}-{y}" for x, y in borders),
                        *(str(n) for n in network.nodes["name"]),
                        *network.link_index,
                    ]
                    problems.append(
                        Problem(
                            "--close",
                            None,
                            "close",
                            name,
                            "not a sea passage, country, border, place or link "
                            "(see 'corridors passages')",
                            did_you_mean(name, pool),
                        )
                    )
    if problems:
        raise UnknownClosureError(problems, what="the elements to close")
    return Closures(
        passages=tuple(passages),
        countries=tuple(closed_countries),
        borders=tuple(closed_borders),
        nodes=tuple(nodes),
        links=tuple(links),
    )
