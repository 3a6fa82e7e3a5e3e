"""Discrete choice: multinomial and nested logit shares, path size and the logsum.

The one logit of the toolkit: the scenario runner's corridor split, the stochastic
assignment's route choice and the simulation's route choice all call it.

With a generalised cost ``g_k`` (USD per unit, or hours in a network's time unit) and
a scale ``mu`` (per cost unit), the utility of alternative ``k`` is ``V_k = -mu g_k``.

Multinomial logit (MNL)::

    P(k) = exp(V_k) / sum_j exp(V_j)
    logsum = -(1/mu) log sum_j exp(V_j)          (expected minimum cost)

Nested logit (Ben-Akiva and Lerman 1985, "Discrete Choice Analysis", ch. 10): the
alternatives are grouped in nests ``n`` with a nest scale ``lam`` in (0, 1]::

    P(k | n) = exp(V_k / lam) / sum_{j in n} exp(V_j / lam)
    IV_n     = log sum_{j in n} exp(V_j / lam)              (inclusive value)
    P(n)     = exp(lam IV_n) / sum_m exp(lam IV_m)
    P(k)     = P(n) P(k | n)
    logsum   = -(1/mu) log sum_n exp(lam IV_n)

``lam = 1`` is the multinomial logit; a smaller ``lam`` makes the alternatives of a
nest closer substitutes. An alternative with infinite cost is not available (share
0); a choice set with nothing available has zero shares and an infinite logsum.

Path-size logit (Ben-Akiva and Bierlaire 1999) adds ``beta ln PS_r`` to the utility
of a route ``r`` that shares arcs with the other routes of its O-D pair::

    PS_r = sum_{a in r} (l_a / L_r) / n_a

with ``l_a`` the arc's length (or free cost), ``L_r`` the route's and ``n_a`` the
number of routes of the pair using arc ``a``.

Everything is numpy over the last axis, one log-sum-exp per level (:func:`_log_sum_exp`:
the shares are ``exp`` of the log shares, the logsum is the total): the arithmetic
of ``scipy.special.log_softmax`` without its array-API dispatch, which costs more than
the arithmetic on the small arrays of a corridor split (called in every step of the
shadow-price solve). The inclusive values add each nest's exponentials one after the
other (:meth:`NestLayout.log_sums`, only the nest's own alternatives: the same numbers
as a sum over a (rows, alternatives, nests) array). The equilibrium of some shipped
scenario-years is reached or not by the last bits of these numbers (the
caspian-storm-winter 2024 storm quarter): an arithmetic other than this one
(exponentials summed pairwise, or compiled) changes them; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
Nests = NDArray[np.integer[Any]] | Sequence[int] | None


class Choice(NamedTuple):
    """Shares and logsum of one (nested) logit evaluation.

    Attributes
    ----------
    shares : array (..., n)
        Choice probability of each alternative.
    conditional : array (..., n)
        Probability of each alternative within its nest (the shares themselves for a
        multinomial logit).
    nest_shares : array (..., nests)
        Probability of each nest (the shares for a multinomial logit); an empty or
        unavailable nest has zero.
    logsum : array (...)
        Expected minimum cost in the unit of the cost (``inf``: nothing available).
    """

    shares: FloatArray
    conditional: FloatArray
    nest_shares: FloatArray
    logsum: FloatArray


def check_nests(nests: Nests, n: int, nest_scale: float) -> IntArray | None:
    """Validated nest index of each of ``n`` alternatives (``None``: multinomial logit).

    Raises
    ------
    ValueError
        ``nest_scale`` outside (0, 1], or ``nests`` not an array of ``n`` non-negative
        integers.
    """
    if not 0.0 < nest_scale <= 1.0:  # also rejects NaN
        raise ValueError(f"nest_scale must be in (0, 1], got {nest_scale!r}")
    if nests is None:
        return None
    arr = np.asarray(nests)
    if arr.shape != (n,):
        raise ValueError(
            f"nests must give one nest index per alternative: shape ({n},), got {arr.shape}"
        )
    if arr.dtype.kind not in "iu":
        raise ValueError(f"nests must be integers, got dtype {arr.dtype}")
    if n and int(arr.min()) < 0:
        raise ValueError("nests must be non-negative nest indices")
    return np.asarray(arr, dtype=np.intp)


def membership(nests: IntArray) -> FloatArray:
    """``member[k, n] = 1`` when alternative ``k`` is in nest ``n``."""
    n_nests = int(nests.max()) + 1 if nests.size else 0
    return np.asarray(nests[:, None] == np.arange(n_nests), dtype=np.float64)


@dataclass(frozen=True)
class NestLayout:
    """The alternatives' nests arranged for the inclusive values (made once per nests).

    Attributes
    ----------
    nests : array of int (n,)
        Nest index of each alternative.
    member : array (n, nests)
        :func:`membership` of ``nests``.
    order : array of int (n,)
        The alternatives nest by nest (in their order within a nest).
    starts : array of int
        Position in ``order`` where each nest with alternatives starts.
    present : array of int
        Those nests.
    """

    nests: IntArray
    member: FloatArray
    order: IntArray
    starts: IntArray
    present: IntArray
    _bins: dict[int, IntArray] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, nests: IntArray) -> NestLayout:
        """The layout of validated ``nests`` (:func:`check_nests`)."""
        order = np.argsort(nests, kind="stable")
        ordered = nests[order]
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        return cls(nests, membership(nests), order, starts, ordered[starts])

    def log_sums(self, v: FloatArray) -> FloatArray:
        """``log sum_{k in n} exp(v_k)`` of each nest ``n`` over the last axis (-inf: empty).

        The largest ``v`` of the nest (0 where none is finite) is subtracted before the
        exponentials, which are added one after the other in the order of the
        alternatives (a nest's sum over a (..., alternatives, nests) array does so when
        there are two nests or more): with one nest, that array's sum (numpy's pairwise
        one over the alternatives).
        """
        k = self.member.shape[1]
        if k < 2:
            inside = np.where(self.member > 0, v[..., :, None], -np.inf)
            return _log_sum_exp(inside, axis=-2)[2]
        flat = v.reshape(-1, v.shape[-1])
        rows = flat.shape[0]
        top = np.full((rows, k), -np.inf)
        top[:, self.present] = np.maximum.reduceat(flat[:, self.order], self.starts, axis=1)
        empty = ~np.isfinite(top)
        some_empty = bool(empty.any())
        if some_empty:
            top[empty] = 0.0
        bins = self._bins.get(rows)
        if bins is None:
            bins = self._bins[rows] = ((np.arange(rows) * k)[:, None] + self.nests).ravel()
        terms = np.exp(flat - top[:, self.nests]).ravel()
        sums = np.bincount(bins, weights=terms, minlength=rows * k).reshape(rows, k)
        with np.errstate(divide="ignore"):
            total = top + np.log(sums)
        if some_empty:
            total[empty] = -np.inf
        return total.reshape(*v.shape[:-1], k)


def _utilities(cost: ArrayLike, scale: float) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Utilities ``-scale * cost`` (``-inf`` where unavailable) and rows with a choice."""
    c = np.asarray(cost, dtype=np.float64)
    finite = np.isfinite(c)
    some = finite.any(axis=-1, keepdims=True)
    # a row with nothing available gets zero utilities (masked out afterwards)
    u = np.where(finite, -scale * np.where(finite, c, 0.0), np.where(some, -np.inf, 0.0))
    return np.asarray(u, dtype=np.float64), np.asarray(some, dtype=bool)


def _log_sum_exp(x: FloatArray, *, axis: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``log sum_k exp(x_k)`` over ``axis``, with the pieces of the log shares.

    The largest ``x`` (``m``, 0 where it is not finite, as ``scipy.special.log_softmax``
    takes it) is subtracted before the exponentials: returns ``x - m``, ``log s`` with
    ``s`` the sum of their exponentials (both keeping ``axis``), and the total ``m + log
    s`` without ``axis``, ``-inf`` where every ``x_k`` is ``-inf`` (an empty nest). The
    log shares are ``(x - m) - log s``: ``log_softmax``'s arithmetic, bit for bit.
    """
    top = x.max(axis=axis, keepdims=True)
    empty = ~np.isfinite(top)
    some_empty = bool(empty.any())
    if some_empty:
        top[empty] = 0.0
    relative = x - top
    with np.errstate(divide="ignore"):
        log_s = np.log(np.exp(relative).sum(axis=axis, keepdims=True))
    total = top + log_s
    if some_empty:
        total[empty] = -np.inf
    return relative, log_s, np.squeeze(total, axis=axis)


def _multinomial(cost: ArrayLike, scale: float) -> Choice:
    u, some = _utilities(cost, scale)
    relative, log_s, total = _log_sum_exp(u, axis=-1)
    shares = np.where(some, np.exp(relative - log_s), 0.0)
    ls = np.where(some[..., 0], -total / scale, np.inf)
    return Choice(shares, shares, shares, np.asarray(ls, dtype=np.float64))


def nested_logit(
    cost: ArrayLike,
    *,
    scale: float,
    nests: IntArray,
    nest_scale: float,
    layout: NestLayout | None = None,
) -> Choice:
    """Nested logit over the last axis, with its conditional and nest shares.

    Parameters
    ----------
    cost : array (..., n)
        Generalised cost of each alternative (``inf``: not available).
    scale : float
        Logit scale per cost unit (> 0).
    nests : array of int (n,)
        Validated nest index of each alternative (:func:`check_nests`).
    nest_scale : float
        Nest scale ``lam`` in (0, 1].
    layout : NestLayout, optional
        :meth:`NestLayout.of` ``nests``, when the caller keeps it.

    Returns
    -------
    Choice
    """
    lam = float(nest_scale)
    if layout is None:
        layout = NestLayout.of(nests)
    u, some = _utilities(cost, scale)
    v = u / lam
    iv = layout.log_sums(v)  # (..., nests); -inf for an empty nest
    has = np.isfinite(iv) & some  # a row with nothing available has no nest
    safe_iv = np.where(has, iv, 0.0)
    conditional = np.where(has[..., nests], np.exp(v - safe_iv[..., nests]), 0.0)
    top = np.where(has, lam * safe_iv, -np.inf)
    any_nest = has.any(axis=-1, keepdims=True)
    top = np.where(any_nest, top, 0.0)  # every row has a finite largest term
    relative, log_s, total = _log_sum_exp(top, axis=-1)
    nest_shares = np.where(any_nest, np.exp(relative - log_s), 0.0)
    ls = np.where(some[..., 0], -np.where(some[..., 0], total, 0.0) / scale, np.inf)
    shares = nest_shares[..., nests] * conditional
    return Choice(
        np.asarray(shares, dtype=np.float64),
        np.asarray(conditional, dtype=np.float64),
        np.asarray(nest_shares, dtype=np.float64),
        np.asarray(ls, dtype=np.float64),
    )


def choose(
    cost: ArrayLike,
    *,
    scale: float,
    nests: IntArray | None = None,
    nest_scale: float = 1.0,
    layout: NestLayout | None = None,
) -> Choice:
    """Shares and logsum of the validated nested logit (multinomial when ``lam`` is 1)."""
    if nests is not None and nest_scale != 1.0:
        return nested_logit(cost, scale=scale, nests=nests, nest_scale=nest_scale, layout=layout)
    return _multinomial(cost, scale)


def logit_shares(
    cost: ArrayLike, *, scale: float, nests: Nests = None, nest_scale: float = 1.0
) -> FloatArray:
    """Multinomial (or nested) logit shares over the last axis.

    Parameters
    ----------
    cost : array of float, shape (..., n)
        Generalised cost of each alternative (e.g. USD per TEU); ``inf`` marks an
        alternative that is not available.
    scale : float
        Logit scale per cost unit (> 0).
    nests : array of int, shape (n,), optional
        Nest index of each alternative (e.g. 0 for the rail corridors, 1 for the sea
        routes). Without it the choice is a multinomial logit.
    nest_scale : float
        Nest scale ``lam`` in (0, 1]; 1 is the multinomial logit.

    Returns
    -------
    array of float, same shape
        Shares summing to one over the last axis (all zero where no alternative is
        available).

    Raises
    ------
    ValueError
        ``nest_scale`` outside (0, 1] or ``nests`` of the wrong shape or type.
    """
    c = np.asarray(cost, dtype=np.float64)
    nest_of = check_nests(nests, c.shape[-1] if c.ndim else 1, nest_scale)
    return choose(c, scale=scale, nests=nest_of, nest_scale=nest_scale).shares


def logsum(
    cost: ArrayLike, *, scale: float, nests: Nests = None, nest_scale: float = 1.0
) -> FloatArray:
    """Expected minimum cost (the logsum) over the last axis, in the unit of the cost.

    ``-(1/scale) log sum_k exp(-scale g_k)`` for the multinomial logit and
    ``-(1/scale) log sum_n exp(lam IV_n)`` for the nested logit (same ``nests`` and
    ``nest_scale`` as :func:`logit_shares`). Its change between two states times the
    volume is the change in shippers' surplus (fixed total demand). ``inf`` where no
    alternative is available.
    """
    c = np.asarray(cost, dtype=np.float64)
    nest_of = check_nests(nests, c.shape[-1] if c.ndim else 1, nest_scale)
    return choose(c, scale=scale, nests=nest_of, nest_scale=nest_scale).logsum


def grouped_shares(utility: ArrayLike, starts: ArrayLike) -> FloatArray:
    """Multinomial logit shares within contiguous groups of a flat utility vector.

    Parameters
    ----------
    utility : array (n,)
        Utility of each alternative (e.g. ``-theta * route cost + beta ln PS``).
    starts : array of int (groups,)
        Position of the first alternative of each group (increasing, from 0), e.g. the
        first route of each O-D pair.

    Returns
    -------
    array (n,)
        Shares summing to one within each group.
    """
    u = np.asarray(utility, dtype=np.float64)
    first = np.asarray(starts, dtype=np.intp)
    counts = np.diff(np.append(first, u.shape[0]))
    top = np.repeat(np.maximum.reduceat(u, first), counts)
    e = np.exp(u - top)
    return np.asarray(e / np.repeat(np.add.reduceat(e, first), counts), dtype=np.float64)


def path_size(incidence: sp.spmatrix, group: ArrayLike, length: ArrayLike) -> FloatArray:
    """Path-size factor of each route (1 for a route sharing no arc with its group).

    Parameters
    ----------
    incidence : scipy.sparse matrix (routes, arcs)
        1 where a route uses an arc.
    group : array of int (routes,)
        Choice set (O-D pair) of each route, numbered from 0.
    length : array (arcs,)
        Length attribute of each arc (distance or free cost), positive on used arcs.

    Returns
    -------
    array (routes,)
        ``PS_r`` in (0, 1]; 1 where the route has zero length.
    """
    inc = sp.coo_matrix(incidence)
    grp = np.asarray(group, dtype=np.intp)
    n_routes = inc.shape[0]
    n_groups = int(grp.max()) + 1 if grp.size else 0
    # number of routes of the same group using each (route, arc) entry
    group_arc = sp.csr_matrix(
        (np.ones(inc.nnz), (grp[inc.row], inc.col)), shape=(n_groups, inc.shape[1])
    )
    shared = np.asarray(group_arc[grp[inc.row], inc.col]).ravel()
    arc_len = np.asarray(length, dtype=np.float64)[inc.col]
    route_len = np.bincount(inc.row, weights=arc_len, minlength=n_routes)
    contrib = arc_len / np.maximum(route_len[inc.row], 1e-300) / shared
    ps = np.bincount(inc.row, weights=contrib, minlength=n_routes)
    ps[route_len <= 0.0] = 1.0
    return np.asarray(ps, dtype=np.float64)
