"""Cargo classes: the unit each class is counted in and its payloads, declared once as data.

Demand is given in the native unit of its cargo: containers in TEU, dry and liquid
bulk in tonnes. Where two units must meet (a tonne capacity that containers also
use, a TEU-equivalent that the corridor split works in), the conversion is the
payload of the class declared here, nowhere else:

* a TEU of containers weighs ``tonnes_per_teu`` (its average payload) against a
  tonne capacity;
* a tonne of bulk is ``1 / tonnes_per_teu_equivalent`` TEU-equivalents in the
  corridor split's common unit, but it never counts against a TEU capacity (a
  container terminal, a container feeder) unless ``counts_against_teu``;
* per-tonne money of the network tables is per-TEU money divided by
  ``TARIFF_TONNES_PER_TEU`` (the dataset's basis, ``SOURCES.md``).

The table is data: add a class by adding a row (and its name to the demand table's
``commodity`` choices, :data:`corridors.network.schema.COMMODITIES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CARGO_CLASSES",
    "CONTAINER_PAYLOAD_T",
    "TARIFF_TONNES_PER_TEU",
    "CargoClass",
    "cargo_class",
]

CONTAINER_PAYLOAD_T = 10.0
"""Average payload of a loaded TEU, tonnes (GLEC Framework default for an average-loaded
TEU): containers against tonne capacities, emissions per TEU, and the tonnes in one
TEU-equivalent of the corridor split."""

TARIFF_TONNES_PER_TEU = 20.0
"""Tonnes a per-TEU tariff is spread over to quote it per tonne (a fully loaded 20-ft
box, or a wagon share of 20 t; the basis of the CAREC section costs and of the
interrail quote, ``SOURCES.md``): the dataset's ``*_usd_t`` columns are the ``*_usd_teu``
ones divided by this."""


@dataclass(frozen=True)
class CargoClass:
    """One cargo class of the demand table.

    Attributes
    ----------
    name : str
        The demand table's ``commodity`` (``containers``, ``dry_bulk``, ``liquid_bulk``).
    unit : {"TEU", "t"}
        Native unit: demand, results and values of time of the class are in it.
    tonnes_per_teu : float
        Payload of one TEU (containers) or tonnes in one TEU-equivalent (bulk), tonnes;
        the conversion between the class's unit and the corridor split's TEU-equivalents.
    tonnes_per_wagon : float
        Payload of one wagon of the class, tonnes (trains and rail ferries).
    counts_against_teu : bool
        Whether the class uses the TEU capacity of terminals, feeders and borders
        (only containers do: bulk moves in wagons, tank cars, tankers and pipes).
    description, source : str
        What the class is and where its payloads come from.
    """

    name: str
    unit: Literal["TEU", "t"]
    tonnes_per_teu: float
    tonnes_per_wagon: float
    counts_against_teu: bool
    description: str
    source: str

    def teu_equivalents(self, volume: float) -> float:
        """TEU-equivalents of ``volume`` in the class's unit (TEU: itself)."""
        return volume if self.unit == "TEU" else volume / self.tonnes_per_teu

    def native(self, teu_equivalents: float) -> float:
        """Volume in the class's unit of ``teu_equivalents``."""
        return teu_equivalents if self.unit == "TEU" else teu_equivalents * self.tonnes_per_teu

    def tonnes(self, volume: float) -> float:
        """Tonnes of ``volume`` in the class's unit."""
        return volume * self.tonnes_per_teu if self.unit == "TEU" else volume


CARGO_CLASSES: tuple[CargoClass, ...] = (
    CargoClass(
        "containers",
        "TEU",
        tonnes_per_teu=CONTAINER_PAYLOAD_T,
        tonnes_per_wagon=2 * CONTAINER_PAYLOAD_T,
        counts_against_teu=True,
        description="Containerised cargo, counted in TEU (an FEU is 2 TEU).",
        source="GLEC (average-loaded TEU 10 t); a flat wagon carries 2 TEU (SOURCES.md)",
    ),
    CargoClass(
        "dry_bulk",
        "t",
        tonnes_per_teu=CONTAINER_PAYLOAD_T,
        tonnes_per_wagon=65.0,
        counts_against_teu=False,
        description="Dry bulk and general cargo in wagons (grain, metals, fertiliser), tonnes.",
        source="EST: 1520 mm gondola or covered wagon, 65-69 t payload; TEU-equivalent 10 t "
        "(GLEC), the unit of the tonne capacities in the corridor split",
    ),
    CargoClass(
        "liquid_bulk",
        "t",
        tonnes_per_teu=CONTAINER_PAYLOAD_T,
        tonnes_per_wagon=60.0,
        counts_against_teu=False,
        description="Crude oil and oil products (tank cars, tankers, pipelines), tonnes; "
        "never in TEU.",
        source="EST: 1520 mm tank car ~60 t of crude; TEU-equivalent 10 t as dry bulk",
    ),
    CargoClass(
        "trucks",
        "TEU",
        tonnes_per_teu=CONTAINER_PAYLOAD_T,
        tonnes_per_wagon=2 * CONTAINER_PAYLOAD_T,
        counts_against_teu=False,
        description="Road trailers on Ro-Ro ferries and trucks, in TEU-equivalents (a truck "
        "~1 FEU = 2 TEU); they use Ro-Ro ramps, not container terminals.",
        source="ASCO-RORO-2023 (USD 1,200 per truck ~ 1 FEU); payload as containers (GLEC)",
    ),
)
"""The cargo classes, one row each."""

_BY_NAME = {c.name: c for c in CARGO_CLASSES}


def cargo_class(name: str) -> CargoClass:
    """The cargo class called ``name`` (``KeyError`` naming the known ones if unknown)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(_BY_NAME)
        raise KeyError(f"unknown cargo class {name!r}; known: {known}") from None
