"""The corridor model end to end: a scenario run, a Monte Carlo forecast and a calibration.

Usage: python benchmarks/model.py [--to 2035] [--samples 100] [--workers N] [--skip-calibration]
       [--skip-forecast] [--routes-per-corridor K]

Times, through the public study functions the command line calls,

* ``corridors run baseline-2024 --to 2035`` (:func:`corridors.studies.scenario.run_and_store`,
  not stored), with the equilibrium's largest iteration count and gap over the years;
* ``corridors forecast baseline-2024 --to 2035 --samples 100`` on the local process pool
  (:func:`corridors.studies.scenario.forecast`, not stored);
* ``corridors calibrate calibration-2021-2023`` (:func:`corridors.studies.calibrate.
  calibrate_scenario`, not stored), then one run of the fitted history for its
  equilibrium's iterations and gap (not timed).

and prints each next to its target (issue 11: a scenario run under 3 s, the forecast under
60 s on a 2-core machine; the calibration has no target) with the ratio measured / target.
There is no peer tool for this model; the target is the reference.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace

from corridors.scenarios.io import load_inputs
from corridors.scenarios.sweep import default_workers
from corridors.studies.calibrate import calibrate_scenario
from corridors.studies.scenario import forecast, run_and_store, scenario_run

RUN_TARGET_S = 3.0
FORECAST_TARGET_S = 60.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="baseline-2024")
    ap.add_argument("--to", type=int, default=2035, help="Last year of the run and forecast.")
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--history", default="calibration-2021-2023")
    ap.add_argument("--skip-calibration", action="store_true")
    ap.add_argument("--skip-forecast", action="store_true")
    ap.add_argument(
        "--routes-per-corridor",
        type=int,
        default=None,
        help="Run (and forecast) with this many routes per corridor (default: the scenario's).",
    )
    args = ap.parse_args()
    load_before = os.getloadavg()
    rows: list[tuple[str, float, float | None, str, str]] = []

    inputs = load_inputs(args.scenario)
    if args.routes_per_corridor is not None:
        sc = inputs.scenario
        beh = sc.behaviour.model_copy(update={"routes_per_corridor": args.routes_per_corridor})
        loaded = replace(inputs.loaded, scenario=sc.model_copy(update={"behaviour": beh}))
        inputs = replace(inputs, loaded=loaded)
    t = time.perf_counter()
    _, result = run_and_store(inputs, store=None, horizon=args.to)
    dt = time.perf_counter() - t
    info = result.info
    years = f"{inputs.scenario.base_year}-{args.to}"
    k = inputs.scenario.behaviour.routes_per_corridor
    years += f", {k} route{'s' if k > 1 else ''} per corridor"
    rows.append(
        (
            f"run {args.scenario} {years}",
            dt,
            RUN_TARGET_S,
            str(info["max_iterations"]),
            f"{float(info['max_gap']):.1e}" + ("" if info["converged"] else " (not converged)"),
        )
    )
    print(f"{rows[-1][0]}: {dt:.2f} s", flush=True)

    if not args.skip_forecast:
        t = time.perf_counter()
        fc = forecast(
            inputs,
            to_year=args.to,
            samples=args.samples,
            store=None,
            executor="processes",
            workers=args.workers,
        )
        dt = time.perf_counter() - t
        assert fc.outcome.completed == args.samples, fc.outcome.completed
        rows.append(
            (
                f"forecast {args.scenario} {years}, {args.samples} samples, {args.workers} workers",
                dt,
                FORECAST_TARGET_S,
                str(fc.outcome.max_iterations),
                f"{fc.outcome.max_gap:.1e}"
                + ("" if fc.outcome.all_converged else " (not converged)"),
            )
        )
        print(f"{rows[-1][0]}: {dt:.2f} s", flush=True)

    if not args.skip_calibration:
        history = load_inputs(args.history)
        t = time.perf_counter()
        study = calibrate_scenario(history, store=None)
        dt = time.perf_counter() - t
        fit = study.fit
        fitted = scenario_run(history.network, fit.scenario, catalogue=history.catalogue).info
        rows.append(
            (
                f"calibrate {args.history} (RMSE(log) {fit.rmse_log:.3f})",
                dt,
                None,
                f"{fitted['max_iterations']} (fitted run)",
                f"{float(fitted['max_gap']):.1e} (fitted run)",
            )
        )
        print(f"{rows[-1][0]}: {dt:.2f} s", flush=True)

    print()
    print(
        f"machine: {os.cpu_count()} cores; load average (1, 5, 15 min) before "
        f"{tuple(round(x, 1) for x in load_before)}, after "
        f"{tuple(round(x, 1) for x in os.getloadavg())}"
    )
    print("| task | seconds | target s | measured / target | equilibrium iterations | gap |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, seconds, target, iterations, gap in rows:
        tgt = f"{target:.0f}" if target else "-"
        ratio = f"{seconds / target:.2f}" if target else "-"
        print(f"| {name} | {seconds:.2f} | {tgt} | {ratio} | {iterations} | {gap} |")


if __name__ == "__main__":
    main()
