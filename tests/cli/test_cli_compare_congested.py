"""``corridors compare --scenario``: congested days, the queue per element, bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest


def test_json_has_free_p50_p90_and_queues_per_leg(run_cli) -> None:
    r = run_cli(
        "compare",
        "Xi'an",
        "Duisburg",
        "--scenario",
        "baseline-2024",
        "--year",
        "2024",
        "-f",
        "json",
    )
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["parameters"]["scenario"] == "baseline-2024"
    assert data["parameters"]["year"] == 2024
    routes = {x["corridor"]: x for x in data["routes"]}
    assert set(routes) == {"northern", "southern", "middle", "sea_cape"}  # Suez closed in 2024
    for x in routes.values():
        assert x["days_free"] <= x["days_p50"] + 0.05 <= x["days_p90"] + 0.05
        assert all("queue_h" in leg for leg in x["legs"])
    middle = routes["middle"]
    ferry = next(leg for leg in middle["legs"] if leg["link_id"] == "aktau-alat")
    assert ferry["queue_h"] > 0.0
    assert middle["days_p90"] > middle["days_free"]
    # the train paths from Alashankou (12 a day) bind in 2024: their shadow price is paid
    # as a wait, price / value of time (16.7 USD per TEU-hour)
    paths = next(leg for leg in middle["legs"] if leg["link_id"] == "alashankou-dostyk")
    assert paths["shadow_price_usd"] > 0.0
    assert paths["rationing_h"] == pytest.approx(paths["shadow_price_usd"] / 16.7, rel=1e-3)
    assert middle["rationing_h"] >= paths["rationing_h"] - 0.01
    assert middle["days_p50"] >= middle["days_free"] + middle["rationing_h"] / 24.0 - 0.05
    assert sum(q["queue_h"] for q in middle["queues"]) == pytest.approx(middle["queue_h"], abs=0.01)


def test_table_title_says_which_times(run_cli) -> None:
    free = run_cli("compare", "Xi'an", "Duisburg")
    assert free.code == 0, free.err
    assert "free-flow times, no queues" in " ".join(free.out.splitlines()[:3])
    congested = run_cli("compare", "Xi'an", "Duisburg", "--scenario", "baseline-2024", "--legs")
    assert congested.code == 0, congested.err
    head = " ".join(congested.out.splitlines()[:3])
    assert "baseline-2024 2024" in head
    assert "P50" in head
    assert "P90" in congested.out
    assert "middle: queue time per element" in congested.out
    assert "Aktau - Alat" in congested.out


def test_csv_columns(run_cli) -> None:
    r = run_cli("compare", "Xi'an", "Duisburg", "--scenario", "baseline-2024", "-f", "csv")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert {"days_free", "days_p50", "days_p90", "queue_h"} <= set(rows[0])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--scenario", "baseline-2025"), ("did you mean", "baseline-2024")),
        (("--scenario", "baseline-2024", "--year", "2031"), ("--year", "2024 to 2030")),
        (("--scenario", "baseline-2024", "--close", "bosporus"), ("--close",)),
        (("--legs",), ("--legs", "--scenario")),
    ],
)
def test_bad_command_lines_exit_2(run_cli, args: tuple[str, ...], words: tuple[str, ...]) -> None:
    r = run_cli("compare", "Xi'an", "Duisburg", *args)
    assert r.code == 2
    assert r.out == ""
    assert r.err.startswith("error:")
    for w in words:
        assert w in r.err
