"""``corridors network ...``: check and export network folders."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from corridors import atomic
from corridors.network import read_network
from corridors.network.export import network_tables, write_gmns
from corridors.network.io import inspect_network
from corridors.reports.geojson import network_geojson

EXPORT_EXTENSIONS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}
"""Export format implied by the extension of the ``-o`` file (folders need ``--format``)."""


def register(app: typer.Typer) -> None:
    """Add the ``network`` command group."""
    group = typer.Typer(help="Check and export network folders.", no_args_is_help=True)
    app.add_typer(group, name="network")

    @group.command("check")
    def check(path: Path = typer.Argument(..., help="Network folder.")) -> None:
        """Validate a network folder; list every problem and exit non-zero if any.

        Warnings (suspicious values) and notes (units converted, tables not used, links
        carrying no freight left out) are listed too; they do not fail the check.
        """
        console = Console()
        reading = inspect_network(path)
        net = reading.network
        if net is None:
            n = len(reading.problems)
            console.print(
                f"[red]{n} problem{'s' if n != 1 else ''}[/red] in {path}:", highlight=False
            )
            for p in reading.problems:
                console.print(f"  - {p}", highlight=False, markup=False, soft_wrap=True)
            for note in reading.notes:
                console.print(f"  note: {note}", highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(1)
        modes = net.links["mode"].value_counts().to_dict()
        console.print(
            f"[green]OK[/green] {path}: {len(net.nodes)} nodes, {len(net.links)} links "
            f"({', '.join(f'{v} {k}' for k, v in sorted(modes.items()))}), "
            f"{len(net.vessels)} vessels, {len(net.corridor_ids)} corridors",
            highlight=False,
        )
        for w in reading.warnings:
            console.print(f"  warning: {w}", highlight=False, markup=False, soft_wrap=True)
        for note in reading.notes:
            console.print(f"  note: {note}", highlight=False, markup=False, soft_wrap=True)

    @group.command("schema")
    def schema() -> None:
        """Print the data dictionary of every table (Markdown), derived from the schema."""
        from corridors.network.docs import data_dictionary  # noqa: PLC0415

        typer.echo(data_dictionary(), nl=False)

    @group.command("export")
    def export(
        path: Path = typer.Argument(..., help="Network folder."),
        fmt: str | None = typer.Option(
            None,
            "--format",
            "-f",
            help="geojson, gpkg, geoparquet (a folder of GeoParquet tables; also 'parquet') or "
            "gmns (a folder); default: from the -o extension (.geojson, .json, .gpkg).",
        ),
        output: Path = typer.Option(
            ..., "--output", "-o", help="File (geojson, gpkg) or folder (parquet, gmns)."
        ),
        integer_ids: bool = typer.Option(
            False,
            "--integer-ids",
            help="gmns: number nodes and links 1, 2, ... (corridors' ids in corridors_id).",
        ),
    ) -> None:
        """Export a network as GeoJSON, GeoParquet tables, a GeoPackage or a GMNS folder."""
        formats = ("geojson", "gpkg", "geoparquet", "parquet", "gmns")
        if fmt is None:
            fmt = EXPORT_EXTENSIONS.get(output.suffix.lower())
            if fmt is None:
                raise typer.BadParameter(
                    f"cannot tell the format from {output.name!r}; use a .geojson or .gpkg "
                    "file, or --format geoparquet or gmns for a folder",
                    param_hint="'--output'",
                )
        if fmt not in formats:
            raise typer.BadParameter(
                f"unknown format {fmt!r}; use {', '.join(formats)}", param_hint="--format"
            )
        if integer_ids and fmt != "gmns":
            raise typer.BadParameter("--integer-ids applies to --format gmns only")
        net = read_network(path)
        if fmt == "geojson":
            atomic.write_text(output, json.dumps(network_geojson(net), ensure_ascii=False))
        elif fmt == "gmns":
            write_gmns(net, output, integer_ids=integer_ids)
        else:
            from corridors import gis  # noqa: PLC0415  (geopandas: only for these formats)

            nodes, links = gis.network_geodataframes(net)
            if fmt == "gpkg":
                gis.write_geopackage({"node": nodes, "link": links}, output)
            else:
                with atomic.atomic_folder(output) as tmp:
                    gis.write_geoparquet(nodes, tmp / "node.parquet")
                    gis.write_geoparquet(links, tmp / "link.parquet")
                    for name, frame in network_tables(net).items():
                        if name not in ("node", "link"):
                            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        typer.echo(f"wrote {output}", err=True)
