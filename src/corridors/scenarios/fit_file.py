"""The fit file a scenario names: its fitted values filled into the scenario as it is read.

`corridors calibrate` fits the corridor choice (scales, constants, the Northern risk
premium, the sea rates and Caspian waits of the history) and writes it to one fit file
(:class:`~corridors.scenarios.spec.fit.Fit`, :func:`fit_text`); every scenario that
uses the fit names it (``fit: ../fit-2021-2023.yaml``) instead of copying the values.
When the scenario is read (:func:`parse_scenario`):

- each ``behaviour`` field the fit writes and the scenario leaves out takes the fit's
  value; one the scenario writes keeps the scenario's;
- a disruption whose ``extra_usd_teu`` or ``extra_hours`` is ``fit`` takes the fit's
  value for that disruption id.

A fit file that is missing, malformed or lacks a value the scenario asks for is one
:class:`~corridors.errors.ScenarioError` naming the file, line and field, with a
"did you mean" where one can be guessed. With :mod:`corridors.scenarios.io`, the only
module of :mod:`corridors.scenarios` that reads files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from corridors.errors import Problem, ScenarioError, close_choices, did_you_mean
from corridors.scenarios.parsing import SourceMap, compose_with_lines, parse_model, validate_data
from corridors.scenarios.spec import Scenario
from corridors.scenarios.spec.fit import (
    DISRUPTION_PARAMETERS,
    FITTED_SURCHARGE_FIELDS,
    FROM_FIT,
    Fit,
)
from corridors.yamlsafe import format_path, read_text

__all__ = ["fill_from_fit", "fit_text", "parse_scenario", "read_fit"]

FITTED_BEHAVIOUR = (
    "logit_scale_per_usd",
    "class_scale",
    "risk_premium_usd_teu",
    "nests",
    "nest_scale",
    "routes_per_corridor",
)
"""Behaviour fields :func:`fit_text` writes (in this order): the fitted scales and
constants, and the nests and routes per corridor they were fitted with."""


def read_fit(path: Path) -> Fit:
    """Read and check a fit file.

    Raises
    ------
    ScenarioError
        Invalid YAML, unknown or misspelt fields, wrong values (file, line, field).
    """
    return parse_model(read_text(path), Fit, file=str(path))[0]


def _markers(data: Mapping[str, Any]) -> list[tuple[int, str, str]]:
    """``(index, field, disruption id)`` of every disruption value written as ``fit``."""
    found: list[tuple[int, str, str]] = []
    disruptions = data.get("disruptions")
    if not isinstance(disruptions, list):
        return found
    for k, d in enumerate(disruptions):
        if isinstance(d, dict):
            found += [
                (k, f, str(d.get("id"))) for f in FITTED_SURCHARGE_FIELDS if d.get(f) == FROM_FIT
            ]
    return found


def _missing_file(ref: str, path: Path, smap: SourceMap) -> ScenarioError:
    """The error of a ``fit`` that names no file, with the closest file of its folder."""
    near = sorted(p.name for p in path.parent.glob("*.yaml")) if path.parent.is_dir() else []
    close = close_choices(path.name, near)
    hint = did_you_mean(ref, [str(Path(ref).with_name(c)) for c in close]) if close else None
    problem = Problem(
        smap.file, smap.line(("fit",)), "fit", ref, f"no such fit file ({path})", hint
    )
    return ScenarioError([problem], what=smap.file)


def fill_from_fit(data: dict[str, Any], smap: SourceMap, *, folder: Path) -> dict[str, Any]:
    """The scenario's plain values with those of the fit it names filled in.

    Parameters
    ----------
    data : dict
        A scenario file's values (:func:`~corridors.scenarios.parsing.compose_with_lines`).
    smap : SourceMap
        Their lines.
    folder : Path
        Folder the fit file's path is relative to (the scenario file's).

    Returns
    -------
    dict
        A copy of ``data`` (``data`` itself when it names no fit and asks for none).

    Raises
    ------
    ScenarioError
        A value asked for as ``fit`` without a fit file, a fit file that does not
        exist or is malformed, or a fit without the value asked for.
    """
    markers = _markers(data)
    ref = data.get("fit")
    if not isinstance(ref, str) or not ref:
        if ref is None and markers:
            unasked = [
                Problem(
                    smap.file,
                    smap.line(("disruptions", k, f)),
                    format_path(("disruptions", k, f)),
                    FROM_FIT,
                    "the value is asked from the fit, but the scenario names no fit file",
                    "name one at the top, e.g. 'fit: ../fit-2021-2023.yaml'",
                )
                for k, f, _ in markers
            ]
            raise ScenarioError(unasked, what=smap.file)
        return data  # no fit, or one of the wrong type: the validation says so
    path = (folder / ref).resolve()
    if not path.is_file():
        raise _missing_file(ref, path, smap)
    fit = read_fit(path)
    out = dict(data)
    behaviour = data.get("behaviour")
    if behaviour is None or isinstance(behaviour, dict):
        out["behaviour"] = fit.behaviour_values() | (behaviour or {})
    problems: list[Problem] = []
    disruptions = list(data.get("disruptions") or [])
    for k, field, did in markers:
        entry = fit.disruptions.get(did)
        value = None if entry is None else getattr(entry, field)
        if value is None:
            have = [i for i, e in fit.disruptions.items() if getattr(e, field) is not None]
            problems.append(
                Problem(
                    smap.file,
                    smap.line(("disruptions", k, field)),
                    format_path(("disruptions", k, field)),
                    FROM_FIT,
                    f"the fit {ref} has no {field} for disruption {did!r}",
                    did_you_mean(did, have) or f"it has one for: {', '.join(have) or 'none'}",
                )
            )
            continue
        disruptions[k] = dict(disruptions[k]) | {field: value}
    if problems:
        raise ScenarioError(problems, what=smap.file)
    if markers:
        out["disruptions"] = disruptions
    return out


def parse_scenario(text: str, *, file: str, folder: Path) -> tuple[Scenario, SourceMap]:
    """Parse a scenario's text, with the values of the fit it names filled in.

    Raises
    ------
    ScenarioError
        Every problem of the text (file, line and field), or of its fit
        (:func:`fill_from_fit`).
    """
    data, smap = compose_with_lines(text, file=file)
    if isinstance(data, dict):
        data = fill_from_fit(data, smap, folder=folder)
    return validate_data(data, Scenario, smap), smap


def _round(value: float) -> float:
    """A fitted value to 4 significant figures (as shipped: 0.000217, 1,672 USD/TEU)."""
    return float(f"{value:.4g}")


def _written(value: Any) -> Any:
    """A behaviour field's value as a fit file writes it.

    Numbers (not counts) to 4 significant figures (:func:`_round`), mappings and
    sequences item by item.
    """
    if isinstance(value, float):
        return _round(value)
    if isinstance(value, Mapping):
        return {k: _written(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_written(v) for v in value]
    return value


def fit_text(scenario: Scenario, parameters: Sequence[str], *, name: str, source: str) -> str:
    """The fit file of a fitted scenario (what ``corridors calibrate --write-fit`` writes).

    Parameters
    ----------
    scenario : Scenario
        The scenario with the fitted values (``CalibrationResult.scenario``).
    parameters : sequence of str
        The fitted parameters (:mod:`corridors.scenarios.calibration.parameters`):
        their disruptions' values are written; the behaviour's :data:`FITTED_BEHAVIOUR`
        always.
    name, source : str
        The fit's name and how it was obtained.

    Returns
    -------
    str
        YAML text that :func:`read_fit` reads back (values to 4 significant figures).
    """
    behaviour = {f: _written(getattr(scenario.behaviour, f)) for f in FITTED_BEHAVIOUR}
    values: dict[str, dict[str, float]] = {}
    by_id = {d.id: d for d in scenario.disruptions}
    for p in parameters:
        head, _, did = p.partition(".")
        if head in DISRUPTION_PARAMETERS and did in by_id:
            field = DISRUPTION_PARAMETERS[head]
            values.setdefault(did, {})[field] = _round(getattr(by_id[did], field))
    data = {
        "name": name,
        "fitted_to": scenario.name,
        "source": source,
        "behaviour": behaviour,
        "disruptions": values,
    }
    head = (
        f"# The corridor choice fitted by `corridors calibrate {scenario.name} --write-fit`.\n"
        "# Scenarios name this file (`fit:`): a behaviour field a scenario leaves out takes\n"
        "# the value here, a disruption value it writes as `fit` takes the one of that id\n"
        "# here; a value the scenario writes itself wins (docs/calibration.md).\n"
    )
    text = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )
    return head + text
