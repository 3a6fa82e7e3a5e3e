"""Read scenario files and measure catalogues, with line numbers in every error.

YAML is composed into nodes (which carry their line numbers) and turned into plain
Python values while recording, for every path (``("measures", 0, "capex_usd")``),
the line it was written on. Pydantic's errors are then mapped back to those lines, so
a mistake is reported as ``scenario.yaml, line 12, field 'measures[0].capex_usd':
...``. Unknown fields get a "did you mean" hint from the fields the model declares.

This is the only module of :mod:`corridors.scenarios` that reads files.
"""

from __future__ import annotations

import hashlib
import math
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from corridors.datasets import eurasia_path
from corridors.errors import (
    Problem,
    ScenarioError,
    UnknownPlaceError,
    UnknownScenarioError,
    did_you_mean,
)
from corridors.network import Network, read_network
from corridors.network.schema import LINK, NODE, Table
from corridors.scenarios.spec import Change, Measure, MeasureCatalogue, Scenario
from corridors.yamlsafe import YamlError, format_path, load_with_lines, read_text

PathKey = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class SourceMap:
    """Lines of a YAML document: where each path was written.

    Attributes
    ----------
    file : str
        File name used in messages.
    lines : dict
        Path (tuple of keys and indices) to line number (1-based). For a mapping
        entry the line is that of its key.
    """

    file: str
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: Sequence[str | int]) -> int | None:
        """Line of ``path``, or of its nearest written ancestor."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), None)


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with its text, hash, folder and source map."""

    scenario: Scenario
    text: str
    path: Path
    source_map: SourceMap

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's text."""
        return scenario_hash(self.text)


def scenario_hash(text: str) -> str:
    """SHA-256 hex digest of a scenario's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compose_with_lines(text: str, *, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain values and the line of every path.

    Parameters
    ----------
    text : str
        YAML document.
    file : str
        File name used in error messages.

    Returns
    -------
    value, SourceMap

    Raises
    ------
    ScenarioError
        The text is not valid YAML, or a mapping repeats a key.
    """
    try:
        value, lines = load_with_lines(text, file=file)
    except YamlError as exc:
        raise ScenarioError(exc.problems, what=file) from None
    return value, SourceMap(file, lines)


def _unwrap(annotation: Any) -> list[Any]:
    """Candidate types inside ``X | None``, ``list[X]``, ``dict[K, X]``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                out.append(arg)
        return out
    return [annotation]


def _model_at(root: type[BaseModel], path: Sequence[str | int]) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at ``path``."""
    current: Any = root
    for part in path:
        candidates = _unwrap(current)
        nxt: Any = None
        for cand in candidates:
            origin = typing.get_origin(cand)
            if isinstance(part, int) and origin is list:
                nxt = typing.get_args(cand)[0]
            elif origin is dict:
                nxt = typing.get_args(cand)[1]
            elif isinstance(cand, type) and issubclass(cand, BaseModel) and isinstance(part, str):
                fld = cand.model_fields.get(part)
                if fld is not None:
                    nxt = fld.annotation
            if nxt is not None:
                break
        if nxt is None:
            return None
        current = nxt
    for cand in _unwrap(current):
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            return cand
    return None


def validation_problems(
    exc: ValidationError, model: type[BaseModel], smap: SourceMap
) -> list[Problem]:
    """Turn a pydantic :class:`ValidationError` into problems with line numbers."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
        kind = err["type"]
        value = err.get("input")
        shown = None if isinstance(value, dict | list) else (None if value is None else str(value))
        hint = None
        msg = str(err["msg"])
        if kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            name = str(loc[-1])
            msg = f"unknown field {name!r}"
            shown = None
            if parent is not None:
                hint = did_you_mean(name, parent.model_fields) or (
                    "known fields: " + ", ".join(parent.model_fields)
                )
        elif kind == "missing":
            msg = "a value is required"
        elif msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")
        problems.append(
            Problem(smap.file, smap.line(loc), format_path(loc) or None, shown, msg, hint)
        )
    return problems


def parse_model(text: str, model: type[M], *, file: str) -> tuple[M, SourceMap]:
    """Parse YAML ``text`` into ``model``; raise every problem with its line.

    Raises
    ------
    ScenarioError
        Invalid YAML, unknown or misspelt fields, wrong types or values.
    """
    data, smap = compose_with_lines(text, file=file)
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(file, smap.line(()), None, None, "expected a mapping of fields at the top")],
            what=file,
        )
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, model, smap), what=file) from None
    return obj, smap


# --- checks of attribute names and values against the network schema -----------------------


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


def _check_names(
    values: Iterable[tuple[PathKey, str]], known: frozenset[str], what: str, smap: SourceMap
) -> list[Problem]:
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
        hint = (
            "did you mean " + " or ".join(repr(s) for s in exc.suggestions) + "?"
            if exc.suggestions
            else None
        )
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
            problems += _check_names(links, links_known, "link", smap)
            if ch.corridor is not None:
                problems += _check_names(
                    [((*cp, "corridor"), ch.corridor)], names.corridor_ids, "corridor", smap
                )
            if ch.country is not None:
                problems += _check_names(
                    [((*cp, "country"), ch.country)],
                    names.countries,
                    "country (no node lies in it)",
                    smap,
                )
        problems += _check_names(
            [((*base, "open_links", k), lk) for k, lk in enumerate(m.open_links)],
            names.link_ids,
            "link",
            smap,
        )
        for k, nl in enumerate(m.new_links):
            lp: PathKey = (*base, "new_links", k)
            problems += _check_place((*lp, "from_node_id"), nl.from_node_id, names, smap)
            problems += _check_place((*lp, "to_node_id"), nl.to_node_id, names, smap)
            problems += _check_names(
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
    for i, mk in enumerate(scenario.demand.markets):
        mp: PathKey = ("demand", "markets", i)
        problems += _check_place((*mp, "origin"), mk.origin, names, smap)
        problems += _check_place((*mp, "destination"), mk.destination, names, smap)
        problems += _check_names(
            [((*mp, "corridors", k), c) for k, c in enumerate(mk.corridors or [])],
            names.corridor_ids,
            "corridor",
            smap,
        )
    known_measures = frozenset(
        (catalogue.ids if catalogue else ()) + tuple(m.id for m in scenario.new_measures)
    )
    problems += _check_names(
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
        problems += _check_names(
            [((*dp, "corridors", k), c) for k, c in enumerate(d.corridors)],
            names.corridor_ids,
            "corridor",
            smap,
        )
        problems += _check_names(
            [((*dp, "links", k), c) for k, c in enumerate(d.links)], names.link_ids, "link", smap
        )
        for k, n in enumerate(d.nodes):
            problems += _check_place((*dp, "nodes", k), n, names, smap)
    beh = scenario.behaviour
    for key in ("risk_premium_usd_teu", "reliability_buffer_h"):
        mapping: Mapping[str, float] = getattr(beh, key)
        problems += _check_names(
            [(("behaviour", key, c), c) for c in mapping], names.corridor_ids, "corridor", smap
        )
    problems += _check_names(
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
        problems += _check_names(
            [(("target_corridor",), scenario.target_corridor)], names.corridor_ids, "corridor", smap
        )
    return problems


# --- public readers ------------------------------------------------------------------------


def read_measures_text(
    text: str, *, file: str, names: NetworkNames | None = None
) -> tuple[MeasureCatalogue, SourceMap]:
    """Parse and check a measures catalogue given as text."""
    cat, smap = parse_model(text, MeasureCatalogue, file=file)
    problems = check_measure_values(cat.measures, smap, prefix=("measures",))
    if names is not None:
        problems += check_measure_references(cat.measures, names, smap, prefix=("measures",))
    if problems:
        raise ScenarioError(problems, what=file)
    return cat, smap


def read_measures(path: str | Path, *, names: NetworkNames | None = None) -> MeasureCatalogue:
    """Read a measures catalogue (``measures.yaml``).

    Raises
    ------
    ScenarioError
        Every problem found, each with file, line and field.
    """
    p = Path(path)
    return read_measures_text(read_text(p), file=str(p), names=names)[0]


def read_scenario_text(
    text: str,
    *,
    file: str,
    names: NetworkNames | None = None,
    catalogue: MeasureCatalogue | None = None,
) -> tuple[Scenario, SourceMap]:
    """Parse and check a scenario given as text (see :func:`read_scenario`)."""
    scenario, smap = parse_model(text, Scenario, file=file)
    problems = check_measure_values(scenario.new_measures, smap, prefix=("new_measures",))
    problems += check_change_values(scenario.adjustments, smap, prefix=("adjustments",))
    if names is not None:
        problems += check_scenario_references(scenario, names, smap, catalogue=catalogue)
    elif catalogue is not None:
        known = frozenset(catalogue.ids + tuple(m.id for m in scenario.new_measures))
        problems += _check_names(
            [(("measures", k), m) for k, m in enumerate(scenario.measures)], known, "measure", smap
        )
    if problems:
        raise ScenarioError(problems, what=file)
    return scenario, smap


def read_scenario(
    path: str | Path,
    *,
    names: NetworkNames | None = None,
    catalogue: MeasureCatalogue | None = None,
) -> LoadedScenario:
    """Read a scenario file and check it (against a network when ``names`` is given).

    Parameters
    ----------
    path : str or Path
        Scenario YAML file.
    names : NetworkNames, optional
        Identifiers of the network, to check the nodes, links and corridors named.
    catalogue : MeasureCatalogue, optional
        Measures the scenario may name.

    Raises
    ------
    ScenarioError
        Every problem found, each naming the file, line and field.
    """
    p = Path(path)
    text = read_text(p)
    scenario, smap = read_scenario_text(text, file=str(p), names=names, catalogue=catalogue)
    return LoadedScenario(scenario, text, p, smap)


def dump_scenario(scenario: Scenario) -> str:
    """Write a scenario as YAML text (used to store a sample's resolved scenario)."""
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def network_names(network: Network) -> NetworkNames:
    """The identifiers of a network that scenarios may name."""
    return NetworkNames(
        node_ids=frozenset(network.node_index),
        link_ids=frozenset(network.link_index),
        corridor_ids=frozenset(network.corridor_ids),
        countries=frozenset(str(c) for c in network.nodes["country"]),
        place=network.place,
    )


def shipped_measures_path() -> Path:
    """The measures catalogue shipped with the Eurasian network."""
    return eurasia_path() / "measures.yaml"


def shipped_scenarios() -> dict[str, Path]:
    """Scenario files shipped with the Eurasian network, by name (file stem)."""
    folder = eurasia_path() / "scenarios"
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """A scenario file path, or the shipped scenario of that name (``baseline-2024``)."""
    p = Path(name_or_path)
    if p.exists() or p.suffix in (".yaml", ".yml"):
        return p
    shipped = shipped_scenarios()
    if str(name_or_path) in shipped:
        return shipped[str(name_or_path)]
    hint = did_you_mean(str(name_or_path), shipped)
    raise UnknownScenarioError(
        [
            Problem(
                str(name_or_path),
                None,
                None,
                None,
                "no such scenario file or shipped scenario",
                hint or "shipped: " + ", ".join(shipped),
            )
        ],
        what="scenario",
    )


@dataclass(frozen=True)
class ScenarioInputs:
    """Everything a run needs, read and checked.

    Attributes
    ----------
    loaded : LoadedScenario
        The scenario, its text and lines.
    network : Network
        The network it runs on.
    network_path : str
        Folder the network was read from (workers read it again).
    catalogue : MeasureCatalogue or None
        The measures catalogue (``None`` when there is none).
    """

    loaded: LoadedScenario
    network: Network
    network_path: str
    catalogue: MeasureCatalogue | None

    @property
    def scenario(self) -> Scenario:
        """The scenario."""
        return self.loaded.scenario


def load_inputs(
    scenario_path: str | Path,
    *,
    network_path: str | Path | None = None,
    measures_path: str | Path | None = None,
    network: Network | None = None,
) -> ScenarioInputs:
    """Read a scenario, its network and its measures catalogue, and check them together.

    The network is ``network_path``, else the scenario's ``network`` (relative to the
    scenario file), else the shipped Eurasian network; the catalogue likewise from
    ``measures_path``, ``measures_file`` or the shipped ``measures.yaml``. A
    ``network`` already read from that folder is used instead of reading it again
    (several scenarios on one network).

    Raises
    ------
    ScenarioError
        Every problem in the scenario and catalogue, each with file, line and field.
    NetworkError
        When the network tables are malformed.
    """
    path = resolve_scenario_path(scenario_path)
    text = read_text(path)
    scenario, smap = parse_model(text, Scenario, file=str(path))
    folder = path.parent
    if network_path is not None:
        net_dir = Path(network_path)
    elif scenario.network:
        net_dir = (folder / scenario.network).resolve()
    else:
        net_dir = eurasia_path()
    if network is None:
        network = read_network(net_dir)
    names = network_names(network)
    if measures_path is not None:
        cat_path: Path | None = Path(measures_path)
    elif scenario.measures_file:
        cat_path = (folder / scenario.measures_file).resolve()
    else:
        cat_path = shipped_measures_path() if net_dir == eurasia_path() else None
    catalogue = None
    if cat_path is not None and cat_path.exists():
        catalogue = read_measures(cat_path, names=names)
    elif cat_path is not None and (measures_path is not None or scenario.measures_file):
        raise ScenarioError(
            [
                Problem(
                    str(path),
                    smap.line(("measures_file",)),
                    "measures_file",
                    str(cat_path),
                    "no such measures file",
                )
            ],
            what=str(path),
        )
    read_scenario_text(text, file=str(path), names=names, catalogue=catalogue)
    return ScenarioInputs(
        LoadedScenario(scenario, text, path, smap), network, str(net_dir), catalogue
    )
