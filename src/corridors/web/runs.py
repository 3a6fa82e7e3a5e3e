"""``/api/scenarios``, ``/api/runs`` and ``/api/jobs``: scenarios, their runs and long work.

A run is checked here (the same checks and messages as the YAML file gets), then queued
as a job; the job's worker calls the library's runner and sends each finished run back
to be written to the store.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic import BaseModel, Field

from corridors.errors import CorridorsError, did_you_mean
from corridors.reports.run_report import stored_run_map, stored_run_report
from corridors.scenarios.io import read_scenario, shipped_scenarios
from corridors.scenarios.store import ResultsStore
from corridors.studies.scenario import bands
from corridors.web.cache import RoutingCache
from corridors.web.errors import ParameterError, parameter_error
from corridors.web.jobs import JobQueue
from corridors.web.scenarios import forecast_task, records, run_task, scenario_inputs
from corridors.web.store import StoreAccess

router = APIRouter(prefix="/api", tags=["scenarios"])

RUN_TABLES = (
    "corridor_volumes",
    "link_flows",
    "transit_times",
    "measure_rankings",
    "bottlenecks",
    "unserved",
)

RunId = Annotated[str, PathParam(min_length=1, max_length=64, pattern=r"^[0-9a-zA-Z_-]+$")]


class RunKind(enum.StrEnum):
    """What a job does with a scenario."""

    RUN = "run"
    FORECAST = "forecast"


class RunRequest(BaseModel):
    """A scenario to run: shipped by name, optionally with its YAML edited."""

    scenario: str = Field(min_length=1, max_length=200, description="Shipped scenario name.")
    yaml: str | None = Field(
        default=None, max_length=200_000, description="Edited scenario text (YAML)."
    )
    kind: RunKind = Field(default=RunKind.RUN, description="A run, or a Monte Carlo forecast.")
    to: int | None = Field(default=None, ge=1990, le=2100, description="Last year.")
    samples: int = Field(default=20, ge=1, le=1000, description="Forecast draws.")
    appraise: bool = Field(default=True, description="Also rank the scenario's measures.")


class ScenarioText(BaseModel):
    """A scenario's YAML text to check."""

    yaml: str = Field(max_length=200_000)


def _state(request: Request) -> tuple[RoutingCache, StoreAccess, JobQueue]:
    s = request.app.state
    return s.routing, s.store, s.jobs


def shipped_scenario_path(name: str) -> Path:
    """The file of a shipped scenario; 404 naming ``scenario`` (with a suggestion) if none."""
    shipped = shipped_scenarios()
    if name not in shipped:
        hint = did_you_mean(name, shipped) or "shipped: " + ", ".join(shipped)
        raise ParameterError("path", "scenario", f"no scenario {name!r}; {hint}", status=404)
    return shipped[name]


@router.get("/scenarios", summary="Shipped scenarios and the scenarios of stored runs")
def list_scenarios(request: Request) -> list[dict[str, Any]]:
    """Name, description, years and measures of each scenario."""
    _, store, _ = _state(request)
    out: list[dict[str, Any]] = []
    for name, path in shipped_scenarios().items():
        sc = read_scenario(path).scenario
        out.append(
            {
                "name": name,
                "title": sc.name,
                "description": sc.description,
                "base_year": sc.base_year,
                "horizon": sc.horizon,
                "measures": list(sc.measures),
                "source": "shipped",
            }
        )
    runs = store.read(lambda db: db.list_runs(), empty=pd.DataFrame(columns=["scenario_name"]))
    known = {s["name"] for s in out} | {s["title"] for s in out}
    for name in sorted(set(runs["scenario_name"]) - known):
        out.append({"name": name, "title": name, "source": "stored"})
    return out


@router.get("/scenarios/{scenario}", summary="A shipped scenario: its YAML and its content")
def get_scenario(
    request: Request, scenario: Annotated[str, PathParam(min_length=1, max_length=200)]
) -> dict[str, Any]:
    """The scenario's text (for the editor) and its parsed content."""
    path = shipped_scenario_path(scenario)
    cache, _, _ = _state(request)
    inputs = scenario_inputs(str(path), network=cache.network)
    catalogue = inputs.catalogue
    return {
        "name": scenario,
        "yaml": inputs.loaded.text,
        "scenario": inputs.scenario.model_dump(mode="json"),
        "catalogue": (
            [{"id": m.id, "name": m.name} for m in catalogue.measures] if catalogue else []
        ),
    }


@router.post("/scenarios/{scenario}/check", summary="Check an edited scenario")
def check_scenario(
    request: Request,
    scenario: Annotated[str, PathParam(min_length=1, max_length=200)],
    body: ScenarioText,
) -> dict[str, Any]:
    """Check the text as the file would be checked: 200 when valid, else 422 with problems."""
    path = shipped_scenario_path(scenario)
    cache, _, _ = _state(request)
    try:
        inputs = scenario_inputs(str(path), text=body.yaml, network=cache.network)
    except CorridorsError as exc:
        raise parameter_error("body", "yaml", exc) from exc
    return {
        "ok": True,
        "name": inputs.scenario.name,
        "years": list(inputs.scenario.years),
        "scenario": inputs.scenario.model_dump(mode="json"),
    }


@router.post("/runs", status_code=202, summary="Run a scenario (or forecast) as a job")
def start_run(request: Request, body: RunRequest) -> dict[str, Any]:
    """Check the scenario, queue the job and return it (poll ``/api/jobs/{job_id}``)."""
    cache, _, jobs = _state(request)
    path = shipped_scenario_path(body.scenario)
    try:
        inputs = scenario_inputs(str(path), text=body.yaml, network=cache.network)
    except CorridorsError as exc:
        raise parameter_error("body", "yaml" if body.yaml else "scenario", exc) from exc
    sc = inputs.scenario
    if body.to is not None and body.to < sc.base_year:
        msg = f"last year {body.to} is before the scenario's base year {sc.base_year}"
        raise ParameterError("body", "to", msg)
    common: dict[str, Any] = {
        "scenario": str(path),
        "text": body.yaml,
        "network_path": None,
        "horizon": body.to,
    }
    if body.kind == RunKind.FORECAST:
        job = jobs.submit(
            "forecast",
            f"forecast {sc.name} ({body.samples} draws)",
            forecast_task,
            samples=body.samples,
            **common,
        )
    else:
        job = jobs.submit("run", f"run {sc.name}", run_task, appraise=body.appraise, **common)
    return job.to_dict()


@router.get("/runs", summary="Stored runs, newest first")
def list_runs(
    request: Request,
    kind: Annotated[str | None, Query(max_length=40, description="run, sweep, forecast...")] = None,
    scenario: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 200,
) -> list[dict[str, Any]]:
    """Runs of the store, filtered by kind and scenario."""
    _, store, _ = _state(request)
    runs = store.read(lambda db: db.list_runs(), empty=pd.DataFrame())
    if runs.empty:
        return []
    if kind:
        runs = runs[runs["kind"] == kind]
    if scenario:
        runs = runs[runs["scenario_name"] == scenario]
    return records(runs.head(limit))


def _run_tables(db: ResultsStore, run_id: str) -> dict[str, Any]:
    info = db.run_info(run_id)
    rid = info["run_id"]
    tables = {name: db.table(name, rid) for name in RUN_TABLES}
    totals = db.corridor_totals(rid)
    return {
        "info": {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in info.items()
            if k != "scenario_text"
        },
        "scenario_text": info["scenario_text"],
        "corridor_totals": records(totals),
        **{name: records(frame) for name, frame in tables.items()},
    }


@router.get("/runs/{run_id}", summary="A stored run and its result tables")
def get_run(request: Request, run_id: RunId) -> dict[str, Any]:
    """Volumes by corridor and year, link flows, transit times, rankings, bottlenecks."""
    _, store, _ = _state(request)
    if not store.path.exists():
        _no_store(run_id)
    return store.read(lambda db: _run_tables(db, run_id), empty={})


def _no_store(run_id: str) -> None:
    raise ParameterError("path", "run_id", f"no run {run_id!r}: the store is empty", status=404)


@router.get(
    "/runs/{run_id}/tables/{table}.csv",
    summary="A result table of a run as CSV",
    response_class=PlainTextResponse,
)
def run_table_csv(
    request: Request,
    run_id: RunId,
    table: Annotated[str, PathParam(max_length=40)],
) -> PlainTextResponse:
    """One of the run's tables (``corridor_volumes``, ``link_flows``, ...) as CSV."""
    if table not in RUN_TABLES:
        msg = f"no table {table!r}; known: {', '.join(RUN_TABLES)}"
        raise ParameterError("path", "table", msg, status=404)
    _, store, _ = _state(request)
    if not store.path.exists():
        _no_store(run_id)
    frame = store.read(lambda db: db.table(table, run_id), empty=pd.DataFrame())
    return PlainTextResponse(
        frame.to_csv(index=False),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{table}.csv"'},
    )


@router.get(
    "/runs/{run_id}/report.html",
    summary="A run as a self-contained HTML report",
    response_class=HTMLResponse,
)
def run_report_html(request: Request, run_id: RunId) -> HTMLResponse:
    """The same file as ``corridors report run RUN_ID`` writes."""
    cache, store, _ = _state(request)
    if not store.path.exists():
        _no_store(run_id)
    html = store.read(lambda db: stored_run_report(db, run_id, cache.network), empty="")
    return HTMLResponse(
        html, headers={"Content-Disposition": f'attachment; filename="run-{run_id}.html"'}
    )


@router.get("/runs/{run_id}/map", summary="The map of a run's last year (as in its report)")
def run_map(request: Request, run_id: RunId) -> dict[str, Any]:
    """``{"year", "layers"}`` for the map component: flows, utilisation, shadow prices."""
    cache, store, _ = _state(request)
    if not store.path.exists():
        _no_store(run_id)
    return store.read(lambda db: stored_run_map(db, run_id, cache.network), empty={})


@router.get("/runs/{run_a}/diff/{run_b}", summary="Two runs side by side (b - a)")
def diff_runs(request: Request, run_a: RunId, run_b: RunId) -> list[dict[str, Any]]:
    """Corridor volumes of two runs by year with the difference, TEU."""
    _, store, _ = _state(request)
    if not store.path.exists():
        _no_store(run_a)
    return records(store.read(lambda db: db.diff(run_a, run_b), empty=pd.DataFrame()))


@router.get("/sweeps", summary="Stored sweeps and forecasts, newest first")
def list_sweeps(request: Request) -> list[dict[str, Any]]:
    """Each sweep or forecast with the number of its runs stored."""
    _, store, _ = _state(request)
    return records(store.read(lambda db: db.list_sweeps(), empty=pd.DataFrame()))


@router.get("/sweeps/{sweep_id}", summary="A sweep or forecast: volume bands by year")
def get_sweep(request: Request, sweep_id: RunId) -> dict[str, Any]:
    """Mean and 5-50-95 % of the corridor volumes over the stored runs, TEU and tonnes."""
    _, store, _ = _state(request)
    sweeps = store.read(lambda db: db.list_sweeps(), empty=pd.DataFrame())
    hit = sweeps[sweeps["sweep_id"] == sweep_id] if len(sweeps) else sweeps
    if hit.empty:
        raise ParameterError("path", "sweep_id", f"no sweep {sweep_id!r}", status=404)
    volumes = store.read(lambda db: db.sweep_volumes(sweep_id), empty=pd.DataFrame())
    row = records(hit)[0]
    return {
        "sweep_id": sweep_id,
        "scenario": row["scenario_name"],
        "kind": row["kind"],
        "runs": row["stored"],
        "bands": records(bands(volumes)) if len(volumes) else [],
    }


JobId = Annotated[str, PathParam(min_length=1, max_length=64)]


@router.get("/jobs", summary="Jobs: queued, running and finished", tags=["jobs"])
def list_jobs(request: Request) -> list[dict[str, Any]]:
    """Every job the server remembers, newest first."""
    _, _, jobs = _state(request)
    return [j.to_dict() for j in jobs.jobs()]


@router.get("/jobs/{job_id}", summary="A job's state and progress", tags=["jobs"])
def get_job(request: Request, job_id: JobId) -> dict[str, Any]:
    """State, progress (done of total steps), result or error."""
    _, _, jobs = _state(request)
    return jobs.get(job_id).to_dict()


@router.post("/jobs/{job_id}/cancel", summary="Cancel a job", tags=["jobs"])
def cancel_job(request: Request, job_id: JobId) -> dict[str, Any]:
    """Stop a queued or running job (its completed runs stay stored)."""
    _, _, jobs = _state(request)
    return jobs.cancel(job_id).to_dict()


@router.delete("/jobs/{job_id}", summary="Cancel a job", tags=["jobs"])
def delete_job(request: Request, job_id: JobId) -> dict[str, Any]:
    """The same as ``POST /api/jobs/{job_id}/cancel``."""
    _, _, jobs = _state(request)
    return jobs.cancel(job_id).to_dict()
