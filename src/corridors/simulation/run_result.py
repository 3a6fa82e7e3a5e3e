"""The raw records of one simulation run (:class:`RunResult`), as numpy arrays.

Cheap to pickle back from a worker process; :mod:`corridors.simulation.results` and
:mod:`corridors.simulation.resource_stats` turn them into the tables planners read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["PERCENTILES", "RunResult", "visits_within_horizon"]

PERCENTILES: tuple[int, ...] = (10, 50, 90, 95)
"""Transit-time percentiles reported (P10, P50, P90, P95)."""


@dataclass(frozen=True, eq=False)
class RunResult:
    """Raw records of one replication (hours from the start of the run).

    Generators (``gen_*``), shipments (``ship_*``, one row per shipment in order of
    entry; ``ship_arrived`` is the time it reached its destination, possibly after
    the horizon, or NaN), resources (``res_*``: stations, then ferry ports
    ``line@port``, then port yards ``yard:<node>``, then links; ``res_servers`` is 0
    for a station with no capacity limit, the number of ships for a ferry port and
    the slots of a yard; ``res_slot_h`` the slot-hours a yard was in use over the
    run, 0 elsewhere), visits (``v_*``: one row per itinerary step a shipment
    reached; a yard visit shares the step of the port station it comes before),
    ships and sailings (``s_*``), storm closures per weather area, the number of
    SimPy events and the wall time of the run (seconds).
    """

    name: str
    seed_entropy: int
    seed_spawn_key: tuple[int, ...]
    horizon_h: float
    warmup_h: float
    gen_ids: tuple[str, ...]
    gen_origin: tuple[str, ...]
    gen_destination: tuple[str, ...]
    gen_corridor: tuple[str, ...]
    gen_kind: tuple[str, ...]
    gen_teu: np.ndarray
    gen_tonnes: np.ndarray
    gen_wagons: np.ndarray
    ship_gen: np.ndarray
    ship_created: np.ndarray
    ship_arrived: np.ndarray
    res_ids: tuple[str, ...]
    res_kinds: tuple[str, ...]
    res_servers: np.ndarray
    res_nodes: tuple[str, ...]
    res_links: tuple[str, ...]
    res_closed_h: np.ndarray
    v_ship: np.ndarray
    v_step: np.ndarray
    v_res: np.ndarray
    v_arr: np.ndarray
    v_start: np.ndarray
    v_end: np.ndarray
    line_ids: tuple[str, ...]
    ship_ids: tuple[str, ...]
    ship_lines: np.ndarray
    s_ship: np.ndarray
    s_from: np.ndarray
    s_ready: np.ndarray
    s_decided: np.ndarray
    s_depart: np.ndarray
    s_arrive: np.ndarray
    s_load: np.ndarray
    s_units: np.ndarray
    storms: tuple[tuple[str, tuple[tuple[float, float], ...]], ...]
    events: int
    wall_s: float
    res_slot_h: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __eq__(self, other: object) -> bool:
        """Equal when every record is equal, bit for bit (the wall time is ignored)."""
        if not isinstance(other, RunResult):
            return NotImplemented
        for name in self.__dataclass_fields__:
            if name == "wall_s":
                continue
            a, b = getattr(self, name), getattr(other, name)
            if isinstance(a, np.ndarray):
                if not (
                    a.dtype == b.dtype
                    and a.shape == b.shape
                    and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
                ):
                    return False
            elif a != b:
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    @property
    def arrived_mask(self) -> np.ndarray:
        """Shipments that reached their destination within the horizon."""
        return self.ship_arrived <= self.horizon_h

    @property
    def n_shipments(self) -> int:
        """Shipments that entered during the run."""
        return len(self.ship_created)

    @property
    def n_arrived(self) -> int:
        """Shipments that reached their destination within the horizon."""
        return int(self.arrived_mask.sum())

    @property
    def n_in_system(self) -> int:
        """Shipments still under way at the end of the run."""
        return self.n_shipments - self.n_arrived


def visits_within_horizon(
    r: RunResult,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Visits reached within the horizon: (index, arrive, start, end) with NaN when later."""
    h = r.horizon_h
    keep = np.flatnonzero(r.v_arr <= h)
    arr = r.v_arr[keep]
    start = r.v_start[keep].copy()
    end = r.v_end[keep].copy()
    start[~(start <= h)] = np.nan
    end[~(end <= h)] = np.nan
    return keep, arr, start, end, r.v_res[keep]
