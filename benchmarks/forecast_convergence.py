"""How every sample of a forecast converged: the equilibrium's iterations per sample.

Usage::

    PYTHONPATH=src python -m benchmarks.forecast_convergence [--scenario baseline-2024]
        [--to 2035] [--samples 100] [--workers 2]

Runs ``corridors forecast`` (nothing stored) and prints, over its samples, the largest
iterations of a year solve in each (median, 90th and 99th percentile, largest), the
samples whose largest solve reached the scenario's iteration cap, and those that did not
converge. No peer tool: the iterations of the same forecast before and after a change
of the equilibrium are the comparison (BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from corridors.scenarios.io import load_inputs
from corridors.studies.forecast import Forecast, forecast


def convergence_line(label: str, fc: Forecast, cap: int, wall: float) -> str:
    """One line on how a forecast's samples converged: the largest iterations of a year
    solve per sample (median, 90th and 99th percentile, largest), the samples at the
    iteration cap ``cap`` and those that did not converge, and the wall time (s)."""
    conv = fc.outcome.convergence
    its = conv["iterations"].to_numpy(dtype=float)
    return (
        f"{label}, {len(conv)} samples, {wall:.1f} s wall: largest iterations of a year "
        f"solve per sample: median {np.median(its):.0f}, p90 {np.percentile(its, 90):.0f}, "
        f"p99 {np.percentile(its, 99):.0f}, largest {its.max():.0f}; samples at the cap "
        f"({cap}): {int((its >= cap).sum())}; not converged: "
        f"{int((~conv['converged'].astype(bool)).sum())}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="baseline-2024")
    parser.add_argument("--to", type=int, default=2035)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    inputs = load_inputs(args.scenario)
    cap = inputs.scenario.behaviour.equilibrium.max_iterations
    start = time.perf_counter()
    fc = forecast(inputs, to_year=args.to, samples=args.samples, store=None, workers=args.workers)
    wall = time.perf_counter() - start
    print(convergence_line(f"{args.scenario} to {args.to}", fc, cap, wall))


if __name__ == "__main__":
    main()
