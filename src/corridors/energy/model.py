"""The energy layer as a flow problem, and its solution read back.

:mod:`corridors.energy.problem` builds the flow problem of one carrier, year and period
(:func:`build_problem`: commodities per supplying country, contracts, markets, the
scenario's changes); :mod:`corridors.energy.flow_rows` reads a solution back into rows
per link, node and commodity (:func:`summarise`). This module keeps their import path.
"""

from __future__ import annotations

from corridors.energy.flow_rows import CommodityFlow, ElementFlow, summarise
from corridors.energy.problem import (
    DAYS_PER_YEAR,
    MARKET,
    Change,
    Contract,
    EnergyProblem,
    build_problem,
)
from corridors.energy.schema import FLOW_UNIT

__all__ = [
    "DAYS_PER_YEAR",
    "FLOW_UNIT",
    "MARKET",
    "Change",
    "CommodityFlow",
    "Contract",
    "ElementFlow",
    "EnergyProblem",
    "build_problem",
    "summarise",
]
