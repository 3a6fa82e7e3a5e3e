"""Benchmark: the dashboard's speed targets (issue 13), measured, not asserted.

Three measures, each printed next to its target with the ratio measured / target:

* **compare, warm, in-process**: ``GET /api/compare`` through the FastAPI application
  with its test client (parameter checks, the cached graph, the compare, every leg with
  its geometry, the JSON), against the peer ``corridors.routing.compare`` called on a
  graph built beforehand; target under 100 ms. Median of ``--repeat`` calls.
* **congested compare, warm, in-process**: ``GET /api/compare?...&scenario=baseline-2024``
  (free-flow, P50 and P90 days with the queue at each element, issue 11) against the peer
  ``corridors.studies.compare.congested_routes`` on the scenario-year built beforehand
  (``CongestedCompare.named``): computed each time (its routes in every part of the year,
  queues and the P50/P90 draws) and remembered (the scenario-year keeps each answer, as
  the API's warm requests do). The first request, which builds the scenario-year (a run
  of the scenario to its year), is timed apart; target under 100 ms.
* **compare, warm, over HTTP**: the same requests (free-flow and congested) to
  ``corridors serve`` on a loopback port, as the page makes it.
* **page interactive**: Debian's chromium (Playwright, ``--page-loads`` loads) opens
  ``/?view=compare&origin=Xi'an&destination=Duisburg`` on a running ``corridors serve``;
  the time from the start of navigation to the first usable compare (the table filled,
  a route per corridor on the map, ``body[data-ready]``), from the page's own clock
  (``performance.now()``), first (cold server caches) and then the median of the warm
  loads; target under 2 s.

Run::

    python benchmarks/dashboard.py
    python benchmarks/dashboard.py --repeat 50 --page-loads 5
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from fastapi.testclient import TestClient

from corridors.datasets import eurasia_path
from corridors.network import Network, read_network
from corridors.routing import CostParameters, build_graph, compare
from corridors.studies.compare import CongestedCompare, _congested_routes, congested_routes
from corridors.web.app import create_app

PAIRS = (("Xi'an", "Duisburg"), ("Almaty", "Istanbul"), ("Chongqing", "Rotterdam"))
SCENARIO = "baseline-2024"
"""Scenario of the congested compare (its base year)."""
COMPARE_TARGET_MS = 100.0
INTERACTIVE_TARGET_S = 2.0
CHROMIUM = Path("/usr/bin/chromium")


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t))
    return statistics.median(times)


def in_process(repeat: int) -> None:
    net = read_network(eurasia_path())
    params = CostParameters()
    graph = build_graph(net, params)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(store=Path(tmp) / "runs.duckdb", workers=1)
        with TestClient(app) as client:
            print(
                f"{'compare, warm (in-process)':<28} {'library ms':>11} {'API ms':>8} "
                f"{'API/library':>12} {'API/target':>11}"
            )
            for o, d in PAIRS:
                q = {"origin": o, "destination": d}
                assert client.get("/api/compare", params=q).status_code == 200  # warm up
                lib = median_ms(
                    lambda o=o, d=d: compare(net, o, d, params=params, graph=graph), repeat
                )
                web = median_ms(lambda q=q: client.get("/api/compare", params=q), repeat)
                print(
                    f"{o + ' - ' + d:<28} {lib:>11.1f} {web:>8.1f} {web / lib:>12.2f} "
                    f"{web / COMPARE_TARGET_MS:>11.2f}"
                )
            congested_in_process(client, net, repeat)
        app.state.jobs.shutdown()


def congested_in_process(client: TestClient, net: Network, repeat: int) -> None:
    """The congested compare through the API against the study on a built scenario-year."""
    t = time.perf_counter()
    state = CongestedCompare().named(SCENARIO, network=net)
    built = time.perf_counter() - t
    print(
        f"\n{'congested compare, warm':<24} {'lib computed':>12} {'remembered':>10} "
        f"{'API ms':>7} {'API/target':>10} {'first s':>8}"
    )
    params = state.params.model_copy(update={"year": state.year})
    for o, d in PAIRS:
        q = {"origin": o, "destination": d, "scenario": SCENARIO}
        t = time.perf_counter()
        assert client.get("/api/compare", params=q).status_code == 200  # builds its year
        first = time.perf_counter() - t
        computed = median_ms(
            lambda o=o, d=d: _congested_routes(state, o, d, params=params, samples=None), repeat
        )
        kept = median_ms(lambda o=o, d=d: congested_routes(state, o, d), repeat)
        web = median_ms(lambda q=q: client.get("/api/compare", params=q), repeat)
        print(
            f"{o + ' - ' + d:<24} {computed:>12.1f} {kept:>10.3f} {web:>7.1f} "
            f"{web / COMPARE_TARGET_MS:>10.2f} {first:>8.2f}"
        )
    print(f"scenario-year {SCENARIO} built once (library side) in {built:.2f} s")


def serve(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``corridors serve`` on a free port; its process and URL once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-c", "from corridors.cli.app import main; main()", "serve"]
    cmd += ["--port", str(port), "--no-browser", "--store", str(store), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{url}/api/network", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("corridors serve did not answer")


def over_http(url: str, repeat: int) -> None:
    for title, extra in (
        ("compare, warm (HTTP)", {}),
        ("congested, warm (HTTP)", {"scenario": SCENARIO}),
    ):
        print(f"\n{title:<28} {'ms':>8} {'ms/target':>10}")
        for o, d in PAIRS:
            q = urllib.parse.urlencode({"origin": o, "destination": d, **extra})

            def get(q: str = q) -> None:
                with urllib.request.urlopen(f"{url}/api/compare?{q}", timeout=600) as r:
                    r.read()

            get()
            ms = median_ms(get, repeat)
            print(f"{o + ' - ' + d:<28} {ms:>8.1f} {ms / COMPARE_TARGET_MS:>10.2f}")


def page_interactive(url: str, loads: int) -> None:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    q = urllib.parse.urlencode({"view": "compare", "origin": "Xi'an", "destination": "Duisburg"})
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for _ in range(loads):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{url}/?{q}")
            page.wait_for_selector("body[data-ready=true]", timeout=60_000)
            page.wait_for_selector("#compare-table tbody tr")
            # the page marks when its first compare was drawn, on its own clock
            times.append(page.evaluate("window.firstCompareMs") / 1000)
            page.close()
        browser.close()
    warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
    print(f"\n{'page interactive':<28} {'s':>8} {'s/target':>10}")
    for label, s in (("first load (cold caches)", times[0]), ("median of the next loads", warm)):
        print(f"{label:<28} {s:>8.2f} {s / INTERACTIVE_TARGET_S:>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--page-loads", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    in_process(args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = serve(Path(tmp) / "runs.duckdb")
        try:
            over_http(url, args.repeat)
            if CHROMIUM.exists():
                page_interactive(url, args.page_loads)
            else:
                print("\npage interactive: skipped (no /usr/bin/chromium; make browser)")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
