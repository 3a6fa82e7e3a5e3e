"""Benchmark: corridors' bi-conjugate Frank-Wolfe against AequilibraE's, same machine.

Both solve the same TNTP network (same links, BPR parameters, generalised cost with
the toll and distance terms as fixed costs, same demand) to the same relative gap, in
one run, and the script prints seconds, iterations, the final gap each reports and the
ratio ours / AequilibraE.

Run (AequilibraE is a benchmark-only extra: ``pip install aequilibrae``)::

    python benchmarks/assignment.py            # Chicago-Sketch 1e-4 and 1e-5, SiouxFalls 1e-6
    python benchmarks/assignment.py --repeat 3 # best of three runs each

Notes
-----
* AequilibraE rejects a zero free-flow time, and Chicago-Sketch's centroid connectors
  have one; they get 1e-6 min for AequilibraE only (the delay term is negligible).
* AequilibraE evaluates its stopping gap with the costs of the previous iteration
  against the new flows; ours is the standard gap at the returned flows. The script
  recomputes the standard gap of AequilibraE's final flows with our code, so the
  accuracy reached by both is printed side by side.
* Timed: the assignment only (``TrafficAssignment.execute()`` for AequilibraE,
  ``assign_equilibrium`` for ours); reading files and building graphs are not.
* Our first call pays numba's compilation (cached on disk afterwards); the script
  warms up on SiouxFalls before timing.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from corridors.assignment.equilibrium import assign_equilibrium, relative_gap
from corridors.assignment.paths import all_or_nothing, available_backends
from corridors.assignment.tntp import tntp_graph
from corridors.tntp import TntpNetwork, read_tntp

REPO = Path(__file__).resolve().parents[1]


def shared_tntp() -> Path | None:
    """``../shared/data/tntp`` next to the repository (a worktree: the nearest ancestor)."""
    return next(
        (p / "shared" / "data" / "tntp" for p in REPO.parents if (p / "shared/data/tntp").is_dir()),
        None,
    )


CASES = (("Chicago-Sketch", 1e-4), ("Chicago-Sketch", 1e-5), ("SiouxFalls", 1e-6))


def standard_gap(net: TntpNetwork, flow: np.ndarray) -> float:
    """Relative gap of ``flow`` as our engine defines it (costs and paths at ``flow``)."""
    graph = tntp_graph(net)
    cost = graph.arc_cost(flow)
    aon = all_or_nothing(graph, cost, net.demand)
    has = net.demand > 0
    return relative_gap(float(flow @ cost), float(net.demand[has] @ aon.od_cost[has]))


def run_ours(net: TntpNetwork, gap: float) -> tuple[float, int, float, np.ndarray]:
    graph = tntp_graph(net)
    started = time.perf_counter()
    res = assign_equilibrium(
        graph, net.demand, algorithm="bfw", gap=gap, max_iter=5000, keep_routes=False
    )
    return time.perf_counter() - started, res.iterations, res.gap, res.flow


def run_aequilibrae(
    net: TntpNetwork, gap: float, workdir: Path, cores: int
) -> tuple[float, int, float, np.ndarray]:
    from aequilibrae.matrix import AequilibraeMatrix  # noqa: PLC0415
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass  # noqa: PLC0415

    logging.getLogger("aequilibrae").setLevel(logging.ERROR)

    lk = net.links
    n = len(lk)
    network = pd.DataFrame(
        {
            "link_id": np.arange(1, n + 1),
            "a_node": lk["init_node"].to_numpy(),
            "b_node": lk["term_node"].to_numpy(),
            "direction": np.ones(n, dtype=int),
            "capacity": lk["capacity"].to_numpy(),
            "free_flow_time": np.maximum(lk["free_flow_time"].to_numpy(), 1e-6),
            "b": lk["b"].to_numpy(),
            "power": lk["power"].to_numpy(),
            "fixed_cost": net.fixed_cost(),
        }
    )
    network["id"] = network["link_id"]
    graph = Graph()
    graph.network = network
    graph.prepare_graph(np.arange(1, net.n_zones + 1))
    graph.set_graph("free_flow_time")
    graph.set_blocked_centroid_flows(net.first_thru_node > 1)

    matrix = AequilibraeMatrix()
    matrix.create_empty(
        file_name=str(workdir / f"demand_{os.getpid()}.aem"),
        zones=net.n_zones,
        matrix_names=["trips"],
        memory_only=True,
    )
    matrix.index[:] = np.arange(1, net.n_zones + 1)
    matrix.matrices[:, :, 0] = net.demand
    matrix.computational_view(["trips"])

    tclass = TrafficClass("car", graph, matrix)
    if np.any(net.fixed_cost() > 0):
        tclass.set_fixed_cost("fixed_cost", 1.0)
    assig = TrafficAssignment()
    assig.set_classes([tclass])
    assig.set_vdf("BPR")
    assig.set_vdf_parameters({"alpha": "b", "beta": "power"})
    assig.set_capacity_field("capacity")
    assig.set_time_field("free_flow_time")
    assig.set_algorithm("bfw")
    assig.set_cores(cores)
    assig.max_iter = 5000
    assig.rgap_target = gap
    started = time.perf_counter()
    with Path(os.devnull).open("w") as sink, contextlib.redirect_stderr(sink):  # its progress bars
        assig.execute()
    seconds = time.perf_counter() - started
    report = assig.report()
    flows = assig.results()
    flow = np.zeros(n)
    flow[flows.index.to_numpy() - 1] = flows["PCE_AB"].to_numpy()
    matrix.close()
    return seconds, int(report["iteration"].max()), float(report["rgap"].iloc[-1]), flow


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; best is kept")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--data", type=Path, default=shared_tntp(), help="TNTP folder")
    args = parser.parse_args()
    if args.data is None:
        print("skipped: ../shared/data/tntp is absent next to the repository; pass --data FOLDER")
        return 0
    data: Path = args.data
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("aequilibrae").setLevel(logging.WARNING)
    print(f"corridors back ends: {', '.join(available_backends())}; cores: {args.cores}")
    warm = read_tntp(data / "SiouxFalls")
    run_ours(warm, 1e-3)  # compile / load the numba kernels
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, gap in CASES:
            net = read_tntp(data / name)
            best_o = best_a = None
            for _ in range(args.repeat):
                o = run_ours(net, gap)
                a = run_aequilibrae(net, gap, Path(tmp), args.cores)
                best_o = o if best_o is None or o[0] < best_o[0] else best_o
                best_a = a if best_a is None or a[0] < best_a[0] else best_a
            assert best_o is not None
            assert best_a is not None
            rows.append(
                {
                    "network": name,
                    "gap": gap,
                    "ours_s": best_o[0],
                    "ours_iter": best_o[1],
                    "ours_gap": standard_gap(net, best_o[3]),
                    "aeq_s": best_a[0],
                    "aeq_iter": best_a[1],
                    "aeq_gap_reported": best_a[2],
                    "aeq_gap_standard": standard_gap(net, best_a[3]),
                    "ratio": best_o[0] / best_a[0],
                }
            )
            r = rows[-1]
            print(
                f"{name:15s} gap {gap:.0e}: ours {r['ours_s']:.2f} s / {r['ours_iter']} it, "
                f"AequilibraE {r['aeq_s']:.2f} s / {r['aeq_iter']} it, "
                f"ratio {r['ratio']:.2f}",
                flush=True,
            )
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.float_format", "{:.3g}".format):
        print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
