"""Run a scenario: measures and disruptions on the network, routes, corridor split by year.

For every year from the base year to the horizon:

1. the network of that year is built: planned links and nodes open (those a measure
   of the catalogue opens are left to that measure), the measures in force change
   attributes and add links, the scenario's adjustments apply;
2. the year is cut into segments by the disruptions active in it (a Caspian winter
   covers a quarter of a year); closures re-route (links, nodes, sea passages,
   corridors removed), slow-downs add time, money and cut capacity on the routes
   through them;
3. for each market the least-cost route of each corridor is found
   (:func:`corridors.routing.compare`) and its generalised cost per TEU is money +
   value of time x (hours + reliability buffer) + the corridor's risk premium;
4. the market volumes are split by a logit (multinomial, or nested with
   ``behaviour.nests``) with capacity feedback
   (:func:`corridors.scenarios.choice.equilibrium_shares`) and each segment's result
   is weighed by its share of the year. Capacities are per network element and per
   cargo: a tonne capacity limits all cargo, a TEU capacity containers only
   (:func:`element_capacities`, :func:`water_capacities`); they slow traffic
   (volume-delay) or, with ``behaviour.capacity_limits``, are hard limits with a
   shadow price, reported per element in ``ScenarioResult.bottlenecks``.

No I/O: the caller reads the network, scenario and catalogue.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridors.cost.delay import bpr
from corridors.cost.logit import logsum
from corridors.errors import Problem, ScenarioError, UnreachableError, did_you_mean
from corridors.network.geo import great_circle_km
from corridors.network.model import Network
from corridors.routing import ExpandedGraph, Route, build_graph, compare
from corridors.scenarios.choice import SharedElements, equilibrium_shares
from corridors.scenarios.result import (
    BOTTLENECK_COLUMNS,
    CORRIDOR_VOLUME_COLUMNS,
    LINK_FLOW_COLUMNS,
    TRANSIT_TIME_COLUMNS,
    ScenarioResult,
    empty,
)
from corridors.scenarios.spec import (
    Behaviour,
    Change,
    Disruption,
    Measure,
    MeasureCatalogue,
    NewLink,
    Scenario,
)

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Progress callback: ``(done, total)``."""


# --- measures and changes -------------------------------------------------------------------


def resolve_measures(
    scenario: Scenario, catalogue: MeasureCatalogue | None, *, ids: Sequence[str] | None = None
) -> list[Measure]:
    """Measures in force in the scenario (or those named in ``ids``), in order.

    Raises
    ------
    ScenarioError
        If an id is neither in the catalogue nor in the scenario's ``new_measures``.
    """
    pool: dict[str, Measure] = {}
    if catalogue is not None:
        pool.update({m.id: m for m in catalogue.measures})
    pool.update({m.id: m for m in scenario.new_measures})
    wanted = list(scenario.measures if ids is None else ids)
    problems = [
        Problem(scenario.name, None, "measures", mid, "unknown measure", did_you_mean(mid, pool))
        for mid in wanted
        if mid not in pool
    ]
    if problems:
        raise ScenarioError(problems, what=f"scenario {scenario.name!r}")
    return [pool[mid] for mid in wanted]


def _select(frame: pd.DataFrame, change: Change, network: Network) -> np.ndarray:
    n = len(frame)
    mask = np.ones(n, dtype=bool)
    if change.target == "node":
        ids = [network.place(x) for x in ([change.node] if change.node else []) + change.nodes]
        if change.node is not None or change.nodes:
            mask &= frame["node_id"].isin(ids).to_numpy()
        if change.country is not None:
            mask &= (frame["country"] == change.country).to_numpy()
        if change.kind is not None:
            mask &= (frame["kind"] == change.kind).to_numpy()
        return mask
    ids = ([change.link] if change.link else []) + change.links
    if ids:
        mask &= frame["link_id"].isin(ids).to_numpy()
    if change.mode is not None:
        mask &= (frame["mode"] == change.mode).to_numpy()
    if change.corridor is not None:
        mask &= np.array([change.corridor in tags for tags in frame["corridors"]], dtype=bool)
    if change.country is not None:
        country = dict(zip(network.nodes["node_id"], network.nodes["country"], strict=True))
        touch = [
            country.get(a) == change.country or country.get(b) == change.country
            for a, b in zip(frame["from_node_id"], frame["to_node_id"], strict=True)
        ]
        mask &= np.array(touch, dtype=bool)
    return mask


def apply_changes(network: Network, changes: Iterable[Change]) -> Network:
    """The network with attribute changes applied (a copy; ``network`` is unchanged).

    ``set`` writes values, ``scale`` multiplies and ``add`` adds; blank values (a
    capacity that does not bind) stay blank under ``scale`` and ``add``.
    """
    nodes = network.nodes.copy()
    links = network.links.copy()
    for change in changes:
        frame = nodes if change.target == "node" else links
        mask = _select(frame, change, network)
        if not mask.any():
            logger.info("change %s selects nothing", change)
            continue
        for col, value in change.set.items():
            frame.loc[mask, col] = float(value)
        for col, value in change.scale.items():
            frame.loc[mask, col] = frame.loc[mask, col].astype(float) * float(value)
        for col, value in change.add.items():
            frame.loc[mask, col] = frame.loc[mask, col].astype(float) + float(value)
    return network.with_tables(nodes=nodes, links=links)


def add_links(network: Network, new_links: Sequence[NewLink]) -> Network:
    """The network with new (land or ferry) links added.

    A link without ``length`` is as long as the great circle between its ends times
    1.2 (detour factor of land routes).
    """
    if not new_links:
        return network
    nodes = network.nodes
    xy = {
        nid: (float(x), float(y))
        for nid, x, y in zip(nodes["node_id"], nodes["x_coord"], nodes["y_coord"], strict=True)
    }
    rows = []
    for nl in new_links:
        a, b = network.place(nl.from_node_id), network.place(nl.to_node_id)
        data = nl.model_dump()
        data.update(
            from_node_id=a,
            to_node_id=b,
            corridors=tuple(nl.corridors),
            directed=False,
            sea_avoid=(),
            status="operating",
            open_year=math.nan,
            geometry="",
        )
        for key in (
            "length",
            "free_speed",
            "time_h",
            "gauge_mm",
            "tracks",
            "trains_per_day",
            "capacity_teu_yr",
            "capacity_t_yr",
            "sailings_per_week",
        ):
            if data[key] is None:
                data[key] = math.nan
        km = (
            data["length"]
            if not math.isnan(data["length"])
            else 1.2 * great_circle_km(xy[a][0], xy[a][1], xy[b][0], xy[b][1])
        )
        data.update(km=km, passages=(), coords=[xy[a], xy[b]])
        rows.append(data)
    extra = pd.DataFrame(rows)
    links = network.links
    for col in links.columns:
        if col not in extra.columns:
            extra[col] = links[col].iloc[:0].reindex(range(len(extra))).to_numpy()
    merged = pd.concat([links, extra[list(links.columns)]], ignore_index=True)
    return network.with_tables(links=merged)


# --- disruptions over a year ----------------------------------------------------------------


def _intervals(d: Disruption, year: int, horizon_end: dt.date) -> list[tuple[dt.date, dt.date]]:
    end = d.end or horizon_end
    if not d.recurring:
        return [(d.start, end)]
    span = end - d.start
    out = []
    for y in (year - 1, year):
        if y < d.start.year:
            continue
        try:
            s = d.start.replace(year=y)
        except ValueError:  # 29 February
            s = d.start.replace(year=y, day=28)
        out.append((s, s + span))
    return out


def year_segments(
    disruptions: Sequence[Disruption], year: int
) -> list[tuple[float, tuple[Disruption, ...]]]:
    """Cut a year into parts by the disruptions active in each.

    Returns
    -------
    list of (fraction of the year, active disruptions)
        Fractions sum to one; parts with the same active set are merged.
    """
    y0, y1 = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    far = dt.date(9999, 1, 1)
    days = (y1 - y0).days
    cuts = {0, days}
    spans: list[tuple[int, int, int]] = []
    for i, d in enumerate(disruptions):
        for s, e in _intervals(d, year, far):
            a = max((s - y0).days, 0)
            b = min((e - y0).days, days)
            if b > a:
                spans.append((i, a, b))
                cuts.update((a, b))
    edges = sorted(cuts)
    merged: dict[tuple[int, ...], float] = {}
    for a, b in itertools.pairwise(edges):
        mid = (a + b) / 2
        active = tuple(sorted({i for i, s, e in spans if s <= mid < e}))
        merged[active] = merged.get(active, 0.0) + (b - a) / days
    return [(f, tuple(disruptions[i] for i in key)) for key, f in merged.items()]


# --- the run ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Alt:
    """One market's route on one corridor in one network state."""

    corridor: str
    usd: float
    hours: float
    link_ids: tuple[str, ...]
    elements: tuple[tuple[str, float, float], ...] = ()
    link_elements: tuple[tuple[str, str], ...] = ()
    """``(link id, element key)`` of the route's links that are capacitated elements."""


MIN_ELEMENT_H = 1.0
"""Free time given to a capacitated element a route passes in no time, hours (so that
its volume-delay function still bites)."""


CONTAINERS_KEY = "#teu"
"""Suffix of an element's container-only part (its TEU capacity)."""
GENERAL_KEY = "#general"
"""Suffix of a water group's general-cargo part (rail ferries only, not feeders)."""


def _capacities(network: Network, tonnes_per_teu: float) -> tuple[np.ndarray, ...]:
    """TEU and tonne capacities of links and nodes, the tonnes in TEU-equivalents."""
    links, nodes = network.links, network.nodes
    return (
        links["capacity_teu_yr"].to_numpy(dtype=float),
        links["capacity_t_yr"].to_numpy(dtype=float) / tonnes_per_teu,
        nodes["capacity_teu_yr"].to_numpy(dtype=float),
        nodes["capacity_t_yr"].to_numpy(dtype=float) / tonnes_per_teu,
    )


def element_capacities(teu: float, t_eq: float) -> dict[str, float]:
    """Capacities of one node or link by cargo class, TEU (equivalents) a year.

    The tonne capacity limits all cargo (containers count ``tonnes_per_teu`` each);
    the TEU capacity limits containers. Returns ``{"all": ..., "containers": ...}``
    with the classes that have a (binding) limit.
    """
    out: dict[str, float] = {}
    if not math.isnan(t_eq):
        out["all"] = t_eq
    if not math.isnan(teu) and (math.isnan(t_eq) or teu < t_eq):
        out["containers"] = teu
    return out


def water_capacities(
    teu: np.ndarray, t_eq: np.ndarray, *, container_ships: np.ndarray | None = None
) -> dict[str, float]:
    """Capacities of parallel ferry and feeder services across one water, by class.

    A rail ferry carries any cargo up to its tonnes (TEU-equivalents; a ferry with
    only a TEU capacity is taken to carry that many TEU-equivalents) and containers
    up to its TEU capacity. A container ship (``container_ships``: a sea line with a
    TEU capacity and no tonne capacity, e.g. the Caspian feeders) carries
    containers only. So all cargo fits in the ferries' tonnes plus the ships' TEU,
    containers in everyone's TEU, and general cargo in the ferries' tonnes only.
    """
    ships = (
        np.zeros(len(teu), dtype=bool) if container_ships is None else np.asarray(container_ships)
    )
    has_teu = np.isfinite(teu)
    ferry_t = np.where(np.isfinite(t_eq), t_eq, np.where(has_teu, teu, 0.0))
    ferry_t = np.where(ships, 0.0, ferry_t)
    ship_teu = np.where(ships & has_teu, teu, 0.0)
    everything = float(ferry_t.sum() + ship_teu.sum())
    boxes = float(np.where(has_teu, teu, ferry_t).sum())
    general = float(ferry_t.sum())
    out = {"all": everything}
    if boxes < everything:
        out["containers"] = boxes
    if general < everything:
        out["general"] = general
    return out


def _suffix(cargo_class: str) -> str:
    return {"all": "", "containers": CONTAINERS_KEY, "general": GENERAL_KEY}[cargo_class]


def _applies(cargo_class: str, *, containers: bool) -> bool:
    return cargo_class == "all" or (cargo_class == "containers") == containers


def water_groups(
    network: Network, *, tonnes_per_teu: float
) -> dict[str, tuple[str, dict[str, float]]]:
    """Capacitated ferry and sea lines grouped by the water they cross.

    Lines that share a port (Aktau-Alat, Kuryk-Alat, the feeders into Alat) are
    parallel services across the same water: they form one element whose
    capacities are those of :func:`water_capacities`.

    Returns
    -------
    dict of link id to (group name, capacities by cargo class in TEU a year)
    """
    links = network.links
    link_teu, link_t, _, _ = _capacities(network, tonnes_per_teu)
    water = links["mode"].isin(("ferry", "sea")).to_numpy() & (
        np.isfinite(link_teu) | np.isfinite(link_t)
    )
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ships = (links["mode"] == "sea").to_numpy() & ~np.isfinite(link_t)
    idx = np.flatnonzero(water)
    a_ends = links["from_node_id"].to_numpy()
    b_ends = links["to_node_id"].to_numpy()
    for i in idx:
        parent[find(str(a_ends[i]))] = find(str(b_ends[i]))
    members: dict[str, list[int]] = {}
    for i in idx:
        members.setdefault(find(str(a_ends[i])), []).append(int(i))
    out: dict[str, tuple[str, dict[str, float]]] = {}
    lids = links["link_id"].to_numpy()
    for rows in members.values():
        ports = sorted({str(a_ends[r]) for r in rows} | {str(b_ends[r]) for r in rows})
        name = "water:" + "+".join(ports)
        caps = water_capacities(link_teu[rows], link_t[rows], container_ships=ships[rows])
        for r in rows:
            out[str(lids[r])] = (name, caps)
    return out


def route_elements(
    route: Route,
    network: Network,
    *,
    tonnes_per_teu: float,
    containers: bool = True,
    groups: Mapping[str, tuple[str, dict[str, float]]] | None = None,
) -> tuple[tuple[str, float, float], ...]:
    """Capacitated elements a route uses: ``(key, capacity TEU a year, free hours)``.

    A node or link limits all cargo by its tonne capacity (tonnes converted with
    ``tonnes_per_teu``; key ``node:<id>``); a port also limits containers by its TEU
    capacity (key ``node:<id>#teu``), see :func:`element_capacities`; ferry and sea
    lines count as their water group (:func:`water_groups`, with a ``#general`` part
    for cargo that cannot ride container feeders). Land borders, terminals and lines
    keep their tonne capacity only: their TEU figures are per crossing (Dostyk's 760
    TEU/day of transshipment) while one route per corridor and market sends the
    market's whole flow through one crossing, which would queue all China-Europe rail
    at one terminal. Only the parts that apply to the market's cargo (``containers``
    or general) are returned; elements without a capacity are left out.
    """
    _, link_t, node_teu, node_t = _capacities(network, tonnes_per_teu)
    if groups is None:
        groups = water_groups(network, tonnes_per_teu=tonnes_per_teu)
    found: dict[str, list[float]] = {}
    port = (network.nodes["kind"] == "port").to_numpy()

    def node_caps(j: int) -> dict[str, float]:
        return element_capacities(float(node_teu[j]) if port[j] else math.nan, float(node_t[j]))

    def visit(caps: Mapping[str, float], key: str, hours: float) -> None:
        for cls, cap in caps.items():
            if _applies(cls, containers=containers):
                entry = found.setdefault(key + _suffix(cls), [cap, 0.0])
                entry[1] += hours

    for step in route.steps:
        if step.link_id is not None:
            i = network.link_index.get(step.link_id)
            if i is None:
                continue
            group = groups.get(step.link_id)
            if group is not None:
                visit(group[1], group[0], step.hours)
            else:  # a land line: tonnes only
                caps = element_capacities(math.nan, float(link_t[i]))
                visit(caps, f"link:{step.link_id}", step.hours)
        elif step.node_id is not None:
            j = network.node_index.get(step.node_id)
            if j is not None:
                visit(node_caps(j), f"node:{step.node_id}", step.hours)
    for nid in route.node_ids:  # capacitated nodes passed without a stop
        j = network.node_index.get(nid)
        if j is not None:
            visit(node_caps(j), f"node:{nid}", 0.0)
    return tuple((k, cap, max(h, MIN_ELEMENT_H)) for k, (cap, h) in found.items())


def hard_elements(keys: Sequence[str], limits: str, ports: frozenset[str]) -> np.ndarray:
    """Which elements are hard limits under ``Behaviour.capacity_limits``.

    ``hard``: all; ``ports``: ports (nodes in ``ports``) and water crossings (ferries
    and feeders, ``water:...``); ``soft``: none.
    """
    if limits == "hard":
        return np.ones(len(keys), dtype=bool)
    if limits == "soft":
        return np.zeros(len(keys), dtype=bool)
    out = []
    for key in keys:
        kind, _, rest = key.partition(":")
        out.append(kind == "water" or (kind == "node" and rest.partition("#")[0] in ports))
    return np.array(out, dtype=bool)


def nest_index(corridors: Sequence[str], nests: Mapping[str, Sequence[str]]) -> np.ndarray:
    """Nest number of each corridor (corridors in no nest get a nest each)."""
    names: dict[str, int] = {}
    out = []
    for c in corridors:
        nest = next((n for n, members in nests.items() if c in members), f"~{c}")
        out.append(names.setdefault(nest, len(names)))
    return np.array(out, dtype=np.int64)


def _market_volume(scenario: Scenario, market_index: int, year: int) -> float:
    """Volume of a market in a year, TEU."""
    m = scenario.demand.markets[market_index]
    v = m.volume / (scenario.behaviour.tonnes_per_teu if m.unit == "t" else 1.0)
    for y in range(scenario.base_year + 1, year + 1):
        v *= 1.0 + m.growth_by_year.get(y, m.growth)
    return v


def _weighted_percentiles(
    values: np.ndarray, weights: np.ndarray, qs: Sequence[float]
) -> list[float]:
    keep = weights > 0
    if not keep.any():
        return [math.nan] * len(qs)
    v, w = values[keep], weights[keep]
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cdf = np.cumsum(w) / w.sum()
    return [float(v[min(int(np.searchsorted(cdf, q - 1e-12)), len(v) - 1)]) for q in qs]


def _shared_elements(
    e_index: Mapping[str, int],
    e_cap: Sequence[float],
    e_hours: Sequence[float],
    e_use: Sequence[tuple[int, int, int]],
    shape: tuple[int, int],
    *,
    slows: Sequence[Disruption],
    per_market: Sequence[Sequence[_Alt]],
    c_index: Mapping[str, int],
    hard: str = "soft",
    ports: frozenset[str] = frozenset(),
) -> SharedElements:
    """Incidence, capacity and free time of the elements of a year segment.

    A slow-down's ``capacity_factor`` scales the elements of the links it names (and
    their water group), and for a corridor-wide slow-down the elements that only
    that corridor's routes use (a border shared with other corridors keeps its
    capacity).
    """
    n_e = len(e_cap)
    inc = np.zeros((n_e, *shape))
    for e, i, j in e_use:
        inc[e, i, j] = 1.0
    capacity = np.array(e_cap, dtype=float)
    keys = tuple(sorted(e_index, key=e_index.__getitem__))
    for d in slows:
        if d.capacity_factor == 1.0:
            continue
        hit = np.zeros(n_e, dtype=bool)
        for alts in per_market:
            for a in alts:
                for lid, key in a.link_elements:
                    if lid in d.links:
                        hit[e_index[key]] = True
        for c in d.corridors:
            jc = c_index.get(c)
            if jc is None:
                continue
            used_here = inc[:, :, jc].any(axis=1)
            others = np.delete(inc, jc, axis=2).any(axis=(1, 2))
            hit |= used_here & ~others
        capacity[hit] *= d.capacity_factor
    return SharedElements(
        inc, capacity, np.array(e_hours, dtype=float), keys, hard=hard_elements(keys, hard, ports)
    )


class ScenarioRunner:
    """Runs one scenario on one network, caching routes across years and variants.

    Parameters
    ----------
    network : Network
        The network (all years; planned elements included).
    scenario : Scenario
        The scenario.
    catalogue : MeasureCatalogue, optional
        Measures the scenario names.
    measure_ids : sequence of str, optional
        Measures in force instead of the scenario's own (for appraisals).
    reliability : mapping of str to float, optional
        Buffer hours per corridor, overriding the scenario's
        ``reliability_buffer_h`` and, with ``behaviour.reliability: simulate``, the
        simulated buffers (computed once, here).
    """

    def __init__(
        self,
        network: Network,
        scenario: Scenario,
        *,
        catalogue: MeasureCatalogue | None = None,
        measure_ids: Sequence[str] | None = None,
        reliability: Mapping[str, float] | None = None,
    ) -> None:
        self.network = network
        self.scenario = scenario
        self.catalogue = catalogue
        self.measures = resolve_measures(scenario, catalogue, ids=measure_ids)
        owned: set[str] = set()
        for m in catalogue.measures if catalogue else []:
            owned.update(m.open_links)
        for m in scenario.new_measures:
            owned.update(m.open_links)
        self._measure_links = frozenset(owned)
        beh = scenario.behaviour
        simulated: dict[str, float] = {}
        if beh.reliability is not None:
            from corridors.scenarios.reliability import simulated_buffers  # noqa: PLC0415

            simulated = simulated_buffers(network, scenario)
        self._reliability = simulated | dict(reliability or {})
        self.params = beh.cost_parameters()
        self._nets: dict[tuple[object, ...], Network] = {}
        self._alts: dict[tuple[object, ...], list[_Alt]] = {}
        self._graphs: dict[int, ExpandedGraph] = {}
        self._groups: dict[int, dict[str, tuple[str, dict[str, float]]]] = {}
        self._vdf = bpr
        nodes = network.nodes
        self._ports = frozenset(nodes.loc[(nodes["kind"] == "port").to_numpy(), "node_id"])

    # network of a year and state
    def _base_network(self, year: int, in_force: tuple[str, ...]) -> Network:
        net = self.network
        opened = {lk for m in self.measures if m.id in in_force for lk in m.open_links}
        links = net.links
        planned = (links["status"] == "planned").to_numpy()
        held = planned & links["link_id"].isin(self._measure_links - opened).to_numpy()
        promoted = planned & links["link_id"].isin(opened).to_numpy()
        if held.any() or promoted.any():
            lk = links[~held].copy()
            lk.loc[lk["link_id"].isin(opened), "status"] = "operating"
            net = net.with_tables(links=lk)
        net = net.for_year(year)
        changes: list[Change] = []
        new_links: list[NewLink] = []
        for m in self.measures:
            if m.id in in_force:
                changes.extend(m.changes)
                new_links.extend(m.new_links)
        net = add_links(net, new_links)
        return apply_changes(net, [*changes, *self.scenario.adjustments])

    def _network(
        self, year: int, in_force: tuple[str, ...], closures: tuple[Disruption, ...]
    ) -> Network:
        opens = tuple(
            sorted(
                [
                    *self.network.links.loc[
                        (self.network.links["status"] == "planned").to_numpy()
                        & (self.network.links["open_year"].to_numpy(dtype=float) <= year),
                        "link_id",
                    ],
                    *self.network.nodes.loc[
                        (self.network.nodes["status"] == "planned").to_numpy()
                        & (self.network.nodes["open_year"].to_numpy(dtype=float) <= year),
                        "node_id",
                    ],
                ]
            )
        )
        key = (opens, in_force, tuple(d.id for d in closures))
        if key not in self._nets:
            net = self._base_network(year, in_force)
            if closures:
                net = net.with_closed(
                    passages=sorted({p for d in closures for p in d.passages}),
                    links=sorted({x for d in closures for x in d.links} & set(net.link_index)),
                    nodes=sorted({net.place(x) for d in closures for x in d.nodes}),
                    corridors=sorted(
                        {c for d in closures for c in d.corridors} & set(net.corridor_ids)
                    ),
                )
            self._nets[key] = net
        return self._nets[key]

    def _alternatives(
        self,
        year: int,
        in_force: tuple[str, ...],
        closures: tuple[Disruption, ...],
        market_index: int,
    ) -> list[_Alt]:
        net = self._network(year, in_force, closures)
        key = (id(net), market_index)
        if key in self._alts:
            return self._alts[key]
        m = self.scenario.demand.markets[market_index]
        graph = self._graphs.get(id(net))
        if graph is None:
            graph = build_graph(net, self.params)
            self._graphs[id(net)] = graph
        try:
            routes = compare(
                net,
                m.origin,
                m.destination,
                params=self.params,
                corridors=tuple(m.corridors) if m.corridors else None,
                graph=graph,
            )
        except UnreachableError:
            logger.warning("market %s has no route in %d", m.id, year)
            routes = []
        tpt = self.scenario.behaviour.tonnes_per_teu
        groups = self._groups.get(id(net))
        if groups is None:
            groups = water_groups(net, tonnes_per_teu=tpt)
            self._groups[id(net)] = groups
        alts = []
        for r in routes:
            elems = route_elements(
                r, net, tonnes_per_teu=tpt, containers=m.containers, groups=groups
            )
            keys = [k for k, _, _ in elems]
            by_link = tuple(
                (lid, key)
                for lid in r.link_ids
                for base in (groups.get(lid, (f"link:{lid}", {}))[0],)
                for key in keys
                if key.partition("#")[0] == base
            )
            alts.append(_Alt(r.corridor, r.usd, r.hours, r.link_ids, elems, by_link))
        self._alts[key] = alts
        return alts

    def run(
        self,
        *,
        progress: Progress | None = None,
        behaviour: Behaviour | None = None,
        disruptions: Sequence[Disruption] | None = None,
        warn: bool = True,
    ) -> ScenarioResult:
        """Run every year of the scenario and return its tables.

        Parameters
        ----------
        progress : callable, optional
            Called with ``(years done, years)``.
        behaviour : Behaviour, optional
            Behavioural parameters replacing the scenario's (calibration reuses the
            routes found so far); the value of time and tonnes per TEU must not change.
        disruptions : sequence of Disruption, optional
            Disruptions replacing the scenario's (calibration changes surcharges);
            closures must close what the scenario's closures close.
        warn : bool
            Log corridor splits that did not converge (``info["converged"]`` tells
            either way).
        """
        sc = self.scenario
        beh = behaviour or sc.behaviour
        if (
            beh.value_of_time_usd_teu_h != sc.behaviour.value_of_time_usd_teu_h
            or beh.tonnes_per_teu != sc.behaviour.tonnes_per_teu
        ):
            raise ValueError("a behaviour override must keep the value of time and tonnes/TEU")
        buffers = dict(beh.reliability_buffer_h) | self._reliability
        premia = beh.risk_premium_usd_teu
        vot = self.params.vot
        years = sc.years
        cv_rows: list[dict[str, object]] = []
        lf_rows: list[dict[str, object]] = []
        tt_rows: list[dict[str, object]] = []
        mk_rows: list[dict[str, object]] = []
        el_rows: list[dict[str, object]] = []
        max_iter = 0
        max_gap = 0.0
        all_converged = True
        n_markets = len(sc.demand.markets)
        for done, year in enumerate(years):
            in_force = tuple(sorted(m.id for m in self.measures if m.open_year <= year))
            demand = np.array([_market_volume(sc, i, year) for i in range(n_markets)])
            vol: dict[tuple[int, str], float] = {}
            acc: dict[tuple[int, str], np.ndarray] = {}  # weighted cost, hours, usd, weight
            links_acc: dict[str, float] = {}
            tt_items: list[tuple[str, float, float]] = []
            ls_acc = np.zeros(n_markets)
            el_acc: dict[str, np.ndarray] = {}  # flow, capacity, shadow price
            for fraction, active in year_segments(
                sc.disruptions if disruptions is None else disruptions, year
            ):
                closures = tuple(d for d in active if d.closed)
                slows = tuple(d for d in active if not d.closed)
                per_market = [
                    self._alternatives(year, in_force, closures, i) for i in range(n_markets)
                ]
                corridors = sorted({a.corridor for alts in per_market for a in alts})
                c_index = {c: j for j, c in enumerate(corridors)}
                shape = (n_markets, len(corridors))
                usd = np.full(shape, np.inf)
                hours = np.zeros(shape)
                paths: dict[tuple[int, int], tuple[str, ...]] = {}
                e_index: dict[str, int] = {}
                e_cap: list[float] = []
                e_hours: list[float] = []
                e_use: list[tuple[int, int, int]] = []
                for i, alts in enumerate(per_market):
                    for a in alts:
                        j = c_index[a.corridor]
                        h, u = a.hours, a.usd
                        for d in slows:
                            if a.corridor in d.corridors or set(d.links) & set(a.link_ids):
                                h = h * d.time_factor + d.extra_hours
                                u = u + d.extra_usd_teu
                        usd[i, j], hours[i, j] = u, h
                        paths[i, j] = a.link_ids
                        for key, ecap, eh in a.elements:
                            e = e_index.get(key)
                            if e is None:
                                e = e_index[key] = len(e_cap)
                                e_cap.append(ecap)
                                e_hours.append(eh)
                            e_use.append((e, i, j))
                elements = _shared_elements(
                    e_index,
                    e_cap,
                    e_hours,
                    e_use,
                    shape,
                    slows=slows,
                    per_market=per_market,
                    c_index=c_index,
                    hard=beh.capacity_limits,
                    ports=self._ports,
                )
                nests = nest_index(corridors, beh.nests) if beh.nests else None
                buffer = np.array([buffers.get(c, 0.0) for c in corridors])
                premium = np.array([premia.get(c, 0.0) for c in corridors])
                base = usd + vot * (hours + buffer) + premium
                if not corridors:
                    continue
                eq = equilibrium_shares(
                    base,
                    hours,
                    demand,
                    np.full(len(corridors), np.inf),  # capacities are the elements'
                    scale=beh.logit_scale_per_usd,
                    value_of_time=vot,
                    alpha=beh.vdf.alpha,
                    beta=beh.vdf.beta,
                    max_iterations=beh.equilibrium.max_iterations,
                    tolerance=beh.equilibrium.tolerance,
                    method=beh.equilibrium.method,
                    vdf=self._vdf,
                    elements=elements,
                    warn=warn,
                    nests=nests,
                    nest_scale=beh.nest_scale,
                    max_shadow_price=beh.max_shadow_price_usd_teu,
                )
                max_iter = max(max_iter, eq.iterations)
                max_gap = max(max_gap, eq.gap)
                all_converged &= eq.converged
                ls = logsum(
                    eq.cost, scale=beh.logit_scale_per_usd, nests=nests, nest_scale=beh.nest_scale
                )
                for e, key in enumerate(elements.keys):
                    row = el_acc.setdefault(key, np.zeros(3))
                    price = eq.shadow_prices[e] if len(eq.shadow_prices) else 0.0
                    row += fraction * np.array([eq.element_flows[e], elements.capacity[e], price])
                ls_acc += fraction * np.where(np.isfinite(ls), ls, 0.0)
                for (i, j), lids in paths.items():
                    c = corridors[j]
                    v = fraction * demand[i] * eq.shares[i, j]
                    vol[i, c] = vol.get((i, c), 0.0) + v
                    row = acc.setdefault((i, c), np.zeros(4))
                    row += fraction * np.array(
                        [
                            eq.cost[i, j] * eq.shares[i, j],
                            eq.hours[i, j] * eq.shares[i, j],
                            usd[i, j] * eq.shares[i, j],
                            eq.shares[i, j],
                        ]
                    )
                    for lid in lids:
                        links_acc[lid] = links_acc.get(lid, 0.0) + v
                    tt_items.append((c, float(eq.hours[i, j]), v))
            for (i, c), v in sorted(vol.items()):
                m = sc.demand.markets[i]
                cost_w, hours_w, usd_w, w = acc[i, c]
                cv_rows.append(
                    {
                        "year": year,
                        "market": m.id,
                        "corridor": c,
                        "volume_teu": v,
                        "volume_t": v * beh.tonnes_per_teu,
                        "share": v / demand[i] if demand[i] > 0 else 0.0,
                        "cost_usd_teu": cost_w / w if w > 0 else math.nan,
                        "hours": hours_w / w if w > 0 else math.nan,
                        "usd_teu": usd_w / w if w > 0 else math.nan,
                    }
                )
            for i, m in enumerate(sc.demand.markets):
                mk_rows.append(
                    {
                        "year": year,
                        "market": m.id,
                        "volume_teu": float(demand[i]),
                        "logsum_usd_teu": float(ls_acc[i]),
                    }
                )
            lf_rows.extend(
                {"year": year, "link_id": lid, "volume_teu": v}
                for lid, v in sorted(links_acc.items())
            )
            for key, (flow, ecap, price) in sorted(el_acc.items()):
                base, _, part = key.partition("#")
                el_rows.append(
                    {
                        "year": year,
                        "element": base,
                        "cargo": {"teu": "containers", "general": "general"}.get(part, "all"),
                        "volume_teu": flow,
                        "capacity_teu": ecap,
                        "utilisation": flow / ecap if ecap > 0 else math.inf,
                        "shadow_price_usd_teu": price,
                    }
                )
            if tt_items:
                names = np.array([t[0] for t in tt_items])
                hv = np.array([t[1] for t in tt_items])
                wv = np.array([t[2] for t in tt_items])
                for c in ["all", *sorted(set(names))]:
                    sel = np.ones(len(names), bool) if c == "all" else names == c
                    p50, p90, p95 = _weighted_percentiles(hv[sel], wv[sel], (0.5, 0.9, 0.95))
                    total = wv[sel].sum()
                    mean = float((hv[sel] * wv[sel]).sum() / total) if total > 0 else math.nan
                    tt_rows.append(
                        {
                            "year": year,
                            "corridor": c,
                            "p50_h": p50,
                            "p90_h": p90,
                            "p95_h": p95,
                            "mean_h": mean,
                        }
                    )
            if progress is not None:
                progress(done + 1, len(years))
        info: dict[str, float | int | bool | str] = {
            "max_iterations": max_iter,
            "max_gap": max_gap,
            "converged": all_converged,
            "measures": ",".join(m.id for m in self.measures),
        }
        return ScenarioResult(
            corridor_volumes=pd.DataFrame(cv_rows, columns=list(CORRIDOR_VOLUME_COLUMNS))
            if cv_rows
            else empty(CORRIDOR_VOLUME_COLUMNS),
            link_flows=pd.DataFrame(lf_rows, columns=list(LINK_FLOW_COLUMNS))
            if lf_rows
            else empty(LINK_FLOW_COLUMNS),
            transit_times=pd.DataFrame(tt_rows, columns=list(TRANSIT_TIME_COLUMNS))
            if tt_rows
            else empty(TRANSIT_TIME_COLUMNS),
            markets=pd.DataFrame(
                mk_rows, columns=["year", "market", "volume_teu", "logsum_usd_teu"]
            ),
            info=info,
            bottlenecks=pd.DataFrame(el_rows, columns=list(BOTTLENECK_COLUMNS))
            if el_rows
            else empty(BOTTLENECK_COLUMNS),
        )


def run_scenario(
    network: Network,
    scenario: Scenario,
    *,
    catalogue: MeasureCatalogue | None = None,
    measure_ids: Sequence[str] | None = None,
    reliability: Mapping[str, float] | None = None,
    progress: Progress | None = None,
) -> ScenarioResult:
    """Run a scenario: corridor volumes, link flows and transit times by year.

    Parameters
    ----------
    network : Network
        The network (planned elements included; they open by year or by measure).
    scenario : Scenario
        What to run.
    catalogue : MeasureCatalogue, optional
        Measures the scenario names by id.
    measure_ids : sequence of str, optional
        Run with these measures instead of the scenario's own.
    reliability : mapping of corridor to hours, optional
        Reliability buffers (bad case minus median transit time), overriding the
        scenario's.
    progress : callable, optional
        Called with ``(years done, years)``.

    Returns
    -------
    ScenarioResult
    """
    runner = ScenarioRunner(
        network, scenario, catalogue=catalogue, measure_ids=measure_ids, reliability=reliability
    )
    return runner.run(progress=progress)
