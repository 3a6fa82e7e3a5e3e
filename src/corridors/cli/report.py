"""``corridors report ...``: self-contained HTML reports."""

from __future__ import annotations

from pathlib import Path

import typer

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
    routing_inputs,
)
from corridors.routing import compare


def register(app: typer.Typer) -> None:
    """Add the ``report`` command group."""
    group = typer.Typer(help="Write self-contained HTML reports (offline).", no_args_is_help=True)
    app.add_typer(group, name="report")

    @group.command("compare")
    def report_compare(
        origin: OriginArg,
        destination: DestinationArg,
        output: Path = typer.Option(..., "--output", "-o", help="HTML file to write."),
        network: NetworkOpt = None,
        unit: UnitOpt = "TEU",
        vot: VotOpt = None,
        carbon_price: CarbonOpt = 0.0,
        year: YearOpt = None,
        close: CloseOpt = None,
    ) -> None:
        """Map and table comparing the corridors between two places, in one HTML file."""
        from corridors.reports.comparison import comparison_report  # noqa: PLC0415

        net, params = routing_inputs(
            network, unit=unit, vot=vot, carbon_price=carbon_price, year=year, close=close
        )
        routes = compare(net, origin, destination, params=params)
        atomic.write_text(output, comparison_report(net, routes, params=params))
        typer.echo(f"wrote {output}", err=True)
