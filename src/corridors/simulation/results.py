"""Results of a simulation run: raw records and the tables planners read.

:class:`RunResult` holds the raw records of one replication as numpy arrays (cheap
to pickle back from a worker process). The functions of this module turn them into
pandas tables: each shipment's timeline (where it waited and how long), transit-time
percentiles per origin-destination pair and corridor, waiting time, queue length and
utilisation at every resource, throughput, sailings, and the shipments still in the
system at the end of the run.

A shipment counts as arrived when it reached its destination by the end of the
run; visits that started after the end are dropped and those under way are
reported with a missing end. Statistics use shipments that entered at or after the
warm-up time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "PERCENTILES",
    "RunResult",
    "in_system_table",
    "queue_series",
    "resource_table",
    "sailings_table",
    "shipments_table",
    "throughput_table",
    "timeline_table",
    "transit_percentiles",
]

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


def _visits(r: RunResult) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Visits reached within the horizon: (index, arrive, start, end) with NaN when later."""
    h = r.horizon_h
    keep = np.flatnonzero(r.v_arr <= h)
    arr = r.v_arr[keep]
    start = r.v_start[keep].copy()
    end = r.v_end[keep].copy()
    start[~(start <= h)] = np.nan
    end[~(end <= h)] = np.nan
    return keep, arr, start, end, r.v_res[keep]


def shipments_table(r: RunResult) -> pd.DataFrame:
    """One row per shipment: what, where from and to, when it entered and arrived.

    Columns: ``shipment``, ``generator``, ``origin``, ``destination``, ``corridor``,
    ``kind``, ``teu``, ``tonnes``, ``created_h``, ``arrived_h`` (NaN if still under
    way), ``transit_h``, ``status`` (``arrived`` or ``in_system``), ``warmup``
    (entered before the warm-up time).
    """
    g = r.ship_gen
    arrived = np.where(r.arrived_mask, r.ship_arrived, np.nan)
    return pd.DataFrame(
        {
            "shipment": np.arange(r.n_shipments),
            "generator": np.asarray(r.gen_ids, dtype=object)[g],
            "origin": np.asarray(r.gen_origin, dtype=object)[g],
            "destination": np.asarray(r.gen_destination, dtype=object)[g],
            "corridor": np.asarray(r.gen_corridor, dtype=object)[g],
            "kind": np.asarray(r.gen_kind, dtype=object)[g],
            "teu": r.gen_teu[g],
            "tonnes": r.gen_tonnes[g],
            "created_h": r.ship_created,
            "arrived_h": arrived,
            "transit_h": arrived - r.ship_created,
            "status": np.where(r.arrived_mask, "arrived", "in_system"),
            "warmup": r.ship_created < r.warmup_h,
        }
    )


def timeline_table(r: RunResult) -> pd.DataFrame:
    """Each shipment's timeline: one row per step reached within the horizon.

    Columns: ``shipment``, ``step`` (index in the itinerary), ``resource``, ``kind``,
    ``arrive_h``, ``start_h`` (service or sailing began), ``end_h``, ``wait_h``
    (``start - arrive``: queue, closures, waiting for a ferry to fill) and
    ``service_h``. Times after the horizon are NaN.
    """
    keep, arr, start, end, res = _visits(r)
    return pd.DataFrame(
        {
            "shipment": r.v_ship[keep],
            "step": r.v_step[keep],
            "resource": np.asarray(r.res_ids, dtype=object)[res],
            "kind": np.asarray(r.res_kinds, dtype=object)[res],
            "arrive_h": arr,
            "start_h": start,
            "end_h": end,
            "wait_h": start - arr,
            "service_h": end - start,
        }
    ).sort_values(["shipment", "step"], kind="stable", ignore_index=True)


def transit_percentiles(
    r: RunResult, *, by: Sequence[str] = ("origin", "destination", "corridor")
) -> pd.DataFrame:
    """Door-to-door transit-time percentiles of the shipments that arrived.

    Parameters
    ----------
    r : RunResult
        One replication.
    by : sequence of str
        Grouping columns of :func:`shipments_table` (default per O-D and corridor;
        ``("corridor",)`` per corridor).

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``shipments``, ``mean_h``, ``p10_h``, ``p50_h``, ``p90_h``,
        ``p95_h``, ``max_h``.
    """
    s = shipments_table(r)
    s = s[(s["status"] == "arrived") & ~s["warmup"]]
    keys = list(by)
    rows = []
    for key, grp in s.groupby(keys, sort=True):
        t = grp["transit_h"].to_numpy()
        q = np.percentile(t, PERCENTILES)
        row = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        row.update({"shipments": len(t), "mean_h": float(t.mean())})
        row.update({f"p{p}_h": float(v) for p, v in zip(PERCENTILES, q, strict=True)})
        row["max_h"] = float(t.max())
        rows.append(row)
    cols = [*keys, "shipments", "mean_h", *(f"p{p}_h" for p in PERCENTILES), "max_h"]
    return pd.DataFrame(rows, columns=cols)


def _area(times: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Integral over [0, g] of the count of ``times`` <= s, for each g of ``grid``."""
    t = np.sort(times[np.isfinite(times)])
    csum = np.concatenate(([0.0], np.cumsum(t)))
    n = np.searchsorted(t, grid, side="right")
    out: np.ndarray = n * grid - csum[n]
    return out


def _queue_area(arr: np.ndarray, start: np.ndarray, grid: np.ndarray) -> np.ndarray:
    out: np.ndarray = _area(arr, grid) - _area(start, grid)
    return out


def resource_table(r: RunResult) -> pd.DataFrame:
    """Waiting, queue, utilisation and throughput of every resource over the run.

    Columns: ``resource``, ``kind``, ``node_id``, ``link_id``, ``servers`` (servers
    of a station, 0 when unlimited; ships of a ferry line), ``arrivals``, ``served`` (service or
    sailing finished), ``mean_wait_h``, ``p95_wait_h``, ``max_wait_h`` (over the
    visits whose wait ended), ``mean_queue`` (time-average number of shipments
    waiting), ``max_queue``, ``utilisation`` (busy server time / (servers x
    horizon); stations only; for a port yard ``yard:<node>``, whose ``servers`` are
    its slots and whose waits are the blocking before the port, the mean slots in
    use / slots), ``closed_h`` (storms and planned closures).
    """
    _, arr, start, end, res = _visits(r)
    h = r.horizon_h
    n_res = len(r.res_ids)
    grid = np.array([0.0, h])
    rows = []
    order = np.argsort(res, kind="stable")
    bounds = np.searchsorted(res[order], np.arange(n_res + 1))
    for i in range(n_res):
        idx = order[bounds[i] : bounds[i + 1]]
        a, s, e = arr[idx], start[idx], end[idx]
        waits = (s - a)[np.isfinite(s)]
        mean_q = max(
            0.0, float(np.diff(_queue_area(a, np.where(np.isfinite(s), s, np.inf), grid))[0]) / h
        )
        # max queue: walk the +1/-1 changes
        ev_t = np.concatenate((a, s[np.isfinite(s)]))
        ev_d = np.concatenate((np.ones(len(a)), -np.ones(int(np.isfinite(s).sum()))))
        o = np.lexsort((ev_d, ev_t))  # departures (-1) before arrivals at equal times
        max_q = int(np.cumsum(ev_d[o]).max()) if len(o) else 0
        servers = int(r.res_servers[i])
        kind = r.res_kinds[i]
        util = np.nan
        if kind == "yard" and servers > 0:  # mean slots in use / slots
            util = float(r.res_slot_h[i]) / (servers * h) if len(r.res_slot_h) > i else np.nan
        elif kind not in ("ferry", "link") and servers > 0:
            busy = np.clip(np.where(np.isfinite(e), e, h), None, h) - s
            util = float(np.nansum(busy)) / (servers * h)
        rows.append(
            {
                "resource": r.res_ids[i],
                "kind": kind,
                "node_id": r.res_nodes[i],
                "link_id": r.res_links[i],
                "servers": servers,
                "arrivals": len(idx),
                "served": int(np.isfinite(e).sum()),
                "mean_wait_h": float(waits.mean()) if len(waits) else np.nan,
                "p95_wait_h": float(np.percentile(waits, 95)) if len(waits) else np.nan,
                "max_wait_h": float(waits.max()) if len(waits) else np.nan,
                "mean_queue": mean_q,
                "max_queue": max_q,
                "utilisation": util,
                "closed_h": float(r.res_closed_h[i]),
            }
        )
    return pd.DataFrame(rows)


def queue_series(
    r: RunResult, *, step_h: float = 24.0, resources: Sequence[str] | None = None
) -> pd.DataFrame:
    """Queue length over time: the time-average number waiting in each interval.

    Parameters
    ----------
    r : RunResult
        One replication.
    step_h : float
        Interval length, hours (24: daily averages).
    resources : sequence of str, optional
        Resource ids to report (default: every station and ferry port).

    Returns
    -------
    pandas.DataFrame
        ``resource``, ``time_h`` (start of the interval), ``queue`` (mean shipments
        waiting; for a yard, blocked before the port), ``busy`` (mean servers busy;
        stations only, else NaN).
    """
    _, arr, start, end, res = _visits(r)
    h = r.horizon_h
    grid = np.append(np.arange(0.0, h, step_h), h)
    wanted = set(resources) if resources is not None else None
    frames = []
    for i, rid in enumerate(r.res_ids):
        kind = r.res_kinds[i]
        if (wanted is not None and rid not in wanted) or (wanted is None and kind == "link"):
            continue
        m = res == i
        a, s, e = arr[m], start[m], end[m]
        q = np.diff(_queue_area(a, np.where(np.isfinite(s), s, np.inf), grid)) / np.diff(grid)
        q = np.maximum(q, 0.0)  # round-off of the running sums
        if kind in ("ferry", "yard"):
            busy = np.full(len(q), np.nan)
        else:
            busy = np.diff(_queue_area(s, np.where(np.isfinite(e), e, np.inf), grid)) / np.diff(
                grid
            )
        frames.append(
            pd.DataFrame({"resource": rid, "time_h": grid[:-1], "queue": q, "busy": busy})
        )
    if not frames:
        return pd.DataFrame(columns=["resource", "time_h", "queue", "busy"])
    return pd.concat(frames, ignore_index=True)


def throughput_table(r: RunResult) -> pd.DataFrame:
    """Shipments, TEU and tonnes that entered and arrived, per O-D and corridor.

    Columns: ``origin``, ``destination``, ``corridor``, ``entered``, ``arrived``,
    ``in_system``, ``teu_arrived``, ``tonnes_arrived`` (all shipments, warm-up
    included: this is the conservation account of the run).
    """
    s = shipments_table(r)
    s["arrived"] = s["status"] == "arrived"
    s["teu_arrived"] = s["teu"].where(s["arrived"], 0.0)
    s["tonnes_arrived"] = s["tonnes"].where(s["arrived"], 0.0)
    out = (
        s.groupby(["origin", "destination", "corridor"], sort=True)
        .agg(
            entered=("shipment", "size"),
            arrived=("arrived", "sum"),
            teu_arrived=("teu_arrived", "sum"),
            tonnes_arrived=("tonnes_arrived", "sum"),
        )
        .reset_index()
    )
    out["in_system"] = out["entered"] - out["arrived"]
    return out[
        [
            "origin",
            "destination",
            "corridor",
            "entered",
            "arrived",
            "in_system",
            "teu_arrived",
            "tonnes_arrived",
        ]
    ]


def in_system_table(r: RunResult) -> pd.DataFrame:
    """Shipments still under way at the end of the run and where they are.

    Columns: ``shipment``, ``origin``, ``destination``, ``corridor``, ``created_h``,
    ``resource`` (last step reached), ``state`` (``waiting``, ``in_service`` or
    ``travelling``), ``since_h``.
    """
    s = shipments_table(r)
    s = s[s["status"] == "in_system"].reset_index(drop=True)
    keep, arr, start, end, res = _visits(r)
    ship = r.v_ship[keep]
    order = np.lexsort((r.v_step[keep], ship))
    last_of = {}
    if len(order):
        ends = np.flatnonzero(np.r_[ship[order][1:] != ship[order][:-1], True])
        last_of = dict(zip(ship[order][ends].tolist(), order[ends].tolist(), strict=True))
    idx = np.array([last_of.get(k, -1) for k in s["shipment"].tolist()], dtype=np.int64)
    has = idx >= 0
    j = np.where(has, idx, 0)
    a, st, en = arr[j], start[j], end[j]
    res_kinds = np.asarray(r.res_kinds, dtype=object)
    kinds = res_kinds[res[j]] if len(res) else np.array([], dtype=object)
    waiting = has & ~np.isfinite(st)
    serving = has & np.isfinite(st) & ~np.isfinite(en)
    state = np.where(
        ~has,
        "not_started",
        np.where(
            waiting, "waiting", np.where(serving & (kinds != "link"), "in_service", "travelling")
        ),
    )
    since = np.where(
        ~has, s["created_h"].to_numpy(), np.where(waiting, a, np.where(serving, st, en))
    )
    rid = np.where(has, np.asarray(r.res_ids, dtype=object)[res[j]] if len(res) else "", "")
    return pd.DataFrame(
        {
            "shipment": s["shipment"].to_numpy(),
            "origin": s["origin"].to_numpy(),
            "destination": s["destination"].to_numpy(),
            "corridor": s["corridor"].to_numpy(),
            "created_h": s["created_h"].to_numpy(),
            "resource": rid,
            "state": state,
            "since_h": since,
        }
    )


def sailings_table(r: RunResult) -> pd.DataFrame:
    """Every completed sailing: ship, line, port of departure, times, load.

    Columns: ``line``, ``ship``, ``from_port``, ``ready_h`` (began taking cargo),
    ``decided_h`` (stopped taking cargo: full, waited long enough or timetable, and
    the port open), ``depart_h`` (left the berth after loading), ``arrive_h``
    (unloaded at the other port), ``load_factor`` (share of the deck used), ``units``
    (wagons, TEU or trucks).
    """
    return pd.DataFrame(
        {
            "line": np.asarray(r.line_ids, dtype=object)[r.ship_lines[r.s_ship]]
            if len(r.s_ship)
            else np.array([], dtype=object),
            "ship": np.asarray(r.ship_ids, dtype=object)[r.s_ship]
            if len(r.s_ship)
            else np.array([], dtype=object),
            "from_port": np.asarray(r.res_nodes, dtype=object)[r.s_from]
            if len(r.s_from)
            else np.array([], dtype=object),
            "ready_h": r.s_ready,
            "decided_h": r.s_decided,
            "depart_h": r.s_depart,
            "arrive_h": r.s_arrive,
            "load_factor": r.s_load,
            "units": r.s_units,
        }
    )
