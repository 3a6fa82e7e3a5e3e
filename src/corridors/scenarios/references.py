"""Checks of a scenario or measure catalogue against the network it runs on.

Changed attributes must be declared in the network schema (with values inside their
bounds), and every place, link, corridor and sea passage a scenario names must exist
(with a "did you mean" hint). Every problem is collected and raised together.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corridors.errors import Problem, UnknownPlaceError, did_you_mean
from corridors.network import Network
from corridors.network.schema import LINK, NODE, Table
from corridors.scenarios.parsing import PathKey, SourceMap
from corridors.scenarios.spec import Change, Measure, MeasureCatalogue, Scenario
from corridors.yamlsafe import format_path


def _numeric_fields(table: Table) -> dict[str, Any]:
    return {f.name: f for f in table.fields if f.type in ("int", "float")}


def check_measure_values(
    measures: Sequence[Measure], smap: SourceMap, *, prefix: PathKey
) -> list[Problem]:
    """Check that changed attributes exist and that set values respect the schema.

    ``prefix`` is the path of the list of measures in the file (``("measures",)``).
    """
    problems: list[Problem] = []
    for i, measure in enumerate(measures):
        problems += check_change_values(measure.changes, smap, prefix=(*prefix, i, "changes"))
    return problems


def check_change_values(
    changes: Sequence[Change], smap: SourceMap, *, prefix: PathKey
) -> list[Problem]:
    """Check the attributes of changes exist and that set values respect the schema."""
    problems: list[Problem] = []
    for j, change in enumerate(changes):
        table = NODE if change.target == "node" else LINK
        fields = _numeric_fields(table)
        for op in ("set", "scale", "add"):
            values: dict[str, float] = getattr(change, op)
            for name, value in values.items():
                path = (*prefix, j, op, name)
                where = format_path(path)
                line = smap.line(path)
                fld = fields.get(name)
                if fld is None:
                    problems.append(
                        Problem(
                            smap.file,
                            line,
                            where,
                            name,
                            f"{table.filename} has no numeric column {name!r}",
                            did_you_mean(name, fields),
                        )
                    )
                    continue
                if op == "scale" and value < 0:
                    problems.append(
                        Problem(
                            smap.file,
                            line,
                            where,
                            str(value),
                            "a scale factor must not be negative",
                        )
                    )
                if op == "add" and not math.isfinite(value):
                    problems.append(
                        Problem(smap.file, line, where, str(value), "expected a finite number")
                    )
                if op != "set":
                    continue
                problem = fld.check(value)
                if problem is not None:
                    problems.append(
                        Problem(smap.file, line, where, str(value), f"{name} {problem}")
                    )
    return problems


@dataclass(frozen=True)
class NetworkNames:
    """What a scenario may refer to in a network.

    Attributes
    ----------
    node_ids, link_ids, corridor_ids : frozenset of str
        Known identifiers.
    place : callable
        Resolves a place name or id to a node id, raising
        :class:`~corridors.errors.UnknownPlaceError` when unknown.
    countries : frozenset of str
        Countries that nodes lie in.
    """

    node_ids: frozenset[str]
    link_ids: frozenset[str]
    corridor_ids: frozenset[str]
    countries: frozenset[str]
    place: Callable[[str], str]
    node_country: Mapping[str, str] = field(default_factory=dict)
    """Country of each node id (demand tables grouped by country)."""


def check_names(
    values: Iterable[tuple[PathKey, str]], known: frozenset[str], what: str, smap: SourceMap
) -> list[Problem]:
    """A problem for every ``(path, value)`` whose value is not ``known`` (``what``: its kind)."""
    out = []
    for path, value in values:
        if value not in known:
            out.append(
                Problem(
                    smap.file,
                    smap.line(path),
                    format_path(path),
                    value,
                    f"unknown {what}",
                    did_you_mean(value, known),
                )
            )
    return out


def _check_place(path: PathKey, value: str, names: NetworkNames, smap: SourceMap) -> list[Problem]:
    try:
        names.place(value)
    except UnknownPlaceError as exc:
        hint = exc.hint
        return [
            Problem(
                smap.file, smap.line(path), format_path(path), value, "unknown node (place)", hint
            )
        ]
    return []


def check_measure_references(
    measures: Sequence[Measure], names: NetworkNames, smap: SourceMap, *, prefix: PathKey
) -> list[Problem]:
    """Check the nodes, links and corridors that measures name exist in the network."""
    problems: list[Problem] = []
    new_link_ids = {nl.link_id for m in measures for nl in m.new_links}
    links_known = names.link_ids | new_link_ids
    for i, m in enumerate(measures):
        base: PathKey = (*prefix, i)
        for j, ch in enumerate(m.changes):
            cp: PathKey = (*base, "changes", j)
            if ch.node is not None:
                problems += _check_place((*cp, "node"), ch.node, names, smap)
            for k, n in enumerate(ch.nodes):
                problems += _check_place((*cp, "nodes", k), n, names, smap)
            links = ([((*cp, "link"), ch.link)] if ch.link is not None else []) + [
                ((*cp, "links", k), lk) for k, lk in enumerate(ch.links)
            ]
            problems += check_names(links, links_known, "link", smap)
            if ch.corridor is not None:
                problems += check_names(
                    [((*cp, "corridor"), ch.corridor)], names.corridor_ids, "corridor", smap
                )
            if ch.country is not None:
                problems += check_names(
                    [((*cp, "country"), ch.country)],
                    names.countries,
                    "country (no node lies in it)",
                    smap,
                )
        problems += check_names(
            [((*base, "open_links", k), lk) for k, lk in enumerate(m.open_links)],
            names.link_ids,
            "link",
            smap,
        )
        for k, nl in enumerate(m.new_links):
            lp: PathKey = (*base, "new_links", k)
            problems += _check_place((*lp, "from_node_id"), nl.from_node_id, names, smap)
            problems += _check_place((*lp, "to_node_id"), nl.to_node_id, names, smap)
            problems += check_names(
                [((*lp, "corridors", q), c) for q, c in enumerate(nl.corridors)],
                names.corridor_ids,
                "corridor",
                smap,
            )
    return problems


def check_scenario_references(
    scenario: Scenario, names: NetworkNames, smap: SourceMap, *, catalogue: MeasureCatalogue | None
) -> list[Problem]:
    """Check every node, link, corridor and measure a scenario names exists."""
    problems: list[Problem] = []
    for k, tm in enumerate(scenario.demand.table_markets):
        problems += check_names(
            [
                (("demand", "table_markets", k, "corridors", j), c)
                for j, c in enumerate(tm.corridors or [])
            ],
            names.corridor_ids,
            "corridor",
            smap,
        )
    # a table's places are checked, with its lines, when it is read (io.resolve_demand_table)
    written = () if scenario.demand.from_table else scenario.demand.markets
    for i, mk in enumerate(written):
        mp: PathKey = ("demand", "markets", i)
        problems += _check_place((*mp, "origin"), mk.origin, names, smap)
        problems += _check_place((*mp, "destination"), mk.destination, names, smap)
        problems += check_names(
            [((*mp, "corridors", k), c) for k, c in enumerate(mk.corridors or [])],
            names.corridor_ids,
            "corridor",
            smap,
        )
    known_measures = frozenset(
        (catalogue.ids if catalogue else ()) + tuple(m.id for m in scenario.new_measures)
    )
    problems += check_names(
        [(("measures", k), m) for k, m in enumerate(scenario.measures)],
        known_measures,
        "measure",
        smap,
    )
    problems += check_measure_references(
        scenario.new_measures, names, smap, prefix=("new_measures",)
    )
    for i, d in enumerate(scenario.disruptions):
        dp: PathKey = ("disruptions", i)
        problems += check_names(
            [((*dp, "corridors", k), c) for k, c in enumerate(d.corridors)],
            names.corridor_ids,
            "corridor",
            smap,
        )
        problems += check_names(
            [((*dp, "links", k), c) for k, c in enumerate(d.links)], names.link_ids, "link", smap
        )
        for k, n in enumerate(d.nodes):
            problems += _check_place((*dp, "nodes", k), n, names, smap)
    beh = scenario.behaviour
    for key in ("risk_premium_usd_teu", "reliability_buffer_h"):
        mapping: Mapping[str, float] = getattr(beh, key)
        problems += check_names(
            [(("behaviour", key, c), c) for c in mapping], names.corridor_ids, "corridor", smap
        )
    problems += check_names(
        [
            (("behaviour", "nests", nest, k), c)
            for nest, members in beh.nests.items()
            for k, c in enumerate(members)
        ],
        names.corridor_ids,
        "corridor",
        smap,
    )
    if scenario.target_corridor not in names.corridor_ids:
        problems += check_names(
            [(("target_corridor",), scenario.target_corridor)], names.corridor_ids, "corridor", smap
        )
    return problems


def network_names(network: Network) -> NetworkNames:
    """The identifiers of a network that scenarios may name."""
    return NetworkNames(
        node_ids=frozenset(network.node_index),
        link_ids=frozenset(network.link_index),
        corridor_ids=frozenset(network.corridor_ids),
        countries=frozenset(str(c) for c in network.nodes["country"]),
        place=network.place,
        node_country=dict(
            zip(
                network.nodes["node_id"].astype(str),
                network.nodes["country"].astype(str),
                strict=True,
            )
        ),
    )
