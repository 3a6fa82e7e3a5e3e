"""``corridors compare A B --scenario S [--year Y]``: free-flow, P50 and P90 days per corridor.

The command line only parses and presents: the study
:mod:`corridors.studies.compare` builds the scenario-year and the congested times.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from corridors.cli.common import json_envelope, write_or_print

if TYPE_CHECKING:
    from rich.table import Table

    from corridors.cost.parameters import CostParameters
    from corridors.network import Network
    from corridors.studies.compare import CongestedRoute, ScenarioYear

CSV_FIELDS = (
    "corridor",
    "days_free",
    "days_p50",
    "days_p90",
    "queue_h",
    "usd",
    "kg_co2e",
    "km",
    "borders",
    "transfers",
    "generalised_cost_usd",
)


def _d(x: object) -> str:
    return "-" if x is None else f"{float(x):.1f}"  # type: ignore[arg-type]


def congested_table(routes: list[CongestedRoute], *, title: str) -> Table:
    """One row per corridor: days free-flow, P50 and P90, queue hours, USD, km, borders."""
    from rich.table import Table  # noqa: PLC0415

    table = Table(title=title, title_justify="left")
    table.add_column("corridor", no_wrap=True)
    for name in ("days free", "P50", "P90", "queue h", "USD", "km", "borders"):
        table.add_column(name, justify="right", no_wrap=True)
    for c in routes:
        d = c.to_dict()
        table.add_row(
            c.corridor,
            _d(d["days_free"]),
            _d(d["days_p50"]),
            _d(d["days_p90"]),
            f"{d['queue_h']:,.1f}",
            f"{c.route.usd:,.0f}",
            f"{c.route.km:,.0f}",
            str(c.route.borders),
        )
    return table


def queues_table(network: Network, c: CongestedRoute) -> Table:
    """The elements of one corridor's route: utilisation, mean queue, shadow price."""
    from rich.table import Table  # noqa: PLC0415

    table = Table(title=f"{c.corridor}: queue time per element", title_justify="left")
    table.add_column("element", no_wrap=True)
    table.add_column("at", overflow="fold")
    for name in ("util.", "queue h", "shadow USD"):
        table.add_column(name, justify="right", no_wrap=True)
    links = network.links
    for q in c.queues:
        if q.node_id:
            at = network.node_name(q.node_id)
        elif q.link_id in network.link_index:
            row = links.iloc[network.link_index[q.link_id]]
            at = (
                f"{network.node_name(row['from_node_id'])} - {network.node_name(row['to_node_id'])}"
            )
        else:
            at = str(q.link_id or "")
        table.add_row(
            q.kind,
            at,
            f"{q.utilisation:.2f}",
            f"{q.queue_h:,.1f}",
            f"{q.shadow_price_usd:,.0f}" if q.shadow_price_usd else "",
        )
    return table


def render_csv(routes: list[CongestedRoute]) -> str:
    """One row per corridor with the JSON field names."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for c in routes:
        writer.writerow(c.to_dict())
    return buf.getvalue()


def render_tables(tables: list[Table], *, output: Path | None) -> str:
    """Tables as text: box-drawn on a terminal, ASCII in a file."""
    from rich import box  # noqa: PLC0415
    from rich.console import Console  # noqa: PLC0415

    buf = io.StringIO()
    if output is None:
        console = Console(file=buf, width=Console().width)
    else:
        console = Console(file=buf, width=200, no_color=True, color_system=None)
    for t in tables:
        if output is not None:
            t.box = box.ASCII
        console.print(t)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def show_congested(
    state: ScenarioYear,
    routes: list[CongestedRoute],
    params: CostParameters,
    *,
    fmt: str,
    output: Path | None,
    legs: bool,
    origin: str,
    destination: str,
) -> None:
    """Print or write the congested comparison as a table, JSON (shared envelope) or CSV."""
    if fmt == "json":
        parameters = {
            "command": "compare",
            "origin": origin,
            "destination": destination,
            "scenario": state.scenario,
            "year": state.year,
            "unit": params.unit,
            "value_of_time_usd_h": params.vot,
            "carbon_price_usd_t": params.carbon_price_usd_t,
            "times": "congested",
        }
        text = json_envelope(
            parameters,
            origin=origin,
            destination=destination,
            unit=params.unit,
            scenario=state.scenario,
            year=state.year,
            routes=[c.to_dict() for c in routes],
        )
    elif fmt == "csv":
        text = render_csv(routes)
    else:
        title = (
            f"{origin} -> {destination}, {state.scenario} {state.year}, per {params.unit}: "
            "days free-flow, P50 and P90 with congestion (queues at the equilibrium's "
            "utilisation)"
        )
        tables = [congested_table(routes, title=title)]
        if legs:
            tables += [queues_table(state.parts[0][1], c) for c in routes if c.queues]
        text = render_tables(tables, output=output)
    write_or_print(text, output)


def compare_congested(
    *,
    scenario: str,
    year: int | None,
    network: str | Path | None,
    origin: str,
    destination: str,
    unit: str,
    vot: float | None,
    carbon_price: float,
    close: list[str] | None,
    fmt: str,
    output: Path | None,
    legs: bool,
) -> None:
    """``compare --scenario``: parse, call the study, present."""
    from corridors.cli.common import cost_parameters  # noqa: PLC0415
    from corridors.scenarios.io import load_inputs  # noqa: PLC0415
    from corridors.studies.compare import (  # noqa: PLC0415
        YearOutsideScenarioError,
        congested_routes,
        scenario_year,
    )

    if close:
        msg = "--close cannot be combined with --scenario (the scenario sets its closures)"
        raise typer.BadParameter(msg, param_hint="'--close'")
    if fmt not in ("table", "json", "csv"):
        msg = f"--scenario writes a table, json or csv, not {fmt}"
        raise typer.BadParameter(msg, param_hint="'--format'")
    inputs = load_inputs(scenario, network_path=network)
    try:
        state = scenario_year(inputs, year)
    except YearOutsideScenarioError:
        sc = inputs.scenario
        msg = f"{year} is not a year of {sc.name}: it models {sc.base_year} to {sc.horizon}"
        raise typer.BadParameter(msg, param_hint="'--year'") from None
    given = cost_parameters(unit=unit, vot=vot, carbon_price=carbon_price, year=None, close=None)
    params = state.cost_parameters(unit=given.unit, vot=vot, carbon_price=given.carbon_price_usd_t)
    routes = congested_routes(state, origin, destination, params=params)
    net = state.parts[0][1]
    o, d = net.node_name(routes[0].route.origin), net.node_name(routes[0].route.destination)
    show_congested(
        state, routes, params, fmt=fmt, output=output, legs=legs, origin=o, destination=d
    )
