"""The year solver: a network state, its markets and routes -> the constrained equilibrium.

For one year (or the part of a year with the same disruptions) the markets' volumes
``d_m`` (TEU a year) are split over their routes ``r`` (each labelled with its corridor
``c(r)``) by a logit, nested by the corridors' nests, on the generalised cost

``G_mr = usd_mr + VoT_m (t_mr + b_c) + ASC_c - ln(PS_mr) / theta``

(value of time ``VoT_m`` of the market or segment, reliability buffer ``b_c``, corridor
constant ``ASC_c``, path size ``PS_mr`` of the route among its corridor's routes), with
the queue delay of every element below capacity and a shadow price at capacity
(:func:`corridors.scenarios.choice.equilibrium_shares`). ``run``, ``forecast``,
``sweep``, ``calibrate`` (through :class:`corridors.scenarios.model.ScenarioRunner`)
and ``assign`` on a corridor network call :func:`solve_year`. No I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridors.cost.element_delays import ElementDelays
from corridors.cost.logit import logsum
from corridors.network.model import Network
from corridors.scenarios.arrival_chains import route_streams
from corridors.scenarios.choice import equilibrium_shares
from corridors.scenarios.elements import RouteOption
from corridors.scenarios.equilibrium import Equilibrium
from corridors.scenarios.path_sizes import route_path_sizes
from corridors.scenarios.rationing import rationed_equilibrium
from corridors.scenarios.spec import Behaviour, Disruption
from corridors.scenarios.supply import SharedElements
from corridors.scenarios.year_elements import element_delays, shared_elements

__all__ = ["YearEquilibrium", "nest_index", "solve_year"]

FloatArray = NDArray[np.float64]
DelaysOf = Callable[[tuple[str, ...]], ElementDelays]
"""Queue delays of the elements named (cached by the caller)."""
ARRIVALS_GAP = 1e-2
"""Share gap of the equilibrium at whose split the queues' arrival variability is first
taken (:mod:`corridors.scenarios.arrival_chains`); it is taken again at each tenth of the
gap and at each converged split until it no longer moves
(:func:`~corridors.scenarios.choice.equilibrium_shares`' ``renew``)."""


def nest_index(corridors: Sequence[str], nests: Mapping[str, Sequence[str]]) -> np.ndarray:
    """Nest number of each corridor (corridors in no nest get a nest each)."""
    names: dict[str, int] = {}
    out = []
    for c in corridors:
        nest = next((n for n, members in nests.items() if c in members), f"~{c}")
        out.append(names.setdefault(nest, len(names)))
    return np.array(out, dtype=np.int64)


@dataclass(frozen=True)
class YearEquilibrium:
    """The equilibrium of one network state.

    Attributes
    ----------
    columns : tuple of str
        Corridor of each route column (a corridor has as many columns as its most
        routes in any market).
    options : tuple of tuple of (RouteOption or None)
        Per market, the route in each column (``None``: the market has no such route).
    demand : array (markets,)
        Volume of each market, TEU a year.
    usd : array (markets, columns)
        Money cost of each route, USD per TEU (after slow-downs).
    equilibrium : Equilibrium
        Shares, costs (shadow prices included), congested hours, element flows,
        shadow prices, queue hours, iterations and gap. Where elements stayed above
        capacity at the price cap (``over_capacity``) the shares and flows are those
        after rationing (:func:`corridors.scenarios.rationing.rationed_equilibrium`):
        a market's shares then sum to less than one, :meth:`rationed` lists what it
        lost and the rationed element's shadow price is 0 (a quota holds it).
    elements : SharedElements
        The elements (keys, capacities after slow-downs, incidence).
    logsum : array (markets,)
        Expected generalised cost of each market, USD per TEU.
    """

    columns: tuple[str, ...]
    options: tuple[tuple[RouteOption | None, ...], ...]
    demand: FloatArray
    usd: FloatArray
    equilibrium: Equilibrium
    elements: SharedElements
    logsum: FloatArray

    @property
    def route_flows(self) -> FloatArray:
        """Volume on each route, TEU a year (markets x columns)."""
        return np.asarray(self.demand[:, None] * self.equilibrium.shares, dtype=np.float64)

    def corridor_flows(self) -> dict[str, float]:
        """Volume on each corridor, TEU a year."""
        flows = self.route_flows.sum(axis=0)
        out: dict[str, float] = {}
        for c, v in zip(self.columns, flows, strict=True):
            out[c] = out.get(c, 0.0) + float(v)
        return out

    def rationed(self) -> list[tuple[int, float, tuple[str, ...]]]:
        """``(market, volume, elements)`` of the demand a full element could not pass.

        Volume in TEU a year: the market's demand times the share its routes lost to
        :func:`corridors.scenarios.rationing.ration`; the elements are those above
        capacity at the price cap that the market's routes pass.
        """
        eq = self.equilibrium
        if not eq.over_capacity:
            return []
        out = []
        for i, row in enumerate(self.options):
            lost = float(self.demand[i] * (1.0 - eq.shares[i].sum()))
            if not any(o is not None for o in row) or lost <= 1e-9 * max(self.demand[i], 1.0):
                continue
            keys = tuple(
                self.elements.keys[e]
                for e in eq.over_capacity
                if bool((self.elements.use[e][i] > 0.0).any())
            )
            out.append((i, lost, keys))
        return out

    def element_table(self) -> list[tuple[str, float, float, float, float]]:
        """``(key, flow, capacity, shadow price, queue hours)`` of each element."""
        eq = self.equilibrium
        return [
            (
                key,
                float(eq.element_flows[e]),
                float(self.elements.capacity[e]),
                float(eq.shadow_prices[e]) if len(eq.shadow_prices) else 0.0,
                float(eq.queue_h[e]) if len(eq.queue_h) else 0.0,
            )
            for e, key in enumerate(self.elements.keys)
        ]


def _columns(per_market: Sequence[Sequence[RouteOption]]) -> tuple[tuple[str, ...], list[int]]:
    """Corridor of each column and the first column of each corridor (sorted corridors)."""
    most: dict[str, int] = {}
    for alts in per_market:
        count: dict[str, int] = {}
        for a in alts:
            count[a.corridor] = count.get(a.corridor, 0) + 1
        for c, n in count.items():
            most[c] = max(most.get(c, 0), n)
    columns = tuple(c for c in sorted(most) for _ in range(most[c]))
    return columns, [columns.index(c) for c in sorted(most)]


def solve_year(
    per_market: Sequence[Sequence[RouteOption]],
    demand: FloatArray,
    behaviour: Behaviour,
    *,
    network: Network | None = None,
    slows: Sequence[Disruption] = (),
    buffers: Mapping[str, float] | None = None,
    ports: frozenset[str] = frozenset(),
    delays: DelaysOf | None = None,
    value_of_time: FloatArray | None = None,
    class_scale: FloatArray | None = None,
    warn: bool = True,
    path_sizes: MutableMapping[Hashable, FloatArray] | None = None,
) -> YearEquilibrium | None:
    """The capacity-constrained stochastic equilibrium of one network state.

    Parameters
    ----------
    per_market : sequence of sequence of RouteOption
        Routes of each market (:func:`corridors.scenarios.route_sets.market_routes`).
    demand : array (markets,)
        Volume of each market, TEU a year.
    behaviour : Behaviour
        Value of time, logit and nests, constants, capacity limits, averaging.
    network : Network, optional
        The network state, for the elements' queues (``capacity_limits: all``; without
        it or ``delays`` the elements have no queue).
    slows : sequence of Disruption
        Slow-downs active (time factor, extra hours and money, capacity factor).
    buffers : mapping of corridor to hours, optional
        Reliability buffers (default: the behaviour's).
    ports : frozenset of str
        Port node ids (``capacity_limits: ports``).
    delays : callable, optional
        Queue delays of the element keys (a cache); default
        :func:`~corridors.scenarios.year_elements.element_delays` of ``network``.
    value_of_time : array (markets,), optional
        Value of time of each market, USD per TEU(-equivalent)-hour (segments of a
        market worth more or less per hour); default the behaviour's, for every market.
    class_scale : array (markets,), optional
        Logit scale of each market as a multiple of the behaviour's (its cargo class's
        ``behaviour.class_scale``); default 1.
    warn : bool
        Log when the equilibrium does not converge.
    path_sizes : mutable mapping, optional
        Path sizes of route sets already solved (a cache shared by the runs of a
        forecast, whose samples often find the same routes;
        :func:`~corridors.scenarios.path_sizes.route_path_sizes`).

    Returns
    -------
    YearEquilibrium or None
        ``None`` when no market has a route.
    """
    columns, first = _columns(per_market)
    if not columns:
        return None
    beh = behaviour
    n_markets = len(per_market)
    shape = (n_markets, len(columns))
    usd = np.full(shape, np.inf)
    hours = np.zeros(shape)
    options: list[list[RouteOption | None]] = [[None] * len(columns) for _ in per_market]
    e_index: dict[str, int] = {}
    e_cap: list[float] = []
    e_hours: list[float] = []
    e_use: list[tuple[int, int, int]] = []
    start = dict(zip(sorted(set(columns)), first, strict=True))
    reference_vot = beh.cost_parameters().vot
    vot = (
        np.full(n_markets, reference_vot)
        if value_of_time is None
        else np.asarray(value_of_time, dtype=np.float64)
    )
    # a risk premium (extra_usd_basis "value") is paid in proportion to the cargo's value,
    # measured by its value of time against that of the behaviour's TEU of containers
    value_share = vot / reference_vot
    for i, alts in enumerate(per_market):
        taken: dict[str, int] = {}
        for a in alts:
            j = start[a.corridor] + taken.get(a.corridor, 0)
            taken[a.corridor] = taken.get(a.corridor, 0) + 1
            h, u = a.hours, a.usd
            for d in slows:
                if a.corridor in d.corridors or set(d.links) & set(a.link_ids):
                    h = h * d.time_factor + d.extra_hours
                    u = u + d.surcharge_usd_teu(value_share[i])
            usd[i, j], hours[i, j] = u, h
            options[i][j] = a
            for key, ecap, eh in a.elements:
                e = e_index.get(key)
                if e is None:
                    e = e_index[key] = len(e_cap)
                    e_cap.append(ecap)
                    e_hours.append(eh)
                e_use.append((e, i, j))
    queues = None
    if beh.capacity_limits == "all":
        keys = tuple(sorted(e_index, key=e_index.__getitem__))
        if delays is not None:
            queues = delays(keys)
        elif network is not None:
            queues = element_delays(network, keys)
    elements = shared_elements(
        e_index,
        e_cap,
        e_hours,
        e_use,
        shape,
        slows=slows,
        per_market=per_market,
        columns=columns,
        hard=beh.capacity_limits,
        ports=ports,
        queues=queues,
    )
    buffer_of = dict(beh.reliability_buffer_h) if buffers is None else dict(buffers)
    nests = nest_index(columns, beh.nests) if beh.nests else None
    buffer = np.array([buffer_of.get(c, 0.0) for c in columns])
    premium = np.array([beh.risk_premium_usd_teu.get(c, 0.0) for c in columns])
    scale = beh.logit_scale_per_usd
    # a market of a class with its own scale k chooses on k x its cost at the one scale:
    # counted in units of k TEU-equivalents (demand / k, each using k of an element), the
    # shadow prices stay USD per TEU-equivalent and the element flows are unchanged; the
    # surcharges of disruptions (freight-rate spikes, risk premia) are money, paid in full
    # per TEU-equivalent; the corridor constants are utility per TEU of containers at the
    # one scale, so such a class pays them / k
    k = np.ones(n_markets) if class_scale is None else np.asarray(class_scale, dtype=np.float64)
    base = k[:, None] * (usd + vot[:, None] * (hours + buffer)) + premium
    ps = route_path_sizes(options, shape, path_sizes)
    base = base - np.log(ps) / scale

    scaled = elements
    if elements is not None and bool((k != 1.0).any()):
        scaled = elements.in_units(k)
    streams = (
        route_streams(per_market, columns, e_index, queues.queues) if queues is not None else None
    )
    renew = None
    if streams is not None and elements is not None and queues is not None:
        unscaled = elements
        current = queues

        def renew(shares: FloatArray) -> SharedElements | None:
            # the queues' arrival variability at this split (None: it moved no cv)
            nonlocal elements, current
            better = streams.delays(current, unscaled, demand, shares)
            if better is None:
                return None
            current = better
            elements = dataclasses.replace(unscaled, queues=better)
            return elements.in_units(k) if bool((k != 1.0).any()) else elements

    eq = equilibrium_shares(
        base,
        hours,
        demand / k,
        np.full(len(columns), np.inf),  # capacities are the elements'
        scale=scale,
        value_of_time=vot,
        alpha=beh.vdf.alpha,
        beta=beh.vdf.beta,
        max_iterations=beh.equilibrium.max_iterations,
        tolerance=beh.equilibrium.tolerance,
        method=beh.equilibrium.method,
        anderson_from_gap=beh.equilibrium.anderson_from_gap,
        elements=scaled,
        warn=warn,
        nests=nests,
        nest_scale=beh.nest_scale,
        max_shadow_price=beh.max_shadow_price_usd_teu,
        renew=renew,
        renew_gap=ARRIVALS_GAP,
    )
    ls = logsum(eq.cost, scale=scale, nests=nests, nest_scale=beh.nest_scale) / k
    if bool((k != 1.0).any()):  # back to USD and hours per TEU-equivalent
        eq = dataclasses.replace(
            eq,
            cost=eq.cost / k[:, None],
            hours=hours + (eq.hours - hours) / k[:, None],
            flows=(demand[:, None] * eq.shares).sum(axis=0),
        )
    if elements is not None:  # elements no price relieves: rationed
        eq = rationed_equilibrium(eq, elements, demand)
    return YearEquilibrium(
        columns,
        tuple(tuple(row) for row in options),
        np.asarray(demand, dtype=np.float64),
        usd,
        eq,
        elements,
        np.asarray(ls, dtype=np.float64),
    )
