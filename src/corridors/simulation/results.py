"""Results of a simulation run: raw records and the tables planners read.

:class:`RunResult` holds the raw records of one replication as numpy arrays (cheap
to pickle back from a worker process). The functions of this module turn them into
pandas tables: each shipment's timeline (where it waited and how long), transit-time
percentiles per origin-destination pair and corridor, waiting time, queue length and
utilisation at every resource, throughput, sailings, and the shipments still in the
system at the end of the run. :class:`RunResult` lives in
:mod:`~corridors.simulation.run_result` and the resource statistics in
:mod:`~corridors.simulation.resource_stats`; both are re-exported here.

A shipment counts as arrived when it reached its destination by the end of the
run; visits that started after the end are dropped and those under way are
reported with a missing end. Statistics use shipments that entered at or after the
warm-up time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from corridors.simulation.resource_stats import queue_series, resource_table, sailings_table
from corridors.simulation.run_result import PERCENTILES, RunResult, visits_within_horizon

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
    keep, arr, start, end, res = visits_within_horizon(r)
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
    keep, arr, start, end, res = visits_within_horizon(r)
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
