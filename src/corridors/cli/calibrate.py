"""``corridors calibrate``: fit the corridor choice to the history, print the fit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.console import Console

from corridors.cli.common import SCENARIO_HELP, STORE_HELP
from corridors.cli.scenario_views import constants_view, fit_view, frame_table, route_fit_view
from corridors.scenarios.calibration.parameters import NETWORK_HEADS
from corridors.scenarios.io import load_inputs
from corridors.scenarios.store import DEFAULT_STORE
from corridors.studies.calibrate import calibrate_scenario


def _param(name: str, value: float) -> str:
    small = name in ("scale", "nest_scale", "value_of_time") or (
        name.partition(".")[0] in NETWORK_HEADS
    )
    return f"{value:.3g}" if small else f"{value:,.0f}"


def _status(name: str, at_bound: tuple[str, ...], unidentified: tuple[str, ...]) -> str:
    if name in unidentified:
        return "not identified (a limit)"
    return "at bound" if name in at_bound else "fitted"


def register(app: typer.Typer) -> None:
    """Add ``calibrate``."""

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
        starts: int = typer.Option(
            4,
            "--starts",
            min=0,
            help="Local searches to start; 0: no search, the scenario's values evaluated.",
        ),
        max_constant_share: float = typer.Option(
            0.25,
            "--max-constant-share",
            min=0.0,
            help="Keep each corridor constant within this share of its corridor's cost; 0: none.",
        ),
        write_fit: Path | None = typer.Option(
            None,
            "--write-fit",
            help=(
                "Write the fitted values to this fit file (the shipped scenarios name "
                "src/corridors/datasets/eurasia/fit-2021-2023.yaml)."
            ),
        ),
    ) -> None:
        """Fit the corridor choice to volumes, transit times and prices 2021-2023."""
        inputs = load_inputs(scenario, network_path=network, measures_path=measures)
        sc = inputs.scenario
        with Console(stderr=True).status("calibrating (a few hundred runs of the history)"):
            study = calibrate_scenario(
                inputs,
                titr_only=titr_only,
                starts=starts,
                store=None if no_store else store,
                max_constant_share=max_constant_share or None,
                write_fit=write_fit,
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
        if write_fit is not None:
            typer.echo(f"wrote the fitted values to {write_fit}", err=True)
        if study.run_id is not None:
            typer.echo(f"stored calibration run {study.run_id} in {store}", err=True)
