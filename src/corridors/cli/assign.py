"""``corridors assign``: equilibrium assignment of demand onto a network."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from corridors import atomic
from corridors.assignment.equilibrium import ALGORITHMS, Algorithm
from corridors.assignment.errors import NotConvergedError
from corridors.cli.common import finite, quiet, table_format, write_table

LINK_GAP = 1e-4
"""Default relative gap of the TNTP and link-model assignments."""
LINK_MAX_ITER = 500
"""Default iteration limit of the TNTP and link-model assignments."""


def _progress(console: Console, max_iter: int) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("iteration {task.completed:.0f}/{task.total:.0f}"),
        TextColumn("gap {task.fields[gap]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=quiet(),
    )


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
            _assign_tntp(
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
            _assign_model(
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
        _assign_network(
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


def _assign_model(
    network: Path,
    demand: Path,
    output: Path,
    *,
    scenario: str | None,
    year: int | None,
    threshold: float,
    report: Path | None,
    allow_unconverged: bool,
    tolerance: float | None = None,
    max_iterations: int | None = None,
) -> None:
    from corridors.cli.common import load_network  # noqa: PLC0415
    from corridors.studies.corridor_equilibrium import (  # noqa: PLC0415
        assign_corridor_equilibrium,
    )

    net = load_network(network)
    res = assign_corridor_equilibrium(
        net,
        demand,
        network_path=network,
        scenario=scenario,
        year=year,
        threshold=threshold,
        tolerance=tolerance,
        max_iterations=max_iterations,
    )
    if not (res.converged or allow_unconverged):
        raise NotConvergedError(iterations=res.iterations, gap=res.gap, target=res.tolerance)
    html = None
    if report is not None:
        from corridors.reports.run_report import result_report  # noqa: PLC0415

        html = result_report(
            net,
            res.result,
            info={
                "scenario_name": f"{demand.name} with {res.scenario}",
                "kind": f"assign {res.year}",
                "run_id": "",
                "seed": "-",
            },
        )
    write_table(res.links(), output, network=net)
    if report is not None and html is not None:
        atomic.write_text(report, html)
    out = Console()
    state = "converged" if res.converged else "NOT converged"
    out.print(
        f"{demand.name} at equilibrium in {res.year} with the behaviour of {res.scenario} "
        f"({len(res.markets)} markets): {state}, {res.iterations} iterations, gap "
        f"{res.gap:.1e}; wrote {output}" + (f" and {report}" if report is not None else ""),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    out.print("volume a year by corridor:", highlight=False)
    for _, row in res.corridor_volumes().iterrows():
        out.print(
            f"  {row['corridor']} {row['commodity']}: {row['volume']:,.0f} {row['unit']}",
            highlight=False,
            markup=False,
        )
    unserved = res.unserved()
    if len(unserved):
        out.print("unserved demand, a year (no route, or no room; not in the volumes above):")
        for _, row in unserved.iterrows():
            out.print(
                f"  {row['market']} {row['origin']} - {row['destination']}: "
                f"{row['volume']:,.0f} {row['unit']} ({row['reason']})",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
    worst = res.bottlenecks()
    if worst.empty:
        out.print(f"no element above {threshold:.0%} of capacity", highlight=False)
        return
    out.print(f"above {threshold:.0%} of capacity:", highlight=False)
    for _, row in worst.iterrows():
        out.print(
            f"  {row['element']} ({row['cargo']}): {row['volume_teu']:,.0f} / "
            f"{row['capacity_teu']:,.0f} TEU-eq/yr (utilisation {row['utilisation']:.2f}, "
            f"shadow price {row['shadow_price_usd_teu']:,.0f} USD/TEU)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


def _assign_tntp(
    console: Console,
    folder: Path,
    algorithm: Algorithm,
    gap: float,
    max_iter: int,
    output: Path,
    allow_unconverged: bool,
) -> None:
    from corridors.studies.assign import assign_tntp  # noqa: PLC0415

    with _progress(console, max_iter) as progress:
        task = progress.add_task(f"{folder.name} {algorithm}", total=max_iter, gap="-")

        def tick(iteration: int, value: float) -> None:
            progress.update(task, completed=iteration, gap=f"{value:.2e}")

        study = assign_tntp(folder, algorithm=algorithm, gap=gap, max_iter=max_iter, callback=tick)
        result = study.result
        if result.converged:  # a full bar at the iteration it converged on
            progress.update(task, total=result.iterations, completed=result.iterations)
        else:
            progress.update(task, completed=result.iterations)
    if not (result.converged or allow_unconverged):
        raise NotConvergedError(iterations=result.iterations, gap=result.gap, target=gap)
    write_table(study.links, output)
    state = "converged" if result.converged else "NOT converged"
    console.print(
        f"{state}: {result.iterations} iterations, relative gap {result.gap:.3e}, "
        f"Beckmann objective {result.objective:.10g}; wrote {output}",
        highlight=False,
    )


def _assign_network(
    console: Console,
    network: Path,
    demand: Path,
    algorithm: Algorithm,
    gap: float,
    max_iter: int,
    output: Path,
    *,
    unit: str,
    vot: float | None,
    year: int | None,
    threshold: float,
    report: Path | None = None,
    allow_unconverged: bool = False,
) -> None:
    from corridors.cli.common import cost_parameters, load_network  # noqa: PLC0415
    from corridors.studies.assign import assign_corridor_demand  # noqa: PLC0415

    net = load_network(network)
    params = cost_parameters(unit=unit, vot=vot, carbon_price=0.0, year=year, close=None)
    with _progress(console, max_iter) as progress:
        task = progress.add_task(f"assign {algorithm}", total=max_iter, gap="-")

        def tick(iteration: int, value: float) -> None:
            progress.update(task, completed=iteration, gap=f"{value:.2e}")

        res = assign_corridor_demand(
            net,
            demand,
            params=params,
            algorithm=algorithm,
            gap=gap,
            max_iter=max_iter,
            threshold=threshold,
            callback=tick,
        )
        done = res.result.iterations
        if res.result.converged:  # a full bar at the iteration it converged on
            progress.update(task, total=done, completed=done)
        else:
            progress.update(task, completed=done)
    if not (res.result.converged or allow_unconverged):
        raise NotConvergedError(iterations=res.result.iterations, gap=res.result.gap, target=gap)
    html = None
    if report is not None:
        from corridors.reports.assignment_map import assignment_report  # noqa: PLC0415

        html = assignment_report(
            res,
            title=f"Assignment of {demand.name} on {network.name}",
            inputs=f"{network} {demand} --algorithm {algorithm} --gap {gap:g} --unit {unit}",
            target_gap=gap,
        )
    write_table(res.links(), output, network=net)
    if report is not None and html is not None:
        atomic.write_text(report, html)
    out = Console()
    r = res.result
    out.print(
        f"{'converged' if r.converged else 'NOT converged'}: {r.iterations} iterations, "
        f"relative gap {r.gap:.3e}; wrote {output}"
        + (f" and {report}" if report is not None else ""),
        highlight=False,
    )
    out.print(
        "classes: "
        + ", ".join(
            f"{n} ({v:.3g} USD/{res.unit}-h)"
            for n, v in zip(res.class_names, res.class_vot, strict=True)
        ),
        highlight=False,
        markup=False,
    )
    worst = res.bottlenecks()
    if worst.empty:
        out.print(f"no node or link above {threshold:.0%} of capacity", highlight=False)
        return
    out.print(f"above {threshold:.0%} of capacity:", highlight=False)
    for _, row in worst.iterrows():
        split = ""
        if len(res.class_names) > 1:
            split = "; " + ", ".join(f"{n} {row[f'flow[{n}]']:,.0f}" for n in res.class_names)
        out.print(
            f"  {row['label']}: {row['flow']:,.0f} / {row['capacity']:,.0f} "
            f"{res.unit}/yr (v/c {row['volume_capacity']:.2f}, delay "
            f"{row['delay_h']:.1f} h{split})",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
