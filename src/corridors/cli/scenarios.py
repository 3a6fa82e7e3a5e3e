"""``corridors run | sweep | forecast | calibrate | runs``: scenarios and their stored results."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from corridors import atomic
from corridors.cli.common import quiet
from corridors.errors import ScenarioError
from corridors.scenarios.calibration.parameters import NETWORK_HEADS
from corridors.scenarios.io import load_inputs
from corridors.scenarios.spec import MAX_SEED, MAX_YEAR, MIN_YEAR
from corridors.scenarios.store import DEFAULT_STORE, ResultsStore
from corridors.scenarios.sweep import Executor
from corridors.scenarios.variables import VARIABLE_PATTERNS, UnmatchedVariableError, parse_vary
from corridors.studies.calibrate import calibrate_scenario
from corridors.studies.scenario import check_varies, forecast, run_and_store, sweep

SCENARIO_HELP = "Scenario YAML file, or the name of a shipped scenario (e.g. baseline-2024)."
STORE_HELP = "DuckDB results store."


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


def _fmt(x: object, digits: int = 0) -> str:
    if x is pd.NA or x is None:
        return "-"
    if isinstance(x, float):
        if math.isnan(x):
            return "-"
        if math.isinf(x):
            return "inf"
        return f"{x:,.{digits}f}"
    return str(x)


def frame_table(frame: pd.DataFrame, *, title: str, digits: dict[str, int] | None = None) -> Table:
    """A rich table of a data frame (numbers right-aligned)."""
    table = Table(title=title, title_justify="left")
    cells = [
        [_fmt(v, (digits or {}).get(c, 0)) for c, v in zip(frame.columns, row, strict=True)]
        for row in frame.itertuples(index=False)
    ]
    for k, col in enumerate(frame.columns):
        numeric = pd.api.types.is_numeric_dtype(frame[col])
        # numbers are never cut; text columns fold onto more lines when space is short
        width = max([len(str(col)), *(len(r[k]) for r in cells)]) if numeric else None
        table.add_column(
            str(col),
            justify="right" if numeric else "left",
            no_wrap=numeric,
            overflow="fold",
            min_width=width,
        )
    for r in cells:
        table.add_row(*r)
    return table


RANKING_NARROW = {
    "rank": "rank",
    "measure_id": "measure",
    "capex_usd": "capex M$",
    "volume_gain_teu": "TEU gain",
    "usd_saved_per_usd": "B/C",
    "npv_usd": "NPV M$",
}
"""Ranking columns shown by default (fits 80 columns); ``--wide`` shows them all."""


def rankings_view(rankings: pd.DataFrame, *, wide: bool = False) -> pd.DataFrame:
    """The rankings as shown: money in millions of USD, fewer columns unless ``wide``."""
    view = rankings.copy()
    for col in ("capex_usd", "usd_saved", "npv_usd"):
        view[col] = view[col] / 1e6
    if wide:
        return view.rename(
            columns={
                "capex_usd": "capex M$",
                "usd_saved": "saved M$",
                "npv_usd": "NPV M$",
                "usd_saved_per_usd": "B/C",
            }
        )
    return view[list(RANKING_NARROW)].rename(columns=RANKING_NARROW)


def fit_view(fit: pd.DataFrame) -> pd.DataFrame:
    """The volume rows of a calibration fit table as shown (thousands of t or TEU).

    ``sample`` says fit or held out, and whether the observed figure is a ceiling
    (only an excess counts).
    """
    if "kind" in fit.columns:
        fit = fit[fit["kind"] == "volume"]
    return pd.DataFrame(
        {
            "target": fit["target"],
            "year": fit["year"],
            "unit": "k" + fit["unit"],
            "observed": fit["observed"] / 1e3,
            "modelled": fit["modelled"] / 1e3,
            "error %": fit["error_pct"],
            "sample": fit["in_sample"].map({True: "fit", False: "held out"})
            + fit.get("ceiling", pd.Series(False, index=fit.index)).map(
                {True: " (ceiling)", False: ""}
            ),
        }
    )


_ROUTE_DIGITS = {"d": 1, "h": 1, "share": 2}
_ROUTE_UNITS = {"FEU": "USD/FEU", "TEU": "USD/TEU"}


def route_fit_view(fit: pd.DataFrame) -> pd.DataFrame:
    """The time and price rows of a calibration fit table as shown.

    ``observed`` is the observed range, ``error %`` the distance of the modelled value
    from it (0 inside).
    """
    sel = fit[fit["kind"] != "volume"] if "kind" in fit.columns else fit.iloc[0:0]

    def num(v: float, unit: str) -> str:
        return f"{v:,.{_ROUTE_DIGITS.get(unit, 0)}f}"

    return pd.DataFrame(
        {
            "target": sel["target"],
            "year": sel["year"],
            "unit": sel["unit"].map(lambda u: _ROUTE_UNITS.get(u, u)),
            "observed": [
                num(lo, u) if lo == hi else f"{num(lo, u)}-{num(hi, u)}"
                for lo, hi, u in zip(sel["low"], sel["high"], sel["unit"], strict=True)
            ],
            "modelled": [num(v, u) for v, u in zip(sel["modelled"], sel["unit"], strict=True)],
            "error %": sel["error_pct"],
        }
    )


def constants_view(shares: pd.DataFrame) -> pd.DataFrame:
    """Corridor constants and their share of the generalised cost, as shown (share in %)."""
    return pd.DataFrame(
        {
            "corridor": shares["corridor"],
            "constant": shares["constant_usd_teu"],
            "gen. cost": shares["cost_usd_teu"],
            "share %": 100.0 * shares["share"],
        }
    )


BOTTLENECK_HEADERS = {
    "volume_teu": "volume",
    "capacity_teu": "capacity",
    "utilisation": "use",
    "shadow_price_usd_teu": "price $/TEU",
}


def _param(name: str, value: float) -> str:
    small = name in ("scale", "nest_scale", "value_of_time") or (
        name.partition(".")[0] in NETWORK_HEADS
    )
    return f"{value:.3g}" if small else f"{value:,.0f}"


def _status(name: str, at_bound: tuple[str, ...], unidentified: tuple[str, ...]) -> str:
    if name in unidentified:
        return "not identified (a limit)"
    return "at bound" if name in at_bound else "fitted"


def _volume_table(cv: pd.DataFrame, values: str = "volume_teu") -> pd.DataFrame:
    pivot = cv.pivot_table(
        index="year", columns="corridor", values=values, aggfunc="sum", fill_value=0.0
    )
    pivot.columns = [str(c) for c in pivot.columns]
    return pivot.reset_index()


def _executor(local: bool, dask: str | None) -> Executor:
    if dask:
        return "dask"
    return "sequential" if local else "processes"


def _write_csv(path: Path, frame: pd.DataFrame) -> None:
    atomic.write_text(path, frame.to_csv(index=False))
    typer.echo(f"wrote {path}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``run``, ``sweep``, ``forecast``, ``calibrate`` and the ``runs`` group."""

    @app.command("run")
    def run_cmd(
        scenario: str = typer.Argument(..., help=SCENARIO_HELP),
        network: Path | None = typer.Option(None, "--network", "-n", help="Network folder."),
        measures: Path | None = typer.Option(None, "--measures", help="Measures catalogue."),
        store: Path = typer.Option(Path(DEFAULT_STORE), "--store", help=STORE_HELP),
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
        wide: bool = typer.Option(False, "--wide", help="Show every column of the ranking."),
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
                        _volume_table(part, values),
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
        if not result.rankings.empty:
            console.print(
                frame_table(
                    rankings_view(result.rankings, wide=wide),
                    title=(
                        f"measures, best first (target corridor {sc.target_corridor}, "
                        f"discount rate {sc.discount_rate:.0%})"
                    ),
                    digits={"B/C": 2, "capex M$": 1, "NPV M$": 1, "saved M$": 1},
                )
            )
        if run_id:
            typer.echo(f"stored run {run_id} in {store}", err=True)
        if output is not None:
            _write_csv(output, result.corridor_volumes)

    @app.command("sweep")
    def sweep_cmd(
        scenario: str = typer.Argument(..., help=SCENARIO_HELP),
        vary: list[str] = typer.Option(
            ...,
            "--vary",
            help=("VARIABLE=LOW..HIGH, repeatable; variables: " + ", ".join(VARIABLE_PATTERNS)),
        ),
        samples: int = typer.Option(100, "--samples", min=1, help="Runs to make."),
        seed: int | None = typer.Option(
            None, "--seed", min=0, max=MAX_SEED, help="Base seed (default: scenario's)."
        ),
        workers: int | None = typer.Option(
            None, "--workers", min=1, help="Local processes (all cores)."
        ),
        sequential: bool = typer.Option(False, "--sequential", help="Run one by one here."),
        dask: str | None = typer.Option(None, "--dask", help="Dask scheduler, tcp://HOST:8786."),
        network: Path | None = typer.Option(None, "--network", "-n", help="Network folder."),
        measures: Path | None = typer.Option(None, "--measures", help="Measures catalogue."),
        store: Path = typer.Option(Path(DEFAULT_STORE), "--store", help=STORE_HELP),
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
        scenario: str = typer.Argument(..., help=SCENARIO_HELP),
        to: int = typer.Option(
            2035, "--to", min=MIN_YEAR, max=MAX_YEAR, help="Last year of the forecast."
        ),
        samples: int = typer.Option(
            100, "--samples", min=1, help="Monte Carlo draws of the uncertain inputs."
        ),
        seed: int | None = typer.Option(
            None, "--seed", min=0, max=MAX_SEED, help="Base seed (default: scenario's)."
        ),
        workers: int | None = typer.Option(
            None, "--workers", min=1, help="Local processes (all cores)."
        ),
        sequential: bool = typer.Option(False, "--sequential", help="Run one by one here."),
        dask: str | None = typer.Option(None, "--dask", help="Dask scheduler, tcp://HOST:8786."),
        network: Path | None = typer.Option(None, "--network", "-n", help="Network folder."),
        measures: Path | None = typer.Option(None, "--measures", help="Measures catalogue."),
        store: Path = typer.Option(Path(DEFAULT_STORE), "--store", help=STORE_HELP),
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
        typer.echo(f"forecast {fc.outcome.sweep_id} stored in {store}", err=True)
        if output is not None:
            _write_csv(output, b)

    @app.command("calibrate")
    def calibrate_cmd(
        scenario: str = typer.Argument("calibration-2021-2023", help=SCENARIO_HELP),
        network: Path | None = typer.Option(None, "--network", "-n", help="Network folder."),
        measures: Path | None = typer.Option(None, "--measures", help="Measures catalogue."),
        store: Path = typer.Option(Path(DEFAULT_STORE), "--store", help=STORE_HELP),
        no_store: bool = typer.Option(False, "--no-store", help="Do not store the fit."),
        titr_only: bool = typer.Option(
            False,
            "--titr-only",
            help=("Fit only the target corridor's constant and the logit scale to TITR cargo."),
        ),
        starts: int = typer.Option(4, "--starts", min=1, help="Local searches to start."),
    ) -> None:
        """Fit the corridor choice to volumes, transit times and prices 2021-2023."""
        inputs = load_inputs(scenario, network_path=network, measures_path=measures)
        sc = inputs.scenario
        with Console(stderr=True).status("calibrating (a few hundred runs of the history)"):
            study = calibrate_scenario(
                inputs, titr_only=titr_only, starts=starts, store=None if no_store else store
            )
        fit = study.fit
        console = Console()
        console.print(
            frame_table(
                fit_view(fit.fit),
                title=(
                    f"calibration of {sc.name}: volumes RMSE(log) {fit.rmse_log:.3f}, "
                    f"R2(log) {fit.r2_log:.3f} fitted; RMSE(log) {fit.rmse_log_holdout:.3f} "
                    "held out"
                ),
                digits={"error %": 1},
            )
        )
        routes = route_fit_view(fit.fit)
        if len(routes):
            kinds = ", ".join(
                f"{kind} {value:.3f}"
                for kind, value in fit.rmse_log_by_kind.items()
                if kind != "volume"
            )
            console.print(
                frame_table(
                    routes,
                    title=(
                        "times and prices: modelled against the observed range "
                        f"(RMS log distance outside it: {kinds})"
                    ),
                    digits={"error %": 1},
                )
            )
        params = pd.DataFrame(
            [
                (
                    k,
                    _param(k, v),
                    _param(k, fit.bounds[k][0]),
                    _param(k, fit.bounds[k][1]),
                    _status(k, fit.at_bound, fit.unidentified),
                )
                for k, v in fit.parameters.items()
            ],
            columns=["parameter", "value", "low", "high", "status"],
        )
        console.print(
            frame_table(
                params,
                title=(
                    "fitted (scale 1/USD, nest scale 0-1, value_of_time USD/TEU-h, "
                    "disruption_hours h, network factors x, others USD/TEU)"
                ),
            )
        )
        console.print(
            frame_table(
                constants_view(fit.constant_shares),
                title=(
                    "corridor constants as a share of the corridor's mean generalised cost "
                    "(USD/TEU, volume-weighted over the fitted years)"
                ),
                digits={"share %": 1},
            )
        )
        if not fit.converged:
            typer.echo("warning: the corridor split of the fitted model did not converge", err=True)
        if fit.ceilings_exceeded:
            typer.echo(
                "warning: the fit exceeds the ceiling of " + ", ".join(fit.ceilings_exceeded),
                err=True,
            )
        if study.run_id is not None:
            typer.echo(f"stored calibration run {study.run_id} in {store}", err=True)

    runs_app = typer.Typer(help="Stored runs: list, show, diff.", no_args_is_help=True)
    app.add_typer(runs_app, name="runs")

    @runs_app.command("list")
    def runs_list(
        store: Path = typer.Option(Path(DEFAULT_STORE), "--store", help=STORE_HELP),
        sweep_id: str | None = typer.Option(None, "--sweep", help="Only the runs of a sweep."),
        kind: str | None = typer.Option(
            None,
            "--kind",
            help="Only runs of this kind: run, sweep, forecast or calibration (default: "
            "single runs; sweeps and forecasts are summarised below them).",
        ),
        scenario: str | None = typer.Option(None, "--scenario", help="Only this scenario."),
        limit: int = typer.Option(50, "--limit", min=1, help="Newest runs shown."),
        wide: bool = typer.Option(False, "--wide", help="Also the scenario hash and seed."),
    ) -> None:
        """List stored runs, newest first, and the sweeps."""
        kinds = ("run", "sweep", "forecast", "calibration")
        if kind is not None and kind not in kinds:
            msg = f"unknown kind {kind!r}; use {', '.join(kinds)}"
            raise typer.BadParameter(msg, param_hint="'--kind'")
        if not store.exists():
            typer.echo(f"no runs stored yet in {store} ('corridors run NAME' stores one)")
            return
        with ResultsStore(store, read_only=True) as db:
            runs = db.list_runs(
                sweep_id=sweep_id,
                limit=limit,
                kind=kind,
                scenario=scenario,
                standalone=sweep_id is None and kind is None,
            )
            sweeps = db.list_sweeps()
            if scenario is not None:
                sweeps = sweeps[sweeps["scenario_name"] == scenario]
        console = Console()
        view = pd.DataFrame(
            {
                "run": runs["run_id"],
                "kind": runs["kind"],
                "scenario": runs["scenario_name"],
                "sweep": runs["sweep_id"].fillna(""),
                "#": runs["sample_index"],
                "finished": pd.to_datetime(runs["finished_at"]).dt.strftime("%Y-%m-%d %H:%M"),
            }
        )
        if wide:
            view["hash"] = runs["scenario_hash"].astype(str).str[:12]
            view["seed"] = runs["seed"]
        console.print(frame_table(view, title=f"runs in {store}"))
        if len(sweeps):
            console.print(frame_table(sweeps, title="sweeps"))

    @runs_app.command("show")
    def runs_show(
        run_id: str = typer.Argument(..., help="Run id (or a unique prefix)."),
        store: Path = typer.Option(Path(DEFAULT_STORE), "--store", help=STORE_HELP),
    ) -> None:
        """Show a run: its scenario, seed, volumes by corridor, times and rankings."""
        with ResultsStore(store, read_only=True) as db:
            info = db.run_info(run_id)
            cv = db.table("corridor_volumes", run_id)
            tt = db.table("transit_times", run_id)
            rk = db.table("measure_rankings", run_id)
        console = Console()
        console.print(
            f"run {info['run_id']} ({info['kind']}) of scenario "
            f"{info['scenario_name']} [{info['scenario_hash'][:12]}], corridors "
            f"{info['code_version']}, seed {info['seed']}, sample {info['sample']}"
        )
        if len(cv):
            title = "volume by corridor, TEU and TEU-equivalents (10 t of bulk) a year"
            console.print(frame_table(_volume_table(cv), title=title))
        if len(tt):
            console.print(
                frame_table(tt[tt["year"] == tt["year"].max()], title="transit time, hours")
            )
        if len(rk):
            console.print(
                frame_table(
                    rankings_view(rk.sort_values("rank")),
                    title="measures, best first",
                    digits={"B/C": 2, "capex M$": 1, "NPV M$": 1},
                )
            )

    @runs_app.command("diff")
    def runs_diff(
        run_a: str = typer.Argument(..., help="First run id (or prefix)."),
        run_b: str = typer.Argument(..., help="Second run id (or prefix)."),
        store: Path = typer.Option(Path(DEFAULT_STORE), "--store", help=STORE_HELP),
    ) -> None:
        """Corridor volumes of two runs side by side with the difference (b - a)."""
        with ResultsStore(store, read_only=True) as db:
            d = db.diff(run_a, run_b)
        Console().print(
            frame_table(
                d[["year", "corridor", "volume_teu_a", "volume_teu_b", "delta_teu", "delta_pct"]],
                title=f"{run_a} -> {run_b}, TEU a year",
                digits={"delta_pct": 1},
            )
        )
