"""``/api/places``, ``/api/network``, ``/api/basemap`` and ``/api/compare``.

The compare answer carries what the page draws: per corridor the totals, the legs with
their geometry, where the time goes (moving, border, transfer, waiting for a service)
and the time-cost-distance profile (cumulative km, days and USD after each step).
"""

from __future__ import annotations

import csv
import enum
import io
from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from corridors.errors import CorridorsError
from corridors.network import Network
from corridors.network.closures import Closures as NamedClosures
from corridors.network.closures import resolve_closures
from corridors.network.places import search_places
from corridors.network.schema import SEA_PASSAGES
from corridors.reports.comparison import comparison_report
from corridors.reports.geojson import feature_collection, line_feature
from corridors.reports.mapview import route_geometry
from corridors.routing import CostParameters, Route, compare
from corridors.studies.compare import CongestedRoute
from corridors.web.cache import Closures, RoutingCache
from corridors.web.congested import add_congestion, scenario_routes, scenario_state
from corridors.web.errors import ParameterError, parameter_error

router = APIRouter(prefix="/api", tags=["compare"])


class Unit(enum.StrEnum):
    """Units a comparison can be expressed in."""

    TEU = "TEU"
    FEU = "FEU"
    TONNE = "tonne"


UNIT_CODES = {Unit.TEU: "TEU", Unit.FEU: "FEU", Unit.TONNE: "t"}

HOURS_PER_DAY = 24.0


def _cache(request: Request) -> RoutingCache:
    cache: RoutingCache = request.app.state.routing
    return cache


@router.get("/places", summary="Places whose name or alias contains the query")
def places(
    request: Request,
    q: Annotated[str, Query(max_length=100, description="What the user typed.")] = "",
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many.")] = 10,
) -> list[dict[str, str]]:
    """Every node whose id, name or an alias matches ``q`` ("Baku" finds Alat and says so)."""
    return [asdict(m) for m in search_places(_cache(request).network, q, limit=limit)]


@router.get("/network", summary="Corridors, sea passages and closable places of the network")
def network_info(request: Request) -> dict[str, Any]:
    """What the page offers in its menus: corridors (with colours), passages, nodes."""
    net = _cache(request).network
    corridors = [
        {"id": c, "name": net.corridor_name(c), "color": net.corridor_color(c)}
        for c in net.corridor_ids
    ]
    nodes = net.nodes
    return {
        "name": net.name,
        "corridors": corridors,
        "passages": list(SEA_PASSAGES),
        "nodes": [
            {"id": str(i), "name": str(n), "kind": str(k), "country": str(c)}
            for i, n, k, c in zip(
                nodes["node_id"], nodes["name"], nodes["kind"], nodes["country"], strict=True
            )
        ],
        "countries": sorted({str(c) for c in nodes["country"]}),
    }


@router.get("/basemap", summary="Country outlines (Natural Earth 1:110m) as GeoJSON")
def basemap(request: Request) -> dict[str, Any]:
    """The shipped base map, drawn under the routes (no tiles, nothing from the internet)."""
    geo: dict[str, Any] = request.app.state.basemap
    return geo


@router.get("/network/links", summary="Every link of the network as GeoJSON")
def network_links(request: Request) -> dict[str, Any]:
    """Link geometry with id, mode and corridors (the run map colours them)."""
    net = _cache(request).network
    links = net.links
    return feature_collection(
        [
            line_feature(
                coords,
                properties={"link_id": str(lid), "mode": str(mode), "corridors": list(tags)},
            )
            for lid, mode, tags, coords in zip(
                links["link_id"], links["mode"], links["corridors"], links["coords"], strict=True
            )
        ],
        name=net.name,
    )


def _place(net: Network, name: str, parameter: str) -> str:
    try:
        return net.place(name)
    except CorridorsError as exc:
        raise parameter_error("query", parameter, exc) from exc


def closures(
    net: Network,
    *,
    close: list[str],
    passages: list[str],
    nodes: list[str],
    links: list[str],
    corridors: list[str],
) -> Closures:
    """Check what a request closes and name the parameter of anything unknown.

    ``close`` takes any name the command line's ``--close`` takes (a passage, a country
    ``RU``, a border ``CN-KZ``, a place, a link), resolved by the library; the other
    lists are the page's checkboxes, one kind each.
    """
    for p in passages:
        if p not in SEA_PASSAGES:
            msg = f"unknown sea passage {p!r}; known: {', '.join(SEA_PASSAGES)}"
            raise ParameterError("query", "close_passage", msg)
    node_ids = [_place(net, n, "close_node") for n in nodes]
    for lid in links:
        if lid not in net.link_index:
            raise ParameterError("query", "close_link", f"unknown link {lid!r}", status=404)
    for c in corridors:
        if c not in net.corridor_ids:
            msg = f"unknown corridor {c!r}; known: {', '.join(net.corridor_ids)}"
            raise ParameterError("query", "close_corridor", msg, status=404)
    try:
        named = resolve_closures(net, close)
    except CorridorsError as exc:
        raise parameter_error("query", "close", exc, status=404) from exc
    return Closures(
        named=NamedClosures(
            passages=tuple(sorted({*named.passages, *passages})),
            countries=tuple(sorted(named.countries)),
            borders=tuple(sorted(named.borders)),
            nodes=tuple(sorted({*named.nodes, *node_ids})),
            links=tuple(sorted({*named.links, *links})),
        ),
        corridors=tuple(sorted(set(corridors))),
    )


def time_by_cause(route: Route) -> dict[str, float]:
    """Hours of a route by cause: moving, border, transfer (and terminals), waiting."""
    out = {"moving": 0.0, "border": 0.0, "transfer": 0.0, "waiting": 0.0}
    for s in route.steps:
        if s.kind == "link":
            out["moving"] += s.hours - s.wait_h
            out["waiting"] += s.wait_h
        elif s.kind == "border":
            out["border"] += s.hours
        else:
            out["transfer"] += s.hours
    return {k: round(v, 2) for k, v in out.items()}


def profile(names: dict[str, str], route: Route) -> list[dict[str, Any]]:
    """Cumulative km, days and USD after each step (the time-cost-distance chart)."""
    km = hours = usd = 0.0
    points: list[dict[str, Any]] = [
        {"km": 0.0, "days": 0.0, "usd": 0.0, "place": names[route.origin], "kind": "start"}
    ]
    for s in route.steps:
        km += s.km
        hours += s.hours
        usd += s.usd
        node = s.to_node_id if s.kind == "link" else s.node_id
        points.append(
            {
                "km": round(km, 1),
                "days": round(hours / HOURS_PER_DAY, 3),
                "usd": round(usd, 1),
                "place": names[str(node)] if node else "",
                "kind": s.kind,
                "mode": s.mode,
            }
        )
    return points


def route_json(net: Network, route: Route) -> dict[str, Any]:
    """A route as the page uses it: totals, legs with names, geometry, breakdowns."""
    names = dict(zip(net.nodes["node_id"], net.nodes["name"], strict=True))
    data = route.to_dict()
    name = net.corridor_name(route.corridor)
    color = net.corridor_color(route.corridor)
    for leg in data["legs"]:  # type: ignore[attr-defined]
        leg["from_name"] = names[leg["from_node_id"]]
        leg["to_name"] = names[leg["to_node_id"]]
    for stop in data["stops"]:  # type: ignore[attr-defined]
        stop["name"] = names[stop["node_id"]]
    data |= {
        "name": name,
        "color": color,
        "time_by_cause_h": time_by_cause(route),
        "profile": profile(names, route),
        "geometry": route_geometry(net, route),
    }
    return data


Origin = Annotated[str, Query(min_length=1, max_length=100, description="Origin place.")]
Destination = Annotated[str, Query(min_length=1, max_length=100, description="Destination place.")]
UnitQ = Annotated[Unit, Query(description="TEU or tonne.")]
YearQ = Annotated[
    int | None,
    Query(
        ge=1990,
        le=2100,
        description="Network year; with a scenario, the scenario's year (default: its base "
        "year; outside its years: 422 naming year).",
    ),
]
ScenarioQ = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="A shipped scenario (e.g. baseline-2024): times with congestion in its "
        "year. Each route then has days_free, days_p50, days_p90 (days), queue_h per leg and "
        "stop (hours), shadow_price_usd where an element is full (USD per unit), and the "
        "list of queues per element. Unknown: 404 naming scenario.",
    ),
]
VotQ = Annotated[
    float | None, Query(ge=0, le=100000, description="Value of time, USD per unit-hour.")
]
CarbonQ = Annotated[float, Query(ge=0, le=10000, description="USD per t CO2e.")]
CloseQ = Annotated[
    list[str],
    Query(description="Anything to close: passage, country (RU), border (CN-KZ), place, link."),
]
PassagesQ = Annotated[list[str], Query(description="Sea passages to close.")]
NodesQ = Annotated[list[str], Query(description="Places (ports, borders...) to close.")]
LinksQ = Annotated[list[str], Query(description="Link ids to close.")]
CorridorsQ = Annotated[list[str], Query(description="Corridors to close.")]


@dataclass(frozen=True)
class Comparison:
    """The routes of one request, with the network variant and parameters they used."""

    network: Network
    params: CostParameters
    routes: list[Route]
    congested: list[CongestedRoute] | None = None
    scenario: str | None = None
    year: int | None = None


def comparison(  # noqa: PLR0917 - FastAPI passes the query parameters by name
    request: Request,
    origin: Origin,
    destination: Destination,
    unit: UnitQ = Unit.TEU,
    year: YearQ = None,
    vot: VotQ = None,
    carbon_price: CarbonQ = 0.0,
    close: CloseQ = [],  # noqa: B006 - FastAPI copies defaults
    close_passage: PassagesQ = [],  # noqa: B006
    close_node: NodesQ = [],  # noqa: B006
    close_link: LinksQ = [],  # noqa: B006
    close_corridor: CorridorsQ = [],  # noqa: B006
    scenario: ScenarioQ = None,
) -> Comparison:
    """The compare request's parameters, checked, and its routes (the graph is cached).

    With ``scenario`` the routes are those of the scenario's year with their congested
    times (:mod:`corridors.web.congested`); closures are the scenario's own.
    """
    cache = _cache(request)
    net = cache.network
    if scenario is not None:
        if close or close_passage or close_node or close_link or close_corridor:
            msg = "closures cannot be combined with a scenario (it sets its own)"
            raise ParameterError("query", "scenario", msg)
        o, d = _place(net, origin, "origin"), _place(net, destination, "destination")
        if o == d:
            msg = f"origin and destination are the same place ({o})"
            raise ParameterError("query", "destination", msg)
        state = scenario_state(request, net, scenario=scenario, year=year)
        params, congested = scenario_routes(
            state, o, d, unit=UNIT_CODES[unit], vot=vot, carbon_price=carbon_price
        )
        routes = [c.route for c in congested]
        return Comparison(state.parts[0][1], params, routes, congested, state.scenario, state.year)
    shut = closures(
        net,
        close=close,
        passages=close_passage,
        nodes=close_node,
        links=close_link,
        corridors=close_corridor,
    )
    o, d = _place(net, origin, "origin"), _place(net, destination, "destination")
    if o in shut.named.nodes:
        raise ParameterError("query", "origin", f"the origin {net.node_name(o)} is closed")
    if d in shut.named.nodes:
        raise ParameterError(
            "query", "destination", f"the destination {net.node_name(d)} is closed"
        )
    if o == d:
        raise ParameterError(
            "query", "destination", f"origin and destination are the same place ({o})"
        )
    params = CostParameters(
        unit=UNIT_CODES[unit], value_of_time_usd_h=vot, carbon_price_usd_t=carbon_price, year=year
    )
    variant, graph = cache.variant(params, shut)
    for node, name in ((o, "origin"), (d, "destination")):
        if node not in variant.node_index:
            msg = f"the {name} {net.node_name(node)} is closed (in a closed country)"
            raise ParameterError("query", name, msg)
    routes = compare(variant, o, d, params=graph.params, graph=graph)
    return Comparison(variant, graph.params, routes)


Compared = Annotated[Comparison, Depends(comparison)]


@router.get(
    "/compare",
    summary="Door-to-door routes per corridor between two places",
    response_class=JSONResponse,
)
def compare_json(c: Compared) -> JSONResponse:
    """Cheapest route on each corridor: days, USD, kg CO2e, km, borders, transfers, legs.

    The answer is already plain JSON data, so it is sent as it is (no re-encoding).
    """
    net, first = c.network, c.routes[0]
    routes = [route_json(net, r) for r in c.routes]
    body: dict[str, Any] = {
        "origin": {"id": first.origin, "name": net.node_name(first.origin)},
        "destination": {"id": first.destination, "name": net.node_name(first.destination)},
        "unit": c.params.unit,
        "value_of_time_usd_h": c.params.vot,
        "routes": routes,
        "times": "free-flow",
    }
    if c.congested is not None:
        body |= {"times": "congested", "scenario": c.scenario, "year": c.year}
        for page_route, congested in zip(routes, c.congested, strict=True):
            add_congestion(page_route, congested)
    return JSONResponse(body)


@router.get("/compare.csv", summary="The comparison table as CSV", response_class=PlainTextResponse)
def compare_csv(c: Compared) -> PlainTextResponse:
    """One row per corridor with the totals (the table of the page)."""
    fields: tuple[str, ...] = ("corridor", "days", "usd", "kg_co2e", "km", "borders")
    fields = (*fields, "transfers", "unit")
    if c.congested is not None:
        fields = (*fields, "days_free", "days_p50", "days_p90", "queue_h")
    rows = [r.to_dict() for r in c.congested or c.routes]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return PlainTextResponse(
        buf.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="compare.csv"'},
    )


@router.get(
    "/compare/report.html",
    summary="The comparison as a self-contained HTML report",
    response_class=HTMLResponse,
)
def compare_report(c: Compared) -> HTMLResponse:
    """The same file as ``corridors report compare`` writes."""
    return HTMLResponse(
        comparison_report(c.network, c.routes, params=c.params),
        headers={"Content-Disposition": 'attachment; filename="compare.html"'},
    )
