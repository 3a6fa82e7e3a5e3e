"""``GET /api/compare?scenario=&year=``: congested days, queues per leg, 4xx naming the parameter."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from corridors.scenarios.io import load_inputs
from corridors.studies.compare import congested_routes, scenario_year

XIAN_DUISBURG = {"origin": "Xi'an", "destination": "Duisburg"}


def test_scenario_compare_matches_the_study(client: TestClient) -> None:
    r = client.get(
        "/api/compare", params={**XIAN_DUISBURG, "scenario": "baseline-2024", "year": 2024}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["times"], body["scenario"], body["year"]) == ("congested", "baseline-2024", 2024)
    state = scenario_year(load_inputs("baseline-2024"), 2024)
    expected = {c.corridor: c for c in congested_routes(state, "Xi'an", "Duisburg")}
    got = {x["corridor"]: x for x in body["routes"]}
    assert set(got) == set(expected)
    for corridor, c in expected.items():
        x = got[corridor]
        assert x["days_free"] == pytest.approx(c.free_h / 24.0, abs=1e-3)
        assert x["days_p50"] == pytest.approx(c.p50_h / 24.0, abs=1e-3)
        assert x["days_p90"] == pytest.approx(c.p90_h / 24.0, abs=1e-3)
        assert all("queue_h" in leg for leg in x["legs"])
        assert x["time_by_cause_h"]["queue"] == pytest.approx(x["queue_h"])
        assert "geometry" in x  # still the page's route
    ferry = next(leg for leg in got["middle"]["legs"] if leg["link_id"] == "aktau-alat")
    assert ferry["queue_h"] > 0.0
    # the train paths from Alashankou bind in 2024: their price is paid as a wait
    paths = next(leg for leg in got["middle"]["legs"] if leg["link_id"] == "alashankou-dostyk")
    assert paths["shadow_price_usd"] > 0.0
    assert paths["rationing_h"] > 0.0
    assert got["middle"]["time_by_cause_h"]["rationing"] == pytest.approx(
        got["middle"]["rationing_h"]
    )


def test_without_a_scenario_the_times_are_free_flow(client: TestClient) -> None:
    body = client.get("/api/compare", params=XIAN_DUISBURG).json()
    assert body["times"] == "free-flow"
    assert "days_p50" not in body["routes"][0]


def test_scenario_csv_has_the_congested_columns(client: TestClient) -> None:
    r = client.get("/api/compare.csv", params={**XIAN_DUISBURG, "scenario": "baseline-2024"})
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {"days_free", "days_p50", "days_p90", "queue_h"} <= set(rows[0])


@pytest.mark.parametrize(
    ("params", "loc", "status", "words"),
    [
        ({"scenario": "baseline-2025"}, ["query", "scenario"], 404, "baseline-2024"),
        ({"scenario": "../../etc/passwd"}, ["query", "scenario"], 404, "unknown scenario"),
        ({"scenario": "baseline-2024", "year": 2031}, ["query", "year"], 422, "2024 to 2030"),
        (
            {"scenario": "baseline-2024", "close": "bosporus"},
            ["query", "scenario"],
            422,
            "closures",
        ),
    ],
)
def test_bad_scenario_input_names_the_parameter(
    client: TestClient, params: dict[str, object], loc: list[str], status: int, words: str
) -> None:
    r = client.get("/api/compare", params={**XIAN_DUISBURG, **params})
    assert r.status_code == status, r.text
    detail = r.json()["detail"][0]
    assert detail["loc"] == loc
    assert words in detail["msg"]


def test_openapi_documents_scenario_and_year(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/compare"]["get"]["parameters"]}
    assert "days_p50" in params["scenario"]["description"]
    assert "scenario" in params["year"]["description"]
