"""Statistics of the resources of a run: waits, queues, utilisation, sailings.

Per station, ferry port, yard and link of a :class:`~corridors.simulation.run_result.RunResult`:
the mean and P95 wait, the time-average and largest queue, the utilisation of the
servers and the closed hours (:func:`resource_table`); the queue at each resource over
time (:func:`queue_series`); every sailing of every ship (:func:`sailings_table`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from corridors.simulation.run_result import RunResult, visits_within_horizon

__all__ = ["queue_series", "resource_table", "sailings_table"]


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


def resource_table(r: RunResult, *, since_h: float = 0.0) -> pd.DataFrame:
    """Waiting, queue, utilisation and throughput of every resource over the run.

    Columns: ``resource``, ``kind``, ``node_id``, ``link_id``, ``servers`` (servers
    of a station, 0 when unlimited; ships of a ferry line), ``arrivals``, ``served`` (service or
    sailing finished), ``mean_wait_h``, ``p95_wait_h``, ``max_wait_h`` (over the
    visits whose wait ended), ``mean_queue`` (time-average number of shipments
    waiting), ``max_queue``, ``utilisation`` (busy server time / (servers x
    horizon); stations only; for a port yard ``yard:<node>``, whose ``servers`` are
    its slots and whose waits are the blocking before the port, the mean slots in
    use / slots), ``closed_h`` (storms and planned closures; these two over the whole
    run).

    ``since_h``: count only the visits that arrive from then on, hours, and average over
    the rest of the run (a warm-up deleted: the first trains take days to reach a station
    far from their origins, so over the whole run it sees fewer trains than it serves
    once the network is full).
    """
    if not 0.0 <= since_h < r.horizon_h:
        raise ValueError(f"since_h must be in [0, horizon {r.horizon_h} h), got {since_h}")
    _, arr, start, end, res = visits_within_horizon(r)
    if since_h > 0.0:
        later = arr >= since_h
        arr, start, end, res = arr[later], start[later], end[later], res[later]
    h = r.horizon_h
    span = h - since_h
    n_res = len(r.res_ids)
    grid = np.array([since_h, h])
    rows = []
    order = np.argsort(res, kind="stable")
    bounds = np.searchsorted(res[order], np.arange(n_res + 1))
    for i in range(n_res):
        idx = order[bounds[i] : bounds[i + 1]]
        a, s, e = arr[idx], start[idx], end[idx]
        waits = (s - a)[np.isfinite(s)]
        mean_q = max(
            0.0,
            float(np.diff(_queue_area(a, np.where(np.isfinite(s), s, np.inf), grid))[0]) / span,
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
            util = float(np.nansum(busy)) / (servers * span)
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
    _, arr, start, end, res = visits_within_horizon(r)
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
