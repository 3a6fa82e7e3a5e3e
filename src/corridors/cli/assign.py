"""``corridors assign``: equilibrium assignment of demand onto a network."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from corridors.assignment.equilibrium import ALGORITHMS, Algorithm
from corridors.cli.assign_corridor import assign_corridor_model
from corridors.cli.assign_links import assign_link_model, assign_tntp_folder
from corridors.cli.common import finite, table_format

LINK_GAP = 1e-4
"""Default relative gap of the TNTP and link-model assignments."""
LINK_MAX_ITER = 500
"""Default iteration limit of the TNTP and link-model assignments."""


def _check_algorithm(value: str) -> Algorithm:
    if value not in ALGORITHMS:
        raise typer.BadParameter(f"unknown algorithm {value!r}; use one of {', '.join(ALGORITHMS)}")
    return value  # type: ignore[return-value]


def register(app: typer.Typer) -> None:
    """Add the ``assign`` command."""

    @app.command("assign")
    def assign(
        network: Path | None = typer.Argument(None, help="Corridor network folder."),
        demand: Path | None = typer.Argument(
            None, help="Demand CSV (origin, destination, commodity, volume, unit)."
        ),
        tntp: Path | None = typer.Option(None, "--tntp", help="TNTP network folder instead."),
        algorithm: str | None = typer.Option(
            None,
            "--algorithm",
            "-a",
            help="bfw, cfw, fw or msa (TNTP and --link-model; default bfw).",
        ),
        gap: float | None = typer.Option(
            None,
            "--gap",
            callback=finite(minimum=0, exclusive=True),
            help="Target relative gap (TNTP and --link-model, default 1e-4); on the "
            "corridor model the largest share change still allowed (default: the "
            "scenario's equilibrium tolerance).",
        ),
        max_iter: int | None = typer.Option(
            None,
            "--max-iter",
            min=1,
            help="Most iterations (default 500; corridor model: the scenario's).",
        ),
        output: Path = typer.Option(
            ...,
            "--output",
            "-o",
            help="Flow table to write (.csv, .parquet; .gpkg: drawn on the links, for a "
            "corridor network).",
        ),
        scenario: str | None = typer.Option(
            None,
            "--scenario",
            help="Scenario (shipped name or file) whose behaviour, capacity limits, "
            "measures and disruptions apply (default: baseline-2024 on the shipped "
            "network, hard capacities and the default behaviour on others).",
        ),
        link_model: bool = typer.Option(
            False,
            "--link-model",
            help="Corridor networks: the road-style link model instead (multi-class "
            "Frank-Wolfe, BPR delays, capacities soft; --algorithm, --unit, --vot).",
        ),
        unit: str | None = typer.Option(
            None, "--unit", help="TEU or tonne (--link-model only; default TEU)."
        ),
        vot: float | None = typer.Option(
            None,
            "--vot",
            callback=finite(minimum=0),
            help="Value of time, USD per unit-hour (--link-model only).",
        ),
        year: int | None = typer.Option(
            None,
            "--year",
            min=1800,
            max=2200,
            help="Year solved: network, measures and disruptions in force (default: the "
            "scenario's base year, else the table's year).",
        ),
        threshold: float = typer.Option(
            0.8,
            "--threshold",
            callback=finite(minimum=0),
            help="List groups above this volume/capacity.",
        ),
        allow_unconverged: bool = typer.Option(
            False,
            "--allow-unconverged",
            help="Write the flows and exit 0 even if --gap is not reached in --max-iter.",
        ),
        report: Path | None = typer.Option(
            None,
            "--report",
            help="Also write a self-contained HTML report (corridor "
            "networks): flow map coloured by volume/capacity, bottlenecks, corridors, "
            "convergence.",
        ),
    ) -> None:
        """Assign demand at user equilibrium and write link flows.

        Either a TNTP folder (--tntp: user equilibrium by --algorithm) or a corridor
        NETWORK folder and DEMAND table. On a corridor network the table goes through
        the model of `corridors run`: its rows become the markets of --scenario, split
        over the corridors for --year by the same capacity-constrained logit
        equilibrium (hard limits with shadow prices where the scenario has them), in
        each cargo class's own unit (containers TEU, bulk tonnes). --link-model runs
        the road-style link model instead (multi-class Frank-Wolfe, BPR). With --report
        FILE.html, one offline HTML page shows the flow map, the elements above
        --threshold and the volumes per corridor.
        """
        alg = _check_algorithm(algorithm or "bfw")
        table_format(output, geo=tntp is None)  # a wrong extension fails before it runs
        console = Console(stderr=True)
        if tntp is not None:
            if network is not None or demand is not None:
                raise typer.BadParameter("give either --tntp or NETWORK DEMAND, not both")
            if report is not None:
                raise typer.BadParameter("--report needs a corridor NETWORK and DEMAND")
            assign_tntp_folder(
                console,
                tntp,
                alg,
                gap or LINK_GAP,
                max_iter or LINK_MAX_ITER,
                output,
                allow_unconverged,
            )
            return
        if network is None or demand is None:
            msg = "give a corridor NETWORK folder and a DEMAND CSV, or --tntp FOLDER"
            raise typer.BadParameter(msg, param_hint="NETWORK DEMAND")
        if not link_model:
            for given, name in ((unit, "--unit"), (vot, "--vot"), (algorithm, "--algorithm")):
                if given is not None:
                    msg = (
                        f"{name} belongs to --link-model; the corridor model counts each "
                        "cargo class in its own unit, takes the value of time of "
                        "--scenario and solves its logit equilibrium (no Frank-Wolfe "
                        "algorithm to choose)"
                    )
                    raise typer.BadParameter(msg, param_hint=f"'{name}'")
            assign_corridor_model(
                network,
                demand,
                output,
                scenario=scenario,
                year=year,
                threshold=threshold,
                report=report,
                allow_unconverged=allow_unconverged,
                tolerance=gap,
                max_iterations=max_iter,
            )
            return
        if scenario is not None:
            msg = "--scenario belongs to the corridor model, not to --link-model"
            raise typer.BadParameter(msg, param_hint="'--scenario'")
        assign_link_model(
            console,
            network,
            demand,
            alg,
            gap or LINK_GAP,
            max_iter or LINK_MAX_ITER,
            output,
            unit=unit or "TEU",
            vot=vot,
            year=year,
            threshold=threshold,
            report=report,
            allow_unconverged=allow_unconverged,
        )
