"""The energy flow and relief layers of the dashboard: /api/energy/flow and /api/relief.

Known answers come from the studies' own tests (the CPC outage strands Kazakh crude and
the Aktau-Dubendi tankers bind; closing the Iskenderun port lowers the tonnes a day
that reach Kahramanmaras); the answers must equal what the library returns.
"""

from __future__ import annotations

import pytest

from corridors.studies.energy import energy_flow
from corridors.studies.relief import relief


def _detail(response) -> dict:
    return response.json()["detail"][0]


def test_energy_scenarios_lists_the_shipped_ones(client) -> None:
    body = client.get("/api/energy/scenarios").json()
    assert body["commodities"] == ["crude", "gas", "power"]
    assert {"cpc-outage-30d", "caspian-tankers-plus-4"} <= set(body["scenarios"])


def test_cpc_outage_strands_crude_and_the_tankers_bind(client) -> None:
    r = client.get("/api/energy/flow", params={"commodity": "crude", "scenario": "cpc-outage-30d"})
    assert r.status_code == 200
    body = r.json()
    assert body["parameters"] == {
        "command": "energy flow",
        "commodity": "crude",
        "year": None,
        "scenario": "cpc-outage-30d",
    }
    assert body["period_days"] == 30
    kz = next(c for c in body["commodities"] if c["id"] == "crude:KZ")
    assert kz["stranded_t"] > 0.25 * kz["supply_t"]
    assert kz["delivered_t"] + kz["stranded_t"] == pytest.approx(kz["supply_t"])
    assert "aktau-dubendi-tankers" in body["binding"]
    assert "aktau_oil" not in body["binding"]
    tankers = next(x for x in body["links"] if x["id"] == "aktau-dubendi-tankers")
    assert tankers["utilisation"] == pytest.approx(1.0)
    assert tankers["shadow_price_usd_t"] > 0
    # the same numbers as the library call the command line makes
    lib = energy_flow(carrier="crude", scenario="cpc-outage-30d").to_dict()
    assert body["binding"] == lib["binding"]
    assert [c["stranded_t"] for c in body["commodities"]] == pytest.approx(
        [c["stranded_t"] for c in lib["commodities"]]
    )


def test_energy_geojson_draws_links_with_flow_and_shadow_price(client) -> None:
    r = client.get(
        "/api/energy/flow",
        params={"scenario": "cpc-outage-30d", "format": "geojson"},
    )
    assert r.status_code == 200
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    assert fc["name"] == "crude 2024 cpc-outage-30d"
    by_id = {f["properties"]["id"]: f for f in fc["features"]}
    tankers = by_id["aktau-dubendi-tankers"]
    assert tankers["geometry"]["type"] == "LineString"
    assert tankers["properties"]["utilisation"] == pytest.approx(1.0)
    assert tankers["properties"]["shadow_price_usd_t"] > 0
    assert tankers["properties"]["flow_t"] == pytest.approx(tankers["properties"]["capacity_t"])


def test_more_tankers_move_the_binding_constraint(client) -> None:
    body = client.get("/api/energy/flow", params={"scenario": "caspian-tankers-plus-4"}).json()
    assert "aktau_oil" in body["binding"]
    assert "aktau-dubendi-tankers" not in body["binding"]


@pytest.mark.parametrize(
    ("params", "name", "status", "says"),
    [
        ({"commodity": "crud"}, "commodity", 422, "did you mean 'crude'"),
        ({"scenario": "cpc-outage-30"}, "scenario", 404, "did you mean 'cpc-outage-30d'"),
        ({"scenario": "/etc/passwd"}, "scenario", 404, "no such energy scenario"),
        ({"scenario": "cpc-outage-30d", "commodity": "power"}, "commodity", 422, "crude"),
        ({"year": 1800}, "year", 422, ""),
        ({"format": "kml"}, "format", 422, ""),
    ],
)
def test_bad_energy_input_names_the_parameter(client, params, name, status, says) -> None:
    r = client.get("/api/energy/flow", params=params)
    assert r.status_code == status
    d = _detail(r)
    assert d["loc"] == ["query", name]
    assert says in d["msg"]


def test_closing_the_port_lowers_the_tonnes_a_day(client) -> None:
    both = client.get(
        "/api/relief",
        params={"to": "Kahramanmaras", "within": "72h", "close": "iskenderun_port,hatay_airport"},
    )
    airport = client.get(
        "/api/relief", params={"to": "Kahramanmaras", "within": "72h", "close": ["hatay_airport"]}
    )
    assert both.status_code == airport.status_code == 200
    b, a = both.json(), airport.json()
    assert b["parameters"]["close"] == ["iskenderun_port", "hatay_airport"]
    assert b["tonnes_per_day"] < a["tonnes_per_day"]
    port = next(r for r in b["reopening"] if r["id"] == "iskenderun_port")
    assert port["adds_tonnes_per_day"] == pytest.approx(a["tonnes_per_day"] - b["tonnes_per_day"])
    lib = relief(to="Kahramanmaras", within="72h", close=["iskenderun_port", "hatay_airport"])
    assert b["tonnes_per_day"] == pytest.approx(lib.tonnes_per_day)
    assert all(r["hours"] <= 72 for r in b["routes"])


def test_relief_geojson_has_the_links_and_their_gain(client) -> None:
    fc = client.get(
        "/api/relief", params={"to": "Kahramanmaras", "close": "hatay_airport", "format": "geojson"}
    ).json()
    assert fc["name"] == "relief to kahramanmaras"
    links = [f for f in fc["features"] if f["properties"]["element"] == "link"]
    assert links
    assert all("gain_t_per_t_day" in f["properties"] for f in links)
    closed = [f for f in fc["features"] if f["properties"]["id"] == "hatay_airport"]
    assert closed[0]["properties"]["status"] == "closed"


@pytest.mark.parametrize(
    ("params", "name", "status"),
    [
        ({"to": "Kahramanmars"}, "to", 404),
        ({"to": "Kahramanmaras", "close": "iskenderun_prt"}, "close", 404),
        ({"to": "Kahramanmaras", "from": "Bakku"}, "from", 404),
        ({"to": "Kahramanmaras", "within": "3 weeks"}, "within", 422),
        ({"to": "Kahramanmaras", "within": "999d"}, "within", 422),
        ({"to": "Kahramanmaras", "step": 0}, "step", 422),
        ({}, "to", 422),
    ],
)
def test_bad_relief_input_names_the_parameter(client, params, name, status) -> None:
    r = client.get("/api/relief", params=params)
    assert r.status_code == status, r.text
    assert _detail(r)["loc"] == ["query", name]


def test_a_view_solves_its_study_once(client, monkeypatch) -> None:
    """The energy tab asks for the JSON and the GeoJSON of one view: one solve."""
    from corridors.studies import energy as energy_study

    calls: list[tuple] = []
    real = energy_study.energy_flow

    def counted(**kw):
        calls.append(tuple(sorted(kw.items())))
        return real(**kw)

    monkeypatch.setattr(energy_study, "energy_flow", counted)
    q = {"commodity": "gas", "year": 2027}
    body = client.get("/api/energy/flow", params=q).json()
    geo = client.get("/api/energy/flow", params={**q, "format": "geojson"}).json()
    assert len(calls) == 1
    # both answers are of that one solve: the GeoJSON carries the JSON's links
    links = {r["id"]: r["flow_bcm"] for r in body["links"]}
    drawn = {
        f["properties"]["id"]: f["properties"]["flow_bcm"]
        for f in geo["features"]
        if f["properties"]["element"] == "link"
    }
    assert drawn == {k: v for k, v in links.items() if k in drawn}
    client.get("/api/energy/flow", params={**q, "year": 2028})
    assert len(calls) == 2  # another year is another study
