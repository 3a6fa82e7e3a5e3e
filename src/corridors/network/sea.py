"""Sea and ferry legs from the maritime network shipped in the ``searoute`` package.

Lengths and geometries of sea links are not typed in by hand: they are computed on
the Eurostat/searoute maritime graph between the two ports, avoiding the passages
the link names in ``sea_avoid``. The passages each leg traverses are recorded so that
a scenario can close one (Suez, Bab-el-Mandeb, Bosporus, ...) and every leg through
it closes with it.

:class:`SeaRouter` runs the searches on searoute's own graph with scipy's compiled
Dijkstra, one search per origin port and set of restrictions, and then hands the node
path to searoute's own post-processing (coordinate normalisation, passages, length),
so its results equal :func:`searoute.searoute`'s (checked in the tests) at a fraction
of the time of searoute's pure-Python search.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

logger = logging.getLogger(__name__)

ALWAYS_AVOID: tuple[str, ...] = ("northwest",)
"""Passages avoided unless a link asks for them (the Arctic Northwest Passage)."""

_ZERO_WEIGHT_KM = 1e-9
"""Stand-in for searoute's zero-length edges (csgraph needs stored positive weights)."""

SeaRequest: TypeAlias = tuple[tuple[float, float], tuple[float, float], tuple[str, ...]]
"""A sea leg to compute: origin (lon, lat), destination (lon, lat), passages to avoid."""


@dataclass(frozen=True, slots=True)
class SeaLeg:
    """A computed sea leg.

    Attributes
    ----------
    km : float
        Length along the maritime network between the network points nearest to the
        two ports, km (searoute's figure; the connectors from the ports to the network
        are drawn but not counted, as they often cut across land).
    coords : list of (float, float)
        Geometry, lon/lat, from the origin port to the destination port.
    passages : tuple of str
        Passages (``suez``, ``babalmandab``, ``south_africa``, ...) the leg traverses.
    """

    km: float
    coords: list[tuple[float, float]]
    passages: tuple[str, ...]


def _restrictions(avoid: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(set(ALWAYS_AVOID) | set(avoid)))


def _leg(
    origin: tuple[float, float],
    destination: tuple[float, float],
    path: list[tuple[float, float]],
    props: dict[str, Any],
) -> SeaLeg:
    coords = [(float(origin[0]), float(origin[1]))]
    coords += [(float(x), float(y)) for x, y in path]
    coords.append((float(destination[0]), float(destination[1])))
    passages = tuple(sorted(str(p) for p in props.get("traversed_passages", ())))
    return SeaLeg(km=float(props["length"]), coords=coords, passages=passages)


def sea_leg(
    origin: tuple[float, float],
    destination: tuple[float, float],
    *,
    avoid: tuple[str, ...] = (),
) -> SeaLeg:
    """Compute one sea leg with :func:`searoute.searoute` itself.

    Parameters
    ----------
    origin, destination : (float, float)
        Port positions as (lon, lat), degrees.
    avoid : tuple of str
        Passages the leg must not use, in addition to :data:`ALWAYS_AVOID`.

    Returns
    -------
    SeaLeg
        Length (km), geometry and traversed passages.
    """
    import searoute  # noqa: PLC0415  (networkx and the maritime graph: ~0.3 s)

    feature = searoute.searoute(
        list(origin),
        list(destination),
        units="km",
        restrictions=list(_restrictions(avoid)),
        append_orig_dest=False,
        return_passages=True,
    )
    path = [(float(x), float(y)) for x, y in feature.geometry["coordinates"]]
    return _leg(origin, destination, path, feature.properties)


@dataclass
class SeaRouter:
    """Many sea legs at once on searoute's maritime graph, with compiled searches.

    One router holds the graph as arrays; it is cheap to create and holds no state
    shared with other routers.
    """

    _graph: Any = field(init=False, repr=False)
    _nodes: list[tuple[float, float]] = field(init=False, repr=False)
    _index: dict[tuple[float, float], int] = field(init=False, repr=False)
    _u: npt.NDArray[np.int64] = field(init=False, repr=False)
    _v: npt.NDArray[np.int64] = field(init=False, repr=False)
    _w: npt.NDArray[np.float64] = field(init=False, repr=False)
    _passage: npt.NDArray[np.object_] = field(init=False, repr=False)
    _matrices: dict[tuple[str, ...], csr_matrix] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        module = importlib.import_module("searoute.searoute")
        self._utils = importlib.import_module("searoute.utils")
        self._passages = importlib.import_module("searoute.classes.passages").Passage
        self._graph = module.setup_M()
        self._nodes = list(self._graph.nodes)
        self._index = {n: i for i, n in enumerate(self._nodes)}
        u, v, w, passage = [], [], [], []
        for a, b, data in self._graph.edges(data=True):
            weight = float(data.get("weight") or 0.0) or _ZERO_WEIGHT_KM
            for x, y in ((a, b), (b, a)):
                u.append(self._index[x])
                v.append(self._index[y])
                w.append(weight)
                passage.append(data.get("passage"))
        self._u = np.asarray(u, dtype=np.int64)
        self._v = np.asarray(v, dtype=np.int64)
        self._w = np.asarray(w, dtype=np.float64)
        self._passage = np.asarray(passage, dtype=object)
        self._matrices = {}

    def _matrix(self, restrictions: tuple[str, ...]) -> csr_matrix:
        from scipy.sparse import csr_matrix  # noqa: PLC0415

        mat = self._matrices.get(restrictions)
        if mat is None:
            ok = ~np.isin(self._passage, list(restrictions))
            n = len(self._nodes)
            mat = csr_matrix((self._w[ok], (self._u[ok], self._v[ok])), shape=(n, n))
            self._matrices[restrictions] = mat
        return mat

    def _snap(self, point: tuple[float, float]) -> int:
        return self._index[tuple(self._graph.kdtree.query(list(point)))]

    def legs(self, requests: Sequence[SeaRequest]) -> list[SeaLeg]:
        """Compute sea legs for ``(origin, destination, avoid)`` requests, in order.

        Raises
        ------
        ValueError
            If a leg cannot be made without the avoided passages.
        """
        from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415

        out: list[SeaLeg | None] = [None] * len(requests)
        groups: dict[tuple[int, tuple[str, ...]], list[int]] = {}
        for k, (origin, _, avoid) in enumerate(requests):
            groups.setdefault((self._snap(origin), _restrictions(avoid)), []).append(k)
        for (source, restrictions), members in groups.items():
            dist, pred = dijkstra(
                self._matrix(restrictions),
                directed=True,
                indices=source,
                return_predecessors=True,
            )
            for k in members:
                origin, destination, _ = requests[k]
                target = self._snap(destination)
                if not np.isfinite(dist[target]):
                    msg = (
                        f"no sea route from {origin} to {destination} avoiding "
                        f"{', '.join(restrictions)}"
                    )
                    raise ValueError(msg)
                chain = [target]
                while chain[-1] != source:
                    chain.append(int(pred[chain[-1]]))
                nodes = [self._nodes[i] for i in reversed(chain)]
                ls, passages = self._utils.process_route(nodes, self._graph, True)
                props = {
                    "length": self._utils.distance_length(ls, units="km"),
                    "traversed_passages": self._passages.filter_valid_passages(passages),
                }
                out[k] = _leg(origin, destination, [(x, y) for x, y in ls], props)
        return [leg for leg in out if leg is not None]
