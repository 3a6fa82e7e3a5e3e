"""``POST /api/scenarios/{scenario}/form``: the scenario form written into its YAML.

The page edits a scenario in a form (the measures in force, each market's growth, the
disruptions: what is closed or slowed, from and to which dates, the extra USD per TEU)
and keeps the YAML as an "advanced" view. Each form change is written into the
scenario's text and checked by the library exactly as the file is (the same messages,
with the field path such as ``disruptions[0].start`` that the page shows next to the
field); the answer is the new text and the parsed scenario, which rebuild both views.
"""

from __future__ import annotations

from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from corridors.errors import CorridorsError
from corridors.scenarios.spec.disruptions import SurchargeBasis
from corridors.web.errors import ParameterError, parameter_error
from corridors.web.runs import shipped_scenario_path
from corridors.web.scenarios import scenario_inputs
from corridors.yamlsafe import read_yaml_text

router = APIRouter(prefix="/api", tags=["scenarios"])


class DisruptionForm(BaseModel):
    """One disruption as the form holds it (checked by the library, not here)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=100, description="Identifier.")
    name: str = Field(default="", max_length=300)
    corridors: list[str] = Field(default_factory=list, max_length=200)
    passages: list[str] = Field(default_factory=list, max_length=200)
    nodes: list[str] = Field(default_factory=list, max_length=200)
    links: list[str] = Field(default_factory=list, max_length=200)
    start: str = Field(max_length=30, description="First day, YYYY-MM-DD.")
    end: str | None = Field(default=None, max_length=30, description="Day it ends (excluded).")
    recurring: bool = False
    closed: bool = Field(default=False, description="Closed, or only slowed.")
    time_factor: float = Field(default=1.0, description="Travel time multiplied by this.")
    extra_hours: float = Field(default=0.0, description="Hours added, hours.")
    extra_usd_teu: float = Field(default=0.0, description="USD added per TEU.")
    extra_usd_basis: SurchargeBasis = Field(
        default="teu",
        description="Paid per TEU in full (teu), or in proportion to the cargo's value (value).",
    )
    capacity_factor: float = Field(default=1.0, description="Capacity multiplied by this.")
    source: str = Field(default="", max_length=2000)


class ScenarioForm(BaseModel):
    """The scenario text being edited and the form's values to write into it."""

    model_config = ConfigDict(extra="forbid")

    yaml: str = Field(max_length=200_000, description="The scenario text being edited.")
    measures: list[str] | None = Field(
        default=None, max_length=200, description="Measure ids in force (None: unchanged)."
    )
    growth: dict[str, float] | None = Field(
        default=None, description="Growth a year per market id (0.03 = 3 %; None: unchanged)."
    )
    disruptions: list[DisruptionForm] | None = Field(
        default=None, max_length=100, description="Every disruption (None: unchanged)."
    )


_DEFAULTS = DisruptionForm(id="x", start="").model_dump()


def _disruption(d: DisruptionForm) -> dict[str, Any]:
    """A disruption as the YAML writes it: fields left at their default are left out."""
    out: dict[str, Any] = {}
    for key, value in d.model_dump().items():
        if key in ("id", "start") or value != _DEFAULTS[key]:
            out[key] = value.strip() if isinstance(value, str) else value
    if not out.get("end"):
        out.pop("end", None)
    return out


def market_key(demand: object) -> str:
    """Where a scenario lists its markets: ``markets`` or ``table_markets``.

    ``table_markets`` when its demand comes from a demand table (they group its rows).
    """
    return "table_markets" if isinstance(demand, dict) and demand.get("table") else "markets"


def apply_form(data: dict[str, Any], form: ScenarioForm) -> dict[str, Any]:
    """The scenario mapping with the form's measures, growth rates and disruptions.

    Raises
    ------
    ParameterError
        When ``growth`` names a market the scenario does not have.
    """
    out = dict(data)
    if form.measures is not None:
        out["measures"] = list(form.measures)
    if form.growth is not None:
        demand = out.get("demand")
        key = market_key(demand)
        markets = demand.get(key) if isinstance(demand, dict) else None
        ids = [m.get("id") for m in markets or [] if isinstance(m, dict)]
        unknown = sorted(set(form.growth) - {str(i) for i in ids})
        if unknown:
            known = ", ".join(str(i) for i in ids) or "none: this scenario lists no markets"
            msg = f"no market {unknown[0]!r} in the scenario; its markets: {known}"
            raise ParameterError("body", "growth", msg)
        out["demand"] = {
            **demand,  # type: ignore[dict-item]
            key: [
                {**m, "growth": form.growth[str(m["id"])]} if str(m.get("id")) in form.growth else m
                for m in markets or []
            ],
        }
    if form.disruptions is not None:
        out["disruptions"] = [_disruption(d) for d in form.disruptions]
        if not out["disruptions"]:
            del out["disruptions"]
    return out


@router.post("/scenarios/{scenario}/form", summary="Write the scenario form into its YAML")
def scenario_form(
    request: Request,
    scenario: Annotated[str, PathParam(min_length=1, max_length=200)],
    body: ScenarioForm,
) -> dict[str, Any]:
    """The text with the form's values, checked as the file is; 422 names each bad field.

    The answer's ``yaml`` is the new text (comments are not kept) and ``scenario`` the
    parsed scenario. A problem's ``field`` is its path in the scenario
    (``demand.markets[0].growth``, ``disruptions[1].start``), the page's key for the field.
    """
    path = shipped_scenario_path(scenario)
    network = request.app.state.routing.network
    try:
        data = read_yaml_text(body.yaml, file=f"{path.name} (edited)")
    except CorridorsError as exc:
        raise parameter_error("body", "yaml", exc) from exc
    if not isinstance(data, dict):
        raise ParameterError("body", "yaml", "the scenario text is not a mapping of fields")
    text = yaml.safe_dump(apply_form(data, body), sort_keys=False, allow_unicode=True)
    try:
        inputs = scenario_inputs(str(path), text=text, network=network)
    except CorridorsError as exc:
        raise parameter_error("body", "form", exc) from exc
    return {"yaml": text, "scenario": inputs.scenario.model_dump(mode="json")}
