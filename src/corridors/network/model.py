"""The network model: nodes, links, vessels and corridors as validated tables.

A :class:`Network` is immutable: scenario changes (a year, a closure, a new capacity)
return a new network, so that several variants can be evaluated side by side and in
parallel. Engines read the tables through numpy arrays; see :mod:`corridors.routing`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar, cast

import numpy as np
import pandas as pd

from corridors.errors import NetworkError, Problem, UnknownPlaceError, did_you_mean

if TYPE_CHECKING:
    import geopandas as gpd

    from corridors.network.closures import Closures


T = TypeVar("T")


def _normalise(text: str) -> str:
    """Fold case, accents and punctuation: ``"Xi'an"`` and ``"xian"`` compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z\u0080-\uffff]+", "", ascii_only.lower())


def _records(table: pd.DataFrame) -> tuple[dict[str, object], ...]:
    """Each row of ``table`` as a dict (read once: a pandas row lookup is slow)."""
    columns = [str(c) for c in table.columns]
    values = [table[c].tolist() for c in table.columns]
    return tuple(dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True))


@dataclass(frozen=True)
class Network:
    """A multimodal corridor network.

    Attributes
    ----------
    nodes : pandas.DataFrame
        One row per node, columns as declared in :data:`corridors.network.schema.NODE`.
    links : pandas.DataFrame
        One row per link, columns as declared in :data:`corridors.network.schema.LINK`,
        plus derived columns ``km`` (length, km; from searoute for sea legs),
        ``passages`` (tuple of sea passages traversed) and ``coords`` (list of
        (lon, lat) for maps).
    vessels : pandas.DataFrame
        Ships of the ferry and feeder lines (may be empty).
    corridors : pandas.DataFrame
        Named corridors with their colours (may be empty).
    config : mapping
        Dataset settings from ``config.csv``.
    name : str
        Dataset name.
    column_order : mapping
        Column order of each table as read, so writing keeps the user's layout.
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    vessels: pd.DataFrame
    corridors: pd.DataFrame
    config: Mapping[str, object] = field(default_factory=dict)
    name: str = "network"
    column_order: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def derived(self, key: Hashable, make: Callable[[], T]) -> T:
        """A value derived from this network's tables, made by ``make()`` once per key.

        The network is immutable (its variants are new networks), so what an engine
        derives from it (a ferry line's queue) stays valid; ``key`` names the value and
        its arguments, e.g. ``("water_queue", ports, wagons_only)``.
        """
        if key not in self._derived:
            self._derived[key] = make()
        return cast("T", self._derived[key])

    @cached_property
    def _derived(self) -> dict[Hashable, object]:
        return {}

    # -- lookups -------------------------------------------------------------------------
    @cached_property
    def node_index(self) -> dict[str, int]:
        """Node id to row position."""
        return {nid: i for i, nid in enumerate(self.nodes["node_id"])}

    @cached_property
    def link_index(self) -> dict[str, int]:
        """Link id to row position."""
        return {lid: i for i, lid in enumerate(self.links["link_id"])}

    def node_row(self, i: int) -> Mapping[str, object]:
        """The node at row position ``i``: column to value (the tables read once)."""
        return self._node_rows[i]

    def link_row(self, i: int) -> Mapping[str, object]:
        """The link at row position ``i``: column to value (the tables read once)."""
        return self._link_rows[i]

    @cached_property
    def _node_rows(self) -> tuple[dict[str, object], ...]:
        return _records(self.nodes)

    @cached_property
    def _link_rows(self) -> tuple[dict[str, object], ...]:
        return _records(self.links)

    @cached_property
    def _place_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for nid, name, aliases in zip(
            self.nodes["node_id"], self.nodes["name"], self.nodes["aliases"], strict=True
        ):
            for label in (nid, name, *aliases):
                key = _normalise(str(label))
                if key:
                    names.setdefault(key, nid)
        return names

    def place(self, name: str) -> str:
        """Resolve a place name, alias or id to a node id.

        Matching ignores case, accents and punctuation (``Xian`` finds ``Xi'an``).

        Raises
        ------
        UnknownPlaceError
            With the closest names as suggestions.
        """
        if name in self.node_index:
            return name
        key = _normalise(name)
        if key in self._place_names:
            return self._place_names[key]
        raise UnknownPlaceError(name, self.similar_places(name))

    def similar_places(self, name: str, *, n: int = 3) -> list[str]:
        """Display names (or aliases) closest to ``name``, for "did you mean" hints."""
        labels = list(self.nodes["name"]) + [a for al in self.nodes["aliases"] for a in al]
        pool: dict[str, str] = {}
        for lab in labels:  # display names first, so they win over aliases
            pool.setdefault(_normalise(str(lab)), str(lab))
        close = difflib.get_close_matches(_normalise(name), list(pool), n=n, cutoff=0.5)
        return [pool[c] for c in close]

    def find_places(self, query: str | None = None) -> list[str]:
        """Node ids whose id, name or an alias contains ``query``, or whose country it is.

        Matching ignores case, accents and punctuation; no query lists every node.
        """
        if not query:
            return list(self.nodes["node_id"])
        key = _normalise(query)
        found = []
        for nid, name, aliases, country in zip(
            self.nodes["node_id"],
            self.nodes["name"],
            self.nodes["aliases"],
            self.nodes["country"],
            strict=True,
        ):
            labels = (nid, name, *aliases)
            if str(country).upper() == query.upper() or any(
                key in _normalise(str(lab)) for lab in labels
            ):
                found.append(str(nid))
        return found

    def node_name(self, node_id: str) -> str:
        """Display name of a node."""
        return str(self.nodes["name"].to_numpy()[self.node_index[node_id]])

    def corridor_color(self, corridor: str, default: str = "#555555") -> str:
        """Map colour of a corridor (``#rrggbb``)."""
        if len(self.corridors):
            hit = self.corridors.loc[self.corridors["corridor_id"] == corridor, "color"]
            if len(hit) and hit.iloc[0]:
                return str(hit.iloc[0])
        return default

    def corridor_name(self, corridor: str) -> str:
        """Display name of a corridor (the id when it is not declared)."""
        if len(self.corridors):
            hit = self.corridors.loc[self.corridors["corridor_id"] == corridor, "name"]
            if len(hit) and hit.iloc[0]:
                return str(hit.iloc[0])
        return corridor

    @cached_property
    def corridor_ids(self) -> tuple[str, ...]:
        """Corridors declared in corridor.csv, else the tags used on links, in order."""
        if len(self.corridors):
            return tuple(self.corridors["corridor_id"])
        seen: dict[str, None] = {}
        for tags in self.links["corridors"]:
            for t in tags:
                seen.setdefault(t, None)
        return tuple(seen)

    # -- variants ------------------------------------------------------------------------
    def _with(self, *, nodes: pd.DataFrame | None = None, links: pd.DataFrame) -> Network:
        nodes = self.nodes if nodes is None else nodes
        keep = set(nodes["node_id"])
        links = links[links["from_node_id"].isin(keep) & links["to_node_id"].isin(keep)]
        vessels = self.vessels
        if len(vessels):
            vessels = vessels[vessels["link_id"].isin(set(links["link_id"]))]
        return replace(
            self,
            nodes=nodes.reset_index(drop=True),
            links=links.reset_index(drop=True),
            vessels=vessels.reset_index(drop=True),
        )

    def for_year(self, year: int) -> Network:
        """The network as it operates in ``year``.

        Planned nodes and links open in their ``open_year``; closed ones and those
        opening later are removed.
        """

        def active(frame: pd.DataFrame) -> pd.DataFrame:
            status = frame["status"]
            opens = frame["open_year"].to_numpy(dtype=float)
            ok = (status == "operating") | ((status == "planned") & (opens <= year))
            out = frame[ok.to_numpy()].copy()
            out.loc[out["status"] == "planned", "status"] = "operating"
            return out

        return self._with(nodes=active(self.nodes), links=active(self.links))

    def operating(self) -> Network:
        """Only what operates today: planned and closed elements removed (made once)."""
        return self._operating

    @cached_property
    def _operating(self) -> Network:
        nodes = self.nodes[self.nodes["status"] == "operating"]
        return self._with(nodes=nodes, links=self.links[self.links["status"] == "operating"])

    def with_closed(
        self,
        *,
        passages: Iterable[str] = (),
        links: Iterable[str] = (),
        nodes: Iterable[str] = (),
        corridors: Iterable[str] = (),
        countries: Iterable[str] = (),
        borders: Iterable[tuple[str, str]] = (),
    ) -> Network:
        """Close sea passages, links, nodes, whole corridors, countries or borders.

        Parameters
        ----------
        passages : iterable of str
            Sea passages (e.g. ``suez``, ``babalmandab``, ``bosporus``); every sea leg
            through one of them closes.
        links, nodes : iterable of str
            Ids to close; a closed node closes its links.
        corridors : iterable of str
            Corridors to close: links tagged only with closed corridors close, links
            shared with an open corridor stay.
        countries : iterable of str
            ISO 3166-1 alpha-2 codes: every node of the country closes, with its links.
        borders : iterable of (str, str)
            Pairs of ISO codes: every land or ferry link between a node of one and a node
            of the other closes (sea legs are not border crossings); the countries stay
            open.

        Raises
        ------
        NetworkError
            If an id, passage, corridor or country is unknown (with suggestions).

        See Also
        --------
        corridors.network.closures.resolve_closures : names as a user writes them.
        """
        from corridors.network.schema import SEA_PASSAGES  # noqa: PLC0415

        passages, links, nodes, corridors = (set(passages), set(links), set(nodes), set(corridors))
        countries = set(countries)
        pairs = {frozenset(pair) for pair in borders}
        known_countries = {str(c) for c in self.nodes["country"] if c}
        problems: list[Problem] = []
        for what, given, known in (
            ("passage", passages, set(SEA_PASSAGES)),
            ("link", links, set(self.link_index)),
            ("node", nodes, set(self.node_index)),
            ("corridor", corridors, set(self.corridor_ids)),
            ("country", countries, known_countries),
            ("border country", {c for p in pairs for c in p}, known_countries),
        ):
            for item in sorted(given - known):
                problems.append(
                    Problem(
                        f"closure of {what}s",
                        None,
                        what,
                        item,
                        f"unknown {what}",
                        did_you_mean(item, known),
                    )
                )
        if problems:
            raise NetworkError(problems, what="closures")
        lk = self.links
        n = len(lk)
        shut = lk["link_id"].isin(links).to_numpy(dtype=bool).copy()
        if passages:
            shut |= np.fromiter((bool(passages & set(p)) for p in lk["passages"]), bool, n)
        if corridors:
            shut |= np.fromiter((bool(t) and set(t) <= corridors for t in lk["corridors"]), bool, n)
        if pairs:
            country = dict(zip(self.nodes["node_id"], self.nodes["country"], strict=True))
            ends = zip(lk["from_node_id"], lk["to_node_id"], lk["mode"], strict=True)
            shut |= np.fromiter(
                (m != "sea" and frozenset((country[a], country[b])) in pairs for a, b, m in ends),
                bool,
                n,
            )
        gone = self.nodes["node_id"].isin(nodes) | self.nodes["country"].isin(countries)
        return self._with(nodes=self.nodes[~gone.to_numpy(dtype=bool)], links=lk[~shut])

    def with_closures(self, closures: Closures) -> Network:
        """Apply closures resolved by :func:`corridors.network.closures.resolve_closures`."""
        return self.with_closed(
            passages=closures.passages,
            links=closures.links,
            nodes=closures.nodes,
            countries=closures.countries,
            borders=closures.borders,
        )

    def closing(self, names: Iterable[str]) -> Network:
        """Close elements named as a user writes them (``suez``, ``RU``, ``CN-KZ``, ...).

        Raises
        ------
        UnknownClosureError
            Listing every unknown name, with suggestions.
        """
        from corridors.network.closures import resolve_closures  # noqa: PLC0415

        return self.with_closures(resolve_closures(self, names))

    def with_tables(
        self, *, nodes: pd.DataFrame | None = None, links: pd.DataFrame | None = None
    ) -> Network:
        """A copy with changed node or link tables (same columns; for scenario measures)."""
        return replace(
            self,
            nodes=(self.nodes if nodes is None else nodes).reset_index(drop=True),
            links=(self.links if links is None else links).reset_index(drop=True),
        )

    def to_geodataframes(self) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        """Nodes (points) and links (lines) as GeoDataFrames in lon/lat (EPSG:4326).

        Needs the ``geo`` extra (geopandas); see :mod:`corridors.gis`.
        """
        from corridors.gis import network_geodataframes  # noqa: PLC0415

        return network_geodataframes(self)

    def __repr__(self) -> str:
        return (
            f"Network({self.name!r}: {len(self.nodes)} nodes, {len(self.links)} links, "
            f"{len(self.vessels)} vessels, {len(self.corridor_ids)} corridors)"
        )
