"""Writing the tables and charts of a simulation study (demand: :mod:`corridors.demand`).

The only module of :mod:`corridors.simulation` that touches files. Outputs are
written into a temporary folder next to the target, which is renamed into place at
the end, so a failure never leaves a half-written run folder behind.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd

from corridors.atomic import atomic_folder
from corridors.simulation import plots
from corridors.simulation import results as res
from corridors.simulation.reliability import reliability_from_results
from corridors.simulation.replications import Replications

__all__ = ["write_study"]

log = logging.getLogger(__name__)


def write_study(
    study: Replications,
    out_dir: str | os.PathLike[str],
    *,
    charts: bool = True,
    timelines: bool = True,
) -> Path:
    """Write the tables (Parquet) and charts (PNG) of a study, atomically.

    Files: ``transit_od.parquet`` and ``transit_corridor.parquet`` (percentiles with
    confidence intervals), ``reliability.parquet``, ``resources.parquet``,
    ``throughput.parquet``, ``replications.parquet``, ``queues.parquet`` (daily
    queue per resource and replication), ``shipments.parquet``, ``timelines.parquet``
    (every step of every shipment; ``timelines=False`` skips it), ``sailings.parquet``,
    ``in_system.parquet``, and ``transit_histogram.png``, ``queues.png``.

    Parameters
    ----------
    study : Replications
        The replications to write.
    out_dir : path-like
        Folder to create (replaced if it exists).
    charts : bool
        Draw the PNG charts.
    timelines : bool
        Write the per-step timelines (the largest table).

    Returns
    -------
    pathlib.Path
        The folder written.
    """
    out = Path(out_dir)
    with atomic_folder(out) as tmp:
        tables: dict[str, pd.DataFrame] = {
            "transit_od": study.transit_percentiles(),
            "transit_corridor": study.transit_percentiles(by=("corridor",)),
            "reliability": reliability_from_results(study),
            "resources": study.resources(),
            "throughput": study.throughput(),
            "replications": study.summary(),
        }
        per_run = {
            "queues": res.queue_series,
            "shipments": res.shipments_table,
            "sailings": res.sailings_table,
            "in_system": res.in_system_table,
        }
        if timelines:
            per_run["timelines"] = res.timeline_table
        for key, fn in per_run.items():
            frames = [fn(r).assign(replication=i) for i, r in enumerate(study.runs)]
            tables[key] = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        for key, frame in tables.items():
            frame.to_parquet(tmp / f"{key}.parquet", index=False)
        if charts:
            plots.save_figure(plots.transit_histogram(study.runs), tmp / "transit_histogram.png")
            plots.save_figure(plots.queue_figure(study.runs), tmp / "queues.png")
    log.info("wrote %s", out)
    return out
