"""Shadow prices of hard capacities in the corridor split (capacity-constrained logit).

An element declared a hard limit (a ferry fleet, a terminal's yard) carries, instead of
a delay, a shadow price ``mu_e >= 0`` (USD per TEU) added to the cost of every route
through it, such that its flow stays within its capacity and ``mu_e > 0`` only when it
is full (complementary slackness): the capacity-constrained stochastic equilibrium
(Bell 1995, "Stochastic user equilibrium assignment in networks with queues",
Transportation Research B 29(2)). For fixed congested costs the prices maximise the
concave dual ``sum_m d_m LS_m(G + A^T mu) - sum_e mu_e C_e``, whose gradient is the
element's flow minus its capacity; it is solved by a projected Newton method with the
exact Hessian in a trust region (:func:`trust_step`: Levenberg-Marquardt where the
Hessian is singular, e.g. two hard elements in series on the same routes), or scipy's
L-BFGS-B. The logit and logsum are
:mod:`corridors.cost.logit`'s. Pure numpy; no I/O.
"""

from __future__ import annotations

import logging

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

from corridors.cost.logit import IntArray, NestLayout, choose

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

PRICE_TOLERANCE = 0.01
"""Shadow prices: flow residual of the price solve, as a fraction of the share tolerance."""
PRICE_INEXACT = 0.01
"""Shadow prices: an averaging iteration solves them to this fraction of the last gap."""
PRICE_NEWTON_ITERATIONS = 60
"""Shadow prices: projected Newton iterations at most per solve."""
PRICE_LINE_SEARCH = 40
"""Shadow prices: trust-radius cuts at most per Newton iteration."""
PRICE_SHRINK_MIN = 0.01
"""Shadow prices: smallest factor by which one rejected trial cuts the trust radius."""
PRICE_TRUST_RADIUS = 4.0
"""Shadow prices: trust radius at the start of a solve, utility units (a price step of
``4 / scale`` USD on a route changes its odds by ``e^4``)."""
PRICE_TRUST_GROWTH = 4.0
"""Shadow prices: factor by which the trust radius grows after a step the model predicted
well (a flat direction: a price far from the range where its flow responds)."""
PRICE_ARMIJO = 1e-4
"""Shadow prices: sufficient-decrease constant of the line search."""
PRICE_ACTIVE_WIDTH = 1e-3
"""Shadow prices: width (in units of 1/scale USD) within which a bound counts as active."""


class HardCapacityPrices:
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
        self.layout = NestLayout.of(nests) if nests is not None else None
        self.member = self.layout.member if self.layout is not None else np.zeros((0, 0))
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
            shares = choose(cost, scale=self.scale, nests=self.nests, nest_scale=self.lam).shares
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
        choice = choose(
            w,
            scale=1.0,
            nests=self.nests if self.nested else None,
            nest_scale=self.lam,
            layout=self.layout if self.nested else None,
        )
        shares, cond, nest_shares, ls = choice
        value = (float(x @ self.cap) - float(self.d @ ls)) / self.total
        grad = (self.cap - self.b @ (self.d[:, None] * shares).ravel()) / self.total
        return value, grad, (shares, cond, nest_shares)

    def _hessian(
        self, parts: tuple[FloatArray, FloatArray, FloatArray], rows: IntArray
    ) -> FloatArray:
        """The Hessian's rows and columns ``rows`` (hard elements)."""
        shares, cond, nest_shares = parts
        d = self.d
        a, b = self.a[rows], self.b[rows]
        hess = (b * (d[:, None] * shares).ravel()) @ b.T
        if self.lam != 1.0:
            hess /= self.lam
        through = np.einsum("emc,mc->em", a, shares)  # (hard, markets)
        hess -= (through * d) @ through.T
        if self.nested:  # every nest at once: (hard, markets x nests)
            inside = ((a * cond).reshape(-1, cond.shape[-1]) @ self.member).reshape(a.shape[0], -1)
            weight = (d[:, None] * nest_shares).ravel()
            hess += (1.0 - 1.0 / self.lam) * ((inside * weight) @ inside.T)
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
        radius = PRICE_TRUST_RADIUS
        for _ in range(PRICE_NEWTON_ITERATIONS):
            size = float(np.abs(x - np.minimum(np.maximum(x - grad, 0.0), x_max)).max())
            if size <= tol:
                return x, parts[0], True
            width = min(PRICE_ACTIVE_WIDTH, size)
            active = ((x <= width) & (grad > 0)) | ((x >= x_max - width) & (grad < 0))
            # the Hessian of the prices that can move: the free ones, and those near a
            # bound that step onto it (a price at its bound stays there)
            moving = np.flatnonzero(~active | ((x > 0.0) & (x < x_max)))
            hess = self._hessian(parts, moving)
            free_in = np.flatnonzero(~active[moving])
            free = moving[free_in]
            h_free = hess[np.ix_(free_in, free_in)]
            bound = np.zeros(x.size)  # a price near its bound steps onto it
            onto = np.flatnonzero(active[moving])
            if onto.size:
                diag = hess.diagonal()[onto]
                bound[moving[onto]] = -grad[moving[onto]] / (
                    diag + 1e-12 * max(1.0, float(diag.max()))
                )
            roundoff = 1e-13 * (1.0 + abs(value))
            moved = False
            for _ in range(PRICE_LINE_SEARCH):
                direction = bound.copy()
                direction[free] = trust_step(h_free, grad[free], radius)
                x_new = np.minimum(np.maximum(x + direction, 0.0), x_max)
                step = x_new - x
                length = float(np.linalg.norm(step[free]))
                slope = float(grad @ step)
                cut = 0.5
                if slope < 0:
                    v_new, g_new, p_new = self._evaluate(u, x_new)
                    if v_new <= value + PRICE_ARMIJO * slope + roundoff:
                        moved_by = step[moving]
                        model = slope + 0.5 * float(moved_by @ hess @ moved_by)
                        if length >= 0.9 * radius and v_new - value <= 0.75 * model:
                            radius *= PRICE_TRUST_GROWTH  # the model held to the boundary
                        x, value, grad, parts = x_new, v_new, g_new, p_new
                        moved = True
                        break
                    # the minimum of the parabola through the value, the slope and the
                    # value found (Nocedal and Wright 2006, sec. 3.5), at most 1/100
                    curve = v_new - value - slope
                    if curve > 0:
                        cut = min(max(-slope / (2.0 * curve), PRICE_SHRINK_MIN), 0.5)
                radius = cut * (length if length > 0 else radius)
                if radius < 1e-12:
                    break
            if not moved:
                break
        size = float(np.abs(x - np.minimum(np.maximum(x - grad, 0.0), x_max)).max())
        if size > tol:
            # Newton stalls where a price sits at a bound its flow no longer responds
            # to (a price at the cap on an element now below capacity: a flat Hessian,
            # huge steps that no halving brings back into the box); L-BFGS-B, from here
            logger.debug("shadow prices: Newton stopped with a flow residual of %.2e", size)
            return self._lbfgsb(u, x, tol)
        return x, parts[0], True

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


def trust_step(hess: FloatArray, grad: FloatArray, radius: float) -> FloatArray:
    """The step of the quadratic model ``g.s + s.H.s / 2`` within a ball of ``radius``.

    Newton's step ``-H^-1 g`` when it is finite and no longer than ``radius``; otherwise
    ``-(H + mu I)^-1 g`` with the ``mu > 0`` that makes it ``radius`` long (Levenberg-
    Marquardt; Moré and Sorensen 1983; Nocedal and Wright 2006, sec. 4.3), on the
    eigenvectors of ``H`` (symmetric, positive semi-definite). Where ``H`` is singular
    (two hard elements in series on the same routes: their prices can trade against each
    other; an element whose routes carry no cargo at its price: its flow does not
    respond) the step is Newton's on the rest and the gradient's component there,
    scaled: no direction of zero curvature makes it long.

    Parameters
    ----------
    hess : array (n, n)
        Hessian of the objective.
    grad : array (n,)
        Its gradient.
    radius : float
        Longest step (Euclidean norm, > 0).

    Returns
    -------
    array (n,)
    """
    n = grad.size
    if n == 0 or not bool(grad.any()):
        return np.zeros(n)
    top = max(1.0, float(np.abs(hess.diagonal()).max()))
    try:
        newton = -np.linalg.solve(hess + 1e-12 * top * np.eye(n), grad)
    except np.linalg.LinAlgError:
        newton = np.full(n, np.inf)
    if bool(np.isfinite(newton).all()) and float(np.linalg.norm(newton)) <= radius:
        return np.asarray(newton, dtype=np.float64)
    curvature, vectors = np.linalg.eigh(hess)
    curvature = np.maximum(curvature, 0.0)
    along = vectors.T @ grad
    # the smallest mu with a step no longer than radius lies at or above the bound each
    # eigenvector sets alone, |g_i| / radius - lambda_i; from there Newton's method on
    # 1/|s(mu)| - 1/radius (concave in mu) rises to it without overshooting
    mu = max(0.0, float((np.abs(along) / radius - curvature).max()))
    comps = np.zeros(n)
    for _ in range(40):
        denom = curvature + mu
        np.divide(along, denom, out=comps, where=denom > 0)
        length = float(np.linalg.norm(comps))
        if length <= radius * 1.01 or length == 0.0:
            break
        slope = float(np.sum(np.divide(comps**2, denom, where=denom > 0, out=np.zeros(n))))
        mu += (length / radius - 1.0) * length**2 / slope
    return np.asarray(-(vectors @ comps), dtype=np.float64)
