"""Read scenario files and measure catalogues, with line numbers in every error.

The text is parsed with :mod:`corridors.scenarios.parsing` (YAML with lines into the
pydantic models), with the values of the fit file it names filled in
(:mod:`corridors.scenarios.fit_file`), and checked against the network with
:mod:`corridors.scenarios.references`; every problem is reported together.

With :mod:`corridors.scenarios.fit_file`, the only module of :mod:`corridors.scenarios`
that reads files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from corridors.datasets import eurasia_path
from corridors.demand import read_demand
from corridors.errors import (
    Problem,
    ScenarioError,
    UnknownPlaceError,
    UnknownScenarioError,
    did_you_mean,
)
from corridors.network import Network, read_network
from corridors.scenarios.demand_table import table_markets
from corridors.scenarios.fit_file import parse_scenario
from corridors.scenarios.parsing import SourceMap, parse_model
from corridors.scenarios.references import (
    NetworkNames,
    check_change_values,
    check_measure_references,
    check_measure_values,
    check_names,
    check_scenario_references,
    network_names,
)
from corridors.scenarios.spec import MeasureCatalogue, Scenario
from corridors.yamlsafe import read_text

__all__ = [
    "LoadedScenario",
    "NetworkNames",
    "ScenarioInputs",
    "SourceMap",
    "dump_scenario",
    "load_inputs",
    "network_names",
    "parse_model",
    "read_measures",
    "read_measures_text",
    "read_scenario",
    "read_scenario_text",
    "resolve_demand_table",
    "resolve_scenario_path",
    "scenario_hash",
    "shipped_measures_path",
    "shipped_scenarios",
]


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with its text, hash, folder and source map."""

    scenario: Scenario
    text: str
    path: Path
    source_map: SourceMap

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's text (and of the fitted values, when it names a fit)."""
        if self.scenario.fit is None:
            return scenario_hash(self.text)
        fitted = self.scenario.model_dump_json(include={"behaviour", "disruptions"})
        return scenario_hash(self.text + "\n" + fitted)


def scenario_hash(text: str) -> str:
    """SHA-256 hex digest of a scenario's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    folder: Path | None = None,
) -> tuple[Scenario, SourceMap]:
    """Parse and check a scenario given as text (see :func:`read_scenario`).

    A demand ``table`` and a ``fit`` file are read relative to ``folder`` (default: the
    folder of ``file``); the table's rows become the scenario's markets
    (:func:`resolve_demand_table`), the fit's values fill the scenario
    (:func:`~corridors.scenarios.fit_file.parse_scenario`).
    """
    folder = Path(file).parent if folder is None else folder
    scenario, smap = parse_scenario(text, file=file, folder=folder)
    scenario = resolve_demand_table(scenario, smap, folder=folder, names=names)
    problems = check_measure_values(scenario.new_measures, smap, prefix=("new_measures",))
    problems += check_change_values(scenario.adjustments, smap, prefix=("adjustments",))
    if names is not None:
        problems += check_scenario_references(scenario, names, smap, catalogue=catalogue)
    elif catalogue is not None:
        known = frozenset(catalogue.ids + tuple(m.id for m in scenario.new_measures))
        problems += check_names(
            [(("measures", k), m) for k, m in enumerate(scenario.measures)], known, "measure", smap
        )
    if problems:
        raise ScenarioError(problems, what=file)
    return scenario, smap


def resolve_demand_table(
    scenario: Scenario, smap: SourceMap, *, folder: Path, names: NetworkNames | None = None
) -> Scenario:
    """The scenario with the markets of its demand table (itself when it has none).

    The table is read by :func:`corridors.demand.read_demand` (path relative to
    ``folder``); its rows become markets by
    :func:`corridors.scenarios.demand_table.table_markets`. Markets already there
    (a scenario written back by :func:`dump_scenario`) are kept.

    Raises
    ------
    ScenarioError
        When the table is missing, a ``table_markets`` id is not in it, or a row has
        no market or a unit that is not its class's (every problem together).
    DemandError
        When the table itself is malformed (file, line and field).
    """
    demand = scenario.demand
    if demand.table is None or demand.markets:
        return scenario
    path = (folder / demand.table).resolve()
    if not path.is_file():
        problem = Problem(
            smap.file,
            smap.line(("demand", "table")),
            "demand.table",
            demand.table,
            f"no such demand table ({path})",
        )
        raise ScenarioError([problem], what=smap.file)
    frame = read_demand(path)
    place: dict[str, str] = {}
    unknown: list[Problem] = []
    if names is not None:
        for column in ("origin", "destination"):
            for raw, line in zip(frame[column].astype(str), frame["_line"], strict=True):
                try:
                    place[raw] = names.place(raw)
                except UnknownPlaceError as exc:
                    hint = exc.hint
                    unknown.append(
                        Problem(path.name, int(line), column, raw, "unknown place", hint)
                    )
    markets, problems = table_markets(
        frame,
        demand,
        file=path.name,
        place=place,
        country=names.node_country if names is not None else None,
    )
    problems = unknown + problems
    known = {str(m) for m in frame["market"].dropna()}
    for k, tm in enumerate(demand.table_markets):
        if tm.id not in known:
            hint = did_you_mean(tm.id, sorted(known))
            problems.append(
                Problem(
                    smap.file,
                    smap.line(("demand", "table_markets", k, "id")),
                    "demand.table_markets.id",
                    tm.id,
                    f"the demand table {path.name} has no market {tm.id!r}",
                    hint,
                )
            )
    if not markets and not problems:
        problems.append(
            Problem(
                smap.file,
                smap.line(("demand", "table")),
                "demand.table",
                demand.table,
                "the demand table gives no market a volume",
            )
        )
    if problems:
        raise ScenarioError(problems, what=smap.file)
    return scenario.model_copy(update={"demand": demand.model_copy(update={"markets": markets})})


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
    """Write a scenario as YAML text (used to store a sample's resolved scenario).

    Every value is written out, the fitted ones too: the text names no fit file.
    """
    data = scenario.model_dump(mode="json", exclude_defaults=True, exclude={"fit"})
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


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
    folder = path.parent
    scenario, smap = parse_scenario(text, file=str(path), folder=folder)
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
    scenario, _ = read_scenario_text(text, file=str(path), names=names, catalogue=catalogue)
    return ScenarioInputs(
        LoadedScenario(scenario, text, path, smap), network, str(net_dir), catalogue
    )
