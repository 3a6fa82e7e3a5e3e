"""``corridors runs list | show | diff``: the runs kept in the results store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.console import Console

from corridors.cli.common import STORE_HELP
from corridors.cli.scenario_views import (
    frame_table,
    rankings_view,
    unserved_view,
    volume_table,
)
from corridors.scenarios.store import DEFAULT_STORE, ResultsStore


def register(app: typer.Typer) -> None:
    """Add the ``runs`` group."""
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
            unserved = unserved_view(db.table("unserved", run_id))
        console = Console()
        console.print(
            f"run {info['run_id']} ({info['kind']}) of scenario "
            f"{info['scenario_name']} [{info['scenario_hash'][:12]}], corridors "
            f"{info['code_version']}, seed {info['seed']}, sample {info['sample']}"
        )
        if len(cv):
            title = "volume by corridor, TEU and TEU-equivalents (10 t of bulk) a year"
            console.print(frame_table(volume_table(cv), title=title))
        if len(tt):
            console.print(
                frame_table(tt[tt["year"] == tt["year"].max()], title="transit time, hours")
            )
        if unserved is not None:
            console.print(frame_table(unserved[1], title=unserved[0]))
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
