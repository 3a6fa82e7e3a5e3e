"""Benchmark: how long the command line takes to start and answer, each run a new process.

The peer is the floor every compare pays: a Python process importing the libraries the
compare needs (numpy, pandas with pyarrow, scipy's csgraph, pydantic, typer, rich) and
nothing of ours. Ours are ``corridors --version``, ``corridors --help`` and ``corridors
compare "Xi'an" Duisburg``, the last twice: with an empty sea-leg cache (the first compare
after installing, which computes the sea legs with searoute) and with the cache filled
(every later one). Targets: ``--version`` and ``--help`` well under 0.5 s, compare under
1 s. Prints the median wall time of ``--repeat`` runs, the CPU time (user + system) and
the ratio to the floor, with the load average before and after, since a shared machine
slows every figure.

On a shared machine the other processes' load stretches every wall time; ``--realtime``
(root, Linux) runs each timed process under ``chrt -f 50`` (real-time scheduling), so it
is not queued behind them: its wall time is then close to an idle machine's.

Run::

    python benchmarks/startup.py
    python benchmarks/startup.py --repeat 10 --realtime
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

FLOOR = "import numpy, pandas, scipy.sparse.csgraph, pydantic, typer, rich.table"
CORRIDORS = [str(Path(sys.executable).with_name("corridors"))]
"""The console script installed next to this interpreter."""


PREFIX: list[str] = []
"""Prepended to every timed command (``chrt -f 50`` with ``--realtime``)."""


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process."""
    args = [*PREFIX, *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median_of(
    repeat: int, args: list[str], env: dict[str, str], before: Callable[[], None] | None = None
) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        wall, cpu = run_once(args, env)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--realtime", action="store_true", help="time under chrt -f 50")
    args = parser.parse_args()
    if args.realtime:
        chrt = shutil.which("chrt")
        if chrt is None or os.geteuid() != 0:
            parser.error("--realtime needs chrt (util-linux) and root")
        PREFIX[:] = [chrt, "-f", "50"]
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = {**os.environ, "CORRIDORS_CACHE_DIR": str(cache), "COLUMNS": "80"}
        compare = [*CORRIDORS, "compare", "Xi'an", "Duisburg"]
        run_once(compare, env)  # compiled bytecode and the OS file cache, not timed

        def empty_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        floor = median_of(args.repeat, [sys.executable, "-c", FLOOR], env)
        rows = [
            ("corridors --version", median_of(args.repeat, [*CORRIDORS, "--version"], env)),
            ("corridors --help", median_of(args.repeat, [*CORRIDORS, "--help"], env)),
            ("compare, empty cache", median_of(args.repeat, compare, env, before=empty_cache)),
            ("compare, cache filled", median_of(args.repeat, compare, env)),
        ]
    print(f"load average at the start: {load[0]:.2f} (1 min) {load[1]:.2f} (5 min)")
    print("scheduling: " + ("real-time (chrt -f 50)" if PREFIX else "normal"))
    print(f"{'command (new process each run)':<32} {'wall s':>7} {'cpu s':>7} {'/ floor':>8}")
    print(f"{'floor: ' + 'the libraries alone':<32} {floor[0]:>7.2f} {floor[1]:>7.2f} {1:>8.2f}")
    for name, (wall, cpu) in rows:
        print(f"{name:<32} {wall:>7.2f} {cpu:>7.2f} {wall / floor[0]:>8.2f}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
