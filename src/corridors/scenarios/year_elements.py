"""The shared elements of a year segment, as the equilibrium takes them.

The routes of every market in one network state pass elements (:mod:`corridors.scenarios.elements`);
here they become one :class:`~corridors.scenarios.supply.SharedElements`: which are hard
limits under ``Behaviour.capacity_limits`` (:func:`hard_elements`), their capacities after
the segment's slow-downs and their use by each market and route (:func:`shared_elements`),
the limits another element already implies dropped (:func:`redundant_limits`), and their
queues (:func:`element_delays`). No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from corridors.cost.element_delays import ElementDelays
from corridors.cost.element_queues import element_queues, return_use
from corridors.network.model import Network
from corridors.scenarios.elements import RouteOption
from corridors.scenarios.spec import Disruption
from corridors.scenarios.supply import SharedElements

__all__ = [
    "element_delays",
    "hard_elements",
    "redundant_limits",
    "return_cargo",
    "shared_elements",
]


def hard_elements(keys: Sequence[str], limits: str, ports: frozenset[str]) -> np.ndarray:
    """Which elements are hard limits under ``Behaviour.capacity_limits``.

    ``all`` and ``hard``: all; ``ports``: ports (nodes in ``ports``) and water
    crossings (ferries and feeders, ``water:...``); ``soft``: none.
    """
    if limits in ("all", "hard"):
        return np.ones(len(keys), dtype=bool)
    if limits == "soft":
        return np.zeros(len(keys), dtype=bool)
    out = []
    for key in keys:
        kind, _, rest = key.partition(":")
        node = rest.partition("#")[0].partition("@")[0]
        out.append(kind == "water" or (kind == "node" and node in ports))
    return np.array(out, dtype=bool)


def shared_elements(
    e_index: Mapping[str, int],
    e_cap: Sequence[float],
    e_hours: Sequence[float],
    e_use: Sequence[tuple[int, int, int]],
    shape: tuple[int, int],
    *,
    slows: Sequence[Disruption],
    per_market: Sequence[Sequence[RouteOption]],
    columns: Sequence[str],
    hard: str = "soft",
    ports: frozenset[str] = frozenset(),
    queues: ElementDelays | None = None,
) -> SharedElements:
    """Incidence, capacity and free time of the elements of a year segment.

    ``columns`` is the corridor of each route column of ``shape``.

    A slow-down's ``capacity_factor`` scales the elements of the links it names (and
    their water group), and for a corridor-wide slow-down the elements that only
    that corridor's routes use (a border shared with other corridors keeps its
    capacity). ``queues`` (one per element, in the order of ``e_index``; see
    :func:`element_delays`) replace the volume-delay function below capacity; the
    capacity factor scales their capacity too. Each route's ``element_use`` is its
    share of each element's capacity per TEU (the incidence's ``usage``), its
    ``element_share`` the share of its cargo that passes each element (the incidence
    itself: 1 but at the berths of a water side with several ports). A water's two
    directions share its ships (:func:`return_cargo`): a route across it also uses
    the other direction's element, at the share :math:`k` of a round trip its cargo
    takes there (no delay there: its incidence is 0).
    """
    n_e = len(e_cap)
    inc = np.zeros((n_e, *shape))
    for e, i, j in e_use:
        inc[e, i, j] = 1.0
    usage = inc.copy()
    stormy = set(queues.stormy) if queues is not None else set()
    landside = np.zeros(inc.shape if stormy else 0)
    first = {c: columns.index(c) for c in dict.fromkeys(columns)}
    for i, alts in enumerate(per_market):
        taken: dict[str, int] = {}
        for a in alts:
            j = first[a.corridor] + taken.get(a.corridor, 0)
            taken[a.corridor] = taken.get(a.corridor, 0) + 1
            if stormy:
                boards = _boarding_ports(a)
                for key, _, _ in a.elements:
                    if e_index[key] in stormy:
                        landside[e_index[key], i, j] = float(key.partition(":")[2] in boards)
            for (key, _, _), w in zip(a.elements, a.element_use, strict=False):
                usage[e_index[key], i, j] = w
            for (key, _, _), share in zip(a.elements, a.element_share, strict=False):
                inc[e_index[key], i, j] = share  # the cargo that passes the element
                usage[e_index[key], i, j] *= share
    pairs = return_cargo(e_index, queues) if queues is not None else []
    if pairs:
        own = usage.copy()
        for e, back, k in pairs:
            usage[back] += k * own[e]
    capacity = np.array(e_cap, dtype=float)
    queue_capacity = (
        queues.capacity_teu_yr if queues is not None else np.full(n_e, np.inf, dtype=float)
    )
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
            jc = [j for j, x in enumerate(columns) if x == c]
            if not jc:
                continue
            used_here = inc[:, :, jc].any(axis=(1, 2))
            others = np.delete(inc, jc, axis=2).any(axis=(1, 2))
            hit |= used_here & ~others
        capacity[hit] *= d.capacity_factor
        queue_capacity[hit] *= d.capacity_factor
    return SharedElements(
        inc,
        capacity,
        np.array(e_hours, dtype=float),
        keys,
        hard=hard_elements(keys, hard, ports) & ~redundant_limits(usage, capacity),
        queues=queues,
        usage=usage,
        queue_capacity=queue_capacity,
        landside=landside,
        return_cargo=tuple(pairs),
    )


def _boarding_ports(route: RouteOption) -> set[str]:
    """The ports where a route boards a ferry or feeder line: it comes to them by land.

    A water element ``water:<ports>@<side>`` is the lines from the ports of ``side``:
    the route boards at one of them (and leaves the ships at the other side's).
    """
    return {
        port
        for key, _, _ in route.elements
        if key.startswith("water:") and "#" not in key
        for port in key.partition("@")[2].split("+")
    }


def return_cargo(e_index: Mapping[str, int], queues: ElementDelays) -> list[tuple[int, int, float]]:
    r"""The cargo one direction of a water puts on the other's ships' time.

    ``(e, back, k)``: the flow through water element ``e`` (``water:<ports>@<side>``)
    loads the element of the same water from another side, ``back``, at :math:`k` per
    TEU: the share of a round trip a deck-load of cargo the other way takes
    (:func:`~corridors.cost.element_queues.return_use` of ``e``'s ships: the water's
    whole fleet, the same from either side). A direction's element then holds the
    joint constraint of the
    ships' time, :math:`v + k\,v' \le C`, with :math:`C` its one-way capacity
    (cargo one way only: as before), and its queue waits at that joint
    utilisation. Without the other direction's element (no route crosses that way)
    there is nothing to add. A cargo part (``#general``: the rail ferries only,
    ``#teu``) keeps a one-way limit: the ships' time is the water's whole fleet's (with
    the parts coupled too, a storm segment whose captive cargo overfills the Caspian
    rail ferries no longer converged).
    """
    sides: dict[str, list[tuple[str, int]]] = {}
    for key, e in e_index.items():
        water, _, side = key.partition("@")
        if water.startswith("water:") and "#" not in side:
            sides.setdefault(water, []).append((side, e))
    out: list[tuple[int, int, float]] = []
    for key, e in e_index.items():
        water, _, side = key.partition("@")
        q = queues.queues[e]
        if q is None or water not in sides or "#" in side:
            continue
        k = return_use(q)
        if k > 0.0:
            out.extend((e, back, k) for o_side, back in sides[water] if o_side != side)
    return out


def redundant_limits(usage: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Elements whose limit another element already sets.

    The same use by the same routes and no less capacity: e.g. the train path sections
    of one line in series.
    Duplicate limits make the shadow prices indeterminate; the first of the tightest
    keeps the limit (and the price), the others keep their queues.
    """
    n_e = len(capacity)
    out = np.zeros(n_e, dtype=bool)
    if n_e == 0:
        return out
    flat = np.asarray(usage, dtype=np.float64).reshape(n_e, -1)
    seen: dict[bytes, int] = {}
    for e in np.argsort(capacity, kind="stable"):
        key = flat[e].tobytes()
        if key in seen:
            out[e] = True
        else:
            seen[key] = int(e)
    return out


def element_delays(network: Network, keys: Sequence[str]) -> ElementDelays:
    """Queueing delays of the elements ``keys`` of ``network``.

    See :mod:`corridors.cost.element_queues`.
    """
    return ElementDelays(element_queues(network, keys))
