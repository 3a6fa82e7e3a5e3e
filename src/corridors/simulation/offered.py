"""What the offered loads of stations and ferry lines share: rates and closed hours.

A generator's shipments a day and the hours each station, node, link or port is closed
over the horizon (planned closures and the expected storms of a weather area), used by
:mod:`corridors.simulation.station_load` and :mod:`corridors.simulation.ferry_load`.
"""

from __future__ import annotations

from corridors.simulation.model import ShipmentGenerator, SimulationModel
from corridors.simulation.weather import expected_closed_hours


def offered_per_day(g: ShipmentGenerator, *, horizon_h: float) -> float:
    """Shipments a day ``g`` sends: its mean rate, or its explicit times over the horizon."""
    return g.per_day if g.arrivals != "times" else len(g.times_h) * 24.0 / horizon_h


def closed_hours(model: SimulationModel) -> dict[str, float]:
    """Expected closed hours over the horizon of each closure target and storm port."""
    out: dict[str, float] = {}
    for c in model.closures:
        span = max(0.0, min(c.end_h, model.horizon_h) - max(c.start_h, 0.0))
        out[c.target] = out.get(c.target, 0.0) + span
    for area in model.weather:
        hours = expected_closed_hours(area, horizon_h=model.horizon_h)
        for port in area.ports:
            out[port] = out.get(port, 0.0) + hours
    return out
