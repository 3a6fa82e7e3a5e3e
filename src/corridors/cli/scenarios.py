"""``corridors run | sweep | forecast``: run scenarios and store their results.

The tables they print are in :mod:`corridors.cli.scenario_views` (re-exported here),
``calibrate`` is :mod:`corridors.cli.calibrate` and ``runs`` :mod:`corridors.cli.runs`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from corridors import atomic
from corridors.cli.common import SCENARIO_HELP, STORE_HELP, quiet
from corridors.cli.scenario_views import (
    BOTTLENECK_HEADERS,
    RANKING_NARROW,
    constants_view,
    fit_view,
    frame_table,
    print_wide,
    rankings_view,
    route_fit_view,
    unserved_view,
    volume_table,
)
from corridors.errors import ScenarioError
from corridors.scenarios.io import load_inputs
from corridors.scenarios.spec import MAX_SEED, MAX_YEAR, MIN_YEAR
from corridors.scenarios.store import DEFAULT_STORE, ResultsStore
from corridors.scenarios.sweep import Executor
from corridors.scenarios.variables import VARIABLE_PATTERNS, UnmatchedVariableError, parse_vary
from corridors.studies.scenario import check_varies, forecast, run_and_store, sweep

__all__ = [
    "BOTTLENECK_HEADERS",
    "RANKING_NARROW",
    "SCENARIO_HELP",
    "STORE_HELP",
    "constants_view",
    "fit_view",
    "frame_table",
    "rankings_view",
    "register",
    "route_fit_view",
    "volume_table",
]


# Options of run, sweep and forecast (declared once, used as type annotations).
ScenarioArg = Annotated[str, typer.Argument(help=SCENARIO_HELP)]
ScenarioNetworkOpt = Annotated[Path | None, typer.Option("--network", "-n", help="Network folder.")]
MeasuresOpt = Annotated[Path | None, typer.Option("--measures", help="Measures catalogue.")]
StoreOpt = Annotated[Path, typer.Option("--store", help=STORE_HELP)]
DEFAULT_STORE_PATH = Path(DEFAULT_STORE)
SeedOpt = Annotated[
    int | None,
    typer.Option("--seed", min=0, max=MAX_SEED, help="Base seed (default: scenario's)."),
]
WorkersOpt = Annotated[
    int | None, typer.Option("--workers", min=1, help="Local processes (all cores).")
]
SequentialOpt = Annotated[bool, typer.Option("--sequential", help="Run one by one here.")]
DaskOpt = Annotated[str | None, typer.Option("--dask", help="Dask scheduler, tcp://HOST:8786.")]


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=quiet(),
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _executor(local: bool, dask: str | None) -> Executor:
    if dask:
        return "dask"
    return "sequential" if local else "processes"


def _write_csv(path: Path, frame: pd.DataFrame) -> None:
    atomic.write_text(path, frame.to_csv(index=False))
    typer.echo(f"wrote {path}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``run``, ``sweep`` and ``forecast``."""

    @app.command("run")
    def run_cmd(
        scenario: ScenarioArg,
        network: ScenarioNetworkOpt = None,
        measures: MeasuresOpt = None,
        store: StoreOpt = DEFAULT_STORE_PATH,
        no_store: bool = typer.Option(False, "--no-store", help="Do not store the run."),
        no_appraisal: bool = typer.Option(
            False, "--no-appraisal", help="Skip the ranking of the measures."
        ),
        to: int | None = typer.Option(
            None, "--to", min=MIN_YEAR, max=MAX_YEAR, help="Last year (default: the horizon)."
        ),
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Write corridor volumes to this CSV file."
        ),
        wide: bool = typer.Option(
            False,
            "--wide",
            help="Show every column of the ranking (wider than the terminal if need be).",
        ),
    ) -> None:
        """Run a scenario: corridor volumes by year, transit times, ranking of measures."""
        inputs = load_inputs(scenario, network_path=network, measures_path=measures)
        db = None if no_store else ResultsStore(store)
        try:
            with _progress(f"run {inputs.scenario.name}") as update:
                run_id, result = run_and_store(
                    inputs,
                    store=db,
                    horizon=to,
                    appraise_measures=not no_appraisal,
                    progress=update,
                )
        finally:
            if db is not None:
                db.close()
        console = Console()
        sc = inputs.scenario
        # each cargo class in its own unit: containers in TEU, bulk and crude in tonnes
        cv = result.corridor_volumes
        unit = cv["market"].map({m.id: m.cargo_class.unit for m in sc.demand.markets})
        for part, values, what in (
            (cv[unit == "TEU"], "volume_teu", "containers, TEU a year"),
            (cv[unit == "t"], "volume_t", "bulk and crude, tonnes a year"),
        ):
            if len(part):
                console.print(
                    frame_table(
                        volume_table(part, values),
                        title=f"{sc.name}: volume by corridor, {what}",
                    )
                )
        tt = result.transit_times
        last = tt[tt["year"] == tt["year"].max()]
        console.print(
            frame_table(
                last,
                title="transit time, hours (volume-weighted)",
                digits={"p50_h": 0, "p90_h": 0, "p95_h": 0, "mean_h": 0},
            )
        )
        busy = result.busiest()
        if not busy.empty:
            console.print(
                frame_table(
                    busy.drop(columns=["year"]).rename(columns=BOTTLENECK_HEADERS),
                    title=(
                        f"bottlenecks in {int(busy['year'].iloc[0])} (>= 90 % of capacity; "
                        "TEU or TEU-equivalents a year; shadow price under hard limits)"
                    ),
                    digits={"use": 2},
                )
            )
        unserved = unserved_view(result.unserved)
        if unserved is not None:
            console.print(frame_table(unserved[1], title=unserved[0]))
        if not result.rankings.empty:
            ranking = frame_table(
                rankings_view(result.rankings, wide=wide),
                title=(
                    f"measures, best first (target corridor {sc.target_corridor}, "
                    f"discount rate {sc.discount_rate:.0%})"
                ),
                digits={
                    "B/C": 2,
                    "capex M$": 1,
                    "NPV M$": 1,
                    "saved M$": 1,
                    "rents M$": 1,
                    "NPV+rents M$": 1,
                },
            )
            # --wide asks for every column: printed at its own width, wider than the
            # terminal if need be, rather than squeezing the measures' names out
            if wide:
                print_wide(console, ranking)
            else:
                console.print(ranking)
        if run_id:
            typer.echo(f"stored run {run_id} in {store}", err=True)
        if output is not None:
            _write_csv(output, result.corridor_volumes)

    @app.command("sweep")
    def sweep_cmd(
        scenario: ScenarioArg,
        vary: list[str] = typer.Option(
            ...,
            "--vary",
            help=("VARIABLE=LOW..HIGH, repeatable; variables: " + ", ".join(VARIABLE_PATTERNS)),
        ),
        samples: int = typer.Option(100, "--samples", min=1, help="Runs to make."),
        seed: SeedOpt = None,
        workers: WorkersOpt = None,
        sequential: SequentialOpt = False,
        dask: DaskOpt = None,
        network: ScenarioNetworkOpt = None,
        measures: MeasuresOpt = None,
        store: StoreOpt = DEFAULT_STORE_PATH,
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Write volumes by sample to this CSV file."
        ),
    ) -> None:
        """Run a scenario many times over ranges of inputs; each run is stored as it ends."""
        try:
            varies = [parse_vary(v) for v in vary]
        except ScenarioError as exc:
            msg = "; ".join(f"{p.value}: {p.message}" for p in exc.problems)
            raise typer.BadParameter(msg, param_hint="'--vary'") from None
        inputs = load_inputs(scenario, network_path=network, measures_path=measures)
        try:
            check_varies(inputs, varies)  # before the store exists: a bad --vary writes nothing
            with ResultsStore(store) as db, _progress(f"sweep {inputs.scenario.name}") as update:
                outcome = sweep(
                    inputs,
                    varies,
                    samples=samples,
                    seed=seed,
                    store=db,
                    executor=_executor(sequential, dask),
                    workers=workers,
                    dask_address=dask,
                    progress=update,
                )
        except UnmatchedVariableError as exc:  # the study's check, shown as a bad --vary
            msg = "; ".join(
                f"{p.value}: {p.message}" + (f"; {p.hint}" if p.hint else "") for p in exc.problems
            )
            raise typer.BadParameter(msg, param_hint="'--vary'") from None
        v = outcome.volumes
        target = inputs.scenario.target_corridor
        last = v[(v["year"] == v["year"].max()) & (v["corridor"] == target)]
        desc = last["volume_teu"].describe(percentiles=[0.05, 0.5, 0.95])
        typer.echo(
            f"sweep {outcome.sweep_id}: {outcome.completed} runs stored in {store}; "
            f"{target} in {int(v['year'].max()) if len(v) else '-'}: "
            f"p5 {desc.get('5%', math.nan):,.0f}, p50 {desc.get('50%', math.nan):,.0f}, "
            f"p95 {desc.get('95%', math.nan):,.0f} TEU"
        )
        if output is not None:
            _write_csv(output, v)

    @app.command("forecast")
    def forecast_cmd(
        scenario: ScenarioArg,
        to: int = typer.Option(
            2035, "--to", min=MIN_YEAR, max=MAX_YEAR, help="Last year of the forecast."
        ),
        samples: int = typer.Option(
            100, "--samples", min=1, help="Monte Carlo draws of the uncertain inputs."
        ),
        seed: SeedOpt = None,
        workers: WorkersOpt = None,
        sequential: SequentialOpt = False,
        dask: DaskOpt = None,
        network: ScenarioNetworkOpt = None,
        measures: MeasuresOpt = None,
        store: StoreOpt = DEFAULT_STORE_PATH,
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Write the bands to this CSV file."
        ),
    ) -> None:
        """Forecast corridor volumes year by year with Monte Carlo uncertainty bands."""
        inputs = load_inputs(scenario, network_path=network, measures_path=measures)
        with ResultsStore(store) as db, _progress(f"forecast {inputs.scenario.name}") as update:
            fc = forecast(
                inputs,
                to_year=to,
                samples=samples,
                seed=seed,
                store=db,
                executor=_executor(sequential, dask),
                workers=workers,
                dask_address=dask,
                progress=update,
            )
        target = inputs.scenario.target_corridor
        b = fc.bands
        sel = b[b["corridor"] == target][["year", "p05", "p50", "p95", "p05_t", "p50_t", "p95_t"]]
        Console().print(
            frame_table(
                sel,
                title=(
                    f"{inputs.scenario.name}: {target} corridor, TEU and tonnes a year "
                    f"(5-50-95 % of {fc.outcome.completed} runs)"
                ),
            )
        )
        done = fc.outcome
        state = "all converged" if done.all_converged else "NOT all converged"
        typer.echo(
            f"equilibrium: at most {done.max_iterations} iterations, largest gap "
            f"{done.max_gap:.1e} over {done.completed} runs ({state})",
            err=True,
        )
        typer.echo(f"forecast {fc.outcome.sweep_id} stored in {store}", err=True)
        if output is not None:
            _write_csv(output, b)
