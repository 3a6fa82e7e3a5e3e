"""``corridors relief``: tonnes a day to a disaster area within a window, by route and mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from corridors.cli.energy import (
    DataOpt,
    FormatOpt,
    OutputOpt,
    ReportOpt,
    check_format,
    csv_text,
    show_flows,
    write_report,
)

CSV_COLUMNS = (
    "element",
    "id",
    "name",
    "from",
    "to",
    "mode",
    "flow_t",
    "capacity_t",
    "utilisation",
    "tonnes_per_day",
    "gain_t_per_t_day",
    "status",
)


def _tables(study: Any) -> list[Table]:
    d = study.to_dict()
    head = Table(title="By mode", title_justify="left")
    head.add_column("mode")
    head.add_column("t/day", justify="right")
    for mode, tpd in d["tonnes_per_day_by_mode"].items():
        head.add_row(mode, f"{tpd:,.0f}")
    head.add_row("all", f"{d['tonnes_per_day']:,.0f}")
    routes = Table(title="Routes (t/day averaged over the window)", title_justify="left")
    for col in ("depot", "mode", "hours", "t/day", "via"):
        routes.add_column(col, justify="right" if col in ("hours", "t/day") else "left")
    for r in d["routes"]:
        routes.add_row(
            r["depot"],
            r["mode"],
            f"{r['hours']:.1f}",
            f"{r['tonnes_per_day']:,.0f}",
            " > ".join(r["places"]),
        )
    fastest = Table(title="Fastest route from each depot", title_justify="left")
    for col in ("depot", "mode", "hours", "in window"):
        fastest.add_column(col, justify="right" if col == "hours" else "left")
    for f in d["fastest"]:
        hours = "-" if f["hours"] is None else f"{f['hours']:.1f}"
        fastest.add_row(f["depot"], f["mode"] or "-", hours, "yes" if f["within_window"] else "no")
    binds = Table(title="What binds (t/day gained per t/day of capacity)", title_justify="left")
    binds.add_column("element")
    binds.add_column("gain", justify="right")
    for b in d["binding"]:
        binds.add_row(b["id"], f"{b['gain_t_per_t_day']:.2f}")
    out = [head, routes, fastest, binds]
    if d["reopening"]:
        reopen = Table(title="What a reopening adds", title_justify="left")
        reopen.add_column("closed element")
        reopen.add_column("t/day", justify="right")
        for r in d["reopening"]:
            reopen.add_row(r["id"], f"{r['adds_tonnes_per_day']:,.0f}")
        out.append(reopen)
    return out


def register(app: typer.Typer) -> None:
    """Add the ``relief`` command."""

    @app.command("relief")
    def relief_cmd(
        to: str = typer.Option(..., "--to", help="Disaster area (place), e.g. Kahramanmaras."),
        origins: str = typer.Option(
            "OTS", "--from", help="OTS (members and observers), members, or depots: Baku,Ankara."
        ),
        within: str = typer.Option("72h", "--within", help="Window, e.g. 72h or 3d."),
        close: list[str] | None = typer.Option(
            None,
            "--close",
            help="Close places (ports, airports), links, countries (ISO code) or borders "
            "(TR-SY): --close iskenderun_port,hatay_airport.",
        ),
        step: float = typer.Option(1.0, "--step", min=0.25, max=24.0, help="Time step, hours."),
        fmt: str | None = FormatOpt,
        output: Path | None = OutputOpt,
        report: Path | None = ReportOpt,
        data: Path | None = DataOpt,
    ) -> None:
        """Tonnes a day that reach a disaster area within a window, by route and mode."""
        from corridors.errors import UnknownPlaceError  # noqa: PLC0415
        from corridors.studies.relief import WindowError, relief  # noqa: PLC0415

        fmt = check_format(fmt, output)
        closed = [p.strip() for item in close or [] for p in item.split(",") if p.strip()]
        try:
            study = relief(
                to=to, origins=origins, within=within, close=closed, step_h=step, folder=data
            )
        except UnknownPlaceError as exc:
            raise typer.BadParameter(str(exc)) from None
        except WindowError as exc:
            raise typer.BadParameter(str(exc), param_hint="--within") from None
        d = study.to_dict()
        parameters: dict[str, Any] = {"command": "relief", "to": to, "from": origins}
        parameters |= {"within": within, "close": closed, "step_h": step}
        header = f"Relief to {d['to']} within {d['within_h']:g} h from {', '.join(d['depots'])}" + (
            f"; closed: {', '.join(d['closed'])}" if d["closed"] else ""
        )
        show_flows(
            study,
            fmt=fmt,
            output=output,
            parameters=parameters,
            name=f"relief to {d['to']}",
            tables=lambda: _tables(study),
            csv=lambda: csv_text(
                [{"element": "link", **r} for r in d["links"]]
                + [{"element": "node", **r} for r in d["nodes"]],
                CSV_COLUMNS,
            ),
            header=header,
        )
        from corridors.reports.flows_map import relief_report  # noqa: PLC0415

        write_report(report, lambda: relief_report(study))
