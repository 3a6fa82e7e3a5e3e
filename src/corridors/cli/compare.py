"""``corridors compare``: door-to-door comparison of the corridors between two places."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from corridors.cli.common import (
    CarbonOpt,
    CloseOpt,
    DestinationArg,
    NetworkOpt,
    OriginArg,
    RoutesFormatOpt,
    UnitOpt,
    VotOpt,
    YearOpt,
    json_envelope,
    output_format,
    routing_inputs,
    write_or_print,
    write_routes_geodata,
)

if TYPE_CHECKING:
    from rich.table import Table

    from corridors.cost.parameters import CostParameters
    from corridors.network import Network
    from corridors.routing import Route

FIELDS = ("corridor", "days", "usd", "kg_co2e", "km", "borders", "transfers")
FORMATS = ("table", "json", "csv", "gpkg", "parquet")
OUTPUT_HELP = "Write to this file: .json, .csv, .txt, or the routes as lines: .gpkg, .parquet."


def routes_table(network: Network, routes: list[Route], *, title: str, wide: bool) -> Table:
    """A rich table with one row per corridor (``wide`` adds the places passed)."""
    from rich.table import Table  # noqa: PLC0415

    table = Table(title=title, title_justify="left")
    table.add_column("corridor", no_wrap=True)
    for name in ("days", "USD", "kg CO2e", "km", "borders", "transfers", "gen. cost"):
        table.add_column(name, justify="right", no_wrap=True)
    if wide:
        table.add_column("via", overflow="fold")
    for r in routes:
        row = [
            r.corridor,
            f"{r.days:.1f}",
            f"{r.usd:,.0f}",
            f"{r.kg_co2e:,.0f}",
            f"{r.km:,.0f}",
            str(r.borders),
            str(r.transfers),
            f"{r.generalised_cost_usd:,.0f}",
        ]
        if wide:
            via = [network.node_name(n) for n in r.node_ids[1:-1]]
            row.append(", ".join(via if len(via) <= 6 else [*via[:3], "…", *via[-2:]]))
        table.add_row(*row)
    return table


def render_csv(routes: list[Route]) -> str:
    """Routes as CSV with the JSON field names (legs left out)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*FIELDS, "generalised_cost_usd", "unit", "links"])
    for r in routes:
        d = r.to_dict()
        writer.writerow(
            [*(d[f] for f in FIELDS), d["generalised_cost_usd"], r.unit, ";".join(r.link_ids)]
        )
    return buf.getvalue()


def show_routes(
    network: Network,
    routes: list[Route],
    params: CostParameters,
    *,
    fmt: str,
    output: Path | None,
    title: str,
    command: str,
    close: list[str] | None,
    **options: object,
) -> None:
    """Print or write routes as a table, JSON (the shared envelope), CSV or geodata."""
    if fmt in ("gpkg", "parquet") and output is not None:
        write_routes_geodata(network, routes, output, fmt=fmt)
        return
    first = routes[0]
    o, d = network.node_name(first.origin), network.node_name(first.destination)
    if fmt == "json":
        names = [n.strip() for item in close or [] for n in item.split(",") if n.strip()]
        parameters = {
            "command": command,
            "origin": o,
            "destination": d,
            **options,
            "unit": params.unit,
            "value_of_time_usd_h": params.vot,
            "carbon_price_usd_t": params.carbon_price_usd_t,
            "year": params.year,
            "close": names,
            "network": network.name,
        }
        routes_json = [r.to_dict() for r in routes]
        text = json_envelope(
            parameters, origin=o, destination=d, unit=params.unit, routes=routes_json
        )
    elif fmt == "csv":
        text = render_csv(routes)
    else:
        text = render_table(network, routes, title=title, output=output)
    write_or_print(text, output)


def register(app: typer.Typer) -> None:
    """Add the ``compare`` and ``routes`` commands."""
    register_routes(app)

    @app.command("compare")
    def compare_cmd(
        origin: OriginArg,
        destination: DestinationArg,
        network: NetworkOpt = None,
        unit: UnitOpt = "TEU",
        fmt: RoutesFormatOpt = None,
        vot: VotOpt = None,
        carbon_price: CarbonOpt = 0.0,
        year: YearOpt = None,
        close: CloseOpt = None,
        output: Path | None = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
        scenario: str | None = typer.Option(
            None,
            "--scenario",
            help="Times with congestion in this scenario (name or YAML file): days "
            "free-flow, P50 and P90, the queue at each element (--year: default its base "
            "year).",
        ),
        legs: bool = typer.Option(
            False, "--legs", help="With --scenario: also list the queue time per element."
        ),
    ) -> None:
        """Compare the corridors door to door: days, USD, kg CO2e, km, borders, transfers."""
        from corridors.routing import compare  # noqa: PLC0415

        fmt = output_format(fmt, output, allowed=FORMATS)
        if scenario is not None:
            from corridors.cli.compare_congested import compare_congested  # noqa: PLC0415

            compare_congested(
                scenario=scenario,
                year=year,
                network=network,
                origin=origin,
                destination=destination,
                unit=unit,
                vot=vot,
                carbon_price=carbon_price,
                close=close,
                fmt=fmt,
                output=output,
                legs=legs,
            )
            return
        if legs:
            raise typer.BadParameter("--legs needs --scenario", param_hint="'--legs'")
        net, params = routing_inputs(
            network, unit=unit, vot=vot, carbon_price=carbon_price, year=year, close=close
        )
        routes = compare(net, origin, destination, params=params)
        o, d = net.node_name(routes[0].origin), net.node_name(routes[0].destination)
        title = (
            f"{o} -> {d}, per {params.unit}: free-flow times, no queues (--scenario for "
            "congestion; gen. cost: USD + value of time + carbon)"
        )
        show_routes(
            net, routes, params, fmt=fmt, output=output, title=title, command="compare", close=close
        )


def render_table(network: Network, routes: list[Route], *, title: str, output: Path | None) -> str:
    """The routes as a text table: box-drawn on a terminal, plain in a file."""
    from rich.console import Console  # noqa: PLC0415

    buf = io.StringIO()
    if output is None:
        console = Console(file=buf, width=Console().width)
        console.print(routes_table(network, routes, title=title, wide=console.width >= 120))
    else:  # a file: ASCII rules, wide enough for the "via" column
        from rich import box  # noqa: PLC0415

        console = Console(file=buf, width=200, no_color=True, color_system=None)
        table = routes_table(network, routes, title=title, wide=True)
        table.box = box.ASCII
        console.print(table)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def register_routes(app: typer.Typer) -> None:
    """Add the ``routes`` command (k alternative routes)."""

    @app.command("routes")
    def routes_cmd(
        origin: OriginArg,
        destination: DestinationArg,
        k: int = typer.Option(5, "--k", "-k", min=1, max=50, help="Number of routes."),
        corridor: str | None = typer.Option(None, "--corridor", help="Only this corridor."),
        network: NetworkOpt = None,
        unit: UnitOpt = "TEU",
        fmt: RoutesFormatOpt = None,
        vot: VotOpt = None,
        carbon_price: CarbonOpt = 0.0,
        year: YearOpt = None,
        close: CloseOpt = None,
        output: Path | None = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
    ) -> None:
        """The k cheapest loopless routes (Yen), each labelled with its corridor."""
        from corridors.routing import alternatives  # noqa: PLC0415

        fmt = output_format(fmt, output, allowed=FORMATS)
        net, params = routing_inputs(
            network, unit=unit, vot=vot, carbon_price=carbon_price, year=year, close=close
        )
        found = alternatives(net, origin, destination, k=k, params=params, corridor=corridor)
        o, d = net.node_name(found[0].origin), net.node_name(found[0].destination)
        title = f"{len(found)} cheapest routes {o} -> {d}, per {params.unit}"
        show_routes(
            net,
            found,
            params,
            fmt=fmt,
            output=output,
            title=title,
            command="routes",
            close=close,
            k=k,
            corridor=corridor,
        )
