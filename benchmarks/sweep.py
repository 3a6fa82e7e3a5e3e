"""Sweep throughput: a baseline-2024 sweep run one by one, on the local pool and on Dask.

Usage: python benchmarks/sweep.py [--samples 200] [--workers N]

Prints runs/s for each executor and the parallel efficiency
(speed-up over one-by-one divided by the number of workers; target >= 80 %).
"""

from __future__ import annotations

import argparse
import os
import time

import dask
from distributed import Client, LocalCluster

from corridors.scenarios.io import load_inputs
from corridors.scenarios.sweep import default_workers
from corridors.scenarios.variables import parse_vary
from corridors.studies.scenario import sweep


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--scenario", default="baseline-2024")
    args = ap.parse_args()
    load_before = os.getloadavg()
    inputs = load_inputs(args.scenario)
    varies = [parse_vary("border_time.KZ=0.5..1.0")]
    n, w = args.samples, args.workers
    rows = []

    def timed(name: str, **kw: object) -> float:
        t = time.perf_counter()
        out = sweep(inputs, varies, samples=n, seed=1, store=None, **kw)  # type: ignore[arg-type]
        dt = time.perf_counter() - t
        assert out.completed == n
        rows.append((name, dt, n / dt))
        print(f"{name:<28} {dt:8.1f} s {n / dt:8.2f} runs/s", flush=True)
        return dt

    seq = timed("one by one", executor="sequential")
    pool = timed(f"process pool ({w} workers)", executor="processes", workers=w)
    # workers without Dask's statistical profiler (it samples every thread's stack every
    # 10 ms, a few % of CPU on pure-Python tasks); the same setting suits a real cluster
    with (
        dask.config.set({"distributed.worker.profile.enabled": False}),
        LocalCluster(
            n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: None)
        on_dask = timed(f"dask LocalCluster ({w} workers)", executor="dask", dask_client=client)
    print()
    print(
        f"machine: {os.cpu_count()} cores; samples {n}; scenario {args.scenario}; "
        f"load average (1, 5, 15 min) before {load_before}, after {os.getloadavg()}"
    )
    print("| executor | seconds | runs/s | speed-up | parallel efficiency |")
    print("|---|---:|---:|---:|---:|")
    for name, dt, rate in rows:
        eff = (seq / dt) / (1 if name == "one by one" else w)
        print(f"| {name} | {dt:.1f} | {rate:.2f} | {seq / dt:.2f} | {100 * eff:.0f} % |")
    _ = (pool, on_dask)


if __name__ == "__main__":
    main()
