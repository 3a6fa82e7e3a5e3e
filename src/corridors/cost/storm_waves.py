r"""The ships that come back in waves after a storm, and the backlog they serve: written once.

A storm closes both ports of a line for :math:`D` hours (gamma, mean ``closure_h``,
coefficient of variation ``closure_cv``). At its end the ships are bunched: those at the
port (a share :math:`s` of the :math:`c` ships) are there at once, those across the sea
come a one-way sailing :math:`R` later, and each comes back a round trip after it left.
So the backlog :math:`\lambda D` and what arrives after it board in waves, not at a
steady rate: a shipment behind a wave waits for the next one. :func:`fleet_waves` gives
the waves of a line's ships, :func:`wave_backlog` the shipment-hours the backlog waits
and the shipments that wait in it, over the storm lengths (:func:`storm_lengths`). The
ferry and feeder lines (:class:`~corridors.cost.ferry_queue.FerryQueue`) take them from
here. No I/O.

Example
-------
>>> import numpy as np
>>> from corridors.cost.storm_waves import wave_backlog
>>> # a storm of 100 h, 0.1 shipments an hour: 10 wait; a wave takes 4 at once, 6 + 2 wait
>>> # 20 h for the next, which takes 8: (6 + 8) / 2 x 20 = 140 shipment-hours, 12 shipments
>>> wave_backlog([0.1], storms=np.array([100.0]), held=0.0, first=((0.0, 4.0), (20.0, 8.0)),
...              later=((0.0, 12.0),), round_h=50.0)
(array([140.]), array([12.]))
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt
from scipy.special import gammainc, gammaincinv

__all__ = [
    "STORM_NODES",
    "Waves",
    "fleet_waves",
    "storm_lengths",
    "storm_wait_h",
    "wave_backlog",
]

STORM_NODES = 48
"""Storm lengths :func:`storm_lengths` takes: the means of as many equally likely bins of
the gamma (on the one-way storm toys the waits are within 0.3 % of 800 bins')."""

Waves = tuple[tuple[float, float], ...]
"""Waves of ships at a port: (hours after the round starts, shipments they take)."""

Floats = npt.NDArray[np.float64]


@functools.lru_cache(maxsize=64)  # bounded: a sweep may vary the storms sample by sample
def storm_lengths(closure_h: float, closure_cv: float, nodes: int = STORM_NODES) -> Floats:
    r"""Storm lengths, hours: the mean of each of ``nodes`` equally likely bins (read-only).

    The gamma of mean ``closure_h`` and coefficient of variation ``closure_cv`` (0: one
    length, ``closure_h``); each length stands for ``1 / nodes`` of the storms, and
    their mean is the gamma's. A bin :math:`[x_i, x_{i+1}]` of shape :math:`k` and
    scale :math:`\theta` has the mean :math:`k \theta\,(P(k + 1, x_{i+1}/\theta) -
    P(k + 1, x_i/\theta))\,m` (:math:`m` = ``nodes``, :math:`P` the regularised lower
    incomplete gamma).
    """
    if closure_cv <= 0.0:
        lengths = np.full(1, closure_h)
    else:
        shape = 1.0 / closure_cv**2
        edges = gammaincinv(shape, np.linspace(0.0, 1.0, nodes + 1))
        lengths = closure_h * np.diff(gammainc(shape + 1.0, edges)) * nodes
    lengths.setflags(write=False)
    return lengths


def fleet_waves(
    *,
    ships: int,
    per_sailing: float,
    reopen_share: float,
    return_h: float,
    empty_wait_h: float,
    lost: float,
) -> tuple[Waves, Waves]:
    r"""The waves of a line's ships at a port after a storm: the first round's and the later.

    A share ``reopen_share`` (:math:`s`) of the ``ships`` (:math:`c`) is at the port
    when the storm ends and takes :math:`s c n` shipments at once (:math:`n` =
    ``per_sailing``), less the ``lost`` ships of the first round (the ship that took
    cargo when the storm began sails with what it had when the cargo waited ashore);
    of the ships across the sea, the first in line sails at once and comes a one-way
    sailing ``return_h`` (:math:`R`) later, the others wait ``empty_wait_h``
    (:math:`E`: no cargo waits across at that instant, it is still at the port's
    station) and come :math:`R + E` after the storm. A later round repeats the waves
    of the whole fleet a round trip after the last.

    Returns
    -------
    tuple of Waves
        The first round's and a later round's waves: (hours after the round begins,
        shipments).
    """
    here = reopen_share * ships
    there = ships - here
    across: Waves = ()
    if there > 0.0:
        across = ((return_h, min(1.0, there) * per_sailing),)
        if there > 1.0:
            across += ((return_h + empty_wait_h, (there - 1.0) * per_sailing),)
    first = ((0.0, max(here - lost, 0.0) * per_sailing), *across)
    return first, ((0.0, here * per_sailing), *across)


def storm_wait_h(
    lam: Floats,
    *,
    stay_h: Floats,
    first: Waves,
    later: Waves,
    round_h: float,
    open_share: Floats,
    closure_h: float,
    closure_cv: float,
) -> Floats:
    r"""Mean wait each month's storms add after their end, hours a shipment.

    :math:`\nu = (1 - o) / E[D]` storms an hour in a month open a share :math:`o`
    (``open_share``); each leaves the backlog the waves of ships serve
    (:func:`wave_backlog`, rounds ``round_h / o`` apart: the month's later storms stop
    the ships), with the shipments that waited when it began (:math:`\lambda w`,
    Little, :math:`w` = ``stay_h`` the month's wait to fill the deck and for a ship).
    Those shipments wait the waves instead: a backlog fills the decks of the ships
    that come. So :math:`\nu (A - w \min(S, \lambda / \nu)) / \lambda`, :math:`A` the
    shipment-hours and :math:`S` the shipments of a storm's backlog (the share of the
    month's shipments in a backlog at most 1). ``lam`` (shipments an hour) and
    ``stay_h`` (hours) by month.
    """
    storms_per_h = (1.0 - open_share) / closure_h
    area, served = wave_backlog(
        lam,
        storms=storm_lengths(closure_h, closure_cv),
        held=lam * stay_h,
        first=first,
        later=later,
        round_h=round_h / open_share,
    )
    return np.asarray(
        storms_per_h * area / lam - stay_h * np.minimum(storms_per_h * served / lam, 1.0)
    )


def wave_backlog(
    lam: npt.ArrayLike,
    *,
    storms: Floats,
    held: npt.ArrayLike,
    first: Waves,
    later: Waves,
    round_h: npt.ArrayLike,
) -> tuple[Floats, Floats]:
    r"""Mean shipment-hours a storm's backlog waits for the waves, and the shipments in it.

    The backlog :math:`Q(0) = \lambda D` grows at :math:`\lambda` and falls by each
    wave's shipments; it waits :math:`\int Q\,dt` until a wave clears it, at
    :math:`t_c`. The ``held`` shipments waiting when the storm began (aboard the ship in
    port or for one) wait it out, :math:`h D` more. The first round's waves are
    ``first``, then every ``round_h`` hours ``later``'s: a round that leaves a backlog
    after each of its waves lowers it by :math:`\Delta = \sum_j C_j - \lambda T`
    (:math:`C_j` its waves, :math:`T` = ``round_h``) and waits :math:`Q T + \lambda
    T^2/2 - \sum_j C_j (T - t_j)`, summed in closed form over those rounds.

    Parameters
    ----------
    lam : float or 1-D array
        Arrivals, shipments an hour (> 0); one backlog for each (e.g. each month's).
    storms : ndarray
        Storm lengths, hours, equally likely (:func:`storm_lengths`).
    held : float or 1-D array
        Shipments waiting when a storm begins.
    first, later : Waves
        The first round's and a later round's waves (:func:`fleet_waves`).
    round_h : float or 1-D array
        Hours between rounds (> the last wave's hour).

    Returns
    -------
    tuple of ndarray
        The mean shipment-hours, and the mean shipments that wait in the backlog
        (:math:`h + \lambda (D + t_c)`), of each backlog (the shape of ``lam``,
        ``held`` and ``round_h`` broadcast); ``inf`` where a round lifts no more than
        arrives in it.
    """
    rate, hold, span = (np.asarray(x, dtype=float)[..., None] for x in (lam, held, round_h))
    rate, hold, span = np.broadcast_arrays(rate, hold, span)
    starts = np.array([t for t, _ in later])
    sizes = np.array([c for _, c in later])
    step = sizes.sum() - rate * span  # what a later round lowers the backlog by
    endless = step[..., 0] <= 0.0
    step = np.where(step > 0.0, step, 1.0)
    queue = rate * storms
    area = hold * storms
    clear = np.zeros(queue.shape)
    live = np.ones(queue.shape, dtype=bool)
    # the first round, then to the start of the second
    queue, live = _round(
        rate, queue, area=area, clear=clear, live=live, waves=first, start=0.0, end=span
    )
    # later rounds that leave a backlog after each wave: closed form
    top = (np.cumsum(sizes) - rate * starts).max(axis=-1, keepdims=True)
    shape = rate * span**2 / 2.0 - (sizes * (span - starts)).sum(axis=-1, keepdims=True)
    rounds = np.where(live & (queue > top), np.ceil((queue - top) / step), 0.0)
    area += rounds * (queue * span + shape) - span * step * rounds * (rounds - 1.0) / 2.0
    queue = queue - rounds * step
    # the round that clears it
    _round(
        rate,
        queue,
        area=area,
        clear=clear,
        live=live,
        waves=later,
        start=(1.0 + rounds) * span,
        end=None,
    )
    served = hold + rate * (storms + clear)
    inf = np.where(endless, np.inf, 0.0)
    return area.mean(axis=-1) + inf, served.mean(axis=-1) + inf


def _round(
    lam: Floats,
    queue: Floats,
    *,
    area: Floats,
    clear: Floats,
    live: npt.NDArray[np.bool_],
    waves: Waves,
    start: Floats | float,
    end: Floats | None,
) -> tuple[Floats, npt.NDArray[np.bool_]]:
    """One round of ``waves`` from ``start``: the backlog, its area (added to ``area``).

    ``clear`` is set (hours after the storm) where a wave clears the backlog; ``end``:
    carry the rest on to that hour (None: the round clears every backlog left).
    """
    now = np.zeros(queue.shape) + start
    for offset, shipments in waves:
        dt = start + offset - now
        area += np.where(live, (queue + lam * dt / 2.0) * dt, 0.0)
        queue = np.where(live, queue + lam * dt - shipments, queue)
        now = now + dt
        done = live & (queue <= 0.0)
        clear[done] = now[done]
        live = live & ~done
    if end is not None:
        dt = end - now
        area += np.where(live, (queue + lam * dt / 2.0) * dt, 0.0)
        queue = np.where(live, queue + lam * dt, queue)
    return queue, live
