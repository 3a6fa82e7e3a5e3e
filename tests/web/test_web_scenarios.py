"""Scenarios, runs and jobs through the API: checks, a run to completion, cancel, failure."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from corridors.scenarios.io import load_inputs
from corridors.studies.scenario import run_and_store


def detail(response) -> dict:
    return response.json()["detail"][0]


def test_scenarios_lists_the_shipped_ones(client: TestClient):
    names = {s["name"] for s in client.get("/api/scenarios").json()}
    assert {"baseline-2024", "red-sea-closed"} <= names


def test_get_scenario_gives_its_yaml(client: TestClient):
    body = client.get("/api/scenarios/baseline-2024").json()
    assert body["yaml"].startswith(("name:", "#")) or "name:" in body["yaml"]
    assert body["scenario"]["base_year"] == 2024
    assert body["catalogue"], "the shipped catalogue has measures"


def test_unknown_scenario_is_404_with_a_suggestion(client: TestClient):
    r = client.get("/api/scenarios/baseline-2042")
    assert r.status_code == 404
    assert detail(r)["loc"] == ["path", "scenario"]
    assert "baseline-2024" in detail(r)["msg"]
    r = client.post("/api/runs", json={"scenario": "no-such"})
    assert r.status_code == 404


def test_edited_scenario_with_an_unknown_measure_gets_the_file_message(client: TestClient):
    text = client.get("/api/scenarios/baseline-2024").json()["yaml"]
    bad = text + "\nmeasures: [no_such_measure]\n"
    r = client.post("/api/scenarios/baseline-2024/check", json={"yaml": bad})
    assert r.status_code == 422
    d = detail(r)
    assert d["loc"] == ["body", "yaml"]
    problem = d["problems"][0]
    assert problem["field"].startswith("measures")
    assert problem["value"] == "no_such_measure"
    assert problem["line"] == len(bad.splitlines())
    r = client.post("/api/runs", json={"scenario": "baseline-2024", "yaml": bad})
    assert r.status_code == 422
    assert detail(r)["loc"] == ["body", "yaml"]


def test_valid_edit_passes_the_check(client: TestClient):
    text = client.get("/api/scenarios/baseline-2024").json()["yaml"]
    r = client.post("/api/scenarios/baseline-2024/check", json={"yaml": text})
    assert r.status_code == 200
    assert r.json()["ok"] is True


def test_the_measures_form_rewrites_the_scenario(client: TestClient):
    import yaml

    text = client.get("/api/scenarios/baseline-2024").json()["yaml"]
    form = "/api/scenarios/baseline-2024/form"
    r = client.post(form, json={"yaml": text, "measures": ["alat_phase2", "btk_upgrade"]})
    assert r.status_code == 200, r.text
    edited = r.json()["yaml"]
    check = client.post("/api/scenarios/baseline-2024/check", json={"yaml": edited})
    assert check.status_code == 200
    assert yaml.safe_load(edited)["measures"] == ["alat_phase2", "btk_upgrade"]
    r = client.post(form, json={"yaml": text, "measures": ["alat_phse2"]})
    assert r.status_code == 422
    assert detail(r)["loc"] == ["body", "form"]
    assert "alat_phase2" in detail(r)["msg"]  # did you mean
    assert [p["field"] for p in detail(r)["problems"]] == ["measures[0]"]


def test_bad_run_requests(client: TestClient):
    assert client.post("/api/runs", json={}).status_code == 422
    r = client.post("/api/runs", json={"scenario": "baseline-2024", "to": 2000})
    assert r.status_code == 422
    assert detail(r)["loc"] == ["body", "to"]
    r = client.post("/api/runs", json={"scenario": "baseline-2024", "kind": "dance"})
    assert r.status_code == 422
    assert detail(r)["loc"] == ["body", "kind"]


@pytest.mark.slow
def test_run_a_scenario_to_completion_and_read_it_back(client: TestClient, report_content):
    r = client.post("/api/runs", json={"scenario": "baseline-2024", "to": 2025, "appraise": False})
    assert r.status_code == 202
    job_id = r.json()["job_id"]
    job = client.app.state.jobs.wait(job_id, timeout=60)
    state = client.get(f"/api/jobs/{job_id}").json()
    assert state["state"] == "done", state
    assert state["done"] == state["total"] == 2  # two years
    run_id = state["result"]["run_id"]
    run = client.get(f"/api/runs/{run_id}").json()
    # the same run made by the library directly gives the same volumes
    _, direct = run_and_store(
        load_inputs("baseline-2024"), store=None, horizon=2025, appraise_measures=False
    )
    want = direct.corridor_volumes.groupby(["year", "corridor"])["volume_teu"].sum()
    got = {(r["year"], r["corridor"]): r["volume_teu"] for r in run["corridor_totals"]}
    assert got == pytest.approx({k: float(v) for k, v in want.items()})
    assert run["info"]["scenario_name"] == "baseline-2024"
    listed = client.get("/api/runs", params={"kind": "run"}).json()
    assert run_id in {x["run_id"] for x in listed}
    assert client.get("/api/runs", params={"kind": "forecast"}).json() == [
        x for x in listed if x["kind"] == "forecast"
    ]
    csv = client.get(f"/api/runs/{run_id}/tables/corridor_volumes.csv")
    assert csv.status_code == 200
    assert csv.text.startswith("year,market,corridor")
    # the baseline serves all its demand: the unserved table is there, and empty
    assert run["unserved"] == []
    csv = client.get(f"/api/runs/{run_id}/tables/unserved.csv")
    assert csv.status_code == 200
    diff = client.get(f"/api/runs/{run_id}/diff/{run_id}").json()
    assert diff
    assert all(abs(x["delta_teu"]) < 1e-9 for x in diff)
    report = client.get(f"/api/runs/{run_id}/report.html")
    assert report.status_code == 200
    assert run_id in report.text
    # the dashboard's run map is the report's map, and it marks the full ports
    view = client.get(f"/api/runs/{run_id}/map").json()
    assert report_content(report.text).maps == [{k: v for k, v in view.items() if k != "year"}]
    features = [f["properties"] for f in view["layers"][0]["geojson"]["features"]]
    assert any(p["element"] == "node" and p["utilisation"] is not None for p in features)
    assert client.get("/api/runs/rnope/map").status_code == 404
    assert job.state == "done"


def test_unknown_run_and_table(client: TestClient):
    r = client.get("/api/runs/rdoesnotexist")
    assert r.status_code == 404
    assert detail(r)["loc"] == ["path", "run_id"]
    r = client.get("/api/runs/rdoesnotexist/tables/nope.csv")
    assert r.status_code == 404
    assert detail(r)["loc"] == ["path", "table"]


def test_unknown_job_is_404(client: TestClient):
    r = client.get("/api/jobs/nope")
    assert r.status_code == 404
    assert detail(r)["loc"] == ["path", "job_id"]
    assert client.post("/api/jobs/nope/cancel").status_code == 404


def test_a_cancelled_job_says_so(client: TestClient):
    r = client.post("/api/runs", json={"scenario": "middle-corridor-investments-2030"})
    job_id = r.json()["job_id"]
    cancelled = client.post(f"/api/jobs/{job_id}/cancel").json()
    assert cancelled["state"] == "cancelled"
    assert client.get(f"/api/jobs/{job_id}").json()["state"] == "cancelled"
    assert job_id in {j["job_id"] for j in client.get("/api/jobs").json()}


@pytest.mark.slow
def test_forecast_job_stores_its_draws_and_gives_bands(client: TestClient):
    r = client.post(
        "/api/runs",
        json={"scenario": "baseline-2024", "kind": "forecast", "to": 2025, "samples": 3},
    )
    assert r.status_code == 202
    job = client.app.state.jobs.wait(r.json()["job_id"], timeout=90)
    assert job.state == "done", job.error
    result = job.result
    sweep = client.get(f"/api/sweeps/{result['sweep_id']}").json()
    assert sweep["runs"] == result["runs"] == len(result["run_ids"])
    # the bands read back from the store are those the job computed
    stored = {(b["year"], b["corridor"]): b for b in sweep["bands"]}
    made = {(b["year"], b["corridor"]): b for b in result["bands"]}
    assert stored.keys() == made.keys()
    for k, b in made.items():
        assert stored[k]["p50"] == pytest.approx(b["p50"])
        assert stored[k]["p95_t"] == pytest.approx(b["p95_t"])
    for b in sweep["bands"]:
        assert b["p05"] <= b["p50"] <= b["p95"]
    assert result["sweep_id"] in {s["sweep_id"] for s in client.get("/api/sweeps").json()}
    assert client.get("/api/sweeps/snope").status_code == 404
