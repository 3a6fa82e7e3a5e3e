r"""Mean wait before service at one element of the corridor, hours.

An element that can bind (border crossing, gauge change, port, ferry line, single-track
section) is a queue with ``c`` servers and a service time of mean ``E[S]`` hours and
coefficient of variation ``cs``; cargo arrives at ``lambda`` shipments an hour with
inter-arrival coefficient of variation ``ca``. :class:`QueueElement` puts the queue
formulas of :mod:`corridors.cost.queue_formulas` together for one element: below
capacity the Allen-Cunneen G/G/c wait (:func:`~corridors.cost.queue_formulas.gg_c_wait_h`)
at its open share of the rate, plus the backlog of closures (or, closed by storms
month by month, the queue of each month and the backlog each storm leaves) and half
the headway of a scheduled service; at and above capacity it is infinite. The formulas
stay importable from here (the overview: :mod:`corridors.cost.queueing`).

Example
-------
>>> from corridors.cost.mean_waits import QueueElement
>>> border = QueueElement("border", servers=1, service_h=5.0, service_cv=0.0)
>>> border.wait_h(0.1)  # M/D/1, rho 0.5: 1 x (1 + 0) / 2 x 5 h
2.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from corridors.cost.queue_formulas import (
    erlang_c,
    gg_c_wait_h,
    kingman_wait_h,
    scheduled_wait_h,
)
from corridors.cost.storm_backlog import (
    MONTH_DAYS,
    backlog_moments,
    merged_closures,
    reopening_wait_h,
    seasonal_backlog_h,
)
from corridors.cost.wait_distribution import WaitDistribution

__all__ = [
    "DEFAULT_SERVICE_CV",
    "ELEMENT_KINDS",
    "ElementKind",
    "QueueElement",
    "erlang_c",
    "gg_c_wait_h",
    "kingman_wait_h",
    "scheduled_wait_h",
]

ElementKind = Literal["border", "gauge", "port", "ferry", "section", "terminal"]
ELEMENT_KINDS: tuple[str, ...] = ("border", "gauge", "port", "ferry", "section", "terminal")
"""Kinds of element a queueing delay is defined for."""

MONTH_KNEE = 0.95
"""A port closed by storms month by month (``QueueElement.storm_months``): utilisation of
a month's open days above which its queue continues along its tangent and its storms'
backlog clears at the spare rate of the knee (finite and growing with the flow, as the
equilibrium's delays above :data:`corridors.cost.element_delays.KNEE`)."""

DEFAULT_SERVICE_CV: dict[str, float] = {
    "border": 0.8,
    "gauge": 0.5,
    "port": 0.5,
    "terminal": 0.5,
    "ferry": 0.5,
    "section": 0.0,
}
"""Service-time coefficient of variation by kind, as the simulation draws it: lognormal cv
0.8 at borders, gamma cv 0.5 for handling and gauge change, fixed train paths (cv 0) on a
single-track section (``corridors.simulation.BuildOptions``); ferry: see ``QueueElement``."""


@dataclass(frozen=True, slots=True)
class QueueElement:
    """One element of the corridor as a queue: its servers, service times and open time.

    Attributes
    ----------
    kind : str
        ``border``, ``gauge``, ``port``, ``ferry``, ``section`` or ``terminal``.
    servers : int
        Parallel servers: inspection lanes, gauge-change tracks, cranes, ships of a
        line, train paths (1 on a single-track section, whose service time is the
        headway between paths). ``None`` for no limit (a pure delay: no queue).
    service_h : float
        Mean service time of one shipment (train, wagon group, truck), hours; for a
        ferry line the time a ship is taken per shipment it carries (its round trip
        divided by the shipments a sailing takes).
    service_cv : float, optional
        Coefficient of variation of the service time (default by kind,
        :data:`DEFAULT_SERVICE_CV`).
    arrival_cv : float
        Coefficient of variation of the time between arrivals (1: Poisson).
    open_share : float
        Share of the year the element is open (storms, closures), in (0, 1].
    headway_h : float, optional
        Headway of a scheduled service, hours: adds half of it to the wait.
    closure_h, closure_cv : float
        Mean length of one closure (a storm, a maintenance window), hours, and its
        coefficient of variation. With ``open_share < 1`` and ``closure_h > 0`` the wait
        adds the backlog of the closures: ``(1 - open_share) E[D^2] / (2 E[D]) /
        (1 - rho)``, the mean residual closure an arrival meets, cleared at the spare
        rate (the M/G/1 queue with server interruptions); with ``closure_h`` 0 the
        closures only reduce the capacity (closures short against the service).
    storm_months : tuple of 12 float, optional
        Share of each month the element is open when storms of ``closure_h`` hours
        (coefficient of variation ``closure_cv``) close it and the wait for a storm's
        end is counted elsewhere (a Caspian port's berths: the ferry lines' queue
        counts it). The wait is then the wait for a server, month by month: the
        queue at the month's open share plus the backlog each storm leaves
        (:meth:`storm_backlog_h`), and the fluid backlog of a month whose open days
        cannot serve its cargo. Empty (the default): the closures above.
    storm_share : float
        Share of the arrivals that pile up in a storm (with ``storm_months``): those
        that come by land; a train off a ferry comes when a ship does, after the storm.
    """

    kind: ElementKind
    servers: int | None
    service_h: float
    service_cv: float | None = None
    arrival_cv: float = 1.0
    open_share: float = 1.0
    headway_h: float | None = None
    closure_h: float = 0.0
    closure_cv: float = 0.0
    storm_months: tuple[float, ...] = ()
    storm_share: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in ELEMENT_KINDS:
            raise ValueError(f"unknown element kind {self.kind!r}; use one of {ELEMENT_KINDS}")
        if self.servers is not None and self.servers < 1:
            raise ValueError(f"servers must be >= 1 or None, got {self.servers}")
        if not (math.isfinite(self.service_h) and self.service_h >= 0):
            raise ValueError(f"service time must be a finite number >= 0 h, got {self.service_h}")
        if not 0.0 < self.open_share <= 1.0:
            raise ValueError(f"open share must be in (0, 1], got {self.open_share}")
        if self.storm_months and (
            len(self.storm_months) != 12 or not all(0.0 < o <= 1.0 for o in self.storm_months)
        ):
            raise ValueError("storm_months: 12 shares in (0, 1]")

    @property
    def cv(self) -> float:
        """Service-time coefficient of variation used (given, else the kind's default)."""
        return DEFAULT_SERVICE_CV[self.kind] if self.service_cv is None else self.service_cv

    @property
    def capacity_per_h(self) -> float:
        """Shipments an hour the element can serve on average over the year (inf: no limit)."""
        if self.servers is None or self.service_h == 0.0:
            return math.inf
        return self.servers * self.open_share / self.service_h

    def utilisation(self, arrivals_per_h: float) -> float:
        """Arrivals over capacity."""
        return arrivals_per_h / self.capacity_per_h

    def wait_h(self, arrivals_per_h: float) -> float:
        """Mean wait before service at ``arrivals_per_h`` shipments an hour, hours.

        The queue of the element serving at its open share of the rate (service time
        ``service_h / open_share``), plus the backlog of its closures, plus half the
        headway of a scheduled service; ``inf`` at or above capacity.
        """
        scheduled = scheduled_wait_h(self.headway_h)
        if self.servers is None:
            return scheduled
        if self.storm_months and self.closure_h > 0.0 and arrivals_per_h > 0.0:
            if self.utilisation(arrivals_per_h) >= 1.0:
                return math.inf
            return self._stormy_wait_h(arrivals_per_h) + scheduled
        queue = gg_c_wait_h(
            arrivals_per_h,
            servers=self.servers,
            service_h=self.service_h / self.open_share,
            service_cv=self.cv,
            arrival_cv=self.arrival_cv,
        )
        if self.closure_h > 0.0 and self.open_share < 1.0 and math.isfinite(queue):
            residual = self.closure_h * (1.0 + self.closure_cv**2) / 2.0
            queue += (1.0 - self.open_share) * residual / (1.0 - self.utilisation(arrivals_per_h))
        return queue + scheduled

    def _stormy_wait_h(self, lam: float) -> float:
        """The wait for a server month by month, with the storms' backlog (see ``storm_months``)."""
        return self.storm_queue_h(lam) + self.storm_backlog_h(
            lam, landside_per_h=self.storm_share * lam
        )

    def storm_queue_h(self, lam: float) -> float:
        """The queue month by month at each month's open share, and the seasonal backlog, hours.

        ``lam`` shipments an hour; a month whose open days cannot serve its cargo is
        carried by the fluid backlog over the year
        (:func:`~corridors.cost.storm_backlog.seasonal_backlog_h`).
        """
        assert self.servers is not None
        rate = self.servers / self.service_h  # shipments an hour with every server open
        hours = np.array(MONTH_DAYS, dtype=np.float64) * 24.0
        waits = np.zeros(12)
        for m, share in enumerate(self.storm_months):
            waits[m] = self._month_queue_h(lam, share)
        lift = np.array(self.storm_months, dtype=np.float64) * rate
        return float(waits @ hours / hours.sum()) + seasonal_backlog_h(lam, lift, hours)

    def _month_queue_h(self, lam: float, share: float) -> float:
        """The queue of a month open a share ``share`` of its time, hours.

        Up to :data:`MONTH_KNEE` of the month's capacity the G/G/c queue; above it the
        tangent at the knee (a month whose open days cannot serve its cargo is carried
        by the seasonal backlog too): the wait grows with the flow, finite, where it
        was infinite at the month's capacity and 0 beyond it.
        """
        servers = self.servers
        assert servers is not None
        rate = share * servers / self.service_h
        knee = MONTH_KNEE * rate

        def queue(x: float) -> float:
            return gg_c_wait_h(
                x,
                servers=servers,
                service_h=self.service_h / share,
                service_cv=self.cv,
                arrival_cv=self.arrival_cv,
            )

        if lam <= knee:
            return queue(lam)
        step = 1e-4 * rate
        slope = (queue(knee + step) - queue(knee - step)) / (2.0 * step)
        return queue(knee) + slope * (lam - knee)

    def storm_backlog_h(self, lam: float, *, landside_per_h: float) -> float:
        r"""The storms' backlog at the servers, hours a shipment (see ``storm_months``).

        ``lam`` shipments an hour arrive, ``landside_per_h`` of them by land: they pile
        up in a storm. When a storm of :math:`D` hours ends, the :math:`c` servers take
        :math:`c` of the :math:`B` shipments that arrived in it, and the backlog
        :math:`X = (B - c)^+` clears at the month's spare rate (storms that overlap
        make one longer closure, :func:`~corridors.cost.storm_backlog.merged_closures`)
        (:func:`~corridors.cost.storm_backlog.reopening_wait_h`, month by month,
        weighted by days; a month busier than :data:`MONTH_KNEE` of its open days
        clears at the knee's spare rate). The
        :math:`k`-th shipment of the backlog starts with the :math:`(k + a_c)`-th
        service to end, :math:`a_c = (1 - c_s^2)(c - 1) / 2` on average (the servers
        all started at the reopening: their first services end together when fixed,
        :math:`c_s = 0`, one by one at the rate :math:`c / E[S]` when exponential,
        :math:`c_s = 1`), and :math:`B` is a Poisson count given :math:`D` (variance
        :math:`\lambda D` more than :math:`(\lambda D)^2`): the backlog's area is
        :math:`(E[X^2] + s E[X]) / (2 r)` with :math:`X` taken as :math:`(\lambda D -
        c)^+` (:func:`~corridors.cost.storm_backlog.backlog_moments`) and the steps'
        term :math:`s = 2 + (1 -
        c_s^2)(c - 1)`. Recalibrated from the simulation (shipped 2024 demand, 60
        years): Aktau's 7 berths 0.98 h against 1.07 h simulated, Kuryk's 2 berths
        2.83 h against 2.92 h, net of the wait for the storm's end.
        """
        assert self.servers is not None
        if not (lam > 0.0 and landside_per_h > 0.0 and self.closure_h > 0.0):
            return 0.0
        rate = self.servers / self.service_h
        c = self.servers
        step = 2.0 + (1.0 - self.cv**2) * (c - 1)
        total = 0.0
        for share, days in zip(self.storm_months, MONTH_DAYS, strict=True):
            # cleared at the month's spare rate, at least what is spare at its knee
            spare = max(share * rate - lam, (1.0 - MONTH_KNEE) * share * rate)
            if share < 1.0:
                open_share, closure_h, closure_cv = merged_closures(
                    1.0 - share, closure_h=self.closure_h, closure_cv=self.closure_cv
                )
                backlog, backlog_sq = backlog_moments(
                    landside_per_h, float(c), closure_h=closure_h, closure_cv=closure_cv
                )
                total += days * reopening_wait_h(
                    lam,
                    backlog_sq=backlog_sq,
                    backlog=backlog,
                    step=step,
                    open_share=open_share,
                    spare_per_h=spare,
                    closure_h=closure_h,
                )
        return total / sum(MONTH_DAYS)

    def wait_distribution(self, arrivals_per_h: float) -> WaitDistribution:
        """The wait at ``arrivals_per_h`` shipments an hour as a :class:`WaitDistribution`.

        Its mean is :meth:`wait_h`; at or above capacity the queue's mean is ``inf``.
        With ``storm_months`` the storms' backlog is the closure part: met by the
        arrivals of a share ``1 - open_share``, exponential.
        """
        headway = self.headway_h if self.headway_h is not None and self.headway_h > 0 else 0.0
        if self.servers is None or arrivals_per_h <= 0.0 or self.service_h <= 0.0:
            return WaitDistribution(headway_h=headway)
        util = self.utilisation(arrivals_per_h)
        if util >= 1.0:
            return WaitDistribution(p_queue=1.0, queue_mean_h=math.inf, headway_h=headway)
        service = self.service_h / self.open_share
        mean = gg_c_wait_h(
            arrivals_per_h,
            servers=self.servers,
            service_h=service,
            service_cv=self.cv,
            arrival_cv=self.arrival_cv,
        )
        p_wait = erlang_c(self.servers, arrivals_per_h * service)
        p_closure = closure_mean = 0.0
        if self.storm_months and self.closure_h > 0.0:  # the storms' backlog as the closure's
            stormy = self._stormy_wait_h(arrivals_per_h)
            mean = min(mean, stormy)
            if stormy > mean and self.open_share < 1.0:
                p_closure = 1.0 - self.open_share
                closure_mean = (stormy - mean) / p_closure
        elif self.closure_h > 0.0 and self.open_share < 1.0:
            p_closure = 1.0 - self.open_share
            closure_mean = self.closure_h * (1.0 + self.closure_cv**2) / 2.0 / (1.0 - util)
        return WaitDistribution(
            p_queue=p_wait if mean > 0.0 else 0.0,
            queue_mean_h=mean / p_wait if mean > 0.0 else 0.0,
            p_closure=p_closure,
            closure_mean_h=closure_mean,
            headway_h=headway,
        )

    def wait_curve_h(self, arrivals_per_h: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """:meth:`wait_h` of each arrival rate (array in, array out), hours."""
        rates = np.asarray(arrivals_per_h, dtype=np.float64)
        return np.array([self.wait_h(float(x)) for x in rates.ravel()]).reshape(rates.shape)
