"""The dashboard's JSON API through FastAPI's test client: answers and bad input."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from corridors.datasets import eurasia_path
from corridors.network import read_network
from corridors.routing import CostParameters, compare

XIAN_DUISBURG = {"origin": "Xi'an", "destination": "Duisburg"}


def detail(response) -> dict:
    body = response.json()
    assert "detail" in body, body
    return body["detail"][0]


def test_places_baku_finds_alat_by_its_alias(client: TestClient):
    r = client.get("/api/places", params={"q": "Baku"})
    assert r.status_code == 200
    hits = r.json()
    assert hits[0]["node_id"] == "alat"
    assert "baku" in hits[0]["matched"].lower()
    assert hits[0]["name"] == "Alat"


def test_places_ignore_accents_and_punctuation(client: TestClient):
    hits = client.get("/api/places", params={"q": "xian"}).json()
    assert hits[0]["node_id"] == "xian"
    assert len(client.get("/api/places", params={"q": "", "limit": 3}).json()) == 3


def test_places_limit_out_of_range_names_the_parameter(client: TestClient):
    r = client.get("/api/places", params={"q": "a", "limit": 0})
    assert r.status_code == 422
    assert detail(r)["loc"] == ["query", "limit"]


def test_compare_matches_the_library(client: TestClient):
    r = client.get("/api/compare", params=XIAN_DUISBURG)
    assert r.status_code == 200
    body = r.json()
    net = read_network(eurasia_path())
    expected = compare(net, "Xi'an", "Duisburg", params=CostParameters())
    assert [x["corridor"] for x in body["routes"]] == [x.corridor for x in expected]
    for got, want in zip(body["routes"], expected, strict=True):
        assert got["days"] == pytest.approx(want.days, abs=1e-3)
        assert got["usd"] == pytest.approx(want.usd, abs=0.01)
        # every leg is drawn: one line feature per leg, in the corridor's colour
        assert len(got["geometry"]["features"]) == len(want.legs)
        assert {f["properties"]["stroke"] for f in got["geometry"]["features"]} == {
            net.corridor_color(want.corridor)
        }
        # the time by cause adds up to the door-to-door time
        assert sum(got["time_by_cause_h"].values()) == pytest.approx(want.hours, abs=0.05)
        # the profile ends at the totals
        end = got["profile"][-1]
        assert end["km"] == pytest.approx(want.km, abs=0.5)
        assert end["usd"] == pytest.approx(want.usd, abs=0.5)
        assert end["days"] == pytest.approx(want.days, abs=1e-3)
    assert body["origin"]["name"] == "Xi'an"


def test_compare_in_tonnes_is_cheaper_per_unit_than_per_teu(client: TestClient):
    teu = client.get("/api/compare", params=XIAN_DUISBURG).json()
    t = client.get("/api/compare", params={**XIAN_DUISBURG, "unit": "tonne"}).json()
    assert t["unit"] == "t"
    by = {r["corridor"]: r for r in teu["routes"]}
    for r in t["routes"]:
        assert r["usd"] < by[r["corridor"]]["usd"]
        assert r["days"] == pytest.approx(by[r["corridor"]]["days"], rel=1e-6)


def test_closing_the_bosporus_removes_the_northern_route_to_istanbul(client: TestClient):
    base = {"origin": "Xi'an", "destination": "Istanbul"}
    open_ = {r["corridor"] for r in client.get("/api/compare", params=base).json()["routes"]}
    shut = client.get("/api/compare", params={**base, "close_passage": "bosporus"}).json()
    assert "northern" in open_
    assert "northern" not in {r["corridor"] for r in shut["routes"]}


def test_close_takes_any_name_the_command_line_takes(client: TestClient):
    base = client.get("/api/compare", params=XIAN_DUISBURG).json()["routes"]
    assert "northern" in {r["corridor"] for r in base}
    ru = client.get("/api/compare", params={**XIAN_DUISBURG, "close": "RU"}).json()["routes"]
    corridors = {r["corridor"] for r in ru}
    assert "northern" not in corridors
    for r in ru:  # no leg touches a Russian place
        assert not {"moscow", "novorossiysk"} & {leg["to_node_id"] for leg in r["legs"]}
    border = client.get("/api/compare", params={**XIAN_DUISBURG, "close": "CN-KZ"}).json()
    assert {r["corridor"] for r in border["routes"]} < {r["corridor"] for r in base}
    r = client.get("/api/compare", params={**XIAN_DUISBURG, "close": "Atlantis"})
    assert r.status_code == 404
    assert detail(r)["loc"] == ["query", "close"]
    r = client.get("/api/compare", params={**XIAN_DUISBURG, "close": "CN"})
    assert r.status_code == 422
    assert detail(r)["loc"] == ["query", "origin"]


def test_feu_costs_twice_a_teu(client: TestClient):
    teu = client.get("/api/compare", params=XIAN_DUISBURG).json()
    feu = client.get("/api/compare", params={**XIAN_DUISBURG, "unit": "FEU"}).json()
    assert feu["unit"] == "FEU"
    by = {r["corridor"]: r for r in teu["routes"]}
    for r in feu["routes"]:
        assert r["days"] == pytest.approx(by[r["corridor"]]["days"], rel=1e-6)
        assert r["usd"] > by[r["corridor"]]["usd"]


def test_closing_a_port_by_name_and_a_corridor(client: TestClient):
    open_ = client.get("/api/compare", params=XIAN_DUISBURG).json()["routes"]
    assert any("alat" in {leg["to_node_id"] for leg in x["legs"]} for x in open_)
    r = client.get(
        "/api/compare",
        params={
            **XIAN_DUISBURG,
            "close_node": "Baku",  # the alias of Alat
            "close_corridor": ["northern", "northern_kz"],
        },
    )
    assert r.status_code == 200
    routes = r.json()["routes"]
    assert {x["corridor"] for x in routes} == {"southern", "sea_suez", "sea_cape"}
    for x in routes:
        assert "alat" not in {leg["to_node_id"] for leg in x["legs"]}


def test_the_graph_of_a_variant_is_built_once(client: TestClient):
    """A warm compare reuses the network and graph of its variant (no timing asserted)."""
    from corridors.network.closures import Closures as Named
    from corridors.web.cache import Closures

    cache = client.app.state.routing
    params = CostParameters(unit="TEU", year=2030)
    first = cache.variant(params, Closures(Named(passages=("suez",))))
    again = cache.variant(params, Closures(Named(passages=("suez",))))
    other = cache.variant(params, Closures(Named(passages=("bosporus",))))
    assert again[1] is first[1]
    assert other[1] is not first[1]
    assert first[1].params.closed_passages == ("suez",)
    assert first[1].params.year == 2030


@pytest.mark.parametrize(
    ("params", "loc", "status"),
    [
        ({"origin": "Xian", "destination": "Duisbrg"}, ["query", "destination"], 404),
        ({"origin": "Nowhere at all", "destination": "Duisburg"}, ["query", "origin"], 404),
        ({"origin": "Xian"}, ["query", "destination"], 422),
        ({**XIAN_DUISBURG, "unit": "FEUx"}, ["query", "unit"], 422),
        ({**XIAN_DUISBURG, "year": 3000}, ["query", "year"], 422),
        ({**XIAN_DUISBURG, "vot": -1}, ["query", "vot"], 422),
        ({**XIAN_DUISBURG, "close_passage": "suezz"}, ["query", "close_passage"], 422),
        ({**XIAN_DUISBURG, "close_node": "Atlantis"}, ["query", "close_node"], 404),
        ({**XIAN_DUISBURG, "close_link": "no-such-link"}, ["query", "close_link"], 404),
        ({**XIAN_DUISBURG, "close_corridor": "arctic"}, ["query", "close_corridor"], 404),
        ({"origin": "Xian", "destination": "xian"}, ["query", "destination"], 422),
        ({**XIAN_DUISBURG, "close_node": "Duisburg"}, ["query", "destination"], 422),
    ],
)
def test_compare_bad_input_names_the_parameter(client: TestClient, params, loc, status):
    r = client.get("/api/compare", params=params)
    assert r.status_code == status, r.text
    assert detail(r)["loc"] == loc


def test_unknown_place_carries_suggestions(client: TestClient):
    r = client.get("/api/compare", params={"origin": "Xian", "destination": "Duisbrg"})
    assert "Duisburg" in detail(r)["suggestions"]


def test_compare_csv_and_html_report(client: TestClient, report_content):
    csv = client.get("/api/compare.csv", params=XIAN_DUISBURG)
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith("corridor,days,usd")
    assert len(lines) == 1 + 5
    html = client.get("/api/compare/report.html", params=XIAN_DUISBURG)
    assert html.status_code == 200
    assert "Duisburg" in html.text
    drawn = report_content(html.text)
    assert drawn.external == []
    # the report's map draws exactly the routes the dashboard draws (one component)
    page = client.get("/api/compare", params=XIAN_DUISBURG).json()["routes"]
    keys = ("corridor", "name", "color", "geometry")
    assert drawn.maps[0]["layers"][0]["routes"] == [{k: r[k] for k in keys} for r in page]


def test_network_basemap_and_links(client: TestClient):
    info = client.get("/api/network").json()
    assert "middle" in [c["id"] for c in info["corridors"]]
    assert "bosporus" in info["passages"]
    geo = client.get("/api/basemap").json()
    names = {f["properties"]["name"] for f in geo["features"]}
    assert {"Kazakhstan", "Azerbaijan", "Georgia"} <= names
    links = client.get("/api/network/links").json()
    net = read_network(eurasia_path())
    assert len(links["features"]) == len(net.links)


def test_openapi_lists_the_api(client: TestClient):
    doc = client.get("/openapi.json").json()
    for path in (
        "/api/places",
        "/api/compare",
        "/api/scenarios",
        "/api/runs",
        "/api/jobs/{job_id}",
    ):
        assert path in doc["paths"]


def test_index_page_and_vendored_scripts_are_served(client: TestClient):
    assert client.get("/").status_code == 200
    assert client.get("/static/shared/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/shared/vendor/vega/vega.min.js").status_code == 200
