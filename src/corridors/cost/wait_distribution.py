"""The wait before service at one element as a random variable: its quantiles, hours.

The mean wait of :class:`~corridors.cost.mean_waits.QueueElement` is the mean of this
distribution (:meth:`~corridors.cost.mean_waits.QueueElement.wait_distribution`); the
route's time distribution (:mod:`corridors.cost.route_time`) adds them up leg by leg.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["WaitDistribution"]


@dataclass(frozen=True, slots=True)
class WaitDistribution:
    r"""The wait before service at one element as a random variable, hours.

    The sum of three independent parts, each consistent with its part of
    :meth:`~corridors.cost.mean_waits.QueueElement.wait_h`:

    - the queue: no wait with probability ``1 - p_queue``, else exponential with mean
      ``queue_mean_h``. For a G/G/c queue ``p_queue`` is the Erlang C probability of
      waiting and ``queue_mean_h = W_q / C`` (Allen-Cunneen ``W_q``), so that
      :math:`P(W_q > t) = C \exp(-t\,C / W_q)`: exact for M/M/c (the conditional wait
      is exponential with rate ``c mu - lambda``), the usual two-moment approximation
      otherwise;
    - the closures: with probability ``p_closure`` (the closed share of the year) an
      arrival meets a closure and waits an exponential time of mean
      ``closure_mean_h`` (the mean residual closure cleared at the spare rate);
    - the scheduled service: uniform on ``[0, headway_h]`` for cargo arriving at
      random (mean half the headway).

    Example
    -------
    >>> from corridors.cost.mean_waits import QueueElement
    >>> d = QueueElement("border", servers=1, service_h=2.0, service_cv=1.0).wait_distribution(0.25)
    >>> d.p_queue, d.queue_mean_h, d.mean_h  # M/M/1 at rho = 0.5: waits with p 0.5, 4 h then
    (0.5, 4.0, 2.0)
    """

    p_queue: float = 0.0
    queue_mean_h: float = 0.0
    p_closure: float = 0.0
    closure_mean_h: float = 0.0
    headway_h: float = 0.0

    @property
    def mean_h(self) -> float:
        """Mean wait, hours (equals :meth:`~corridors.cost.mean_waits.QueueElement.wait_h`)."""
        queue = self.p_queue * self.queue_mean_h if self.p_queue > 0.0 else 0.0
        closure = self.p_closure * self.closure_mean_h if self.p_closure > 0.0 else 0.0
        return queue + closure + self.headway_h / 2.0

    def queue_quantile_h(self, q: float) -> float:
        """Quantile ``q`` of the queue part alone (closed form), hours.

        0 when ``q <= 1 - p_queue``, else ``-queue_mean_h * ln((1 - q) / p_queue)``.
        """
        if not 0.0 <= q < 1.0:
            raise ValueError(f"quantile must be in [0, 1), got {q}")
        if q <= 1.0 - self.p_queue:
            return 0.0
        return -self.queue_mean_h * math.log((1.0 - q) / self.p_queue)
