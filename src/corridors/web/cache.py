"""The network and its routing graphs, built once per variant and kept for the next request.

A compare answers in milliseconds once the expanded graph of its variant (year, unit,
value of time, carbon price, closures) is built; building it takes longer, so the
server keeps the most recent variants. The cache belongs to one application instance
(``app.state``), never to the module.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from corridors.datasets import eurasia_path
from corridors.network import Network, read_network
from corridors.network.closures import Closures as NamedClosures
from corridors.routing import CostParameters, ExpandedGraph, build_graph

T = TypeVar("T")


@dataclass(frozen=True)
class Closures:
    """What a view closes: the library's closures plus whole corridors.

    Sea passages go to the cost parameters (the graph drops the sea legs through
    them); the rest to :meth:`Network.with_closed`.
    """

    named: NamedClosures = field(default_factory=NamedClosures)
    corridors: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.named or self.corridors)


class RoutingCache:
    """The network of one folder and the graphs of its recent variants.

    Parameters
    ----------
    network_path : Path, optional
        Network folder (default: the shipped Eurasian network).
    size : int
        Graph variants kept (least recently used dropped first).
    """

    def __init__(self, network_path: Path | None = None, *, size: int = 32) -> None:
        self.network_path = Path(network_path) if network_path else eurasia_path()
        self._size = size
        self._lock = threading.Lock()
        self._network: Network | None = None
        self._variants: OrderedDict[tuple[object, ...], tuple[Network, ExpandedGraph]] = (
            OrderedDict()
        )

    @property
    def network(self) -> Network:
        """The network as read from its folder (read on first use)."""
        with self._lock:
            if self._network is None:
                self._network = read_network(self.network_path)
            return self._network

    def variant(self, params: CostParameters, closures: Closures) -> tuple[Network, ExpandedGraph]:
        """The network with ``closures`` applied and its graph for ``params``.

        Raises
        ------
        NetworkError
            When a closed node, link or corridor is unknown.
        """
        params = params.model_copy(update={"closed_passages": closures.named.passages})
        key = (params, closures)
        with self._lock:
            hit = self._variants.get(key)
            if hit is not None:
                self._variants.move_to_end(key)
                return hit
        net = self.network
        n = closures.named
        if n.nodes or n.links or n.countries or n.borders or closures.corridors:
            net = net.with_closed(
                nodes=n.nodes,
                links=n.links,
                countries=n.countries,
                borders=n.borders,
                corridors=closures.corridors,
            )
        built = (net, build_graph(net, params))
        with self._lock:
            self._variants[key] = built
            while len(self._variants) > self._size:
                self._variants.popitem(last=False)
        return built


class RecentResults(Generic[T]):
    """The results of the most recent requests, each computed once.

    A view that asks for the same study twice (the energy layer's JSON and GeoJSON)
    solves it once: a second request for a key being computed waits for the first.

    Parameters
    ----------
    size : int
        Results kept (least recently used dropped first).
    """

    def __init__(self, *, size: int = 16) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for ``key``, computed by ``compute()`` unless a recent one is kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._items:
                    return self._items[key]
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                self._items[key] = value
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return value
