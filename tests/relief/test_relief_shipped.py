"""Relief on the shipped network of Türkiye's 2023 earthquake region."""

from __future__ import annotations

import re

from corridors.datasets import eurasia_path
from corridors.relief.io import read_relief_tables
from corridors.studies.relief import relief

REGION = (
    "kahramanmaras",
    "hatay",
    "gaziantep",
    "adana",
    "osmaniye",
    "malatya",
    "adiyaman",
    "iskenderun_port",
    "adana_airport",
    "gaziantep_airport",
    "hatay_airport",
    "malatya_airport",
)


def test_shipped_relief_network_has_the_region_and_cites_sources() -> None:
    tables = read_relief_tables(eurasia_path())
    ids = set(tables.nodes["node_id"])
    assert set(REGION) <= ids
    assert {"baku", "ankara", "almaty", "tashkent", "bishkek", "ashgabat"} <= ids
    keys = set(
        re.findall(
            r"^\| `([A-Z0-9-]+)` \|",
            (eurasia_path() / "SOURCES.md").read_text(encoding="utf-8"),
            flags=re.M,
        )
    )
    assert {"TR-QUAKE-2023", "OTS-2023"} <= keys
    for frame in (tables.nodes, tables.links):
        for source in frame["source"]:
            cited = set(re.findall(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[A-Z]{3,}", source))
            assert cited & (keys | {"EST", "OSM"}), source


def test_kahramanmaras_within_72h_from_ots_depots() -> None:
    study = relief(
        to="Kahramanmaras", origins="OTS", within="72h", close=["iskenderun_port", "hatay_airport"]
    )
    d = study.to_dict()
    assert d["tonnes_per_day"] > 0
    assert abs(sum(d["tonnes_per_day_by_mode"].values()) - d["tonnes_per_day"]) < 1e-6
    assert abs(sum(r["tonnes_per_day"] for r in d["routes"]) - study.tonnes_per_day) < 1e-6
    # every member's depot reaches the area in time, the Central Asian ones only by air
    fastest = {f["depot"]: f for f in d["fastest"]}
    assert all(f["within_window"] for f in fastest.values())
    assert {fastest[k]["mode"] for k in ("almaty", "tashkent", "bishkek")} == {"air"}
    for r in d["routes"]:
        assert r["hours"] <= 72
        assert "iskenderun_port" not in r["places"]
        assert "hatay_airport" not in r["places"]
    assert {r["id"] for r in d["reopening"]} == {"iskenderun_port", "hatay_airport"}
    # the Caspian surface routes of Central Asia take longer than the window
    assert all(r["mode"] == "air" for r in d["routes"] if r["depot"] in ("almaty", "tashkent"))


def test_reopening_the_port_adds_what_closing_it_took() -> None:
    both = relief(to="Kahramanmaras", within="72h", close=["iskenderun_port", "hatay_airport"])
    airport_only = relief(to="Kahramanmaras", within="72h", close=["hatay_airport"], reopen=False)
    port = next(r for r in both.reopening if r["id"] == "iskenderun_port")
    assert port["adds_tonnes_per_day"] > 100
    assert (
        abs(port["adds_tonnes_per_day"] - (airport_only.tonnes_per_day - both.tonnes_per_day))
        < 1e-6
    )
    # what binds is open and carries flow at capacity somewhere in the window
    links = {r["id"]: r for r in (*both.links, *both.nodes)}
    for b in both.binding:
        assert links[b["id"]]["status"] == "open"
        assert 0 < b["gain_t_per_t_day"] <= 1 + 1e-9
