r"""Queueing delay of one element of the corridor: the wait before service, hours.

Every element that can bind (border crossing, gauge change, port, ferry line, single-track
section) is a queue with ``c`` servers (lanes, gauge-change tracks, cranes, ships, train
paths) and a service time of mean ``E[S]`` hours and coefficient of variation ``cs``. Cargo
arrives at ``lambda`` shipments an hour with inter-arrival coefficient of variation ``ca``
(1 for the Poisson arrivals the simulation draws). Below capacity the mean wait is the
Allen-Cunneen approximation of the G/G/c queue,

.. math::

    W_q = C(c, a) \, \frac{E[S]}{c\,(1 - \rho)} \, \frac{c_a^2 + c_s^2}{2},
    \qquad a = \lambda E[S], \quad \rho = a / c,

with :math:`C(c, a)` the Erlang C probability of waiting. It is exact for M/M/c
(``ca = cs = 1``) and for one server it is Kingman's formula
:math:`W_q = \frac{\rho}{1-\rho} \frac{c_a^2 + c_s^2}{2} E[S]` (exact for M/G/1, the
Pollaczek-Khinchine mean). At and above capacity (:math:`\rho \ge 1`) the wait is
infinite: no steady state exists and an equilibrium must raise a shadow price there
instead of loading the element further.

Storms and closures take a share of the year away: an element open a share ``open_share``
of the time serves at ``open_share`` times its rate (its capacity shrinks in proportion).
A scheduled service (a ferry or feeder with a timetable) adds the expected wait for the
next departure, half the headway, for cargo arriving at random.

A ferry or feeder line whose ships sail when full is :class:`FerryQueue`: the wait to
fill the deck (:func:`deck_fill`, shipments split across ships included), the queue of
sailings for the ships, and the storms month by month.

The ideas live in their own modules, re-exported here: the queue formulas
(:mod:`corridors.cost.queue_formulas`: Erlang C, G/G/c, Kingman, scheduled services),
one element's mean wait (:mod:`corridors.cost.mean_waits`: :class:`QueueElement`),
the wait as a distribution with its quantiles (:mod:`corridors.cost.wait_distribution`)
and the ferry queue (:mod:`corridors.cost.ferry_queue`) with its deck-filling chain
(:mod:`corridors.cost.deck_fill`) and the ships' absence from a port
(:mod:`corridors.cost.ferry_absence`).

The simulation (:mod:`corridors.simulation`) draws the same servers and service times;
where the two disagree, the parameters here are recalibrated from the simulation, never the
reverse.

Example
-------
>>> from corridors.cost.queueing import QueueElement
>>> lane = QueueElement("border", servers=1, service_h=2.0, service_cv=1.0)
>>> round(lane.wait_h(0.25), 6)  # M/M/1 at rho = 0.5: rho / (mu - lambda) = 2 h
2.0
>>> lane.wait_h(0.5)  # at capacity
inf
"""

from __future__ import annotations

from corridors.cost.ferry_queue import MONTH_DAYS, DeckFill, FerryQueue, deck_fill
from corridors.cost.mean_waits import (
    DEFAULT_SERVICE_CV,
    ELEMENT_KINDS,
    ElementKind,
    QueueElement,
)
from corridors.cost.queue_formulas import (
    erlang_c,
    gg_c_wait_h,
    kingman_wait_h,
    scheduled_wait_h,
)
from corridors.cost.wait_distribution import WaitDistribution

__all__ = [
    "DEFAULT_SERVICE_CV",
    "ELEMENT_KINDS",
    "MONTH_DAYS",
    "DeckFill",
    "ElementKind",
    "FerryQueue",
    "QueueElement",
    "WaitDistribution",
    "deck_fill",
    "erlang_c",
    "gg_c_wait_h",
    "kingman_wait_h",
    "scheduled_wait_h",
]
