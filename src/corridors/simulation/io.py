"""Reading demand and writing the tables and charts of a simulation study.

The only module of :mod:`corridors.simulation` that touches files. Outputs are
written into a temporary folder next to the target, which is renamed into place at
the end, so a failure never leaves a half-written run folder behind.
"""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path

import pandas as pd

from corridors.atomic import atomic_folder
from corridors.errors import DemandError, Problem, did_you_mean
from corridors.network.schema import DEMAND
from corridors.simulation import plots
from corridors.simulation import results as res
from corridors.simulation.reliability import reliability_from_results
from corridors.simulation.replications import Replications

__all__ = ["read_demand", "write_study"]

log = logging.getLogger(__name__)


def read_demand(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and check an origin-destination demand table (DEMAND schema).

    Parameters
    ----------
    path : path-like
        CSV file with the columns of :data:`corridors.network.schema.DEMAND`.

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``destination``, ``commodity``, ``volume``, ``unit``,
        ``year``, ``market``, ``source`` (defaults filled in) and ``_line``, the line
        number of the row in the file (the header is line 1).

    Raises
    ------
    DemandError
        Listing every missing column and bad value (file, line, field, value).
    FileNotFoundError
        If the file does not exist.
    """
    path = Path(path)
    name = path.name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    frame.columns = [str(c).strip() for c in frame.columns]
    problems: list[Problem] = []
    missing: set[str] = set()
    for f in DEMAND.fields:
        if f.name not in frame.columns:
            if f.required:
                missing.add(f.name)
                problems.append(
                    Problem(
                        name,
                        None,
                        f.name,
                        None,
                        "required column is missing",
                        did_you_mean(f.name, frame.columns),
                    )
                )
            frame[f.name] = "" if f.default is None else str(f.default)
    out = pd.DataFrame({"_line": range(2, len(frame) + 2)})
    for f in DEMAND.fields:
        if f.name in missing:
            out[f.name] = None
            continue
        col = frame[f.name].astype(str).str.strip().tolist()
        values: list[object] = []
        for i, raw in enumerate(col):
            line = i + 2
            if raw == "":
                if f.required:
                    problems.append(Problem(name, line, f.name, raw, "value is required"))
                values.append(f.default)
                continue
            if f.type in ("float", "int"):
                try:
                    v = float(raw)
                except ValueError:
                    problems.append(Problem(name, line, f.name, raw, "not a number"))
                    values.append(None)
                    continue
                if (
                    not math.isfinite(v)
                    or (f.minimum is not None and v < f.minimum)
                    or (f.maximum is not None and v > f.maximum)
                ):
                    problems.append(
                        Problem(
                            name,
                            line,
                            f.name,
                            raw,
                            f"must be between {f.minimum} and {f.maximum}"
                            if f.maximum is not None
                            else f"must be >= {f.minimum:g}",
                        )
                    )
                values.append(int(v) if f.type == "int" else v)
            elif f.type == "enum":
                if raw not in f.choices:
                    problems.append(
                        Problem(
                            name,
                            line,
                            f.name,
                            raw,
                            f"must be one of {', '.join(f.choices)}",
                            did_you_mean(raw, f.choices),
                        )
                    )
                values.append(raw)
            else:
                values.append(raw)
        out[f.name] = pd.Series(values, index=out.index)
    if problems:
        raise DemandError(problems, what=name)
    out.attrs["file"] = name
    return out[[*DEMAND.names, "_line"]]


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
