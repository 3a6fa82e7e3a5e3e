"""The compiled (numba) nested logit of :mod:`corridors.cost.logit`, row by row.

Imported on the logit's first nested call (numba is a dependency; importing it costs a
few tenths of a second, which the command line's start-up does not pay); compiled on
first use and cached on disk. The formulas are those of :mod:`corridors.cost.logit`.
"""

from __future__ import annotations

import importlib
import math
from typing import Any

import numpy as np

from corridors.cost.logit import FloatArray, IntArray

nb: Any = importlib.import_module("numba")


def _nested_py(  # noqa: PLR0917
    cost: FloatArray,
    scale: float,
    lam: float,
    nest_of: IntArray,
    order: IntArray,
    starts: IntArray,
    counts: IntArray,
    filled: IntArray,
    shares: FloatArray,
    conditional: FloatArray,
    nest_shares: FloatArray,
    total: FloatArray,
) -> None:  # pragma: no cover - compiled
    """Fill the shares, conditional and nest shares and the log-sum of each row of ``cost``.

    ``cost`` (rows, alternatives): the utilities are ``-scale * cost``, unavailable where
    the cost is infinite or NaN; ``total`` gets ``log sum_n exp(lam IV_n)`` (``-inf`` for
    a row with nothing available, whose shares are 0). Each level is an exponential
    relative to its largest term.
    """
    n_rows, n_alts = cost.shape
    n_filled = starts.shape[0]
    upper = np.empty(n_filled)
    u = np.empty(n_alts)
    for m in range(n_rows):
        for k in range(n_alts):
            v = -scale * cost[m, k]
            u[k] = v if v < math.inf else -math.inf
        top_nest = -math.inf
        for j in range(n_filled):
            first = starts[j]
            top = -math.inf
            for p in range(first, first + counts[j]):
                v = u[order[p]] / lam
                top = max(top, v)
            if top == -math.inf:  # nothing available in this nest
                upper[j] = -math.inf
                for p in range(first, first + counts[j]):
                    conditional[m, order[p]] = 0.0
                continue
            within = 0.0
            for p in range(first, first + counts[j]):
                k = order[p]
                e = math.exp(u[k] / lam - top)
                conditional[m, k] = e
                within += e
            for p in range(first, first + counts[j]):
                conditional[m, order[p]] /= within
            upper[j] = lam * (top + math.log(within))
            top_nest = max(top_nest, upper[j])
        if top_nest == -math.inf:  # a row with nothing available
            total[m] = -math.inf
            for j in range(nest_shares.shape[1]):
                nest_shares[m, j] = 0.0
            for k in range(n_alts):
                shares[m, k] = 0.0
            continue
        summed = 0.0
        for j in range(n_filled):
            e = math.exp(upper[j] - top_nest)
            upper[j] = e
            summed += e
        for j in range(nest_shares.shape[1]):
            nest_shares[m, j] = 0.0
        for j in range(n_filled):
            nest_shares[m, filled[j]] = upper[j] / summed
        total[m] = top_nest + math.log(summed)
        for k in range(n_alts):
            shares[m, k] = nest_shares[m, nest_of[k]] * conditional[m, k]


nested = nb.njit(cache=True)(_nested_py)
