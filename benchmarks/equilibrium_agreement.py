"""Do two ways of solving the corridor split find the same equilibrium? A forecast's samples.

Usage::

    PYTHONPATH=src python -m benchmarks.equilibrium_agreement [--scenario baseline-2024]
        [--to 2035] [--samples 100] [--workers 2] [--method sra] [--tolerance 1e-7]
        [--max-iterations 20000] [--anderson-from-gap 1e-2]

Runs ``corridors forecast`` (nothing stored) twice on the same samples: with the
scenario's own settings of the equilibrium (``behaviour.equilibrium``: Anderson after
self-regulated averaging, by default) and with the settings given (by default pure
self-regulated averaging at the same tolerance, with room for its slower convergence;
``--method anderson --anderson-from-gap 1e-2 --max-iterations 3000``: Anderson started
at another gap, the same model along another path), through
:func:`corridors.studies.forecast.forecast`'s ``equilibrium`` option. Prints the
per-sample largest difference of a corridor's volume in a year (median, 90th percentile,
largest; TEU and share of that corridor-year's volume), the samples that
differ by more than 1 and 100 TEU, the largest difference's sample, year and corridor,
and for each way the largest iterations of a year solve per sample, the samples at its
iteration cap and those that did not converge (wall times as a guide only: the timed
forecast is ``benchmarks/model.py``'s). No peer tool: where the split has one
equilibrium the two ways agree to their tolerance; a difference larger than that is an
equilibrium that depends on the way it was found (BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from benchmarks.forecast_convergence import convergence_line

from corridors.scenarios.io import load_inputs
from corridors.scenarios.spec import Equilibrium
from corridors.studies.forecast import forecast


def differences(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """``sample_index, year, corridor, volume_teu, diff_teu, share`` of two forecasts' volumes.

    ``diff_teu``: the second's volume minus the first's, TEU a year; ``share``: its size
    over the first's volume (0 where that is 0).
    """
    keys = ["sample_index", "year", "corridor"]
    both = first[[*keys, "volume_teu"]].merge(
        second[[*keys, "volume_teu"]], on=keys, how="outer", suffixes=("", "_b")
    )
    both = both.fillna(0.0)
    both["diff_teu"] = both["volume_teu_b"] - both["volume_teu"]
    size = both["volume_teu"].abs().to_numpy()
    both["share"] = np.where(size > 0.0, both["diff_teu"].abs() / np.where(size > 0, size, 1), 0.0)
    return both.drop(columns="volume_teu_b")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="baseline-2024")
    parser.add_argument("--to", type=int, default=2035)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--method", default="sra", choices=("anderson", "sra", "msa"))
    parser.add_argument("--tolerance", type=float, default=None)
    parser.add_argument("--max-iterations", type=int, default=20_000)
    parser.add_argument("--anderson-from-gap", type=float, default=None)
    args = parser.parse_args()
    inputs = load_inputs(args.scenario)
    own = inputs.scenario.behaviour.equilibrium
    other = Equilibrium(
        method=args.method,
        tolerance=own.tolerance if args.tolerance is None else args.tolerance,
        max_iterations=args.max_iterations,
        anderson_from_gap=args.anderson_from_gap,
    )
    runs = []
    for settings in (None, other):
        start = time.perf_counter()
        fc = forecast(
            inputs,
            to_year=args.to,
            samples=args.samples,
            store=None,
            workers=args.workers,
            equilibrium=settings,
        )
        runs.append((fc, time.perf_counter() - start))
    (first, wall_a), (second, wall_b) = runs
    diff = differences(first.outcome.volumes, second.outcome.volumes)
    size = diff.assign(abs_teu=diff["diff_teu"].abs())
    worst = size.loc[size.groupby("sample_index")["abs_teu"].idxmax()]
    teu = worst["abs_teu"].to_numpy()
    share = worst["share"].to_numpy()
    top = size.loc[size["abs_teu"].idxmax()]
    print(
        f"{args.scenario} to {args.to}, {len(worst)} samples: {own.method} (tolerance "
        f"{own.tolerance:g}) against {other.method} (tolerance {other.tolerance:g}, cap "
        f"{other.max_iterations}, Anderson from gap {other.anderson_from_gap or 'default'})"
    )
    print(
        f"largest difference of a corridor-year's volume per sample: median {np.median(teu):.3g}"
        f" TEU ({np.median(share):.2e}), p90 {np.percentile(teu, 90):.3g} TEU "
        f"({np.percentile(share, 90):.2e}), largest {teu.max():.3g} TEU ({share.max():.2e}); "
        f"samples above 1 TEU: {int((teu > 1.0).sum())}, above 100 TEU: {int((teu > 100).sum())}"
    )
    print(
        f"largest: sample {int(top['sample_index'])}, {int(top['year'])}, {top['corridor']}: "
        f"{top['volume_teu']:.0f} TEU, {top['diff_teu']:+.3g} TEU ({top['share']:.2e})"
    )
    print(convergence_line(own.method, first, own.max_iterations, wall_a))
    print(convergence_line(other.method, second, other.max_iterations, wall_b))


if __name__ == "__main__":
    main()
