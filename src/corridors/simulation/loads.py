"""Offered load of each station and ferry line of a model, by hand.

It needs no simulation run: it is the arithmetic a planner does before simulating, and
what the route choice and the queueing delay functions (:mod:`corridors.cost.queueing`)
are given. :mod:`corridors.simulation.station_load` holds the stations (arrivals,
capacity, utilisation, arrival variability, their delay function) and
:mod:`corridors.simulation.ferry_load` the ferry and feeder lines (decks offered and
lifted, their deck-filling delay); this module keeps their old import path.
"""

from __future__ import annotations

from corridors.simulation.ferry_load import FerryLoad, ferry_loads
from corridors.simulation.station_load import (
    StationLoad,
    departure_scv,
    queue_element,
    station_loads,
)

__all__ = [
    "FerryLoad",
    "StationLoad",
    "departure_scv",
    "ferry_loads",
    "queue_element",
    "station_loads",
]
