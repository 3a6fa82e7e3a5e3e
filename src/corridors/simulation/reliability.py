"""Simulated transit-time reliability for the generalised cost.

The scenario layer adds a reliability term to the generalised cost of a route: the
buffer a shipper plans on top of the typical time, valued like time. The simulation
supplies it per origin, destination and corridor as the gap between the 95th
percentile and the median of the simulated door-to-door time.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from corridors.simulation.replications import Replications
from corridors.simulation.results import RunResult, transit_percentiles

__all__ = ["reliability_from_results"]

COLUMNS = (
    "origin",
    "destination",
    "corridor",
    "p50_h",
    "p95_h",
    "buffer_h",
    "shipments",
    "replications",
)


def reliability_from_results(
    results: RunResult | Replications | Sequence[RunResult],
) -> pd.DataFrame:
    """Median, 95th percentile and buffer time per origin, destination and corridor.

    Parameters
    ----------
    results : RunResult, Replications or sequence of RunResult
        One or more replications of the same model.

    Returns
    -------
    pandas.DataFrame
        ``origin``, ``destination``, ``corridor``, ``p50_h`` and ``p95_h`` (hours,
        mean over the replications of each replication's percentile), ``buffer_h``
        (``p95_h - p50_h``), ``shipments`` (arrived, mean per replication) and
        ``replications`` (how many had arrivals for the pair).
    """
    if isinstance(results, RunResult):
        runs: Sequence[RunResult] = (results,)
    elif isinstance(results, Replications):
        runs = results.runs
    else:
        runs = results
    keys = ["origin", "destination", "corridor"]
    frames = [transit_percentiles(r, by=keys).assign(_rep=i) for i, r in enumerate(runs)]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(COLUMNS))
    data = pd.concat(frames, ignore_index=True)
    out = (
        data.groupby(keys, sort=True)
        .agg(
            p50_h=("p50_h", "mean"),
            p95_h=("p95_h", "mean"),
            shipments=("shipments", "mean"),
            replications=("_rep", "nunique"),
        )
        .reset_index()
    )
    out["buffer_h"] = out["p95_h"] - out["p50_h"]
    return out[list(COLUMNS)]
