"""Options and helpers shared by the command modules.

Imported by ``corridors --version`` and ``--help``: everything beyond typer is imported
inside the functions that need it.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    import pandas as pd

    from corridors.network import Network
    from corridors.routing import CostParameters, Route

NETWORK_HELP = "Network folder (GMNS tables); default: the shipped Eurasian network."
SCENARIO_HELP = "Scenario YAML file, or the name of a shipped scenario (e.g. baseline-2024)."
STORE_HELP = "DuckDB results store."


def finite(
    *, minimum: float | None = None, maximum: float | None = None, exclusive: bool = False
) -> Callable[[float | None], float | None]:
    """A typer callback accepting finite numbers within bounds (``None`` passes).

    Parameters
    ----------
    minimum, maximum : float, optional
        Bounds (inclusive, but see ``exclusive``).
    exclusive : bool
        The value must be strictly greater than ``minimum``.
    """
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if exclusive else '>='} {minimum:g}")
    if maximum is not None:
        parts.append(f"<= {maximum:g}")
    want = "a finite number" + (" " + " and ".join(parts) if parts else "")

    def check(value: float | None) -> float | None:
        if value is None:
            return None
        bad = not math.isfinite(value)
        if minimum is not None:
            bad = bad or value < minimum or (exclusive and value <= minimum)
        if maximum is not None:
            bad = bad or value > maximum
        if bad:
            msg = f"must be {want} (got {value:g})"
            raise typer.BadParameter(msg)
        return value

    return check


# Options shared by the commands that route (declared once, used as type annotations).
OriginArg = Annotated[str, typer.Argument(help="Origin place (name, alias or node id).")]
DestinationArg = Annotated[str, typer.Argument(help="Destination place.")]
NetworkOpt = Annotated[Path | None, typer.Option("--network", "-n", help=NETWORK_HELP)]
UnitOpt = Annotated[
    str, typer.Option("--unit", "-u", help="TEU, FEU (2 TEU; market rates) or tonne.")
]
VotOpt = Annotated[
    float | None,
    typer.Option(
        "--vot",
        callback=finite(minimum=0, maximum=1e6),
        help="Value of time, USD per unit-hour (default 16.7/TEU-h).",
    ),
]
CarbonOpt = Annotated[
    float,
    typer.Option("--carbon-price", callback=finite(minimum=0, maximum=1e5), help="USD per t CO2e."),
]
YearOpt = Annotated[
    int | None,
    typer.Option("--year", min=1800, max=2200, help="Open planned links of this year."),
]
CloseOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--close",
        help="Close sea passages, countries (ISO code), borders (CN-KZ), places or links, "
        "e.g. --close suez,babalmandab or --close RU; see 'corridors passages'.",
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", help="table, json or csv (default: from the -o extension, else table)."
    ),
]
RoutesFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, csv, gpkg (GeoPackage) or parquet (GeoParquet); default: from the "
        "-o extension, else table.",
    ),
]

UNIT_ALIASES = {
    "teu": "TEU",
    "feu": "FEU",
    "t": "t",
    "tonne": "t",
    "tonnes": "t",
    "ton": "t",
}

FORMAT_EXTENSIONS = {
    ".json": "json",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
    ".geojson": "geojson",
    ".parquet": "parquet",
    ".gpkg": "gpkg",
    ".txt": "table",
    ".md": "table",
}
"""Output format implied by the extension of an ``-o`` file."""

FILE_ONLY_FORMATS = ("gpkg", "parquet")
"""Binary formats: written to an ``-o`` file, never to the terminal."""

SHIPPED_NAMES = ("eurasia", "shipped", "default")
"""Names that stand for the shipped Eurasian network when no such folder exists."""


def colour_enabled() -> bool | None:
    """``False`` when NO_COLOR is set (https://no-color.org), else let click decide."""
    return False if os.environ.get("NO_COLOR") else None


def print_error(message: str) -> None:
    """Print one ``error: ...`` line on stderr (red on a terminal unless NO_COLOR)."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED, color=colour_enabled())


def quiet() -> bool:
    """Whether ``corridors --quiet`` was given (no progress bars, no notes)."""
    from typer._click.globals import get_current_context  # noqa: PLC0415 (typer's own click)

    ctx = get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().params.get("quiet"))


def note(message: str) -> None:
    """A note for the user on stderr (``wrote out.csv``), silenced by ``--quiet``."""
    if not quiet():
        typer.echo(message, err=True)


def output_format(fmt: str | None, output: Path | None, *, allowed: tuple[str, ...]) -> str:
    """The format to write: ``--format`` if given, else the ``-o`` extension, else a table.

    Raises
    ------
    typer.BadParameter
        If the format (given or implied by the extension) is not one of ``allowed``.
    """
    if fmt is None and output is not None:
        fmt = FORMAT_EXTENSIONS.get(output.suffix.lower())
        if fmt is None or fmt not in allowed:
            msg = (
                f"cannot tell the format from {output.name!r}; use a "
                + ", ".join(f".{a}" for a in allowed if a != "table")
                + " file or --format"
            )
            raise typer.BadParameter(msg, param_hint="'--output'")
    fmt = fmt or "table"
    if fmt not in allowed:
        msg = f"unknown format {fmt!r}; use {', '.join(allowed)}"
        raise typer.BadParameter(msg, param_hint="'--format'")
    if fmt in FILE_ONLY_FORMATS and output is None:
        msg = f"--format {fmt} writes a file: give it with -o"
        raise typer.BadParameter(msg, param_hint="'--format'")
    return fmt


def table_format(output: Path, *, geo: bool = False) -> str:
    """``csv`` or ``parquet`` (``gpkg`` too if ``geo``) from the extension of a table to write.

    Raises
    ------
    typer.BadParameter
        For another extension (a usage error, before anything runs).
    """
    fmt = FORMAT_EXTENSIONS.get(output.suffix.lower())
    allowed = ("csv", "parquet", "gpkg") if geo else ("csv", "parquet")
    if fmt is None or fmt not in allowed:
        names = ", ".join(f".{a}" for a in allowed)
        msg = f"write the table to a {names} file, not {output.name!r}"
        raise typer.BadParameter(msg, param_hint="'--output'")
    return fmt


def write_table(frame: pd.DataFrame, output: Path, *, network: Network | None = None) -> None:
    """Write a table atomically as CSV, Parquet or GeoPackage, as the extension says.

    A GeoPackage (``.gpkg``, with ``network``) draws each row on its link
    (:func:`corridors.gis.flows_geodataframe`, layer ``flows``).
    """
    from corridors import atomic  # noqa: PLC0415

    fmt = table_format(output, geo=network is not None)
    if fmt == "gpkg" and network is not None:
        from corridors import gis  # noqa: PLC0415  (geopandas: only for this format)

        gis.write_geopackage({"flows": gis.flows_geodataframe(network, frame)}, output)
    elif fmt == "parquet":
        import io  # noqa: PLC0415

        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        atomic.write_bytes(output, buf.getvalue())
    else:
        atomic.write_text(output, frame.to_csv(index=False, float_format="%.10g"))


def write_routes_geodata(
    network: Network, routes: list[Route], output: Path, *, fmt: str, layer: str = "routes"
) -> None:
    """Write routes as lines to a GeoPackage (one layer) or a GeoParquet file, atomically.

    ``fmt`` is ``gpkg`` or ``parquet``; the columns are those of
    :func:`corridors.gis.routes_geodataframe` (needs the ``geo`` extra).
    """
    from corridors import gis  # noqa: PLC0415  (geopandas: only for these formats)

    frame = gis.routes_geodataframe(network, routes)
    if fmt == "gpkg":
        gis.write_geopackage({layer: frame}, output)
    else:
        gis.write_geoparquet(frame, output)
    note(f"wrote {output}")


def json_envelope(parameters: dict[str, Any], **content: Any) -> str:
    """Every JSON output of the command line: ``{"version", "parameters", ...content}``.

    Parameters
    ----------
    parameters : dict
        The inputs that made the result (command, places, unit, closures ...).
    **content
        The result itself, e.g. ``routes=[...]``.

    Returns
    -------
    str
        Indented JSON text ending with a newline.
    """
    from corridors import __version__  # noqa: PLC0415

    doc = {"version": __version__, "parameters": parameters, **content}
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


def write_or_print(text: str, output: Path | None) -> None:
    """Write ``text`` atomically to ``output`` (and note it), or print it to stdout."""
    if output is None:
        sys.stdout.write(text)
        return
    from corridors import atomic  # noqa: PLC0415

    atomic.write_text(output, text)
    note(f"wrote {output}")


def load_network(path: str | Path | None) -> Network:
    """Read the given network folder, or the shipped Eurasian network.

    ``None`` or a name in :data:`SHIPPED_NAMES` (when no folder of that name exists)
    reads the shipped network.
    """
    from corridors.datasets import eurasia_path  # noqa: PLC0415
    from corridors.network import read_network  # noqa: PLC0415

    if path is None or (not Path(path).exists() and str(path).lower() in SHIPPED_NAMES):
        return read_network(eurasia_path())
    return read_network(path)


def parse_unit(value: str, *, allowed: tuple[str, ...] = ("TEU", "FEU", "t")) -> str:
    """Normalise a unit given on the command line (``TEU``, ``FEU``, ``t``, ``tonne``)."""
    unit = UNIT_ALIASES.get(value.lower())
    if unit is None or unit not in allowed:
        names = ", ".join("tonne" if a == "t" else a for a in allowed)
        msg = f"unknown unit {value!r}; use {names}"
        raise typer.BadParameter(msg, param_hint="'--unit'")
    return unit


OPTION_OF = {
    "unit": "--unit:",
    "value_of_time_usd_h": "--vot:",
    "carbon_price_usd_t": "--carbon-price:",
    "year": "--year:",
    "closed_passages": "--close:",
}
"""The command-line option of each cost parameter, named in messages."""


def cost_parameters(
    *,
    unit: str,
    vot: float | None,
    carbon_price: float,
    year: int | None,
    close: list[str] | tuple[str, ...] | None,
) -> CostParameters:
    """Build :class:`CostParameters` from command-line options.

    ``close`` are sea passage ids (see :func:`routing_inputs` for every kind of closure).
    """
    from pydantic import ValidationError  # noqa: PLC0415

    from corridors.routing import CostParameters  # noqa: PLC0415

    passages: list[str] = []
    for item in close or []:
        passages.extend(p.strip() for p in item.split(",") if p.strip())
    try:
        return CostParameters(
            unit=parse_unit(unit),
            value_of_time_usd_h=vot,
            carbon_price_usd_t=carbon_price,
            year=year,
            closed_passages=tuple(passages),
        )
    except ValidationError as exc:
        msg = "; ".join(
            f"{OPTION_OF.get(str(e['loc'][0]) if e['loc'] else '', 'option')} "
            + str(e["msg"]).removeprefix("Value error, ")
            for e in exc.errors()
        )
        raise typer.BadParameter(msg) from exc


def routing_inputs(
    network: str | Path | None,
    *,
    unit: str,
    vot: float | None,
    carbon_price: float,
    year: int | None,
    close: list[str] | None,
) -> tuple[Network, CostParameters]:
    """The network with ``--close`` applied and the cost parameters of a routing command.

    Closures are resolved by :func:`corridors.network.closures.resolve_closures`; the sea
    passages also go into the parameters so that messages and reports name them.
    """
    from corridors.network.closures import resolve_closures  # noqa: PLC0415

    params = cost_parameters(unit=unit, vot=vot, carbon_price=carbon_price, year=year, close=None)
    net = load_network(network)
    closures = resolve_closures(net, close or [])
    if not closures:
        return net, params
    return net.with_closures(closures), params.model_copy(
        update={"closed_passages": closures.passages}
    )
