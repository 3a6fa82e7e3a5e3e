"""The dashboard's web application: the JSON API under ``/api/`` and the page that uses it.

Everything is local: the page, the map component and the libraries it shares with the
HTML reports (``corridors/reports/static``, served as ``/static/shared``) and the base
map are served by this application; nothing is fetched from the internet.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from corridors import __version__
from corridors.reports.assets import static_dir as shared_dir
from corridors.reports.basemap import countries_geojson
from corridors.web import compare, energy, runs, scenario_form
from corridors.web.cache import RecentResults, RoutingCache
from corridors.web.errors import install_error_handlers
from corridors.web.jobs import JobQueue
from corridors.web.store import StoreAccess


def static_dir() -> Path:
    """Folder of the page, its scripts and the vendored libraries."""
    return Path(str(resources.files("corridors.web").joinpath("static")))


def create_app(
    *,
    store: str | Path = "corridors.duckdb",
    network_path: Path | None = None,
    workers: int | None = None,
) -> FastAPI:
    """Build the application.

    Parameters
    ----------
    store : str or Path
        DuckDB results store the runs are read from and written to.
    network_path : Path, optional
        Network folder for comparisons (default: the shipped Eurasian network).
    workers : int, optional
        Jobs running at once (default: half the cores, at least 1).
    """
    access = StoreAccess(Path(store))
    jobs = JobQueue(store_call=access.call, workers=workers or max(1, (os.cpu_count() or 2) // 2))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = FastAPI(
        title="corridors dashboard",
        version=__version__,
        description="Compare the Eurasian corridors, run scenarios and share views. "
        "Every answer is computed locally by the corridors library.",
        lifespan=lifespan,
    )
    app.state.routing = RoutingCache(network_path)
    app.state.studies = RecentResults[object](size=16)
    app.state.store = access
    app.state.jobs = jobs
    app.state.basemap = countries_geojson(resolution="110m")
    install_error_handlers(app)
    app.include_router(compare.router)
    app.include_router(runs.router)
    app.include_router(scenario_form.router)
    app.include_router(energy.router)
    static = static_dir()
    app.mount("/static/shared", StaticFiles(directory=shared_dir()), name="shared")
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html")

    return app
