"""Corridor choice: a multinomial logit on generalised cost, with capacity feedback.

Each market ``m`` splits its volume ``d[m]`` (TEU a year) across corridors ``c`` by

``s[m, c] = exp(-scale * g[m, c]) / sum_k exp(-scale * g[m, k])``

where the generalised cost ``g`` (USD per TEU) is the money cost, the value of the
hours in transit and the corridor's risk premium. Congestion feeds back through a
volume-delay function on each corridor's bottleneck capacity ``C[c]`` (TEU a year):

``g[m, c] = g0[m, c] + vot * t0[m, c] * (vdf(v[c], C[c]) / t0 - 1)``,
``v[c] = sum_m d[m] * s[m, c]``,

and the shares are found as a fixed point by the method of successive averages (MSA):
``s <- s + (logit(g(s)) - s) / beta_k``. Classic MSA takes ``beta_k = k + 1``; the
default self-regulated averaging (SRA; Liu, Ban and Lu 2009, "A self-regulated
averaging method for the stochastic user equilibrium") grows ``beta`` by 1 when the gap
grew and by only 0.05 when it shrank, which keeps steps long while they help and
converges in tens instead of thousands of iterations. Pure numpy; no I/O.

Nested logit. Alternatives can be grouped in nests (e.g. the rail corridors in one,
the sea routes in another) with a nest scale ``lam`` in (0, 1]; with ``V = -scale * g``

``P(c | n) = exp(V_c / lam) / sum_{k in n} exp(V_k / lam)``,
``IV_n = log sum_{k in n} exp(V_k / lam)``,
``P(n) = exp(lam * IV_n) / sum_n' exp(lam * IV_n')``,

and the logsum is ``-(1/scale) * log sum_n exp(lam * IV_n)``. ``lam = 1`` is the
multinomial logit; a smaller ``lam`` makes the alternatives of a nest closer
substitutes (a rail corridor that gets dearer loses relatively more to the other rail
corridors than to the sea), which the multinomial logit's IIA property forbids
(Ben-Akiva and Lerman 1985, "Discrete Choice Analysis", ch. 10).

Hard capacities. An element can be declared a hard limit (a ferry fleet, a terminal's
yard): instead of a delay it carries a shadow price ``mu_e >= 0`` (USD/TEU) added to
the cost of every route through it, such that its flow stays within its capacity and
``mu_e > 0`` only when it is full (complementary slackness): the capacity-constrained
stochastic equilibrium (Bell 1995, "Stochastic user equilibrium assignment in networks
with queues", Transportation Research B 29(2)). For fixed congested costs the prices
maximise the concave dual ``sum_m d_m LS_m(G + A^T mu) - sum_e mu_e C_e``, whose
gradient is the element's flow minus its capacity; it is solved by a projected Newton
method with the exact Hessian inside every averaging iteration (or scipy's L-BFGS-B).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]


IntArray = NDArray[np.intp]


def _check_nests(
    nests: NDArray[np.integer[Any]] | Sequence[int] | None, n: int, nest_scale: float
) -> IntArray | None:
    """Validated nest index of each alternative, or ``None`` for a multinomial logit.

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


def _membership(nests: IntArray) -> FloatArray:
    """``member[k, n] = 1`` when alternative ``k`` is in nest ``n``."""
    n_nests = int(nests.max()) + 1 if nests.size else 0
    return np.asarray(nests[:, None] == np.arange(n_nests), dtype=np.float64)


def _nested_parts(
    cost: FloatArray,
    *,
    scale: float,
    nests: IntArray,
    nest_scale: float,
    member: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Nested logit over the last axis.

    Returns
    -------
    shares : array (..., n)
        Choice probabilities.
    conditional : array (..., n)
        Probability of each alternative within its nest.
    nest_shares : array (..., nests)
        Probability of each nest (``nests.max() + 1`` of them; an empty or
        unavailable nest has zero).
    logsum : array (...)
        Expected minimum cost, USD per TEU (``inf`` when nothing is available).
    """
    c = np.asarray(cost, dtype=np.float64)
    lam = float(nest_scale)
    if member is None:
        member = _membership(nests)
    low = c.min(axis=-1, keepdims=True, initial=np.inf)
    low = np.where(low < np.inf, low, 0.0)
    gaps = c - low  # >= 0, inf where unavailable
    # cheapest alternative of each nest, relative to the cheapest overall
    nest_low = np.where(member > 0, gaps[..., :, None], np.inf).min(axis=-2, initial=np.inf)
    nest_low = np.where(nest_low < np.inf, nest_low, 0.0)
    within = np.exp((nest_low[..., nests] - gaps) * (scale / lam))  # 0 where unavailable
    inner = within @ member  # >= 1 in a nest with an available alternative, else 0
    has = inner > 0
    safe_inner = np.where(has, inner, 1.0)
    # exp(lam * IV_n) relative to exp(-scale * low): the cheapest nest's weight is >= 1
    weight = np.exp(lam * np.log(safe_inner) - scale * nest_low) * has
    total = weight.sum(axis=-1, keepdims=True)
    some = total > 0
    safe_total = np.where(some, total, 1.0)
    nest_shares = weight / safe_total
    conditional = within / safe_inner[..., nests]
    shares = nest_shares[..., nests] * conditional
    ls = np.where(some, low - np.log(safe_total) / scale, np.inf)[..., 0]
    return (
        np.asarray(shares, dtype=np.float64),
        np.asarray(conditional, dtype=np.float64),
        np.asarray(nest_shares, dtype=np.float64),
        np.asarray(ls, dtype=np.float64),
    )


def logit_shares(
    cost: FloatArray,
    *,
    scale: float,
    nests: NDArray[np.integer[Any]] | Sequence[int] | None = None,
    nest_scale: float = 1.0,
) -> FloatArray:
    """Multinomial (or nested) logit shares over the last axis.

    Parameters
    ----------
    cost : array of float, shape (..., n)
        Generalised cost of each alternative, USD per TEU; ``inf`` marks an
        alternative that is not available.
    scale : float
        Logit scale, 1/USD per TEU (> 0).
    nests : array of int, shape (n,), optional
        Nest index of each alternative (e.g. 0 for the rail corridors, 1 for the sea
        routes). Without it the choice is a multinomial logit and ``nest_scale`` is
        not used.
    nest_scale : float
        Nest scale ``lam`` in (0, 1]; 1 is the multinomial logit, smaller makes the
        alternatives of a nest closer substitutes. A nest with no available
        alternative drops out.

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
    nest_of = _check_nests(nests, c.shape[-1] if c.ndim else 1, nest_scale)
    return _choose(c, scale, nest_of, nest_scale)


def _mnl_shares(c: FloatArray, scale: float) -> FloatArray:
    """Multinomial logit shares over the last axis (see :func:`logit_shares`)."""
    finite = np.isfinite(c)
    lowest = np.where(finite, c, np.inf).min(axis=-1, keepdims=True)
    lowest = np.where(np.isfinite(lowest), lowest, 0.0)
    expo = np.where(finite, np.exp(-scale * (np.where(finite, c, lowest) - lowest)), 0.0)
    total = expo.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(total > 0, expo / np.where(total > 0, total, 1.0), 0.0)
    return np.asarray(shares, dtype=np.float64)


def _choose(c: FloatArray, scale: float, nests: IntArray | None, nest_scale: float) -> FloatArray:
    """Shares of the validated (nested) logit; the multinomial one when ``lam`` is 1."""
    if nests is not None and nest_scale != 1.0:
        return _nested_parts(c, scale=scale, nests=nests, nest_scale=nest_scale)[0]
    return _mnl_shares(c, scale)


def logsum(
    cost: FloatArray,
    *,
    scale: float,
    nests: NDArray[np.integer[Any]] | Sequence[int] | None = None,
    nest_scale: float = 1.0,
) -> FloatArray:
    """Expected minimum cost (the logsum), USD per TEU, over the last axis.

    ``-(1/scale) * log(sum_k exp(-scale * g[k]))`` for the multinomial logit and
    ``-(1/scale) * log(sum_n exp(lam * IV_n))`` for the nested logit (see the module
    notes; same ``nests`` and ``nest_scale`` as :func:`logit_shares`). Its change
    between two states times the volume is the change in shippers' surplus (fixed
    total demand). ``inf`` where no alternative is available.
    """
    c = np.asarray(cost, dtype=np.float64)
    nest_of = _check_nests(nests, c.shape[-1] if c.ndim else 1, nest_scale)
    if nest_of is not None and nest_scale != 1.0:
        return _nested_parts(c, scale=scale, nests=nest_of, nest_scale=nest_scale)[3]
    finite = np.isfinite(c)
    lowest = np.where(finite, c, np.inf).min(axis=-1)
    safe_low = np.where(np.isfinite(lowest), lowest, 0.0)
    gaps = np.where(finite, c, safe_low[..., None]) - safe_low[..., None]
    expo = np.where(finite, np.exp(-scale * gaps), 0.0)
    total = expo.sum(axis=-1)
    with np.errstate(divide="ignore"):
        out = safe_low - np.log(total) / scale
    return np.asarray(np.where(total > 0, out, np.inf), dtype=np.float64)


def local_bpr(
    t0: FloatArray, volume: FloatArray, capacity: FloatArray, *, alpha: float, beta: float
) -> FloatArray:
    """BPR volume-delay function ``t0 * (1 + alpha * (volume / capacity) ** beta)``.

    ``capacity`` may be ``inf`` (never congested).
    """
    t0 = np.asarray(t0, dtype=np.float64)
    ratio = np.divide(
        volume,
        capacity,
        out=np.zeros(np.broadcast(volume, capacity).shape),
        where=np.isfinite(capacity) & (capacity > 0),
    )
    return np.asarray(t0 * (1.0 + alpha * ratio**beta), dtype=np.float64)


SRA_GROW = 1.0
"""SRA: increase of the step divisor after an iteration that did not reduce the gap."""
SRA_SHRINK = 0.05
"""SRA: increase of the step divisor after an iteration that reduced the gap."""

VDF = Callable[..., FloatArray]


def resolve_bpr() -> VDF:
    """``corridors.assignment.vdf.bpr`` when that module exists, else :func:`local_bpr`."""
    try:
        module = importlib.import_module("corridors.assignment.vdf")
    except ImportError:
        return local_bpr
    fn = getattr(module, "bpr", None)
    if not callable(fn):
        return local_bpr

    def shared(
        t0: FloatArray, volume: FloatArray, capacity: FloatArray, *, alpha: float, beta: float
    ) -> FloatArray:
        try:
            out = fn(t0, volume, capacity, alpha=alpha, beta=beta)
        except TypeError:  # a different signature: keep our own
            return local_bpr(t0, volume, capacity, alpha=alpha, beta=beta)
        return np.asarray(out, dtype=np.float64)

    return shared


BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class SharedElements:
    """Capacitated network elements shared by the corridors' routes.

    Congestion is computed per element (a border crossing, a port, a rail section, the
    ferries across one stretch of water) on the flow of *every* route through it, so
    two corridors crossing the same border share its capacity, and an element's delay
    grows with its own free time, not the whole route's.

    Attributes
    ----------
    incidence : array (elements, markets, corridors)
        1 where the route of a market on a corridor uses the element, else 0.
    capacity : array (elements,)
        Capacity, TEU a year (``inf``: none).
    hours : array (elements,)
        Free time through the element, hours (the ``t0`` of its volume-delay function).
    keys : tuple of str
        Element names (``node:dostyk``, ``link:...``, ``water:aktau+alat+kuryk``).
    hard : array of bool (elements,)
        True where the capacity is a hard limit: the element has no volume-delay but
        a shadow price (USD/TEU) that keeps its flow within capacity (see
        :func:`equilibrium_shares`). Empty (the default): no element is hard.

    Raises
    ------
    ValueError
        ``hard`` is neither empty nor one flag per element.
    """

    incidence: FloatArray
    capacity: FloatArray
    hours: FloatArray
    keys: tuple[str, ...] = ()
    hard: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        n = np.shape(self.capacity)[0] if np.ndim(self.capacity) else 1
        size = np.size(self.hard)
        if size not in (0, n):
            raise ValueError(f"hard must be empty or have one flag per element ({n}), got {size}")

    @property
    def hard_mask(self) -> BoolArray:
        """Hard-limit flag of every element (all False when ``hard`` is empty)."""
        n = np.shape(self.capacity)[0] if np.ndim(self.capacity) else 1
        if np.size(self.hard) == 0:
            return np.zeros(n, dtype=bool)
        return np.asarray(self.hard, dtype=bool).reshape(n)

    def flows(self, demand: FloatArray, shares: FloatArray) -> FloatArray:
        """Volume through each element, TEU a year."""
        return np.asarray(
            np.einsum("emc,m,mc->e", self.incidence, demand, shares), dtype=np.float64
        )


@dataclass(frozen=True)
class Equilibrium:
    """Result of :func:`equilibrium_shares`.

    Attributes
    ----------
    shares : array (markets, corridors)
        Shares at the fixed point.
    cost : array (markets, corridors)
        Generalised cost shippers face at the fixed point, USD per TEU (``inf``: not
        available): the congested cost plus the shadow prices of the hard elements
        the route uses, so a logsum of it values capacity scarcity.
    hours : array (markets, corridors)
        Congested transit time, hours (shadow prices are money, not hours).
    flows : array (corridors,)
        Volume on each corridor, TEU a year.
    element_flows : array (elements,)
        Volume through each shared element, TEU a year (empty without elements).
    iterations : int
        MSA iterations made.
    gap : float
        Largest share change asked by the last iteration (0 at the fixed point).
    converged : bool
        ``gap`` fell below the tolerance (and the last shadow-price solve converged).
    shadow_prices : array (elements,)
        Shadow price of each element's capacity, USD per TEU (0 for elements that are
        not hard or not full; empty without elements).
    over_capacity : tuple of int
        Indices of the hard elements whose flow still exceeds capacity with the price
        at ``max_shadow_price`` (a market that cannot fit, e.g. its only corridor is too
        small).
    """

    shares: FloatArray
    cost: FloatArray
    hours: FloatArray
    flows: FloatArray
    iterations: int
    gap: float
    converged: bool
    element_flows: FloatArray = field(default_factory=lambda: np.zeros(0))
    shadow_prices: FloatArray = field(default_factory=lambda: np.zeros(0))
    over_capacity: tuple[int, ...] = ()


PRICE_TOLERANCE = 0.01
"""Shadow prices: flow residual of the price solve, as a fraction of the share tolerance."""
PRICE_INEXACT = 0.01
"""Shadow prices: an averaging iteration solves them to this fraction of the last gap."""
PRICE_NEWTON_ITERATIONS = 60
"""Shadow prices: projected Newton iterations at most per solve."""
PRICE_LINE_SEARCH = 40
"""Shadow prices: step halvings at most per Newton iteration."""
PRICE_ARMIJO = 1e-4
"""Shadow prices: sufficient-decrease constant of the line search."""
PRICE_ACTIVE_WIDTH = 1e-3
"""Shadow prices: width (in units of 1/scale USD) within which a bound counts as active."""


class _Prices:
    """Shadow prices of the hard elements for given congested costs.

    Works in utility units, ``u = scale * cost`` and ``x = scale * price``, and minimises
    ``f(x) = (x . C - sum_m d_m scale * LS_m(u + A^T x)) / D`` (the negated dual over the
    total demand ``D``) on ``0 <= x <= scale * max_price``. Its gradient is
    ``(C - v(x)) / D`` (share of the total demand) and its Hessian
    ``sum_m d_m A_m J_m A_m^T / D`` with ``J`` the derivative of the choice
    probabilities by the utilities:
    ``diag(P) / lam + (1 - 1/lam) sum_n P_n q_n q_n^T - P P^T`` (``q_n``: conditional
    probabilities within nest ``n``). Markets without any available corridor stay out
    of the solve (their shares are zero).
    """

    def __init__(
        self,
        incidence: FloatArray,
        capacity: FloatArray,
        demand: FloatArray,
        available: BoolArray,
        *,
        scale: float,
        nests: IntArray | None,
        nest_scale: float,
        max_price: float,
        tolerance: float,
        method: str,
    ) -> None:
        n_hard = incidence.shape[0]
        self.b_all = np.ascontiguousarray(incidence, dtype=np.float64).reshape(n_hard, -1)
        self.shape = available.shape
        self.demand_all = demand
        self.rows = np.flatnonzero(available.any(axis=1))
        self.every_row = self.rows.size == self.shape[0]
        self.a = np.ascontiguousarray(incidence[:, self.rows], dtype=np.float64)
        self.b = self.a.reshape(n_hard, -1)
        self.d = demand[self.rows]
        self.cap = capacity
        total = float(demand.sum())
        self.total = total if total > 0 else 1.0
        self.scale = scale
        self.nests = nests
        self.lam = nest_scale
        self.nested = nests is not None and nest_scale != 1.0
        self.member = _membership(nests) if nests is not None else np.zeros((0, 0))
        self.x_max = max_price * scale
        self.tol = max(PRICE_TOLERANCE * tolerance, 1e-13)
        self.slack = self.tol * self.total
        self.method = method

    def shift(self, x: FloatArray) -> FloatArray:
        """Price added to each market's corridor, USD per TEU."""
        return np.asarray((x @ self.b_all).reshape(self.shape) / self.scale, dtype=np.float64)

    def flows(self, shares: FloatArray) -> FloatArray:
        """Volume through each hard element, TEU a year."""
        return np.asarray(
            self.b_all @ (self.demand_all[:, None] * shares).ravel(), dtype=np.float64
        )

    def target(
        self, cost: FloatArray, x: FloatArray, *, loose: float = 0.0
    ) -> tuple[FloatArray, FloatArray, bool]:
        """Shares under the prices that clear the hard capacities at ``cost``.

        Returns the shares, the prices ``x`` (units of 1/scale USD) and whether the
        price solve converged. ``loose`` (share of the total demand) lets an early
        averaging iteration stop the price solve sooner. When no price is needed it
        costs one flow product more than the plain logit.
        """
        if not x.any():
            shares = _choose(cost, self.scale, self.nests, self.lam)
            if bool((self.flows(shares) <= self.cap + self.slack).all()):
                return shares, x, True
        x, sub, ok = self.solve(cost, x, loose=loose)
        if self.every_row:
            return sub, x, ok
        shares = np.zeros(self.shape)
        shares[self.rows] = sub
        return shares, x, ok

    def _evaluate(
        self, u: FloatArray, x: FloatArray
    ) -> tuple[float, FloatArray, tuple[FloatArray, FloatArray, FloatArray]]:
        """Objective, gradient and (shares, conditional, nest shares) at ``x``."""
        w = u + (x @ self.b).reshape(u.shape)
        if self.nested:
            assert self.nests is not None
            shares, cond, nest_shares, ls = _nested_parts(
                w, scale=1.0, nests=self.nests, nest_scale=self.lam, member=self.member
            )
        else:
            low = w.min(axis=1, keepdims=True)
            expo = np.exp(low - w)
            total = expo.sum(axis=1, keepdims=True)
            shares = expo / total
            ls = low[:, 0] - np.log(total[:, 0])
            cond = nest_shares = shares
        value = (float(x @ self.cap) - float(self.d @ ls)) / self.total
        grad = (self.cap - self.b @ (self.d[:, None] * shares).ravel()) / self.total
        return value, grad, (shares, cond, nest_shares)

    def _hessian(self, parts: tuple[FloatArray, FloatArray, FloatArray]) -> FloatArray:
        shares, cond, nest_shares = parts
        d = self.d
        hess = (self.b * (d[:, None] * shares).ravel()) @ self.b.T
        if self.lam != 1.0:
            hess /= self.lam
        through = (self.a * shares).sum(axis=-1)  # (hard, markets)
        hess -= (through * d) @ through.T
        if self.nested:
            for n in range(self.member.shape[1]):
                inside = (self.a * (cond * self.member[:, n])).sum(axis=-1)
                hess += (1.0 - 1.0 / self.lam) * ((inside * (d * nest_shares[:, n])) @ inside.T)
        return np.asarray(hess / self.total, dtype=np.float64)

    def solve(
        self, cost: FloatArray, x0: FloatArray, *, loose: float = 0.0
    ) -> tuple[FloatArray, FloatArray, bool]:
        """Prices from ``x0`` clearing the hard capacities.

        Returns the prices (units of 1/scale USD), the shares of the markets with an
        available corridor and whether the flow residual met the tolerance.
        """
        sub = cost[self.rows]
        u = self.scale * (sub - sub.min(axis=1, keepdims=True))
        x = np.clip(x0, 0.0, self.x_max)
        tol = max(self.tol, loose)
        if self.method == "lbfgsb":
            return self._lbfgsb(u, x, tol)
        value, grad, parts = self._evaluate(u, x)
        x_max = self.x_max
        n_hard = x.size
        for _ in range(PRICE_NEWTON_ITERATIONS):
            size = float(np.abs(x - np.minimum(np.maximum(x - grad, 0.0), x_max)).max())
            if size <= tol:
                return x, parts[0], True
            width = min(PRICE_ACTIVE_WIDTH, size)
            active = ((x <= width) & (grad > 0)) | ((x >= x_max - width) & (grad < 0))
            hess = self._hessian(parts)
            diag = hess.diagonal().copy()
            ridge = 1e-12 * max(1.0, float(diag.max()))
            scaled_gradient = -grad / (diag + ridge)
            hess.flat[:: n_hard + 1] += ridge
            if not active.any():
                newton = -np.linalg.solve(hess, grad)
            else:
                newton = scaled_gradient.copy()
                free = np.flatnonzero(~active)
                if free.size:
                    newton[free] = -np.linalg.solve(hess[np.ix_(free, free)], grad[free])
            roundoff = 1e-13 * (1.0 + abs(value))
            for direction in (newton, scaled_gradient):
                step = 1.0
                moved = False
                for _ in range(PRICE_LINE_SEARCH):
                    x_new = np.minimum(np.maximum(x + step * direction, 0.0), x_max)
                    slope = float(grad @ (x_new - x))
                    if slope < 0:
                        v_new, g_new, p_new = self._evaluate(u, x_new)
                        if v_new <= value + PRICE_ARMIJO * slope + roundoff:
                            moved = True
                            break
                    step *= 0.5
                if moved:
                    x, value, grad, parts = x_new, v_new, g_new, p_new
                    break
            else:
                break
        size = float(np.abs(x - np.minimum(np.maximum(x - grad, 0.0), x_max)).max())
        if size > tol:
            logger.debug("shadow prices: Newton stopped with a flow residual of %.2e", size)
        return x, parts[0], size <= tol

    def _lbfgsb(
        self, u: FloatArray, x0: FloatArray, tol: float
    ) -> tuple[FloatArray, FloatArray, bool]:
        def fun(x: FloatArray) -> tuple[float, FloatArray]:
            value, grad, _ = self._evaluate(u, x)
            return value, grad

        res = minimize(
            fun,
            x0,
            jac=True,
            method="L-BFGS-B",
            bounds=[(0.0, self.x_max)] * x0.size,
            options={"ftol": 1e-15, "gtol": tol, "maxiter": 2000},
        )
        x = np.clip(np.asarray(res.x, dtype=np.float64), 0.0, self.x_max)
        _, grad, parts = self._evaluate(u, x)
        size = float(np.abs(x - np.clip(x - grad, 0.0, self.x_max)).max())
        return x, parts[0], size <= tol


def equilibrium_shares(
    base_cost: FloatArray,
    hours: FloatArray,
    demand: FloatArray,
    capacity: FloatArray,
    *,
    scale: float,
    value_of_time: float,
    alpha: float = 0.15,
    beta: float = 4.0,
    max_iterations: int = 200,
    tolerance: float = 1e-6,
    method: str = "sra",
    vdf: VDF | None = None,
    elements: SharedElements | None = None,
    warn: bool = True,
    nests: NDArray[np.integer[Any]] | Sequence[int] | None = None,
    nest_scale: float = 1.0,
    max_shadow_price: float = 50_000.0,
    price_method: str = "newton",
) -> Equilibrium:
    """Corridor shares at the fixed point of logit choice and congestion (MSA).

    Parameters
    ----------
    base_cost : array (markets, corridors)
        Uncongested generalised cost, USD per TEU (``inf``: corridor not available).
    hours : array (markets, corridors)
        Uncongested transit time, hours (the ``t0`` of the volume-delay function).
    demand : array (markets,)
        Volume of each market, TEU a year.
    capacity : array (corridors,) or (markets, corridors)
        Bottleneck capacity of each corridor's route, TEU a year (``inf``: none);
        ignored when ``elements`` is given.
    scale : float
        Logit scale, 1/USD per TEU.
    value_of_time : float
        USD per TEU-hour.
    alpha, beta : float
        BPR parameters.
    max_iterations : int
        MSA iterations at most.
    tolerance : float
        Stop when no share would move by more than this. Hard capacities are met to
        ``tolerance`` times the total demand (TEU a year).
    method : {"sra", "msa"}
        Step sizes: self-regulated averaging (default) or classic ``1/k``.
    vdf : callable, optional
        Volume-delay function (default: :func:`resolve_bpr`).
    elements : SharedElements, optional
        Element-level congestion: each route's time is its free time plus, on every
        capacitated element it uses, ``t0_e * alpha * (v_e / c_e) ** beta`` where
        ``v_e`` is the flow of all routes through the element. Without it, the
        whole route's time is delayed by its corridor's flow against ``capacity``.
        Elements flagged ``hard`` (with a finite capacity) have no delay but a
        shadow price instead: the capacity-constrained equilibrium, where the shares
        are the logit of the congested cost plus the prices of the hard elements on
        each route, every price is >= 0, no hard element carries more than its
        capacity, and a price is positive only on a full element.
    warn : bool
        Log a warning when the iterations do not converge or a hard capacity cannot
        be met (calibration trials far from the optimum turn it off and check the
        final run instead).
    nests, nest_scale
        Nested logit (see :func:`logit_shares`); the default is the multinomial logit.
    max_shadow_price : float
        Highest shadow price, USD per TEU (> 0). When a market cannot fit (its only
        corridor is too small) the price stops here, the flow stays above capacity
        and the element is listed in ``Equilibrium.over_capacity``.
    price_method : {"newton", "lbfgsb"}
        Solver of the shadow prices for given congested costs: projected Newton with
        the exact Hessian of the dual (default; converges in a few steps from the
        previous iteration's prices) or scipy's L-BFGS-B.

    Returns
    -------
    Equilibrium

    Raises
    ------
    ValueError
        Unknown ``method`` or ``price_method``, ``max_shadow_price`` not positive, or
        bad ``nests`` / ``nest_scale``.
    """
    base_cost = np.asarray(base_cost, dtype=np.float64)
    hours = np.asarray(hours, dtype=np.float64)
    demand = np.asarray(demand, dtype=np.float64)
    capacity = np.asarray(capacity, dtype=np.float64)
    nest_of = _check_nests(nests, base_cost.shape[-1], nest_scale)
    if not 0.0 < max_shadow_price < np.inf:
        raise ValueError(f"max_shadow_price must be positive, got {max_shadow_price!r}")
    if price_method not in ("newton", "lbfgsb"):
        raise ValueError(f"unknown price_method {price_method!r}; use 'newton' or 'lbfgsb'")
    fn = vdf or resolve_bpr()
    finite = np.isfinite(base_cost)
    safe_hours = np.where(finite, hours, 0.0)
    prices: _Prices | None = None
    priced = np.zeros(0, dtype=bool)
    delay_capacity = capacity
    if elements is not None:
        hard = elements.hard_mask
        priced = hard & np.isfinite(elements.capacity)
        delay_capacity = elements.capacity
        if hard.any():
            delay_capacity = np.where(hard, np.inf, elements.capacity)
        if priced.any():
            prices = _Prices(
                np.asarray(elements.incidence, dtype=np.float64)[priced],
                np.asarray(elements.capacity, dtype=np.float64)[priced],
                demand,
                finite,
                scale=scale,
                nests=nest_of,
                nest_scale=nest_scale,
                max_price=max_shadow_price,
                tolerance=tolerance,
                method=price_method,
            )

    def costs(shares: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        flows = (demand[:, None] * shares).sum(axis=0)
        if elements is not None:
            ev = elements.flows(demand, shares)
            delay = fn(elements.hours, ev, delay_capacity, alpha=alpha, beta=beta) - (
                elements.hours
            )
            congested = safe_hours + np.einsum("emc,e->mc", elements.incidence, delay)
        else:
            congested = fn(
                safe_hours,
                np.broadcast_to(flows, safe_hours.shape),
                np.broadcast_to(capacity, safe_hours.shape),
                alpha=alpha,
                beta=beta,
            )
        cost = np.where(finite, base_cost + value_of_time * (congested - safe_hours), np.inf)
        return cost, np.where(finite, congested, np.inf), flows

    shares = _choose(base_cost, scale, nest_of, nest_scale)
    gap = np.inf
    k = 0
    constrained = bool(np.isfinite(delay_capacity).any()) and alpha > 0
    if method not in ("sra", "msa"):
        raise ValueError(f"unknown method {method!r}; use 'sra' or 'msa'")
    step_base = 1.0
    previous = np.inf
    x = np.zeros(int(priced.sum()))
    prices_ok = True
    if constrained:
        for k in range(1, max_iterations + 1):
            cost, _, _ = costs(shares)
            if prices is None:
                target = _choose(cost, scale, nest_of, nest_scale)
            else:
                loose = PRICE_INEXACT * previous if previous < np.inf else 0.0
                target, x, prices_ok = prices.target(cost, x, loose=loose)
            gap = float(np.abs(target - shares).max(initial=0.0))
            if gap < tolerance:
                break
            if method == "msa":
                step_base = k + 1.0
            else:
                step_base += SRA_SHRINK if gap < previous else SRA_GROW
            previous = gap
            shares = shares + (target - shares) / step_base
    elif prices is not None:
        # fixed costs: the priced logit is the equilibrium itself
        k = 1
        cost, _, _ = costs(shares)
        shares, x, prices_ok = prices.target(cost, x)
        gap = 0.0
    else:
        gap = 0.0
    cost, congested, flows = costs(shares)
    converged = gap < tolerance and prices_ok
    if not converged and warn:
        logger.warning(
            "corridor shares did not converge in %d iterations (gap %.2e%s)",
            k,
            gap,
            "" if prices_ok else "; shadow prices not solved to tolerance",
        )
    ev = elements.flows(demand, shares) if elements is not None else np.zeros(0)
    shadow = np.zeros(ev.shape)
    over: tuple[int, ...] = ()
    if prices is not None:
        cost = cost + prices.shift(x)
        shadow[priced] = np.where(x >= prices.x_max, max_shadow_price, x / scale)
        index = np.flatnonzero(priced)
        full = (x >= prices.x_max * (1.0 - 1e-12)) & (
            ev[priced] > prices.cap + tolerance * prices.total
        )
        over = tuple(int(e) for e in index[full])
        if over and warn:
            keys = elements.keys if elements is not None else ()
            names = [keys[e] if e < len(keys) else str(e) for e in over]
            logger.warning(
                "hard capacity exceeded with the shadow price at its cap (%.0f USD/TEU): %s",
                max_shadow_price,
                ", ".join(names),
            )
    return Equilibrium(shares, cost, congested, flows, k, gap, converged, ev, shadow, over)
