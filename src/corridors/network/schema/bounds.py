"""Upper bounds shared by the numeric fields of the network tables.

A year of hours, and money and volumes no corridor reaches.
"""

from __future__ import annotations

HOURS_PER_YEAR = 8760.0
"""Upper bound of every duration field, hours: nothing on a corridor takes a year."""

MAX_USD_TEU = 1_000_000.0
"""Upper bound of money per TEU (and value of time per unit-hour), USD."""

MAX_USD_T = 100_000.0
"""Upper bound of money per tonne, USD."""

MAX_TEU_YR = 1e9
"""Upper bound of a capacity or volume in TEU a year (world container trade: ~2e8)."""

MAX_T_YR = 1e11
"""Upper bound of a capacity or volume in tonnes a year (world seaborne trade: ~1.2e10)."""
