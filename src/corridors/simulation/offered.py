"""What the offered loads of stations and ferry lines share: rates and closed hours.

A generator's shipments a day and the hours each station, node, link or port is closed
over the horizon (planned closures and the expected storms of a weather area) and the
storms month by month at a port (:func:`storm_season`), used by
:mod:`corridors.simulation.station_load` and :mod:`corridors.simulation.ferry_load`.
"""

from __future__ import annotations

from collections.abc import Collection

from corridors.simulation.model import ShipmentGenerator, SimulationModel
from corridors.simulation.weather import DAYS_IN_MONTH, expected_closed_hours


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


def storm_season(
    model: SimulationModel, ports: Collection[str], *, shut_h: float
) -> tuple[tuple[float, ...], float, float]:
    """The storms of the first weather area over ``ports``, month by month.

    Parameters
    ----------
    model : SimulationModel
        The model (its weather areas and horizon).
    ports : collection of str
        Node ids of the ports.
    shut_h : float
        Expected closed hours over the horizon, storms included (:func:`closed_hours`).

    Returns
    -------
    tuple
        The open share of each month (its storm days and the planned closures' share of
        the horizon off), the mean storm, hours, and its coefficient of variation
        (0 and 0 without storms).
    """
    storms = [w for w in model.weather if any(p in w.ports for p in ports)]
    event_h = storms[0].mean_event_h if storms else 0.0
    event_cv = storms[0].event_cv if storms else 0.0
    planned = (
        shut_h - sum(expected_closed_hours(w, horizon_h=model.horizon_h) for w in storms[:1])
    ) / model.horizon_h
    monthly = tuple(
        max(
            1.0
            - (storms[0].storm_days_per_month[m] if storms else 0.0) / DAYS_IN_MONTH[m]
            - max(planned, 0.0),
            1e-6,
        )
        for m in range(12)
    )
    return monthly, event_h, event_cv
