"""Build a simulation model from a network, a demand and the routes of each flow.

The engine does not choose routes: the study :mod:`corridors.studies.simulate` does
(the equilibrium assignment, a logit split or the cheapest route) and passes them here.
The route steps become resources (:mod:`~corridors.simulation.resources`), the flows
become shipments (:mod:`~corridors.simulation.shipments`). The demand's flows are read
and checked by :mod:`~corridors.simulation.demand_flows` (re-exported here).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import cast

import pandas as pd

from corridors.errors import DemandError, Problem
from corridors.network.model import Network
from corridors.routing import Route
from corridors.simulation.demand_flows import checked_flows, demand_flows, yard_slot_problems
from corridors.simulation.model import (
    HOURS_PER_YEAR,
    LeftOut,
    ShipmentGenerator,
    SimulationModel,
)
from corridors.simulation.options import BuildOptions, FlowKey, FlowRoutes, RouteShares
from corridors.simulation.resources import ResourceBuilder
from corridors.simulation.results import RunResult, resource_table
from corridors.simulation.shipments import shipment_generators

__all__ = [
    "BuildOptions",
    "FlowKey",
    "build_model",
    "checked_flows",
    "demand_flows",
    "ferry_waits",
    "model_from_routes",
    "tonnes_per_wagon",
    "yard_slot_problems",
]

log = logging.getLogger(__name__)


def build_model(
    network: Network,
    demand: pd.DataFrame,
    *,
    options: BuildOptions | None = None,
    routes: RouteShares | FlowRoutes,
    name: str = "",
) -> SimulationModel:
    """Build a simulation model from a network, an O-D demand and its routes.

    The routes come from outside the engine: the study
    :func:`corridors.studies.simulate.simulation_model` chooses them (equilibrium
    assignment, logit or cheapest) and calls this.

    Parameters
    ----------
    network : Network
        The network (``read_network``).
    demand : pandas.DataFrame
        DEMAND table (:func:`corridors.demand.read_demand`): origin, destination,
        commodity, volume a year, unit (TEU or t), year.
    options : BuildOptions, optional
        Shipment sizes, service-time variability, ferry rule, weather, closures.
    routes : mapping
        Routes and shares per (origin, destination) node-id pair, or per flow
        ``(origin, destination, commodity, unit)``, e.g. from an assignment.
    name : str
        Model name.

    Returns
    -------
    SimulationModel
        Validated model.

    Raises
    ------
    DemandError
        If demand names places the network does not know (with suggestions) or no
        demand row can be routed.
    SimulationModelError
        If the resulting model is invalid (e.g. a ship with negative capacity).
    """
    opt = options or BuildOptions()
    flows, file = checked_flows(network, demand, opt)
    by_key = cast("Mapping[object, Sequence[tuple[Route, float]]]", routes)
    chosen = {
        key: list(by_key[key] if key in by_key else by_key.get((key[0], key[1]), ()))
        for key in flows
    }
    return model_from_routes(network, flows, opt, chosen, file=file, name=name)


def model_from_routes(
    network: Network,
    flows: Mapping[FlowKey, float],
    opt: BuildOptions,
    flow_routes: FlowRoutes,
    *,
    file: str = "demand",
    name: str = "",
    quiet: bool = False,
) -> SimulationModel:
    """Resources and generators of the flows on their routes: the validated model.

    Parameters
    ----------
    network : Network
        The network.
    flows : mapping
        Volume a year of each flow (:func:`demand_flows`).
    opt : BuildOptions
        Shipment sizes, service times, ferries, weather, closures, yards.
    flow_routes : mapping
        Routes and shares of each flow; a flow with none is left out (reported in
        ``SimulationModel.left_out``), as is the share of a route whose ships cannot
        carry its units.
    file, name : str
        Demand file named in errors; model name.
    quiet : bool
        Do not log what was left out (rounds of a route choice).

    Returns
    -------
    SimulationModel
        Validated model.
    """
    builder = ResourceBuilder(network, opt)
    left_out: list[LeftOut] = []
    notes: list[str] = []
    generators: list[ShipmentGenerator] = []
    for key, volume in flows.items():
        o, d, commodity, unit = key
        options_od = [(r, w) for r, w in flow_routes.get(key, ()) if w > 0]
        if not options_od:
            left_out.append(
                LeftOut(
                    o,
                    d,
                    commodity,
                    volume,
                    unit,
                    "no route on the corridors asked for that carries these units",
                )
            )
            continue
        # keep the routes whose ships can carry this commodity's shipments
        usable: list[tuple[list[ShipmentGenerator], float]] = []
        for j, (route, share) in enumerate(options_od):
            tag = f"r{j + 1}" if len(options_od) > 1 else ""
            gens = shipment_generators(
                opt,
                o,
                d,
                commodity=commodity,
                volume=volume,
                unit=unit,
                itinerary=builder.itinerary(route),
                corridor=route.corridor,
                share=1.0,
                tag=tag,
            )
            if all(builder.carried(g) for g in gens):
                usable.append((gens, share))
            else:
                left_out.append(
                    LeftOut(
                        o,
                        d,
                        commodity,
                        volume * share,
                        unit,
                        f"route via {', '.join(route.link_ids)}: no ship of a ferry line on it "
                        "carries these units",
                    )
                )
        total = sum(w for _, w in options_od)
        for gens, share in usable:
            # volume of routes left out is reported, not moved onto the others
            generators.extend(replace(g, per_day=g.per_day * share / total) for g in gens)
    for x in left_out:
        notes.append(
            f"{x.origin}>{x.destination} {x.commodity}: {x.volume:,.0f} {x.unit}/yr "
            f"left out: {x.reason}"
        )
    for note in notes:
        if not quiet:
            log.warning(note)
    if left_out and not quiet:
        totals = ", ".join(
            f"{v:,.0f} {u}"
            for u, v in sorted(
                {
                    x.unit: sum(y.volume for y in left_out if y.unit == x.unit) for x in left_out
                }.items()
            )
        )
        log.warning(
            "%d demand flows (or parts) left out of the simulation: %s a year",
            len(left_out),
            totals,
        )
    if not generators:
        raise DemandError(
            [
                Problem(
                    file,
                    None,
                    None,
                    None,
                    "no demand row could be routed on the corridors asked for"
                    + (f" ({', '.join(opt.corridors)})" if opt.corridors else ""),
                )
            ],
            what=file,
        )
    ids: dict[str, int] = {}
    unique: list[ShipmentGenerator] = []
    for g in generators:  # same O-D and corridor from several rows: keep ids unique
        n = ids.get(g.generator_id, 0)
        ids[g.generator_id] = n + 1
        unique.append(replace(g, generator_id=f"{g.generator_id}#{n + 1}") if n else g)
    model = SimulationModel(
        stations=tuple(builder.stations.values()),
        ferry_lines=tuple(builder.lines.values()),
        generators=tuple(unique),
        weather=builder.weather(),
        closures=tuple(opt.closures),
        horizon_h=opt.days * 24.0,
        warmup_h=opt.warmup_days * 24.0,
        name=name or network.name,
        notes=tuple(notes),
        left_out=tuple(left_out),
        yards=builder.yards(),
    )
    if not quiet:
        ports = {p for f in model.ferry_lines for p in (f.port_a, f.port_b)}
        for node, _ in opt.yard_slots:
            if node not in ports:
                log.warning(
                    "yard_slots: %r is not a port of a ferry line of the model; ignored", node
                )
    return model.validate()


def tonnes_per_wagon(builder: ResourceBuilder, flows: Mapping[FlowKey, float]) -> float:
    """Mean tonnes per rail wagon of the demand's shipments (bulk and container wagons)."""
    tonnes = wagons = 0.0
    for (_, _, commodity, unit), volume in flows.items():
        for g in shipment_generators(
            builder.opt,
            "",
            "",
            commodity=commodity,
            volume=volume,
            unit=unit,
            itinerary=(),
            corridor="",
            share=1.0,
        ):
            n = g.per_day * HOURS_PER_YEAR / 24.0
            if g.wagons > 0:
                tonnes += n * g.tonnes
                wagons += n * g.wagons
    return tonnes / wagons if wagons > 0 else builder.opt.tonnes_per_wagon


def ferry_waits(run: RunResult) -> dict[tuple[str, str], float]:
    """Mean wait for a ship of each ferry line and port in a run, hours.

    The mean wait before a port whose yard was full (``yard:<node>``) is added to
    every line boarding there.

    Returns
    -------
    dict
        ``{(link_id, port node id): mean wait h}`` over the boardings whose wait ended.
    """
    table = resource_table(run)
    out: dict[tuple[str, str], float] = {}
    yard_wait: dict[str, float] = {}
    for node, kind, wait in zip(table["node_id"], table["kind"], table["mean_wait_h"], strict=True):
        if kind == "yard" and math.isfinite(float(wait)):
            yard_wait[str(node)] = float(wait)
    for res, kind, wait in zip(table["resource"], table["kind"], table["mean_wait_h"], strict=True):
        rid = str(res)
        if kind != "ferry" or not rid.startswith("ferry:") or "@" not in rid:
            continue
        w = float(wait)
        if math.isfinite(w):
            port = rid[rid.rindex("@") + 1 :]
            out[(rid[len("ferry:") : rid.rindex("@")], port)] = w + yard_wait.get(port, 0.0)
    return out
