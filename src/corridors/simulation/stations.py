"""State of the stations and port yards during one replication (used by the engine).

A station is a first-come first-served queue with ``c`` servers: the free times of
its servers, its service-time sampler and its closures. A port yard counts its free
slots and keeps the shipments blocked before it in order.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import simpy

from corridors.simulation.model import UNLIMITED, Station
from corridors.simulation.weather import Closures

__all__ = ["ServiceSampler", "StationState", "YardState"]

_BATCH = 512


class ServiceSampler:
    """Service times of one station, drawn in batches from its own stream."""

    __slots__ = ("_buf", "_dist", "_i", "_rng")

    def __init__(self, station: Station, rng: np.random.Generator) -> None:
        self._dist = station.service
        self._rng = rng
        self._buf: list[float] = []
        self._i = 0

    def next(self) -> float:
        """The next service time, hours."""
        if self._i >= len(self._buf):
            self._buf = self._dist.sample(self._rng, _BATCH).tolist()
            self._i = 0
        v = self._buf[self._i]
        self._i += 1
        return v


class StationState:
    """A station during the run: free times of its servers (None: no limit), closures."""

    __slots__ = ("closures", "free", "res", "sampler")

    def __init__(self, servers: int, sampler: ServiceSampler, closures: Closures, res: int) -> None:
        self.free: list[float] | None = None if servers >= UNLIMITED else [0.0] * servers
        self.sampler = sampler
        self.closures = closures
        self.res = res


class YardState:
    """Slots of a port yard: free count, FIFO of blocked shipments, slot-hours used."""

    __slots__ = ("area", "capacity", "last", "res", "used", "waiting")

    def __init__(self, capacity: int, res: int) -> None:
        self.capacity = capacity
        self.used = 0
        self.waiting: deque[tuple[int, simpy.Event]] = deque()
        self.area = 0.0  # slot-hours in use so far
        self.last = 0.0
        self.res = res

    def take(self, n: int, now: float) -> None:
        """Take ``n`` slots at ``now``."""
        self.area += self.used * (now - self.last)
        self.last = now
        self.used += n

    def release(self, n: int, now: float) -> None:
        """Free ``n`` slots at ``now`` and let in the blocked shipments that now fit."""
        self.area += self.used * (now - self.last)
        self.last = now
        self.used -= n
        waiting = self.waiting
        while waiting and self.capacity - self.used >= waiting[0][0]:
            need, ev = waiting.popleft()
            self.used += need
            ev.succeed()

    def slot_hours(self, horizon_h: float) -> float:
        """Slot-hours in use up to ``horizon_h``."""
        return self.area + self.used * max(0.0, horizon_h - self.last)
