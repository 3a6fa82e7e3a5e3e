"""Shadow prices of hard capacities in the corridor split (capacity-constrained logit).

An element declared a hard limit (a ferry fleet, a terminal's yard) carries, instead of
a delay, a shadow price ``mu_e >= 0`` (USD per TEU) added to the cost of every route
through it, such that its flow stays within its capacity and ``mu_e > 0`` only when it
is full (complementary slackness): the capacity-constrained stochastic equilibrium
(Bell 1995, "Stochastic user equilibrium assignment in networks with queues",
Transportation Research B 29(2)). For fixed congested costs the prices maximise the
concave dual ``sum_m d_m LS_m(G + A^T mu) - sum_e mu_e C_e``, whose gradient is the
element's flow minus its capacity; it is solved by a projected Newton method with the
exact Hessian (or scipy's L-BFGS-B). The logit and logsum are
:mod:`corridors.cost.logit`'s. Pure numpy; no I/O.
"""

from __future__ import annotations

import logging

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

from corridors.cost.logit import IntArray, choose, membership

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
"""Shadow prices: step shortenings at most per Newton iteration."""
PRICE_SHRINK_MIN = 0.01
"""Shadow prices: smallest factor by which one line-search trial shortens the step."""
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
        self.member = membership(nests) if nests is not None else np.zeros((0, 0))
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
            member=self.member if self.nested else None,
        )
        shares, cond, nest_shares, ls = choice
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
                    shrink = 0.5
                    if slope < 0:
                        v_new, g_new, p_new = self._evaluate(u, x_new)
                        if v_new <= value + PRICE_ARMIJO * slope + roundoff:
                            moved = True
                            break
                        # the minimum of the parabola through the value, the slope and
                        # the value found (Nocedal and Wright 2006, sec. 3.5): a step far
                        # too long (a flat direction of the Hessian, e.g. two elements
                        # in series) is cut by up to 100 at once, not halved 30 times
                        curve = v_new - value - slope
                        if curve > 0:
                            shrink = min(max(-slope / (2.0 * curve), PRICE_SHRINK_MIN), 0.5)
                    step *= shrink
                if moved:
                    x, value, grad, parts = x_new, v_new, g_new, p_new
                    break
            else:
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
