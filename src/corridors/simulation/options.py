"""How a network and a demand become a simulation model: the options, written once.

:class:`BuildOptions` holds the shipment sizes, service-time variability, ferry rules,
weather, closures and yards of :func:`corridors.simulation.build_model`, and how the
study :mod:`corridors.studies.simulate` chooses the routes (``route_choice`` and the
fields after it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from corridors.cost.element_queues import (
    CASPIAN_BBOX,
    FERRY_EMPTY_WAIT_H,
    FERRY_MAX_WAIT_H,
    GROUP_WAGONS,
    KNOTS_KM_H,
    SECTION_PATHS_PER_DAY,
    SHIPMENT_TEU,
    STORM_MEAN_H,
    TEU_PER_WAGON,
    TRAIN_WAGONS,
    WAGON_T,
)
from corridors.routing import Route
from corridors.simulation.model import ArrivalProcess, Closure, Departure, WeatherArea
from corridors.simulation.weather import CASPIAN_STORM_DAYS

__all__ = [
    "CASPIAN_BBOX",
    "KNOTS_KM_H",
    "BorderTime",
    "BuildOptions",
    "FlowKey",
    "FlowRoutes",
    "RouteChoice",
    "RouteShares",
]

RouteShares = Mapping[tuple[str, str], Sequence[tuple[Route, float]]]
"""Routes of each (origin, destination) node-id pair with the share of volume on each."""

FlowKey = tuple[str, str, str, str]
"""(origin node id, destination node id, commodity, unit) of a demand flow."""

FlowRoutes = Mapping[FlowKey, Sequence[tuple[Route, float]]]
"""Routes of each demand flow with the share of its volume on each."""

RouteChoice = Literal["cheapest", "logit", "equilibrium"]
BorderTime = Literal["sojourn", "service"]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How a network and a demand become a simulation model.

    Attributes
    ----------
    days : float
        Simulated days.
    warmup_days : float
        Days left out of the statistics at the start.
    corridors : tuple of str, optional
        Route each O-D pair on the cheapest of these corridors (default: the
        cheapest route of all); pairs with no such route are left out (logged).
    teu_per_train, wagons_per_train : float, int
        Size of a container block train (TEU, wagons).
    block_train_share : float
        Share of container TEU running in block trains; the rest in wagon groups.
    wagons_per_group : int
        Wagons in a wagon group.
    tonnes_per_wagon : float
        Payload of a bulk wagon, t.
    teu_per_wagon : float
        TEU on a container wagon.
    tonnes_per_teu : float
        Payload of a TEU, t (converts container demand given in tonnes).
    tonnes_per_truck : float
        Payload of a truck, t.
    block_train_arrivals, wagon_group_arrivals, truck_arrivals : str
        ``timetable`` (evenly spaced) or ``poisson``.
    border_cv, handling_cv : float
        Coefficient of variation of border clearance (lognormal) and of handling
        and gauge change (gamma) times.
    section_paths_per_day : float
        Train paths a day on a single-track link with no ``trains_per_day``.
    ferry_departure : str
        ``when_full`` or ``timetable`` (headway from the link's ``headway_h`` or
        ``sailings_per_week``).
    ferry_max_wait_h, ferry_empty_wait_h : float
        Maximum wait at berth after the first unit boarded, and before an empty
        ship repositions, hours.
    ferry_berths : int
        Berths per ferry port and line.
    storm_days_per_month : tuple of 12 float
        Storm days per month on the Caspian.
    storm_mean_h : float
        Mean length of a storm closure, hours. Default 96 h: ASCO halts ~3-5 days
        per storm event (corridor-facts.md, "Caspian weather"), the middle of it.
    weather : tuple of WeatherArea, optional
        Weather areas (default: one Caspian area with the ports of every ferry line
        inside :data:`CASPIAN_BBOX`; ``()`` for none).
    closures : tuple of Closure
        Maintenance windows on nodes, links, stations or ferry lines.
    year : int, optional
        Use only demand rows of this year.
    route_choice : str
        ``cheapest`` or ``logit`` (see :func:`routes_for_demand`), or
        ``equilibrium``: routes and shares of the capacity-constrained equilibrium
        assignment of the same demand (see :func:`equilibrium_routes`).
    k_routes : int
        Alternatives per corridor for ``logit``.
    logit_scale_usd : float
        Spread of the logit, USD per TEU.
    equilibrium_gap : float
        Relative gap the equilibrium assignment is solved to (``equilibrium``).
    fleet_capacity : bool
        ``equilibrium``: a ferry or feeder link with ships in ``vessel.csv`` gets,
        per direction, the capacity its fleet can lift in a year (see
        :meth:`_Builder.fleet_capacity_t`) instead of the link's
        ``capacity_t_yr``, so the route choice sees the capacity the simulation has.
    station_capacity : bool
        ``equilibrium``: every station with finite servers the routes load (a
        single-track section per direction, gauge-change tracks, inspection lanes,
        cranes) is a capacity group of the route choice with the capacity the
        simulation gives it (servers x 24 / mean service time, shipments a day, times
        the mean tonnes of its shipments), so the equilibrium does not send more
        trains to a crossing than it can serve.
    target_utilisation : float
        ``station_capacity``: utilisation of those stations at which the route
        choice's delay starts to climb steeply (a wall just above it).
    feedback_rounds : int
        ``equilibrium``: rounds of simulation feedback. Each round simulates the
        model once, takes the mean wait for a ship at each ferry port, averages it
        with the earlier rounds (method of successive averages) and assigns again
        with that wait added to the ferry link, so the route choice sees the queues
        the fleet really produces (the BPR delay of the assignment is a guess for
        roads, not ferries). 0: no feedback.
    feedback_seed : int
        Seed of the feedback runs (round ``n`` uses ``SeedSequence([seed, n])``).
    border_time : str
        What a node's ``border_h`` is. ``sojourn`` (default): the whole time at the
        crossing, queue included, as the CAREC CPMM averages are measured; the
        border station then has no server limit (a random delay of mean
        ``border_h``), so no queue is added on top; border capacity acts in the
        route choice (``equilibrium``). ``service``: the clearance time at one of
        the node's lanes (``berths``, else from ``trains_per_day``); queueing
        comes on top.
    yard_slots : tuple of (str, int)
        Port yard capacities ``(node id, slots)`` (wagons or TEU) that replace the
        node table's ``yard_slots``; a port with neither has an unlimited yard.
    port_handling_h : float, optional
        Handling time at a port where a ship is boarded or left, hours. Default 8 h
        (ferry handling 6-8 h, SEANEWS-2021 in corridor-facts.md): the node's
        ``handling_h`` may include the wait for ferry space, which the simulation
        produces itself. ``None``: the node's ``handling_h``. A node's ``service_h``
        (the service time of its berths) comes first.
    """

    days: float = 365.0
    warmup_days: float = 0.0
    corridors: tuple[str, ...] | None = None
    teu_per_train: float = SHIPMENT_TEU
    wagons_per_train: int = TRAIN_WAGONS
    block_train_share: float = 1.0
    wagons_per_group: int = GROUP_WAGONS
    tonnes_per_wagon: float = WAGON_T
    teu_per_wagon: float = TEU_PER_WAGON
    tonnes_per_teu: float = 10.0
    tonnes_per_truck: float = 20.0
    block_train_arrivals: ArrivalProcess = "poisson"
    wagon_group_arrivals: ArrivalProcess = "poisson"
    truck_arrivals: ArrivalProcess = "poisson"
    border_cv: float = 0.8
    handling_cv: float = 0.5
    section_paths_per_day: float = SECTION_PATHS_PER_DAY
    ferry_departure: Departure = "when_full"
    ferry_max_wait_h: float = FERRY_MAX_WAIT_H
    ferry_empty_wait_h: float = FERRY_EMPTY_WAIT_H
    ferry_berths: int = 1
    storm_days_per_month: tuple[float, ...] = CASPIAN_STORM_DAYS
    storm_mean_h: float = STORM_MEAN_H
    weather: tuple[WeatherArea, ...] | None = None
    closures: tuple[Closure, ...] = ()
    year: int | None = None
    route_choice: RouteChoice = "cheapest"
    k_routes: int = 3
    logit_scale_usd: float = 300.0
    equilibrium_gap: float = 1e-4
    fleet_capacity: bool = True
    station_capacity: bool = True
    target_utilisation: float = 0.85
    feedback_rounds: int = 0
    feedback_seed: int = 0
    border_time: BorderTime = "sojourn"
    port_handling_h: float | None = 8.0
    yard_slots: tuple[tuple[str, int], ...] = ()
