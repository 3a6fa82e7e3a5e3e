"""The network of each year and state of a scenario: measures, adjustments, closures.

For a year, the network is built in three layers:

1. :class:`MeasuredNetworks`: planned links and nodes open by their own date (those a
   measure of the catalogue opens wait for that measure), and the measures in force
   change attributes and add links. It depends on the network and the measures only,
   so the runs of a sweep or forecast (whose samples change adjustments, behaviour and
   demand, never measures) share one per worker process
   (:func:`corridors.scenarios.sweep.evaluate`);
2. :class:`NetworkStates`: the scenario's adjustments (and a sample's) applied;
3. the closures of the disruptions active in a part of the year.

Each layer caches its networks: a year whose planned openings and measures are those of
an earlier year gets the same network object, so that routes, graphs and queues keyed by
the network are reused. The runs sharing a :class:`MeasuredNetworks` also share the
queue delays of equal queues (:meth:`MeasuredNetworks.queue_delays`: a ferry line's
waits, costly to evaluate, are remembered across a forecast's samples), and what is
derived from the capacities and servers of network states that differ only in the
columns that price a route (:data:`COST_COLUMNS`: a forecast's border times and
charges, tariffs and speeds): their capacitated elements and queues
(:meth:`NetworkStates.structure`, :meth:`MeasuredNetworks.shared`). No I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar, cast

from corridors.bounded_cache import made_once, make_room
from corridors.cost.element_delays import ElementDelays
from corridors.cost.element_queues import AnyQueue
from corridors.network.model import Network
from corridors.scenarios.measures import add_links, apply_changes, resolve_measures
from corridors.scenarios.spec import (
    Change,
    Disruption,
    Measure,
    MeasureCatalogue,
    NewLink,
    Scenario,
)

__all__ = ["MeasuredNetworks", "NetworkStates", "measures_key", "run_measures"]

KEPT_QUEUES = 64
"""Sets of element queues (and ferry lines) whose delays a :class:`MeasuredNetworks` keeps."""

KEPT_SHARED = 64
"""Values a :class:`MeasuredNetworks` keeps for the network states that share them."""

COST_COLUMNS = frozenset(
    {
        "border_h",
        "border_usd_teu",
        "border_usd_t",
        "tariff_usd_teu",
        "tariff_usd_t",
        "free_speed",
    }
)
"""Columns of the node and link tables that price a route (hours and money) and that no
capacitated element or queue reads (:func:`corridors.scenarios.elements.network_elements`,
:func:`corridors.cost.element_queues.element_queues`; a test checks both against
scaled columns): adjustments of these alone leave a network state's elements as
they were."""

T = TypeVar("T")


def run_measures(
    scenario: Scenario, catalogue: MeasureCatalogue | None, *, ids: Sequence[str] | None = None
) -> tuple[list[Measure], frozenset[str]]:
    """The measures of a run and the links some measure opens.

    The measures in force in the scenario (or those named in ``ids``;
    :func:`~corridors.scenarios.measures.resolve_measures`) and the links any measure
    of the catalogue or of the scenario's ``new_measures`` opens (planned links held
    closed until a measure in force opens them).
    """
    measures = resolve_measures(scenario, catalogue, ids=ids)
    owned: set[str] = set()
    for m in catalogue.measures if catalogue else []:
        owned.update(m.open_links)
    for m in scenario.new_measures:
        owned.update(m.open_links)
    return measures, frozenset(owned)


def measures_key(measures: Sequence[Measure], measure_links: frozenset[str]) -> tuple[str, ...]:
    """What the networks of :class:`MeasuredNetworks` depend on besides the network.

    The measures (each as its JSON) and the links the catalogue's measures open.
    """
    return (*(m.model_dump_json() for m in measures), "|", *sorted(measure_links))


class MeasuredNetworks:
    """The network of each year with the measures in force (no adjustments, no closures).

    Parameters
    ----------
    network : Network
        The network (all years; planned elements included).
    measures : sequence of Measure
        The measures of the run (each in force from its ``open_year``).
    measure_links : frozenset of str
        Links some measure of the catalogue (or the scenario) opens: planned links that
        stay closed until a measure in force opens them.
    """

    def __init__(
        self, network: Network, measures: Sequence[Measure], measure_links: frozenset[str]
    ) -> None:
        self.network = network
        self.measures = tuple(measures)
        self.measure_links = measure_links
        self.key = measures_key(self.measures, measure_links)
        self._opens: dict[int, tuple[str, ...]] = {}
        self._nets: dict[tuple[tuple[str, ...], tuple[str, ...]], Network] = {}
        self._delays: dict[tuple[AnyQueue | None, ...], ElementDelays] = {}
        self._ferry_waits: dict[AnyQueue, dict[int, float]] = {}
        self._shared: dict[Hashable, object] = {}

    def shared(self, key: Hashable, make: Callable[[], T]) -> T:
        """A value of the runs sharing these networks, made by ``make()`` once per ``key``.

        ``key`` names the value and what it depends on (e.g. ``("elements",
        NetworkStates.structure(...))``). At most :data:`KEPT_SHARED` values are kept, the
        oldest dropped first (a sweep varying capacities makes new ones every sample).
        """
        return cast("T", made_once(self._shared, key, make, keep=KEPT_SHARED))

    def queue_delays(self, queues: tuple[AnyQueue | None, ...]) -> ElementDelays:
        """The queueing delays of ``queues`` (one per element), made once for equal queues.

        The queues are values (frozen dataclasses): runs whose elements have the same
        servers get the same :class:`~corridors.cost.element_delays.ElementDelays`, and
        all the delays made here share the ferry waits already evaluated, by line. At
        most :data:`KEPT_QUEUES` sets of queues and ferry lines are kept, the oldest
        dropped first (a sweep varying sailings makes new ones every sample).
        """

        def make() -> ElementDelays:
            make_room(self._ferry_waits, keep=KEPT_QUEUES)
            return ElementDelays(queues, ferry_waits=self._ferry_waits)

        return made_once(self._delays, queues, make, keep=KEPT_QUEUES)

    def in_force(self, year: int) -> tuple[str, ...]:
        """Ids of the measures in force in ``year``, sorted."""
        return tuple(sorted(m.id for m in self.measures if m.open_year <= year))

    def opened(self, year: int) -> tuple[str, ...]:
        """Planned links and nodes open by their own date in ``year`` (computed once a year)."""
        found = self._opens.get(year)
        if found is None:
            links, nodes = self.network.links, self.network.nodes
            found = self._opens[year] = tuple(
                sorted(
                    [
                        *links.loc[
                            (links["status"] == "planned").to_numpy()
                            & (links["open_year"].to_numpy(dtype=float) <= year),
                            "link_id",
                        ],
                        *nodes.loc[
                            (nodes["status"] == "planned").to_numpy()
                            & (nodes["open_year"].to_numpy(dtype=float) <= year),
                            "node_id",
                        ],
                    ]
                )
            )
        return found

    def network_of(self, year: int, in_force: tuple[str, ...]) -> Network:
        """The network of ``year`` with the measures ``in_force`` (ids, sorted)."""
        key = (self.opened(year), in_force)
        net = self._nets.get(key)
        if net is None:
            net = self._nets[key] = self._build(year, in_force)
        return net

    def _build(self, year: int, in_force: tuple[str, ...]) -> Network:
        net = self.network
        opened = {lk for m in self.measures if m.id in in_force for lk in m.open_links}
        links = net.links
        planned = (links["status"] == "planned").to_numpy()
        held = planned & links["link_id"].isin(self.measure_links - opened).to_numpy()
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
        return apply_changes(net, changes) if changes else net


class NetworkStates:
    """The network of each year and state of one scenario.

    Parameters
    ----------
    measured : MeasuredNetworks
        The networks with the measures in force (possibly shared with other runs).
    adjustments : sequence of Change
        The scenario's attribute changes, applied after the measures' (in this order,
        as one list of changes would be).
    """

    def __init__(self, measured: MeasuredNetworks, adjustments: Sequence[Change]) -> None:
        self.measured = measured
        self.adjustments = tuple(adjustments)
        self._adjusted: dict[int, Network] = {}
        self._nets: dict[tuple[object, ...], Network] = {}
        self._structural = tuple(
            c.model_dump_json()
            for c in self.adjustments
            if not {*c.set, *c.scale, *c.add} <= COST_COLUMNS
        )

    def in_force(self, year: int) -> tuple[str, ...]:
        """Ids of the measures in force in ``year``, sorted."""
        return self.measured.in_force(year)

    def structure(
        self, year: int, in_force: tuple[str, ...], closures: tuple[Disruption, ...] = ()
    ) -> tuple[object, ...]:
        """A key equal for network states that differ only in :data:`COST_COLUMNS`.

        The network with the measures in force (shared by the runs of ``measured``), the
        scenario's adjustments of other columns and what the closures close: states with
        the same key have the same capacitated elements and queues, whatever their border
        times, charges, tariffs and speeds (a forecast's samples of ``border_time``).
        """
        closed = tuple(
            tuple(sorted({x for d in closures for x in getattr(d, what)}))
            for what in ("passages", "links", "nodes", "corridors")
        )
        return (id(self.measured.network_of(year, in_force)), closed, self._structural)

    def network(
        self, year: int, in_force: tuple[str, ...], closures: tuple[Disruption, ...] = ()
    ) -> Network:
        """The network of ``year``, the measures ``in_force`` and the ``closures`` active."""
        key = (self.measured.opened(year), in_force, tuple(d.id for d in closures))
        found = self._nets.get(key)
        if found is not None:
            return found
        base = self.measured.network_of(year, in_force)
        net = self._adjusted.get(id(base))  # base is kept by ``measured``: ids stay unique
        if net is None:
            net = base
            if self.adjustments:
                net = apply_changes(base, self.adjustments)
            self._adjusted[id(base)] = net
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
        return net
