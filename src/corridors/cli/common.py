"""Options and helpers shared by the command modules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from corridors.datasets import eurasia_path
from corridors.network import Network, read_network
from corridors.routing import CostParameters

NETWORK_HELP = "Network folder (GMNS tables); default: the shipped Eurasian network."

# Options shared by the commands that route (declared once, used as type annotations).
OriginArg = Annotated[str, typer.Argument(help="Origin place (name, alias or node id).")]
DestinationArg = Annotated[str, typer.Argument(help="Destination place.")]
NetworkOpt = Annotated[Path | None, typer.Option("--network", "-n", help=NETWORK_HELP)]
UnitOpt = Annotated[str, typer.Option("--unit", "-u", help="TEU or tonne.")]
VotOpt = Annotated[
    float | None,
    typer.Option("--vot", help="Value of time, USD per unit-hour (default 16.7/TEU-h)."),
]
CarbonOpt = Annotated[float, typer.Option("--carbon-price", help="USD per t CO2e.")]
YearOpt = Annotated[int | None, typer.Option("--year", help="Open planned links of this year.")]
CloseOpt = Annotated[
    list[str] | None,
    typer.Option("--close", help="Close sea passages, e.g. --close suez,babalmandab."),
]

UNIT_ALIASES = {"teu": "TEU", "t": "t", "tonne": "t", "tonnes": "t", "ton": "t"}


SHIPPED_NAMES = ("eurasia", "shipped", "default")
"""Names that stand for the shipped Eurasian network when no such folder exists."""


def load_network(path: str | Path | None) -> Network:
    """Read the given network folder, or the shipped Eurasian network.

    ``None`` or a name in :data:`SHIPPED_NAMES` (when no folder of that name exists)
    reads the shipped network.
    """
    if path is None or (not Path(path).exists() and str(path).lower() in SHIPPED_NAMES):
        return read_network(eurasia_path())
    return read_network(path)


def parse_unit(value: str) -> str:
    """Normalise a unit given on the command line (``TEU``, ``t``, ``tonne``)."""
    unit = UNIT_ALIASES.get(value.lower())
    if unit is None:
        msg = f"unknown unit {value!r}; use TEU or tonne"
        raise typer.BadParameter(msg)
    return unit


def cost_parameters(
    *,
    unit: str,
    vot: float | None,
    carbon_price: float,
    year: int | None,
    close: list[str] | None,
) -> CostParameters:
    """Build :class:`CostParameters` from command-line options."""
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
        msg = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise typer.BadParameter(msg) from exc
