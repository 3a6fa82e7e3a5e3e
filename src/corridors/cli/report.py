"""``corridors report ...``: self-contained HTML reports."""

from __future__ import annotations

from pathlib import Path

import typer

from corridors import atomic
from corridors.cli.common import NETWORK_HELP, cost_parameters, load_network
from corridors.routing import compare


def register(app: typer.Typer) -> None:
    """Add the ``report`` command group."""
    group = typer.Typer(help="Write self-contained HTML reports (offline).", no_args_is_help=True)
    app.add_typer(group, name="report")

    @group.command("compare")
    def report_compare(
        origin: str = typer.Argument(..., help="Origin place."),
        destination: str = typer.Argument(..., help="Destination place."),
        output: Path = typer.Option(..., "--output", "-o", help="HTML file to write."),
        network: Path | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
        unit: str = typer.Option("TEU", "--unit", "-u", help="TEU or tonne."),
        vot: float | None = typer.Option(None, "--vot", help="Value of time, USD/unit-h."),
        carbon_price: float = typer.Option(0.0, "--carbon-price", help="USD per t CO2e."),
        year: int | None = typer.Option(None, "--year", help="Open planned links of this year."),
        close: list[str] | None = typer.Option(None, "--close", help="Close sea passages."),
    ) -> None:
        """Map and table comparing the corridors between two places, in one HTML file."""
        from corridors.reports.comparison import comparison_report  # noqa: PLC0415

        params = cost_parameters(
            unit=unit, vot=vot, carbon_price=carbon_price, year=year, close=close
        )
        net = load_network(network)
        routes = compare(net, origin, destination, params=params)
        atomic.write_text(output, comparison_report(net, routes, params=params))
        typer.echo(f"wrote {output}", err=True)
