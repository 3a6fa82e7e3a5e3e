"""``/api/compare?scenario=...&year=...``: the congested times of a shipped scenario's year.

The web layer only checks the parameters and presents: the study
:mod:`corridors.studies.compare` computes, and its
:class:`~corridors.studies.compare.CongestedCompare` (one per application, in
``app.state``) keeps each scenario-year so that a compare answers warm in milliseconds.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from corridors.cost.parameters import CostParameters
from corridors.errors import CorridorsError, did_you_mean
from corridors.network import Network
from corridors.scenarios.io import shipped_scenarios
from corridors.studies.compare import (
    CongestedCompare,
    CongestedRoute,
    ScenarioYear,
    YearOutsideScenarioError,
    congested_routes,
)
from corridors.web.errors import ParameterError, parameter_error

CONGESTED_FIELDS = (
    "days_free",
    "days_p50",
    "days_p90",
    "days_mean",
    "queue_h",
    "rationing_h",
    "open_share",
)
"""Fields a congested route adds to the route of the page."""


def congested_cache(request: Request) -> CongestedCompare:
    """The application's scenario-years (created on first use)."""
    cache: CongestedCompare | None = getattr(request.app.state, "congested", None)
    if cache is None:
        cache = CongestedCompare()
        request.app.state.congested = cache
    return cache


def scenario_state(
    request: Request, network: Network, *, scenario: str, year: int | None
) -> ScenarioYear:
    """The scenario-year of a shipped scenario; 404/422 naming ``scenario`` or ``year``."""
    shipped = shipped_scenarios()
    if scenario not in shipped:
        hint = did_you_mean(scenario, shipped) or "shipped: " + ", ".join(shipped)
        raise ParameterError(
            "query", "scenario", f"unknown scenario {scenario!r}; {hint}", status=404
        )
    try:
        return congested_cache(request).named(scenario, year, network=network)
    except YearOutsideScenarioError as exc:
        raise parameter_error("query", "year", exc) from exc
    except CorridorsError as exc:
        raise parameter_error("query", "scenario", exc) from exc


def scenario_routes(
    state: ScenarioYear,
    origin: str,
    destination: str,
    *,
    unit: str,
    vot: float | None,
    carbon_price: float,
) -> tuple[CostParameters, list[CongestedRoute]]:
    """The congested routes of a request and the cost parameters they used."""
    params = state.cost_parameters(unit=unit, vot=vot, carbon_price=carbon_price)
    return params, congested_routes(state, origin, destination, params=params)


def add_congestion(page_route: dict[str, Any], congested: CongestedRoute) -> dict[str, Any]:
    """The page's route (``route_json``) with the congested times and queues added.

    ``days_free``, ``days_p50``, ``days_p90`` (days; ``null`` where an element is over
    capacity), ``queue_h`` and, at a full element, ``shadow_price_usd`` and
    ``rationing_h`` on each leg and stop, the list of ``queues`` and the queue and
    rationing hours in ``time_by_cause_h``.
    """
    data = congested.to_dict()
    for key in ("legs", "stops"):
        for page_item, item in zip(page_route[key], data[key], strict=True):  # type: ignore[call-overload]
            page_item["queue_h"] = item["queue_h"]
            if "shadow_price_usd" in item:
                page_item["shadow_price_usd"] = item["shadow_price_usd"]
                page_item["rationing_h"] = item["rationing_h"]
    page_route |= {k: data[k] for k in CONGESTED_FIELDS}
    page_route["queues"] = data["queues"]
    causes = {**page_route["time_by_cause_h"], "queue": data["queue_h"]}
    if data["rationing_h"]:
        causes["rationing"] = data["rationing_h"]
    page_route["time_by_cause_h"] = causes
    return page_route
