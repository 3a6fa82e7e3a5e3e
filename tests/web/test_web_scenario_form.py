"""The scenario form: measures, market growth and disruptions written into the YAML."""

from __future__ import annotations

import pytest
import yaml
from fastapi.testclient import TestClient

FORM = "/api/scenarios/baseline-2024/form"


@pytest.fixture(scope="module")
def baseline(client: TestClient) -> dict:
    return client.get("/api/scenarios/baseline-2024").json()


def _problems(answer) -> list[dict]:
    assert answer.status_code == 422, answer.text
    return answer.json()["detail"][0]["problems"]


def test_growth_and_a_disruption_go_into_the_yaml(client: TestClient, baseline: dict):
    disruptions = [dict(d) for d in baseline["scenario"]["disruptions"]]
    rates = next(d for d in disruptions if d["id"] == "sea_rates_2025")
    rates |= {"extra_usd_teu": 3000.0, "end": "2027-01-01"}
    disruptions.append(
        {
            "id": "bosporus_strike",
            "name": "Strike",
            "passages": ["bosporus"],
            "start": "2025-03-01",
            "end": "2025-04-01",
            "closed": True,
        }
    )
    r = client.post(
        FORM,
        json={"yaml": baseline["yaml"], "growth": {"china_eu": 0.1}, "disruptions": disruptions},
    )
    assert r.status_code == 200, r.text
    data = yaml.safe_load(r.json()["yaml"])
    # the markets that group the demand table's rows
    growth = {m["id"]: m.get("growth") for m in data["demand"]["table_markets"]}
    assert growth == {
        "china_eu": 0.1,  # the form's
        "china_ru_by": 0.03,
        "china_eu_sea": 0.03,  # the rest as in the file
        "china_caucasus_tr": 0.08,
        "central_asia_tr": 0.05,
        "central_asia_eu": 0.04,
        "kz_caucasus": 0.06,
        "kz_crude": None,
    }
    written = {d["id"]: d for d in data["disruptions"]}
    assert written["sea_rates_2025"]["extra_usd_teu"] == 3000.0
    assert written["sea_rates_2025"]["end"] == "2027-01-01"
    # fields at their default are left out; a disruption with no end has none
    assert written["bosporus_strike"] == {
        "id": "bosporus_strike",
        "name": "Strike",
        "passages": ["bosporus"],
        "start": "2025-03-01",
        "end": "2025-04-01",
        "closed": True,
    }
    assert "end" not in written["northern_sanctions"]
    # the parsed scenario the page redraws the form from says the same
    parsed = r.json()["scenario"]
    assert parsed["demand"]["table_markets"][0]["growth"] == 0.1
    assert [d["id"] for d in parsed["disruptions"]][-1] == "bosporus_strike"
    # measures: set, then the text without them again
    r2 = client.post(FORM, json={"yaml": r.json()["yaml"], "measures": ["alat_phase2"]})
    assert yaml.safe_load(r2.json()["yaml"])["measures"] == ["alat_phase2"]
    assert yaml.safe_load(r2.json()["yaml"])["demand"]["table_markets"][0]["growth"] == 0.1


def test_a_bad_growth_rate_gets_the_files_message_on_its_field(client: TestClient, baseline):
    form = _problems(
        client.post(FORM, json={"yaml": baseline["yaml"], "growth": {"kz_caucasus": 3.0}})
    )
    assert [p["field"] for p in form] == ["demand.table_markets[6].growth"]
    # the same message as the YAML itself gets from the check
    text = baseline["yaml"].replace("growth: 0.06", "growth: 3.0")
    check = client.post("/api/scenarios/baseline-2024/check", json={"yaml": text})
    (same,) = _problems(check)
    assert (same["field"], same["message"]) == (form[0]["field"], form[0]["message"])
    assert "less than or equal to 1" in form[0]["message"]


def test_a_bad_disruption_names_its_field(client: TestClient, baseline: dict):
    disruptions = [dict(d) for d in baseline["scenario"]["disruptions"]]
    disruptions[1]["start"] = "2024-02-30"
    disruptions[2]["time_factor"] = 0.0
    r = client.post(FORM, json={"yaml": baseline["yaml"], "disruptions": disruptions})
    fields = {p["field"]: p["message"] for p in _problems(r)}
    assert set(fields) == {"disruptions[1].start", "disruptions[2].time_factor"}
    assert "greater than 0" in fields["disruptions[2].time_factor"]


def test_unknown_market_unknown_field_and_broken_yaml(client: TestClient, baseline: dict):
    r = client.post(FORM, json={"yaml": baseline["yaml"], "growth": {"china_eux": 0.1}})
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["loc"] == ["body", "growth"]
    assert "china_eu" in detail["msg"]
    bad = {"id": "x", "start": "2025-01-01", "colour": "red"}
    r = client.post(FORM, json={"yaml": baseline["yaml"], "disruptions": [bad]})
    assert r.status_code == 422  # the form has no such field
    r = client.post(FORM, json={"yaml": "name: [unclosed", "measures": []})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "yaml"]
    r = client.post(FORM, json={"yaml": "- a list", "measures": []})
    assert r.status_code == 422
    r = client.post("/api/scenarios/nope/form", json={"yaml": "", "measures": []})
    assert r.status_code == 404
