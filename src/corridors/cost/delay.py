"""Volume-delay functions: BPR and conical, with derivatives and integrals.

A volume-delay function gives the travel time of a link (or the passage time of a
node: port, border crossing, ferry line) as a function of the flow using it. Times are
in the unit of ``t0`` (hours in corridor networks, minutes or 0.01 h in TNTP files);
flows and capacities in one consistent unit (TEU/yr, tonnes/yr, vehicles/h).

Two forms are provided:

* BPR (Bureau of Public Roads, 1964): ``t = t0 * (1 + alpha * (x / c) ** beta)``.
* Conical (Spiess, 1990, *Transportation Science* 24(2)): ``t = t0 * f(x / c)`` with
  ``f(r) = 2 + sqrt(a² (1 - r)² + g²) - a (1 - r) - g`` and ``g = (2a - 1) / (2a - 2)``;
  ``f(0) = 1``, ``f(1) = 2``, and it grows linearly (slope ``2a``) well above capacity.

Both make delays grow steeply once the flow exceeds the capacity, which is how a static
assignment represents the queues that build at a short-capacity port or border.

:class:`GroupDelay` evaluates the *delay* part (time above free flow) for many capacity
groups at once; it is what the equilibrium engine uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

VDF_KINDS: tuple[str, ...] = ("bpr", "conical")
"""Names of the volume-delay functions, in the order of their integer code."""


def _f(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def bpr(
    t0: ArrayLike,
    flow: ArrayLike,
    capacity: ArrayLike,
    *,
    alpha: ArrayLike = 0.15,
    beta: ArrayLike = 4.0,
) -> FloatArray:
    """BPR travel time ``t0 * (1 + alpha * (flow / capacity) ** beta)``.

    Parameters
    ----------
    t0 : array_like
        Free-flow time (hours, or the network's time unit).
    flow : array_like
        Flow (units per period, e.g. TEU/yr).
    capacity : array_like
        Capacity in the unit of ``flow``; must be positive.
    alpha, beta : array_like
        BPR parameters (0.15 and 4 by default).

    Returns
    -------
    numpy.ndarray
        Travel time in the unit of ``t0``.
    """
    ratio = _f(flow) / _f(capacity)
    return np.asarray(_f(t0) * (1.0 + _f(alpha) * ratio ** _f(beta)), dtype=np.float64)


def bpr_derivative(
    t0: ArrayLike,
    flow: ArrayLike,
    capacity: ArrayLike,
    *,
    alpha: ArrayLike = 0.15,
    beta: ArrayLike = 4.0,
) -> FloatArray:
    """Derivative of :func:`bpr` with respect to the flow (time per unit of flow)."""
    cap = _f(capacity)
    b = _f(beta)
    ratio = _f(flow) / cap
    with np.errstate(divide="ignore", invalid="ignore"):
        powered = np.where(b == 0.0, 0.0, ratio ** np.maximum(b - 1.0, 0.0))
    return np.asarray(_f(t0) * _f(alpha) * b / cap * powered, dtype=np.float64)


def bpr_integral(
    t0: ArrayLike,
    flow: ArrayLike,
    capacity: ArrayLike,
    *,
    alpha: ArrayLike = 0.15,
    beta: ArrayLike = 4.0,
) -> FloatArray:
    """Integral of :func:`bpr` from 0 to ``flow`` (time x flow, e.g. TEU-hours)."""
    x = _f(flow)
    cap = _f(capacity)
    b = _f(beta)
    t = _f(t0)
    return np.asarray(
        t * x + t * _f(alpha) * cap / (b + 1.0) * (x / cap) ** (b + 1.0), dtype=np.float64
    )


def _conical_gamma(alpha: FloatArray) -> FloatArray:
    return np.asarray((2.0 * alpha - 1.0) / (2.0 * alpha - 2.0), dtype=np.float64)


def conical(
    t0: ArrayLike,
    flow: ArrayLike,
    capacity: ArrayLike,
    *,
    alpha: ArrayLike = 4.0,
) -> FloatArray:
    """Conical travel time (Spiess 1990) ``t0 * f(flow / capacity)``.

    Parameters
    ----------
    t0 : array_like
        Free-flow time (hours, or the network's time unit).
    flow, capacity : array_like
        Flow and capacity in the same unit (capacity positive).
    alpha : array_like
        Steepness, greater than 1 (4 by default); the time doubles at capacity.

    Returns
    -------
    numpy.ndarray
        Travel time in the unit of ``t0``.
    """
    a = _f(alpha)
    g = _conical_gamma(a)
    u = a * (1.0 - _f(flow) / _f(capacity))
    return np.asarray(_f(t0) * (2.0 + np.sqrt(u * u + g * g) - u - g), dtype=np.float64)


def conical_derivative(
    t0: ArrayLike,
    flow: ArrayLike,
    capacity: ArrayLike,
    *,
    alpha: ArrayLike = 4.0,
) -> FloatArray:
    """Derivative of :func:`conical` with respect to the flow (time per unit of flow)."""
    a = _f(alpha)
    g = _conical_gamma(a)
    cap = _f(capacity)
    u = a * (1.0 - _f(flow) / cap)
    return np.asarray(_f(t0) * a / cap * (1.0 - u / np.sqrt(u * u + g * g)), dtype=np.float64)


def conical_integral(
    t0: ArrayLike,
    flow: ArrayLike,
    capacity: ArrayLike,
    *,
    alpha: ArrayLike = 4.0,
) -> FloatArray:
    """Integral of :func:`conical` from 0 to ``flow`` (time x flow)."""
    a = _f(alpha)
    g = _conical_gamma(a)
    cap = _f(capacity)
    r = _f(flow) / cap

    def prim(u: FloatArray) -> FloatArray:  # antiderivative of sqrt(u² + g²)
        return np.asarray(
            0.5 * (u * np.sqrt(u * u + g * g) + g * g * np.arcsinh(u / g)), dtype=np.float64
        )

    sqrt_part = (prim(a) - prim(a * (1.0 - r))) / a
    value = (2.0 - g) * r + sqrt_part - a * (r - 0.5 * r * r)
    return np.asarray(_f(t0) * cap * value, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class GroupDelay:
    """Delay functions of capacity groups, evaluated for all groups at once.

    The delay of group ``g`` is its volume-delay time minus the free-flow part:
    ``scale[g] * (f_g(x / capacity[g]) - 1)``, where ``f_g`` is BPR or conical.

    Attributes
    ----------
    scale : numpy.ndarray
        Free-flow time the delay is proportional to (time unit), per group.
    capacity : numpy.ndarray
        Capacity per group (flow unit); positive where ``scale > 0``.
    alpha, beta : numpy.ndarray
        VDF parameters per group (``beta`` is unused by the conical form).
    kind : numpy.ndarray
        0 for BPR, 1 for conical (index into :data:`VDF_KINDS`).
    """

    scale: FloatArray
    capacity: FloatArray
    alpha: FloatArray
    beta: FloatArray
    kind: NDArray[np.int8]

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return int(self.scale.shape[0])

    @property
    def _safe_capacity(self) -> FloatArray:
        return np.where(self.capacity > 0.0, self.capacity, 1.0)

    def _split(self) -> tuple[NDArray[np.bool_], bool]:
        conical_mask = self.kind == 1
        return conical_mask, bool(conical_mask.any())

    def delay(self, flow: FloatArray) -> FloatArray:
        """Delay per group at group flows ``flow`` (time unit)."""
        cap = self._safe_capacity
        out = self.scale * self.alpha * (flow / cap) ** self.beta
        mask, any_conical = self._split()
        if any_conical:
            out[mask] = (
                conical(self.scale[mask], flow[mask], cap[mask], alpha=self.alpha[mask])
                - self.scale[mask]
            )
        return np.asarray(out, dtype=np.float64)

    def derivative(self, flow: FloatArray) -> FloatArray:
        """Derivative of the delay per group (time per unit of flow)."""
        cap = self._safe_capacity
        out = bpr_derivative(self.scale, flow, cap, alpha=self.alpha, beta=self.beta)
        mask, any_conical = self._split()
        if any_conical:
            out[mask] = conical_derivative(
                self.scale[mask], flow[mask], cap[mask], alpha=self.alpha[mask]
            )
        return out

    def integral(self, flow: FloatArray) -> FloatArray:
        """Integral of the delay from 0 to ``flow``, per group (time x flow)."""
        cap = self._safe_capacity
        out = self.scale * self.alpha * cap / (self.beta + 1.0) * (flow / cap) ** (self.beta + 1.0)
        mask, any_conical = self._split()
        if any_conical:
            out[mask] = (
                conical_integral(self.scale[mask], flow[mask], cap[mask], alpha=self.alpha[mask])
                - self.scale[mask] * flow[mask]
            )
        return np.asarray(out, dtype=np.float64)
