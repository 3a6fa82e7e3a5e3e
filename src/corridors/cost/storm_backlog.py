r"""The backlog a storm closure leaves at an element that reopens: written once.

A storm closes the Caspian ports for :math:`D` hours (gamma, mean ``closure_h``,
coefficient of variation ``closure_cv``); the shipments that arrive meanwhile,
:math:`\lambda D`, are there when it ends. The servers take ``burst`` of them at once
(a port's berths, the ships in port); the rest, :math:`X = (\lambda D - b)^+`, queue
and clear at the spare rate. :func:`backlog_moments` gives the mean and the mean
square of :math:`X` in closed form; :func:`seasonal_backlog_h` the fluid queue of
the months whose cargo exceeds what their open days serve. The ferry and feeder lines
(:class:`~corridors.cost.ferry_queue.FerryQueue`) take both from here. No I/O.

Example
-------
>>> from corridors.cost.storm_backlog import backlog_moments
>>> backlog_moments(0.1, 2.0, closure_h=100.0, closure_cv=0.0)  # storms of 100 h: 10 - 2
(8.0, 64.0)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import gammaincc

__all__ = ["MONTH_DAYS", "backlog_moments", "seasonal_backlog_h"]

MONTH_DAYS: tuple[int, ...] = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
"""Days of each month of a (non-leap) year."""


def backlog_moments(
    lam: float, burst: float, *, closure_h: float, closure_cv: float
) -> tuple[float, float]:
    r"""``E[(lam D - burst)^+]`` and ``E[((lam D - burst)^+)^2]`` over the storm lengths ``D``.

    Parameters
    ----------
    lam : float
        Arrivals, shipments an hour (> 0).
    burst : float
        Shipments the servers take at once when the storm ends.
    closure_h, closure_cv : float
        Mean storm length, hours, and its coefficient of variation (0: every storm
        ``closure_h`` long).

    Returns
    -------
    tuple of float
        The mean backlog beyond ``burst`` (shipments) and its mean square.

    Notes
    -----
    ``D`` is gamma of shape :math:`k = 1 / cv^2` and scale :math:`\theta`; with
    :math:`d_0 = burst / lam` and the regularised upper incomplete gamma :math:`Q`,
    :math:`E[D^j 1\{D > d_0\}] = \theta^j \Gamma(k + j) / \Gamma(k)\, Q(k + j, d_0 /
    \theta)`.
    """
    if closure_cv <= 0.0:
        over = max(lam * closure_h - burst, 0.0)
        return over, over * over
    shape = 1.0 / closure_cv**2
    scale = closure_h / shape
    x0 = max(burst, 0.0) / lam / scale  # burst <= 0: the whole distribution
    tail0 = float(gammaincc(shape, x0))
    tail1 = scale * shape * float(gammaincc(shape + 1.0, x0))
    tail2 = scale * scale * shape * (shape + 1.0) * float(gammaincc(shape + 2.0, x0))
    first = max(lam * tail1 - burst * tail0, 0.0)
    second = max(lam * lam * tail2 - 2.0 * lam * burst * tail1 + burst * burst * tail0, 0.0)
    return first, second


def seasonal_backlog_h(
    lam: float, lift: npt.NDArray[np.float64], hours: npt.NDArray[np.float64]
) -> float:
    """Mean wait from months whose cargo exceeds what the open servers serve, hours.

    The fluid queue over the periodic year (arrivals ``lam``, service ``lift`` per
    month): the backlog built in the short months is cleared in the next; the mean
    wait is its area over the cargo of the year. 0 when no month is short.
    """
    if (lift > lam).all():
        return 0.0
    queue = 0.0
    area = 0.0
    for _ in range(3):  # the second pass starts from the periodic state
        area = 0.0
        for mu, h in zip(lift, hours, strict=True):
            drift = lam - mu
            end = max(queue + drift * h, 0.0)
            if drift >= 0.0:
                area += (queue + end) / 2.0 * h
            else:  # falls to ``end`` (or to 0 after ``t_empty``)
                t_empty = min(queue / -drift, h)
                area += (queue + queue + drift * t_empty) / 2.0 * t_empty
            queue = end
    return float(area / (lam * hours.sum()))
