"""What can be closed, by name: sea passages, countries, borders, nodes and links.

One resolver serves the library, the command line (``--close``) and the web dashboard:
:func:`resolve_closures` turns the names a user writes (``suez``, ``Strait of Hormuz``,
``RU``, ``CN-KZ``, ``Khorgos``, a link id) into a :class:`Closures`, reporting every
unknown name together with "did you mean" suggestions; :meth:`Network.with_closures
<corridors.network.model.Network.with_closures>` applies it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridors.errors import Problem, UnknownClosureError, did_you_mean
from corridors.network.schema import SEA_PASSAGES

if TYPE_CHECKING:
    import pandas as pd

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


NOT_BORDER_CROSSINGS = ("sea", "air")
"""Modes whose links between two countries are not border crossings (close a port,
an airport or a passage instead)."""


def borders_of(network: Network) -> dict[tuple[str, str], list[str]]:
    """Country pairs joined by a land or ferry link, with the ids of those links.

    Sea legs (and flights) between two countries are not border crossings.
    """
    return borders_between(network.nodes, network.links)


def borders_between(nodes: pd.DataFrame, links: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """:func:`borders_of` for node and link tables (``country``, ``mode`` columns)."""
    country = dict(zip(nodes["node_id"], nodes["country"], strict=True))
    out: dict[tuple[str, str], list[str]] = {}
    for lid, a, b, mode in zip(
        links["link_id"], links["from_node_id"], links["to_node_id"], links["mode"], strict=True
    ):
        if mode in NOT_BORDER_CROSSINGS:
            continue
        ca, cb = str(country.get(a, "")), str(country.get(b, ""))
        if ca and cb and ca != cb:
            out.setdefault((min(ca, cb), max(ca, cb)), []).append(str(lid))
    return dict(sorted(out.items()))


def resolve_closures(network: Network, names: Iterable[str]) -> Closures:
    """Resolve names to close against a network (see :func:`resolve_closure_names`)."""
    return resolve_closure_names(
        names, nodes=network.nodes, links=network.links, place=network.place
    )


def closed_elements(
    closures: Closures, *, nodes: pd.DataFrame, links: pd.DataFrame
) -> tuple[set[str], set[str]]:
    """The node and link ids that ``closures`` close in node and link tables.

    Nodes: those named and every node of a closed country. Links: those named and every
    link crossing a closed border (sea passages are not looked at: see
    :meth:`Network.with_closures <corridors.network.model.Network.with_closures>`).
    """
    closed_nodes = set(closures.nodes)
    if closures.countries:
        closed_nodes |= {
            str(n)
            for n, c in zip(nodes["node_id"], nodes["country"], strict=True)
            if c in closures.countries
        }
    closed_links = set(closures.links)
    borders = borders_between(nodes, links)
    for pair in closures.borders:
        closed_links |= set(borders.get(pair, []))
    return closed_nodes, closed_links


def resolve_closure_names(
    names: Iterable[str],
    *,
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    place: Callable[[str], str],
    passages: bool = True,
) -> Closures:
    """Resolve names to close against node and link tables.

    Each name is tried, in this order, as a sea passage (id, readable name or alias), a
    border ``XX-YY`` between two countries of the network, a country (ISO code), a link id
    and a place (node id, name or alias, as :meth:`Network.place` matches it).

    Parameters
    ----------
    names : iterable of str
        What to close; a comma-separated string counts as several names.
    nodes, links : pandas.DataFrame
        The tables whose elements are named (``node_id``, ``name``, ``country``;
        ``link_id``, ``from_node_id``, ``to_node_id``, ``mode``).
    place : callable
        Node id of a place name, raising ``KeyError`` (e.g. :meth:`Network.place`).
    passages : bool
        Whether sea passages can be named (not in networks without searoute legs).

    Returns
    -------
    Closures

    Raises
    ------
    UnknownClosureError
        Listing every name that matches nothing, each with suggestions.
    """
    passage_keys: dict[str, str] = {}
    if passages:
        passage_keys = {_key(p): p for p in SEA_PASSAGES}
        for pid, (label, aliases) in PASSAGE_NAMES.items():
            for text in (label, *aliases):
                passage_keys.setdefault(_key(text), pid)
    countries = {str(c) for c in nodes["country"] if c}
    borders = borders_between(nodes, links)
    link_ids = {str(x) for x in links["link_id"]}
    closed_passages: dict[str, None] = {}
    closed_countries: dict[str, None] = {}
    closed_borders: dict[tuple[str, str], None] = {}
    closed_nodes: dict[str, None] = {}
    closed_links: dict[str, None] = {}
    problems: list[Problem] = []
    for raw in names:
        for name in (n.strip() for n in str(raw).split(",")):
            if not name:
                continue
            border = _BORDER.match(name)
            if _key(name) in passage_keys:
                closed_passages[passage_keys[_key(name)]] = None
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
            elif name in link_ids:
                closed_links[name] = None
            else:
                try:
                    closed_nodes[place(name)] = None
                except KeyError:
                    pool = [
                        *(SEA_PASSAGES if passages else ()),
                        *(label for label, _ in PASSAGE_NAMES.values() if passages),
                        *countries,
                        *(f"{x}-{y}" for x, y in borders),
                        *(str(n) for n in nodes["name"]),
                        *(str(n) for n in nodes["node_id"]),
                        *link_ids,
                    ]
                    problems.append(
                        Problem(
                            "--close",
                            None,
                            "close",
                            name,
                            "not a sea passage, country, border, place or link "
                            "(see 'corridors passages')"
                            if passages
                            else "not a country, border, place or link",
                            did_you_mean(name, pool),
                        )
                    )
    if problems:
        raise UnknownClosureError(problems, what="the elements to close")
    return Closures(
        passages=tuple(closed_passages),
        countries=tuple(closed_countries),
        borders=tuple(closed_borders),
        nodes=tuple(closed_nodes),
        links=tuple(closed_links),
    )
