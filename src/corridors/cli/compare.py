"""``corridors compare``: door-to-door comparison of the corridors between two places."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from corridors import atomic
from corridors.cli.common import (
    CarbonOpt,
    CloseOpt,
    DestinationArg,
    NetworkOpt,
    OriginArg,
    UnitOpt,
    VotOpt,
    YearOpt,
    cost_parameters,
    load_network,
)
from corridors.network import Network
from corridors.routing import Route, alternatives, compare

FIELDS = ("corridor", "days", "usd", "kg_co2e", "km", "borders", "transfers")


def routes_table(network: Network, routes: list[Route], *, title: str, wide: bool) -> Table:
    """A rich table with one row per corridor (``wide`` adds the places passed)."""
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


def register(app: typer.Typer) -> None:
    """Add the ``compare`` and ``routes`` commands."""
    register_routes(app)

    @app.command("compare")
    def compare_cmd(
        origin: OriginArg,
        destination: DestinationArg,
        network: NetworkOpt = None,
        unit: UnitOpt = "TEU",
        fmt: str = typer.Option("table", "--format", "-f", help="table, json or csv."),
        vot: VotOpt = None,
        carbon_price: CarbonOpt = 0.0,
        year: YearOpt = None,
        close: CloseOpt = None,
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    ) -> None:
        """Compare the corridors door to door: days, USD, kg CO2e, km, borders, transfers."""
        if fmt not in ("table", "json", "csv"):
            raise typer.BadParameter(f"unknown format {fmt!r}; use table, json or csv")
        params = cost_parameters(
            unit=unit, vot=vot, carbon_price=carbon_price, year=year, close=close
        )
        net = load_network(network)
        routes = compare(net, origin, destination, params=params)
        o, d = net.node_name(routes[0].origin), net.node_name(routes[0].destination)
        if fmt == "json":
            text = (
                json.dumps(
                    {
                        "origin": o,
                        "destination": d,
                        "unit": params.unit,
                        "routes": [r.to_dict() for r in routes],
                    },
                    indent=2,
                    ensure_ascii=False,
                )
                + "\n"
            )
        elif fmt == "csv":
            text = render_csv(routes)
        else:
            console = Console(record=output is not None, width=160 if output else None)
            title = f"{o} -> {d}, per {params.unit} (gen. cost: USD + value of time + carbon)"
            console.print(routes_table(net, routes, title=title, wide=console.width >= 120))
            if output is not None:
                atomic.write_text(output, console.export_text())
            return
        if output is not None:
            atomic.write_text(output, text)
            typer.echo(f"wrote {output}", err=True)
        else:
            typer.echo(text, nl=False)


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
        fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
        vot: VotOpt = None,
        carbon_price: CarbonOpt = 0.0,
        year: YearOpt = None,
        close: CloseOpt = None,
    ) -> None:
        """The k cheapest loopless routes (Yen), each labelled with its corridor."""
        params = cost_parameters(
            unit=unit, vot=vot, carbon_price=carbon_price, year=year, close=close
        )
        net = load_network(network)
        found = alternatives(net, origin, destination, k=k, params=params, corridor=corridor)
        if fmt == "json":
            typer.echo(json.dumps([r.to_dict() for r in found], indent=2, ensure_ascii=False))
            return
        o, d = net.node_name(found[0].origin), net.node_name(found[0].destination)
        console = Console()
        title = f"{len(found)} cheapest routes {o} -> {d}, per {params.unit}"
        console.print(routes_table(net, found, title=title, wide=console.width >= 120))
