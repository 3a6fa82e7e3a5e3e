"""Charts of a simulation study: transit-time histograms and queues over the year.

Figures are drawn on matplotlib's Agg canvas attached here, per figure
(``FigureCanvasAgg(fig)``); nothing changes matplotlib's global backend and pyplot
is never imported, so importing corridors leaves an interactive session alone.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from corridors.simulation import results as res
from corridors.simulation.results import RunResult

__all__ = ["queue_figure", "save_figure", "transit_histogram"]

_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def transit_histogram(runs: Sequence[RunResult], *, bins: int = 40) -> Figure:
    """Histogram of door-to-door transit time (days) per corridor, all replications pooled.

    Parameters
    ----------
    runs : sequence of RunResult
        Replications of one model.
    bins : int
        Number of bins.
    """
    frames = [res.shipments_table(r) for r in runs]
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(data):
        data = data[(data["status"] == "arrived") & ~data["warmup"]]
    corridors = sorted(data["corridor"].unique()) if len(data) else []
    n = max(1, len(corridors))
    fig = _new_figure(7.5, 2.2 * n + 0.6)
    axes = fig.subplots(n, 1, squeeze=False, sharex=True)[:, 0]
    if not corridors:
        axes[0].text(
            0.5, 0.5, "no shipment arrived", ha="center", va="center", transform=axes[0].transAxes
        )
        return fig
    days = data["transit_h"].to_numpy() / 24.0
    edges = np.linspace(0.0, max(float(np.nanmax(days)), 1.0) * 1.02, bins + 1)
    for i, (ax, c) in enumerate(zip(axes, corridors, strict=True)):
        d = data.loc[data["corridor"] == c, "transit_h"].to_numpy() / 24.0
        ax.hist(d, bins=edges, color=_COLORS[i % len(_COLORS)], alpha=0.85)
        p50, p95 = np.percentile(d, [50, 95])
        for v, style, label in ((p50, "-", "P50"), (p95, "--", "P95")):
            ax.axvline(v, color="black", linestyle=style, linewidth=1)
            ax.text(
                v,
                0.95,
                f" {label} {v:.1f} d",
                transform=ax.get_xaxis_transform(),
                va="top",
                fontsize=8,
            )
        ax.set_ylabel("shipments")
        ax.set_title(f"{c or '(no corridor)'}: {len(d):,} shipments", fontsize=9, loc="left")
    axes[-1].set_xlabel("door-to-door transit time, days")
    return fig


def queue_figure(runs: Sequence[RunResult], *, top: int = 6, step_h: float = 24.0) -> Figure:
    """Daily mean queue at the busiest resources over the run (mean of replications).

    Parameters
    ----------
    runs : sequence of RunResult
        Replications of one model.
    top : int
        Number of resources shown: those with the longest mean queue.
    step_h : float
        Averaging interval, hours.
    """
    series = [res.queue_series(r, step_h=step_h) for r in runs]
    data = pd.concat(series, ignore_index=True) if series else pd.DataFrame()
    fig = _new_figure(8.0, 4.2)
    ax = fig.subplots()
    if not len(data):
        ax.text(0.5, 0.5, "no queue", ha="center", va="center", transform=ax.transAxes)
        return fig
    mean = data.groupby(["resource", "time_h"], sort=True)["queue"].mean().reset_index()
    busiest = mean.groupby("resource")["queue"].mean().sort_values(ascending=False).head(top).index
    for i, rid in enumerate(busiest):
        d = mean[mean["resource"] == rid]
        ax.plot(
            d["time_h"] / 24.0,
            d["queue"],
            color=_COLORS[i % len(_COLORS)],
            linewidth=1.1,
            label=str(rid),
        )
    ax.set_xlabel("day of the run")
    ax.set_ylabel("shipments waiting (daily mean)")
    ax.set_title(
        f"Queues at the {len(busiest)} busiest resources"
        f" ({len(runs)} replication{'s' if len(runs) != 1 else ''})",
        fontsize=10,
    )
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    return fig


def save_figure(fig: Figure, path: str | os.PathLike[str]) -> None:
    """Write a figure as PNG to ``path``."""
    fig.savefig(os.fspath(path), format="png")
