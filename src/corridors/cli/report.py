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
    load_network,
    routing_inputs,
)
from corridors.routing import compare
from corridors.scenarios.store import DEFAULT_STORE


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

    @group.command("run")
    def report_run(
        run_id: str = typer.Argument(..., help="Run id (or a unique prefix of one)."),
        output: Path = typer.Option(..., "--output", "-o", help="HTML file to write."),
        store: Path = typer.Option(Path(DEFAULT_STORE), "--store", help="DuckDB results store."),
        network: NetworkOpt = None,
    ) -> None:
        """Volumes, map of flows, bottlenecks and measures of a stored run, in one HTML file."""
        from corridors.reports.run_report import stored_run_report  # noqa: PLC0415
        from corridors.scenarios.store import ResultsStore  # noqa: PLC0415

        net = load_network(network)
        with ResultsStore(store, read_only=True) as db:
            html = stored_run_report(db, run_id, net)
        atomic.write_text(output, html)
        typer.echo(f"wrote {output}", err=True)

    @group.command("scenario")
    def report_scenario(
        scenario: str = typer.Argument(..., help="Scenario YAML file or shipped scenario name."),
        output: Path = typer.Option(..., "--output", "-o", help="HTML file to write."),
        to: int | None = typer.Option(None, "--to", help="Last year (default: the horizon)."),
        no_appraisal: bool = typer.Option(
            False, "--no-appraisal", help="Skip the ranking of the measures."
        ),
        network: NetworkOpt = None,
    ) -> None:
        """Run a scenario (not stored) and write its report in one HTML file."""
        from corridors.reports.run_report import result_report  # noqa: PLC0415
        from corridors.scenarios.io import load_inputs  # noqa: PLC0415
        from corridors.studies.scenario import run_and_store  # noqa: PLC0415

        inputs = load_inputs(scenario, network_path=network)
        _, result = run_and_store(
            inputs, store=None, horizon=to, appraise_measures=not no_appraisal
        )
        info = {"scenario_name": inputs.scenario.name, "kind": "run", "seed": inputs.scenario.seed}
        atomic.write_text(output, result_report(inputs.network, result, info=info))
        typer.echo(f"wrote {output}", err=True)
