"""What the corridor's trains carry: shipment sizes shared by the simulation and the equilibrium.

The simulation sends containers as block trains and bulk as wagon groups
(:mod:`corridors.simulation.shipments`); the equilibrium counts an element's capacity
in the same shipments (:mod:`corridors.cost.element_queues`). Declared once here.
"""

from __future__ import annotations

import math

__all__ = [
    "GROUP_WAGONS",
    "HOURS_PER_YEAR",
    "SECTION_PATHS_PER_DAY",
    "SHIPMENT_TEU",
    "TEU_PER_WAGON",
    "TRAIN_WAGONS",
    "WAGON_T",
    "table_number",
]

HOURS_PER_YEAR = 8760.0
"""Hours in a (non-leap) year."""

SECTION_PATHS_PER_DAY = 24.0
"""Train paths a day on a single-track link with no ``trains_per_day``."""

SHIPMENT_TEU = 100.0
"""TEU of a container block train (~100 TEU a train, KTZE-2024 in corridor-facts.md):
the shipment the simulation runs and the unit of an element's capacity."""

TRAIN_WAGONS = 50
"""Wagons of a container block train (two TEU a wagon)."""

TEU_PER_WAGON = SHIPMENT_TEU / TRAIN_WAGONS
"""TEU on a container wagon."""

GROUP_WAGONS = 25
"""Wagons of a wagon group (bulk, general cargo)."""

WAGON_T = 60.0
"""Payload of a bulk wagon, t."""


def table_number(value: object) -> float:
    """A number from a table cell (``nan`` for a blank or text)."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
