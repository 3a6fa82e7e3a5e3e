r"""The backlog a storm closure leaves at an element that reopens: written once.

A storm closes the Caspian ports for :math:`D` hours (gamma, mean ``closure_h``,
coefficient of variation ``closure_cv``); the shipments that arrive meanwhile,
:math:`\lambda D`, are there when it ends. The servers take ``burst`` of them at once
(a port's berths, the ships in port); the rest, :math:`X = (\lambda D - b)^+`, queue
and clear at the spare rate. :func:`backlog_moments` gives the mean and the mean
square of :math:`X` in closed form, :func:`reopening_wait_h` the mean wait it adds in
a month (the later storms of the month interrupt its clearing) and
:func:`seasonal_backlog_h` the fluid queue of the months whose cargo exceeds what
their open days serve. The ferry and feeder lines
(:class:`~corridors.cost.ferry_queue.FerryQueue`) and a Caspian port's berths
(:class:`~corridors.cost.mean_waits.QueueElement` with ``storm_months``) take them
from here. No I/O.

Example
-------
>>> from corridors.cost.storm_backlog import backlog_moments
>>> backlog_moments(0.1, 2.0, closure_h=100.0, closure_cv=0.0)  # storms of 100 h: 10 - 2
(8.0, 64.0)
"""

from __future__ import annotations

import functools
import math

import numpy as np
import numpy.typing as npt
from scipy.special import gammaincc

__all__ = [
    "MONTH_DAYS",
    "backlog_moments",
    "fluid_storm_h",
    "late_backlog_area",
    "merged_closures",
    "reopening_wait_h",
    "seasonal_backlog_h",
]

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


def late_backlog_area(
    lam: float, at_once: float, *, wait_h: float, closure_h: float, closure_cv: float
) -> float:
    r"""Shipment-hours a storm's backlog beyond what is taken at once waits ``wait_h`` hours.

    At reopening ``at_once`` (:math:`b`) of the backlog :math:`\lambda D` board; the
    rest, and what arrives meanwhile, wait ``wait_h`` (:math:`R`) hours:
    :math:`\int_0^{R} E[(\lambda (D + t) - b)^+]\,dt`, by 32-point Gauss-Legendre
    over :math:`t` with :math:`E[(\lambda D - c)^+]` in closed form (the storm lengths
    :math:`D` as :func:`backlog_moments`). 0 when ``wait_h`` is 0.
    """
    if wait_h <= 0.0:
        return 0.0
    if closure_cv <= 0.0:  # one storm length: the area of a clipped ramp
        start = lam * closure_h - at_once
        end = start + lam * wait_h
        if end <= 0.0:
            return 0.0
        return (start + end) / 2.0 * wait_h if start >= 0.0 else end * end / (2.0 * lam)
    nodes, weights = _gauss_legendre(32)
    t = (nodes + 1.0) * wait_h / 2.0
    c = at_once - lam * t  # what is taken at once beyond the arrivals since
    shape = 1.0 / closure_cv**2
    scale = closure_h / shape
    x0 = np.maximum(c, 0.0) / lam / scale
    tail1 = scale * shape * gammaincc(shape + 1.0, x0)
    over = np.maximum(lam * tail1 - c * gammaincc(shape, x0), 0.0)
    return float(weights @ over) * wait_h / 2.0


def fluid_storm_h(
    lam: float,
    *,
    at_once: tuple[float, float],
    wait_h: float,
    open_share: npt.NDArray[np.float64],
    spare_per_h: npt.NDArray[np.float64],
    closure_h: float,
    closure_cv: float,
) -> npt.NDArray[np.float64]:
    r"""Mean wait each month's storms add after their end, fluid backlog, hours a shipment.

    At reopening the ships in port take ``at_once[0]`` (:math:`s c n`) shipments, the
    rest of the backlog waits ``wait_h`` (:math:`R`, :func:`late_backlog_area`), and
    :math:`X = (\lambda D - b)^+` (:math:`b` = ``at_once[1]``) clears at the month's
    spare rate ``spare_per_h`` (:func:`reopening_wait_h`), month by month
    (``open_share``). The ferry lines whose ship in port keeps taking cargo in a storm
    (:class:`~corridors.cost.ferry_queue.FerryQueue` ``fills_in_storms``), with
    :math:`b = c n` recalibrated on the one-port toys of
    ``tests/cost/test_ferry_queue.py``.
    """
    late = late_backlog_area(
        lam, at_once[0], wait_h=wait_h, closure_h=closure_h, closure_cv=closure_cv
    )
    excess = backlog_moments(lam, at_once[1], closure_h=closure_h, closure_cv=closure_cv)[1]
    out = np.zeros(len(open_share))
    for m, share in enumerate(open_share):
        if share < 1.0:
            out[m] = (1.0 - share) / closure_h * late / lam + reopening_wait_h(
                lam,
                backlog_sq=excess,
                open_share=float(share),
                spare_per_h=float(spare_per_h[m]),
                closure_h=closure_h,
            )
    return out


def merged_closures(
    storm_share: float, *, closure_h: float, closure_cv: float
) -> tuple[float, float, float]:
    r"""The closures of storms that overlap: open share, mean length (hours) and its cv.

    Storms start at random, :math:`\nu` an hour, each :math:`D` hours long (mean
    ``closure_h``, coefficient of variation ``closure_cv``), with :math:`\rho = \nu
    E[D]` the storm days' share of the time (``storm_share``, e.g. 10 storm days of a
    31-day January). A storm that starts while another blows lengthens the closure:
    the closures are the busy periods of an :math:`M/G/\infty` queue of storms,
    :math:`\nu e^{-\rho}` of them an hour, :math:`E[D] (e^\rho - 1) / \rho` hours long
    on average, open a share :math:`e^{-\rho}` of the time (Takacs), and more
    variable than one storm: coefficient of variation :math:`\sqrt{cv^2 + \rho / 4}`,
    fitted to the closures the simulation draws
    (:func:`corridors.simulation.weather.storm_closures`, 400 years of the Caspian
    storms: :math:`E[L^2] / E[L]` 153 h simulated and 151 h so in January, 154 and 147
    in February, 146 and 134 in March, 123 and 129 in April, 111 and 123 in June; the
    counts and means as the formula).

    Returns
    -------
    tuple of float
        The open share :math:`e^{-\rho}`, the mean closure, hours, and its coefficient
        of variation.
    """
    if storm_share <= 0.0:
        return 1.0, closure_h, closure_cv
    return (
        math.exp(-storm_share),
        closure_h * math.expm1(storm_share) / storm_share,
        math.sqrt(closure_cv**2 + storm_share / 4.0),
    )


def reopening_wait_h(
    lam: float,
    *,
    backlog_sq: float,
    backlog: float = 0.0,
    step: float = 0.0,
    open_share: float,
    spare_per_h: float,
    closure_h: float,
) -> float:
    r"""Mean wait the backlog of the storms adds in a month, hours a shipment.

    Storms start at :math:`\nu = (1 - o) / E[D]` an hour in a month open a share
    :math:`o` of the time; each leaves the backlog :math:`X` beyond what the servers
    take at once (:func:`backlog_moments`), which clears at the month's spare rate
    :math:`r = o \mu - \lambda` (the month's later storms interrupt it, so the rate is
    the open share's):

    .. math::

        \frac{\nu}{\lambda} \, \frac{E[X^2] + s\,E[X]}{2 r},

    the area of a queue falling from :math:`X` at rate :math:`r` (:math:`E[X^2] /
    (2 r)`), and :math:`s\,E[X] / (2 r)` more where the backlog leaves in steps
    (``step`` :math:`s`: a server's next start comes a service later, not at once).

    Parameters
    ----------
    lam : float
        Arrivals, shipments an hour (> 0).
    backlog_sq, backlog : float
        :math:`E[X^2]` and :math:`E[X]`, shipments squared and shipments.
    step : float
        The steps' term :math:`s`, shipments (0: a fluid backlog).
    open_share : float
        Share of the month the element is open.
    spare_per_h : float
        :math:`r`, shipments an hour (> 0).
    closure_h : float
        Mean storm length, hours.
    """
    if open_share >= 1.0 or closure_h <= 0.0:
        return 0.0
    storms_per_h = (1.0 - open_share) / closure_h
    return storms_per_h * (backlog_sq + step * backlog) / (2.0 * spare_per_h) / lam


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


@functools.cache
def _gauss_legendre(n: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Gauss-Legendre nodes and weights of ``n`` points on [-1, 1] (made once; read-only)."""
    nodes, weights = np.polynomial.legendre.leggauss(n)
    nodes.setflags(write=False)
    weights.setflags(write=False)
    return nodes, weights
