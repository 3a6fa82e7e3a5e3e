"""``corridors energy flow|route``: where crude, gas or power flows, at what cost, what binds."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from corridors import atomic
from corridors.cli.common import json_envelope, note, output_format, write_or_print

FORMATS = ("table", "json", "csv", "geojson")

CommodityOpt = typer.Option(None, "--commodity", "-c", help="crude, gas or power.")
YearOpt = typer.Option(None, "--year", help="Year modelled (default: the scenario's, or 2024).")
ScenarioOpt = typer.Option(
    None, "--scenario", "-s", help="Shipped energy scenario (cpc-outage-30d, ...) or a YAML file."
)
FormatOpt = typer.Option(
    None,
    "--format",
    "-f",
    help="table, json, csv, or geojson (links and nodes on a map); default: from the -o "
    "extension, else table.",
)
OutputOpt = typer.Option(None, "--output", "-o", help="Write to this file.")
ReportOpt = typer.Option(None, "--report", help="Also write an HTML report with a map.")
DataOpt = typer.Option(None, "--data", help="Dataset folder (default: the shipped one).")


def check_format(fmt: str | None, output: Path | None = None) -> str:
    """The format to write (``--format``, else the ``-o`` extension); unknown: exit code 2."""
    return output_format(fmt, output, allowed=FORMATS)


def emit(text: str, output: Path | None) -> None:
    """Print ``text`` or write it atomically to ``output``."""
    write_or_print(text, output)


def render_table(
    tables: Sequence[Table], *, output: Path | None, header: str | None = None
) -> None:
    """Print a header line and rich tables (plain text at 100 columns into a file)."""
    console = Console(record=output is not None, width=100 if output else None)
    if header:
        console.print(header, markup=False, highlight=False)
    for t in tables:
        console.print(t)
    if output is not None:
        atomic.write_text(output, console.export_text())
        note(f"wrote {output}")


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV with the given columns (nested values left out)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return buf.getvalue()


def _num(v: Any, spec: str = ",.0f") -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    return format(v, spec)


def _study_tables(study: Any) -> list[Table]:
    d = study.to_dict()
    u = study.unit_key
    unit = {"t": "t", "bcm": "bcm", "mw": "MW"}[u]
    per = FLOW_PRICE_UNIT[study.carrier]
    title = f"{study.carrier} {d['year']}" + (
        f", scenario {d['scenario']}" if d["scenario"] else ""
    )
    title += f", {d['period_days']:g} days"
    summary = Table(title=title, title_justify="left")
    for col in ("commodity", f"supply {unit}", f"moved {unit}", f"stranded {unit}", f"USD/{per}"):
        summary.add_column(col, justify="left" if col == "commodity" else "right", no_wrap=True)
    has_bbl = any("cost_usd_bbl" in c for c in d["commodities"])
    if has_bbl:
        summary.add_column("USD/bbl", justify="right", no_wrap=True)
    for c in d["commodities"]:
        row = [
            c["id"],
            _num(c[f"supply_{u}"]),
            _num(c[f"delivered_{u}"]),
            _num(c[f"stranded_{u}"]),
            _num(c.get("cost_usd_" + per.lower()), ",.1f"),
        ]
        if has_bbl:
            row.append(_num(c.get("cost_usd_bbl"), ",.2f"))
        summary.add_row(*row)
    binding = Table(
        title=f"What binds (shadow price, USD per {per} of capacity)", title_justify="left"
    )
    for col in ("element", f"flow {unit}", f"capacity {unit}", f"USD/{per}"):
        binding.add_column(
            col, justify="left" if col == "element" else "right", no_wrap=col != "element"
        )
    rows = {r["id"]: r for r in (*d["links"], *d["nodes"])}
    for eid in d["binding"]:
        r = rows[eid]
        binding.add_row(
            eid, _num(r[f"flow_{u}"]), _num(r[f"capacity_{u}"]), _num(r[study.price_key], ",.1f")
        )
    flows = Table(title="Links carrying flow", title_justify="left")
    for col in ("link", f"flow {unit}", "use"):
        flows.add_column(col, justify="left" if col == "link" else "right", no_wrap=col != "link")
    for r in d["links"]:
        if r[f"flow_{u}"] > 0:
            use = r["utilisation"]
            flows.add_row(r["id"], _num(r[f"flow_{u}"]), "-" if use is None else f"{use:.0%}")
    out = [summary, binding, flows]
    if d["routes"]:
        routes = Table(title="Route of the volume", title_justify="left")
        for col in ("via", f"{unit}", f"USD/{per}"):
            routes.add_column(col, justify="left" if col == "via" else "right")
        for r in d["routes"]:
            key = next(k for k in r if k.startswith("flow_"))
            routes.add_row(
                " > ".join(r["links"]), _num(r[key]), _num(r[f"cost_usd_{per.lower()}"], ",.1f")
            )
        out.append(routes)
    return out


FLOW_PRICE_UNIT = {"crude": "t", "gas": "bcm", "power": "MWh"}
CSV_COLUMNS = ("element", "id", "name", "kind", "mode", "from", "to")


def _csv(study: Any) -> str:
    d = study.to_dict()
    u = study.unit_key
    columns = [*CSV_COLUMNS, f"flow_{u}", f"capacity_{u}", "utilisation", study.price_key, "status"]
    rows = [{"element": "link", **r} for r in d["links"]] + [
        {"element": "node", **r} for r in d["nodes"]
    ]
    return csv_text(rows, columns)


def show_flows(
    study: Any,
    *,
    fmt: str,
    output: Path | None,
    parameters: dict[str, Any],
    name: str,
    tables: Callable[[], list[Table]],
    csv: Callable[[], str],
    header: str | None = None,
) -> None:
    """Print or write an energy or relief study as JSON (the envelope), CSV, GeoJSON or tables.

    ``name`` names the GeoJSON collection; ``tables`` and ``csv`` render the other formats.
    """
    d = study.to_dict()
    if fmt == "json":
        emit(json_envelope(parameters, **d), output)
    elif fmt == "csv":
        emit(csv(), output)
    elif fmt == "geojson":
        from corridors.reports.flows_map import flows_geojson  # noqa: PLC0415

        fc = flows_geojson(d["links"], d["nodes"], study.coords, name=name)
        emit(json.dumps(fc, ensure_ascii=False) + "\n", output)
    else:
        render_table(tables(), output=output, header=header)


def write_report(report: Path | None, html: Callable[[], str]) -> None:
    """Write the HTML report atomically when ``--report`` is given."""
    if report is not None:
        atomic.write_text(report, html())
        note(f"wrote {report}")


def _output(
    study: Any, *, fmt: str, output: Path | None, report: Path | None, parameters: dict[str, Any]
) -> None:
    from corridors.reports.flows_map import energy_report  # noqa: PLC0415

    d = study.to_dict()
    name = f"{study.carrier} {d['year']}" + (f" {d['scenario']}" if d["scenario"] else "")
    show_flows(
        study,
        fmt=fmt,
        output=output,
        parameters=parameters,
        name=name,
        tables=lambda: _study_tables(study),
        csv=lambda: _csv(study),
    )
    write_report(report, lambda: energy_report(study))


def register(app: typer.Typer) -> None:
    """Add the ``energy`` command group."""
    group = typer.Typer(
        help="Energy corridors: crude, gas and power flows with capacities and shadow prices.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="energy")

    @group.command("flow")
    def flow_cmd(
        commodity: str | None = CommodityOpt,
        year: int | None = YearOpt,
        scenario: str | None = ScenarioOpt,
        fmt: str | None = FormatOpt,
        output: Path | None = OutputOpt,
        report: Path | None = ReportOpt,
        data: Path | None = DataOpt,
    ) -> None:
        """Where a carrier goes in a year, at what cost per tonne and barrel, and what binds."""
        from corridors.studies.energy import energy_flow  # noqa: PLC0415

        fmt = check_format(fmt, output)
        study = energy_flow(carrier=commodity, year=year, scenario=scenario, folder=data)
        parameters: dict[str, Any] = {
            "command": "energy flow",
            "commodity": commodity,
            "year": year,
        }
        parameters |= {"scenario": scenario}
        _output(study, fmt=fmt, output=output, report=report, parameters=parameters)

    @group.command("schema")
    def schema_cmd() -> None:
        """Print the fields of the energy and relief tables, the units and crude grades."""
        from corridors.energy.docs import energy_data_dictionary  # noqa: PLC0415

        typer.echo(energy_data_dictionary(), nl=False)

    @group.command("route")
    def route_cmd(
        origin: str = typer.Option(..., "--from", help="Energy node (id or name), e.g. Tengiz."),
        volume: str = typer.Option(..., "--volume", help="Volume a year, e.g. 2.2Mt or 300kb/d."),
        commodity: str | None = CommodityOpt,
        year: int | None = YearOpt,
        scenario: str | None = ScenarioOpt,
        fmt: str | None = FormatOpt,
        output: Path | None = OutputOpt,
        report: Path | None = ReportOpt,
        data: Path | None = DataOpt,
    ) -> None:
        """How a volume from one place reaches a market, alongside everything else."""
        from corridors.energy.units import UnitError  # noqa: PLC0415
        from corridors.errors import UnknownPlaceError  # noqa: PLC0415
        from corridors.studies.energy import energy_route  # noqa: PLC0415

        fmt = check_format(fmt, output)
        try:
            study = energy_route(
                origin=origin,
                volume=volume,
                carrier=commodity,
                year=year,
                scenario=scenario,
                folder=data,
            )
        except UnknownPlaceError as exc:
            raise typer.BadParameter(str(exc), param_hint="--from") from None
        except UnitError as exc:
            raise typer.BadParameter(str(exc), param_hint="--volume") from None
        parameters: dict[str, Any] = {"command": "energy route", "from": origin, "volume": volume}
        parameters |= {"commodity": commodity, "year": year, "scenario": scenario}
        _output(study, fmt=fmt, output=output, report=report, parameters=parameters)
