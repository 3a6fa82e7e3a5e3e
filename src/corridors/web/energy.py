"""``/api/energy/...`` and ``/api/relief``: the energy flow and relief studies as layers.

Each answer is what ``corridors energy flow`` and ``corridors relief`` print with
``--format json`` (the envelope: version, parameters, then the study) or, with
``format=geojson``, with ``--format geojson`` (links and nodes with flow, capacity,
utilisation and shadow price, for the map). The studies do the work; this module only
reads the query, calls them and maps their errors to the parameter that caused them.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from corridors import __version__
from corridors.energy.scenario import shipped_energy_scenarios
from corridors.energy.schema import CARRIERS
from corridors.errors import ScenarioError, UnknownClosureError, UnknownPlaceError, did_you_mean
from corridors.reports.flows_map import flows_geojson
from corridors.studies import energy as energy_study
from corridors.studies import relief as relief_study
from corridors.studies.relief import WindowError
from corridors.web.cache import RecentResults
from corridors.web.errors import ParameterError, parameter_error

router = APIRouter(prefix="/api", tags=["energy"])


class Format(enum.StrEnum):
    """What an energy or relief answer is written as."""

    JSON = "json"
    GEOJSON = "geojson"


def _envelope(parameters: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    """The command line's JSON envelope: ``{"version", "parameters", ...content}``."""
    return {"version": __version__, "parameters": parameters, **content}


@router.get("/energy/scenarios", summary="The shipped energy scenarios and the carriers")
def energy_scenarios() -> dict[str, list[str]]:
    """Names the energy panel offers: carriers (crude, gas, power) and shipped scenarios."""
    return {"commodities": list(CARRIERS), "scenarios": list(shipped_energy_scenarios())}


def _recent(request: Request) -> RecentResults[Any]:
    studies: RecentResults[Any] = request.app.state.studies
    return studies


@router.get("/energy/flow", summary="Where a carrier flows in a year, at what cost, what binds")
def energy_flow_layer(
    request: Request,
    *,
    commodity: Annotated[
        str | None, Query(max_length=20, description="crude, gas or power.")
    ] = None,
    year: Annotated[
        int | None, Query(ge=1990, le=2100, description="Year modelled (default 2024).")
    ] = None,
    scenario: Annotated[
        str | None,
        Query(max_length=100, description="A shipped energy scenario, e.g. cpc-outage-30d."),
    ] = None,
    format: Annotated[
        Format, Query(description="json (as --format json) or geojson (as --format geojson).")
    ] = Format.JSON,
) -> dict[str, Any]:
    """``corridors energy flow``: flows, capacity, utilisation and shadow price per element."""
    if commodity is not None and commodity not in CARRIERS:
        hint = did_you_mean(commodity, CARRIERS) or "use " + ", ".join(CARRIERS)
        raise ParameterError(
            "query", "commodity", f"unknown energy commodity {commodity!r}; {hint}"
        )
    if scenario is not None:
        shipped = shipped_energy_scenarios()
        if scenario not in shipped:
            hint = did_you_mean(scenario, shipped) or "shipped: " + ", ".join(shipped)
            raise ParameterError(
                "query", "scenario", f"no such energy scenario {scenario!r}; {hint}", status=404
            )
    try:
        study = _recent(request).get(
            ("energy", commodity, year, scenario),
            lambda: energy_study.energy_flow(carrier=commodity, year=year, scenario=scenario),
        )
    except ScenarioError as exc:  # the scenario is about another carrier
        raise parameter_error("query", "commodity", exc) from exc
    d = study.to_dict()
    if format is Format.GEOJSON:
        name = f"{study.carrier} {d['year']}" + (f" {d['scenario']}" if d["scenario"] else "")
        return flows_geojson(d["links"], d["nodes"], study.coords, name=name)
    parameters = {"command": "energy flow", "commodity": commodity, "year": year}
    return _envelope(parameters | {"scenario": scenario}, d)


@router.get("/relief", summary="Tonnes a day that reach a disaster area within a window")
def relief_layer(
    request: Request,
    *,
    to: Annotated[
        str, Query(min_length=1, max_length=100, description="Disaster area, e.g. Kahramanmaras.")
    ],
    origins: Annotated[
        str,
        Query(
            alias="from",
            min_length=1,
            max_length=200,
            description="OTS (members and observers), members, or depots: Baku,Ankara.",
        ),
    ] = "OTS",
    within: Annotated[
        str, Query(max_length=20, description="Window, e.g. 72h or 3d (at most two weeks).")
    ] = "72h",
    close: Annotated[
        list[str] | None,
        Query(description="Ports, airports, roads closed: iskenderun_port,hatay_airport."),
    ] = None,
    step: Annotated[float, Query(ge=0.25, le=24.0, description="Time step, hours.")] = 1.0,
    format: Annotated[
        Format, Query(description="json (as --format json) or geojson (as --format geojson).")
    ] = Format.JSON,
) -> dict[str, Any]:
    """``corridors relief``: tonnes a day by route and mode, what binds, what reopening adds."""
    closed = [p.strip() for item in close or [] for p in item.split(",") if p.strip()]
    if len(closed) > 50:
        raise ParameterError("query", "close", "at most 50 elements can be closed at once")
    try:
        study = _recent(request).get(
            ("relief", to, origins, within, tuple(closed), step),
            lambda: relief_study.relief(
                to=to, origins=origins, within=within, close=closed, step_h=step
            ),
        )
    except WindowError as exc:
        raise ParameterError("query", "within", str(exc)) from exc
    except UnknownClosureError as exc:
        raise parameter_error("query", "close", exc, status=404) from exc
    except UnknownPlaceError as exc:
        names = {"to": [to], "close": closed}
        where = next((k for k, v in names.items() if exc.name in v), "from")
        raise parameter_error("query", where, exc) from exc
    d = study.to_dict()
    if format is Format.GEOJSON:
        return flows_geojson(d["links"], d["nodes"], study.coords, name=f"relief to {d['to']}")
    parameters: dict[str, Any] = {"command": "relief", "to": to, "from": origins}
    parameters |= {"within": within, "close": closed, "step_h": step}
    return _envelope(parameters, d)
