"""Variables that sweeps and Monte Carlo forecasts vary, and how a sample changes a scenario.

A variable is a dotted name; its value is either a factor (network attributes) or a
value (behaviour and demand):

=============================  ======  ================================================
variable                        kind    effect
=============================  ======  ================================================
``border_time``                 factor  border_h of every node
``border_time.KZ``              factor  border_h of the nodes in country KZ
``border_cost.KZ``              factor  border_usd_teu and border_usd_t (KZ nodes)
``handling_time.NODE``          factor  handling_h of a node (id or place name)
``capacity.ID``                 factor  capacity_teu_yr and capacity_t_yr of a node or link
``tariff.CORRIDOR``             factor  tariff_usd_teu and tariff_usd_t of its links
``speed.CORRIDOR``              factor  free_speed of its links
``sailings.CORRIDOR``           factor  sailings_per_week and capacities of its ferry links
``demand.MARKET.growth``        value   growth a year (0.03 = 3 %)
``demand.MARKET.scale``         factor  base-year volume
``value_of_time``               value   USD per TEU-hour (markets with their own value
                                        of time move in proportion)
``logit_scale``                 value   1/USD per TEU
``risk_premium.CORRIDOR``       value   USD per TEU
``reliability.CORRIDOR``        value   buffer hours
=============================  ======  ================================================

Each idea is its own module: :mod:`~corridors.scenarios.variable_checks` the names,
bounds and targets, :mod:`~corridors.scenarios.vary` a sweep's ``--vary`` range,
:mod:`~corridors.scenarios.sample_changes` a sample applied to a scenario and
:mod:`~corridors.scenarios.sampling` the draws; this module keeps their import path.
"""

from __future__ import annotations

from corridors.scenarios.sample_changes import apply_sample
from corridors.scenarios.sampling import MAX_REDRAWS, draw_uncertain, draw_uniform
from corridors.scenarios.variable_checks import (
    FACTOR_MAX,
    NETWORK_FACTORS,
    VALUE_RANGES,
    VARIABLE_HEADS,
    VARIABLE_PATTERNS,
    UnmatchedVariableError,
    check_range,
    check_variable,
    unmatched_variables,
    value_range,
)
from corridors.scenarios.vary import Vary, parse_vary

__all__ = [
    "FACTOR_MAX",
    "MAX_REDRAWS",
    "NETWORK_FACTORS",
    "VALUE_RANGES",
    "VARIABLE_HEADS",
    "VARIABLE_PATTERNS",
    "UnmatchedVariableError",
    "Vary",
    "apply_sample",
    "check_range",
    "check_variable",
    "draw_uncertain",
    "draw_uniform",
    "parse_vary",
    "unmatched_variables",
    "value_range",
]
