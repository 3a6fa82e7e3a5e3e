"""The contents of a scenario file and of a measures catalogue, declared with pydantic.

A scenario says which years to model (base year and horizon), how much freight each
market moves and how fast it grows (demand), which investments or reforms are made
and when (measures), what goes wrong and when (disruptions), how shippers choose
(behavioural parameters) and which inputs are uncertain (for Monte Carlo forecasts).

Every model forbids unknown fields so that a misspelt key is an error, not a silent
default; :mod:`corridors.scenarios.io` turns pydantic's errors into
:class:`~corridors.errors.Problem` rows with line numbers and "did you mean" hints.

One module per part of the file: :mod:`~corridors.scenarios.spec.demand` (markets),
:mod:`~corridors.scenarios.spec.measures` (measures and their changes),
:mod:`~corridors.scenarios.spec.disruptions`, :mod:`~corridors.scenarios.spec.behaviour`
(how shippers choose) and :mod:`~corridors.scenarios.spec.scenario` (the whole file and
its uncertain inputs); :mod:`~corridors.scenarios.spec.fit` is a fit file (the fitted values
scenarios name); :mod:`~corridors.scenarios.spec.common` holds the shared bounds.
"""

from __future__ import annotations

from corridors.scenarios.spec.behaviour import (
    Behaviour,
    Equilibrium,
    ReliabilitySimulation,
    VolumeDelay,
)
from corridors.scenarios.spec.common import MAX_SEED, MAX_USD, MAX_YEAR, MIN_YEAR, Growth, Year
from corridors.scenarios.spec.demand import Demand, Market, TableMarket
from corridors.scenarios.spec.disruptions import Disruption
from corridors.scenarios.spec.measures import Change, Measure, MeasureCatalogue, NewLink
from corridors.scenarios.spec.scenario import Scenario, Uncertain

__all__ = [
    "MAX_SEED",
    "MAX_USD",
    "MAX_YEAR",
    "MIN_YEAR",
    "Behaviour",
    "Change",
    "Demand",
    "Disruption",
    "Equilibrium",
    "Growth",
    "Market",
    "Measure",
    "MeasureCatalogue",
    "NewLink",
    "ReliabilitySimulation",
    "Scenario",
    "TableMarket",
    "Uncertain",
    "VolumeDelay",
    "Year",
]
