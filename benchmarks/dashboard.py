"""Benchmark: the dashboard's compare over HTTP (warm) against the library call it wraps.

The peer is ``corridors.routing.compare`` called directly on a graph built once; ours is
``GET /api/compare`` through the FastAPI application (parameter checks, cached graph,
the compare, legs with geometry and the JSON), in-process with the test client. The
target is under 100 ms warm. Prints the median of ``--repeat`` calls each and the ratio.

Run::

    python benchmarks/dashboard.py
    python benchmarks/dashboard.py --repeat 50
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from corridors.datasets import eurasia_path
from corridors.network import read_network
from corridors.routing import CostParameters, build_graph, compare
from corridors.web.app import create_app

PAIRS = (("Xi'an", "Duisburg"), ("Almaty", "Istanbul"), ("Chongqing", "Rotterdam"))


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    net = read_network(eurasia_path())
    params = CostParameters()
    graph = build_graph(net, params)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(store=Path(tmp) / "runs.duckdb", workers=1)
        with TestClient(app) as client:
            print(f"{'pair':<24} {'library ms':>11} {'API ms':>8} {'ratio':>6}")
            for o, d in PAIRS:
                q = {"origin": o, "destination": d}
                assert client.get("/api/compare", params=q).status_code == 200  # warm up
                lib = median_ms(
                    lambda o=o, d=d: compare(net, o, d, params=params, graph=graph), args.repeat
                )
                web = median_ms(lambda q=q: client.get("/api/compare", params=q), args.repeat)
                print(f"{o + ' - ' + d:<24} {lib:>11.1f} {web:>8.1f} {web / lib:>6.2f}")
        app.state.jobs.shutdown()


if __name__ == "__main__":
    main()
