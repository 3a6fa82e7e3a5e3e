"""``corridors simulate``: discrete-event simulation of corridor operations over a year."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Literal

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from corridors.cli.common import SHIPPED_NAMES, finite, load_network, quiet
from corridors.datasets import eurasia_path
from corridors.demand import read_demand
from corridors.errors import UnknownPlaceError, did_you_mean
from corridors.network.model import Network
from corridors.scenarios.io import load_inputs
from corridors.simulation.model import Closure
from corridors.simulation.options import BuildOptions
from corridors.simulation.weather import CASPIAN_STORM_DAYS
from corridors.studies.simulate import (
    run_simulation,
    scenario_simulation_model,
    simulation_model,
)


def _storm_days(text: str | None) -> tuple[float, ...]:
    if text is None:
        return CASPIAN_STORM_DAYS
    try:
        values = tuple(float(x) for x in text.replace(";", ",").split(",") if x.strip())
    except ValueError as exc:
        raise typer.BadParameter("give 12 numbers, e.g. 10,8,5,3,1,1,1,1,2,4,8,10") from exc
    if len(values) == 1:
        values = values * 12
    if len(values) != 12 or any(v < 0 or v > 31 for v in values):
        raise typer.BadParameter("give 12 storm-day counts between 0 and 31 (Jan..Dec)")
    return values


def _route_choice(value: str) -> Literal["cheapest", "logit", "equilibrium"]:
    if value == "cheapest":
        return "cheapest"
    if value == "logit":
        return "logit"
    if value == "equilibrium":
        return "equilibrium"
    msg = f"--route-choice {value!r}: use equilibrium, logit or cheapest"
    raise typer.BadParameter(msg)


def _closures(values: list[str] | None) -> tuple[Closure, ...]:
    """Parse ``TARGET:FROM-TO`` (days) maintenance windows."""
    out: list[Closure] = []
    for value in values or []:
        target, sep, span = value.rpartition(":")
        start, dash, end = span.partition("-")
        try:
            start_d, end_d = float(start), float(end)
        except ValueError:
            start_d = end_d = float("nan")
        if not sep or not dash or not target or not start_d < end_d:
            msg = f"--closure {value!r}: expected TARGET:FROM-TO in days, e.g. aktau:30-37"
            raise typer.BadParameter(msg)
        out.append(Closure(target=target, start_h=start_d * 24.0, end_h=end_d * 24.0))
    return tuple(out)


def _yard_slots(values: list[str] | None, net: Network) -> tuple[tuple[str, int], ...]:
    """Parse ``NODE=N`` yard capacities (wagons or TEU); NODE is a node id or place name."""
    out: dict[str, int] = {}
    for value in values or []:
        node, sep, number = value.partition("=")
        node = node.strip()
        try:
            slots = int(number)
        except ValueError:
            slots = 0
        if not sep or not node or slots < 1:
            msg = (
                f"--yard-slots {value!r}: expected NODE=N with N a whole number >= 1 "
                "(wagons or TEU), e.g. aktau=400"
            )
            raise typer.BadParameter(msg)
        if node not in net.node_index:
            try:
                node = net.place(node)
            except UnknownPlaceError:
                hint = did_you_mean(node, net.node_index)
                msg = f"--yard-slots {value!r}: unknown node {node!r}" + (
                    f"; {hint}" if hint else ""
                )
                raise typer.BadParameter(msg) from None
        out[node] = slots
    return tuple(out.items())


def _market_table(od: pd.DataFrame, markets: pd.DataFrame) -> Table:
    """P50 and P90 by market, O-D pair and corridor, days."""
    table = Table(
        title="By market and O-D pair: equilibrium volume a year, simulated P50 and P90, days",
        title_justify="left",
    )
    for name in ("market", "corridor", "volume/yr", "P50", "P90"):
        table.add_column(name, justify="left" if name in ("market", "corridor") else "right")
    pct = {
        (str(o), str(d), str(c)): (p50 / 24.0, p90 / 24.0)
        for o, d, c, p50, p90 in zip(
            od["origin"], od["destination"], od["corridor"], od["p50_h"], od["p90_h"], strict=True
        )
    }
    for row in markets.itertuples():
        days = pct.get((str(row.origin), str(row.destination), str(row.corridor)))
        table.add_row(
            f"{row.market} {row.origin}>{row.destination}",
            str(row.corridor),
            f"{row.volume:,.0f} {row.unit}",
            *((f"{days[0]:.1f}", f"{days[1]:.1f}") if days else ("-", "-")),
        )
    return table


def _network_folder(network: str | None) -> Path | None:
    """The folder a NETWORK argument names (``None``: the scenario's own network)."""
    if network is None:
        return None
    if not Path(network).exists() and network.lower() in SHIPPED_NAMES:
        return eurasia_path()
    return Path(network)


def register(app: typer.Typer) -> None:
    """Add the ``simulate`` command."""

    @app.command("simulate")
    def simulate_cmd(
        network: str | None = typer.Argument(
            None,
            help="Network folder (GMNS tables), or 'eurasia' for the shipped network "
            "(with --scenario: default the scenario's).",
        ),
        demand: Path | None = typer.Argument(
            None, help="Demand CSV (origin, destination, volume ...); not with --scenario."
        ),
        scenario: str | None = typer.Option(
            None,
            "--scenario",
            "-s",
            help="Simulate this scenario's equilibrium flows and routes in --year "
            "(shipped name or YAML file), instead of routing a demand table.",
        ),
        days: float = typer.Option(
            365.0, "--days", callback=finite(minimum=1.0, maximum=3650.0), help="Simulated days."
        ),
        replications: int = typer.Option(
            20, "--replications", "-r", min=1, help="Independent replications."
        ),
        seed: int = typer.Option(1, "--seed", min=0, max=2**63 - 1, help="Seed of the study."),
        output: Path = typer.Option(
            Path("run"), "--output", "-o", help="Folder for the Parquet tables and PNG charts."
        ),
        corridor: list[str] | None = typer.Option(
            None,
            "--corridor",
            "-c",
            help="Route demand on these corridors only (repeatable); default: cheapest.",
        ),
        year: int | None = typer.Option(
            None,
            "--year",
            help="Use demand rows of this year; with --scenario the year simulated "
            "(default its base year).",
        ),
        warmup_days: float = typer.Option(
            0.0,
            "--warmup-days",
            callback=finite(minimum=0.0, maximum=3650.0),
            help="Days left out of the statistics.",
        ),
        max_wait: float = typer.Option(
            48.0,
            "--max-wait",
            callback=finite(minimum=0.0, maximum=8760.0),
            help="Ferry: longest wait at berth once loading, h.",
        ),
        storm_days: str | None = typer.Option(
            None,
            "--storm-days",
            help="Caspian storm days per month, Jan..Dec (12 numbers, or one for all).",
        ),
        workers: int | None = typer.Option(
            None, "--workers", min=1, help="Worker processes (default: CPUs)."
        ),
        serial: bool = typer.Option(False, "--serial", help="Run replications one by one."),
        timelines: bool = typer.Option(
            True, "--timelines/--no-timelines", help="Write every shipment's timeline."
        ),
        route_choice: str = typer.Option(
            "equilibrium",
            "--route-choice",
            help="equilibrium: routes and shares of the capacity-constrained equilibrium "
            "assignment; logit: split over the k cheapest; cheapest: one route per flow.",
        ),
        k_routes: int = typer.Option(
            3, "--k-routes", min=1, max=10, help="Routes per flow for --route-choice logit."
        ),
        feedback_rounds: int = typer.Option(
            5,
            "--feedback-rounds",
            min=0,
            max=50,
            help="--route-choice equilibrium: rounds of simulating once and assigning "
            "again with the simulated ferry waits (0: none).",
        ),
        market: list[str] | None = typer.Option(
            None,
            "--market",
            "-m",
            help="Only demand rows of these markets (repeatable), e.g. -m central_asia_eu.",
        ),
        closure: list[str] | None = typer.Option(
            None,
            "--closure",
            help="Maintenance window TARGET:FROM-TO in days (node, link, station or ferry "
            "line id), e.g. --closure aktau:30-37 (repeatable).",
        ),
        yard_slots: list[str] | None = typer.Option(
            None,
            "--yard-slots",
            help="Yard capacity of a ferry port NODE=N, in wagons or TEU (the units its "
            "ships carry); replaces the node table's yard_slots (blank: unlimited), "
            "e.g. --yard-slots aktau=400 (repeatable).",
        ),
    ) -> None:
        """Simulate a year of operations: waits, queues, transit-time percentiles."""
        console = Console(stderr=True)
        if scenario is not None:
            if demand is not None:
                msg = "give either --scenario or a DEMAND table, not both"
                raise typer.BadParameter(msg)
            inputs = load_inputs(scenario, network_path=_network_folder(network))
            sc = inputs.scenario
            sim_year = sc.base_year if year is None else year
            if not sc.base_year <= sim_year <= sc.horizon:
                msg = (
                    f"--year {sim_year}: outside the years of scenario {sc.name} "
                    f"({sc.base_year}-{sc.horizon})"
                )
                raise typer.BadParameter(msg)
            net = inputs.network
        else:
            if network is None or demand is None:
                msg = "give a NETWORK and a DEMAND table, or --scenario NAME"
                raise typer.BadParameter(msg)
            net = load_network(network)
        yards = _yard_slots(yard_slots, net)
        table = read_demand(demand) if demand is not None else None
        if market and table is not None:
            known = sorted(set(table["market"].astype(str)))
            unknown = [m for m in market if m not in known]
            if unknown:
                hint = did_you_mean(unknown[0], known)
                msg = f"no demand rows of market {unknown[0]!r} in {demand}" + (
                    f"; {hint}" if hint else f"; markets: {', '.join(known)}"
                )
                raise typer.BadParameter(msg)
            table = table[table["market"].isin(market)].reset_index(drop=True)
        options = BuildOptions(
            days=days,
            warmup_days=warmup_days,
            corridors=tuple(corridor) if corridor else None,
            year=year,
            ferry_max_wait_h=max_wait,
            storm_days_per_month=_storm_days(storm_days),
            closures=_closures(closure),
            route_choice=_route_choice(route_choice),
            k_routes=k_routes,
            feedback_rounds=feedback_rounds,
            feedback_seed=seed,
            yard_slots=yards,
        )
        markets = None
        if scenario is not None:
            with console.status(f"equilibrium of {inputs.scenario.name} to {sim_year}"):
                model, eq = scenario_simulation_model(
                    net,
                    inputs.scenario,
                    year=sim_year,
                    catalogue=inputs.catalogue,
                    options=replace(options, year=None),
                )
            markets = eq.volumes
        else:
            assert table is not None
            with console.status(
                "choosing routes (equilibrium assignment"
                + (
                    f", {feedback_rounds} feedback rounds"
                    if feedback_rounds and route_choice == "equilibrium"
                    else ""
                )
                + ")"
            ):
                model = simulation_model(net, table, options=options)
        left = model.left_out_totals()
        if left:
            console.print(
                "[yellow]left out of the simulation[/] (no route that carries the units): "
                + ", ".join(f"{v:,.0f} {u}/yr" for u, v in sorted(left.items()))
                + f" in {len(model.left_out)} flows"
            )
        console.print(
            f"[bold]{len(model.generators)}[/] flows, {len(model.stations)} stations, "
            f"{len(model.ferry_lines)} ferry lines "
            f"({sum(len(f.ships) for f in model.ferry_lines)} ships); "
            f"{replications} replications of {days:g} days, seed {seed}"
        )
        with Progress(
            TextColumn("simulating"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=quiet(),
        ) as progress:
            task = progress.add_task("simulate", total=replications)
            done = run_simulation(
                model,
                replications=replications,
                seed=seed,
                output=output,
                executor="serial" if serial else "process",
                workers=workers,
                timelines=timelines,
                progress=lambda n, total: progress.update(task, completed=n),
            )
        study, out = done.replications, done.output
        pct = study.transit_percentiles(by=("corridor",))
        summary = Table(
            title="Door-to-door transit time by corridor, days "
            "(mean of replications, 95% CI of P50)",
            title_justify="left",
        )
        for name in ("corridor", "shipments/yr", "P10", "P50", "P50 CI", "P90", "P95"):
            summary.add_column(name, justify="left" if name == "corridor" else "right")
        for _, row in pct.iterrows():
            ci = (
                f"{row['p50_h_lo'] / 24:.1f}-{row['p50_h_hi'] / 24:.1f}"
                if row["p50_h_lo"] == row["p50_h_lo"]
                else "-"
            )
            summary.add_row(
                str(row["corridor"]),
                f"{row['shipments'] * 365.0 / days:,.0f}",
                *(f"{row[f'p{p}_h'] / 24:.1f}" for p in (10, 50)),
                ci,
                *(f"{row[f'p{p}_h'] / 24:.1f}" for p in (90, 95)),
            )
        Console().print(summary)
        if markets is not None:
            Console().print(_market_table(study.transit_percentiles(), markets))
        under_way = sum(r.n_in_system for r in study.runs) / len(study.runs)
        entered = sum(r.n_shipments for r in study.runs) / len(study.runs)
        console.print(
            f"{under_way:,.0f} of {entered:,.0f} shipments still under way at the "
            f"end (mean); demand left out: "
            + (", ".join(f"{v:,.0f} {u}/yr" for u, v in sorted(left.items())) if left else "none")
            + f"; wrote {out}"
        )
