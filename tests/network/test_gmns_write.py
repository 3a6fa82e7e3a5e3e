"""GMNS export: round trip, the GMNS 0.96 table schemas, datapackage.json, AequilibraE."""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corridors.datasets import eurasia_path
from corridors.network import Network, read_network
from corridors.network.export import CROSSWALK, write_gmns
from corridors.network.geo import parse_wkt_linestring

TRUE = {"true", "True", "TRUE", "1"}
FALSE = {"false", "False", "FALSE", "0"}


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return read_network(eurasia_path())


@pytest.fixture(scope="module")
def exported(eurasia, tmp_path_factory) -> dict[bool, Path]:
    base = tmp_path_factory.mktemp("gmns")
    return {
        ints: write_gmns(eurasia, base / f"ints-{ints}", integer_ids=ints) for ints in (False, True)
    }


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _schema_problems(
    path: Path, schema: dict, tables: dict[str, list[dict[str, str]]]
) -> list[str]:
    """Check a CSV file against a frictionless table schema (our own checker).

    Required fields present and filled; each value of its type (number, integer,
    boolean, string) and within its constraints (minimum, maximum, enum); primary key
    unique; foreign keys resolve.
    """
    header, rows = _rows(path)
    missing = set(schema.get("missingValues", [""]))
    out: list[str] = []
    for f in schema["fields"]:
        name, kind = f["name"], f.get("type", "any")
        cons = f.get("constraints", {})
        if name not in header:
            if cons.get("required"):
                out.append(f"{path.name}: required field {name} absent")
            continue
        for i, row in enumerate(rows, start=2):
            value = row[name]
            if value in missing:
                if cons.get("required"):
                    out.append(f"{path.name}:{i} {name} blank")
                continue
            if kind in ("number", "integer"):
                try:
                    number = float(value)
                except ValueError:
                    out.append(f"{path.name}:{i} {name}={value!r} not a {kind}")
                    continue
                if kind == "integer" and not float(value).is_integer():
                    out.append(f"{path.name}:{i} {name}={value!r} not an integer")
                if "minimum" in cons and number < cons["minimum"]:
                    out.append(f"{path.name}:{i} {name}={value} < {cons['minimum']}")
                if "exclusiveMinimum" in cons and number <= cons["exclusiveMinimum"]:
                    out.append(f"{path.name}:{i} {name}={value} <= {cons['exclusiveMinimum']}")
                if "maximum" in cons and number > cons["maximum"]:
                    out.append(f"{path.name}:{i} {name}={value} > {cons['maximum']}")
            elif kind == "boolean" and value not in TRUE | FALSE:
                out.append(f"{path.name}:{i} {name}={value!r} not a boolean")
            if "enum" in cons and value not in cons["enum"]:
                out.append(f"{path.name}:{i} {name}={value!r} not in {cons['enum']}")
    keys = schema.get("primaryKey")
    if keys:
        keys = [keys] if isinstance(keys, str) else keys
        seen = [tuple(r[k] for k in keys) for r in rows]
        if len(set(seen)) != len(seen):
            out.append(f"{path.name}: primary key {keys} not unique")
    for fk in schema.get("foreignKeys", []):
        cols = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
        ref = fk["reference"]
        target = ref["resource"] or path.stem
        ref_cols = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
        if target not in tables or any(c not in header for c in cols):
            continue
        known = {tuple(r[c] for c in ref_cols) for r in tables[target]}
        for i, row in enumerate(rows, start=2):
            value = tuple(row[c] for c in cols)
            if all(v not in missing for v in value) and value not in known:
                out.append(f"{path.name}:{i} {cols}={value} not in {target}")
    return out


@pytest.mark.parametrize("integer_ids", [False, True])
def test_export_follows_the_gmns_spec(gmns_shared, exported, integer_ids):
    folder = exported[integer_ids]
    tables = {p.stem: _rows(p)[1] for p in folder.glob("*.csv")}
    checked = []
    for path in sorted(folder.glob("*.csv")):
        spec = gmns_shared / "spec" / f"{path.stem}.schema.json"
        if spec.is_file():
            problems = _schema_problems(path, json.loads(spec.read_text()), tables)
            assert problems == [], problems[:10]
            checked.append(path.stem)
    assert checked == ["config", "link", "node", "use_definition", "use_group"]


@pytest.mark.parametrize("integer_ids", [False, True])
def test_datapackage_describes_every_column(exported, integer_ids):
    folder = exported[integer_ids]
    package = json.loads((folder / "datapackage.json").read_text())
    written = sorted(p.name for p in folder.glob("*.csv"))
    assert sorted(r["path"] for r in package["resources"]) == written
    tables = {p.stem: _rows(p)[1] for p in folder.glob("*.csv")}
    for resource in package["resources"]:
        header, _ = _rows(folder / resource["path"])
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        problems = _schema_problems(folder / resource["path"], resource["schema"], tables)
        assert problems == [], problems[:10]
    node = next(r for r in package["resources"] if r["name"] == "node")
    types = {f["name"]: f["type"] for f in node["schema"]["fields"]}
    assert types["node_id"] == ("integer" if integer_ids else "string")
    assert types["x_coord"] == "number"


def test_every_link_has_length_geometry_use_and_nodes_a_type(eurasia, exported):
    _, links = _rows(exported[False] / "link.csv")
    _, nodes = _rows(exported[False] / "node.csv")
    xy = {n["node_id"]: (float(n["x_coord"]), float(n["y_coord"])) for n in nodes}
    assert len(links) == len(eurasia.links) == 196
    sea_points = []
    for row in links:
        assert float(row["length"]) > 0, row["link_id"]
        coords = parse_wkt_linestring(row["geometry"])
        assert coords[0] == pytest.approx(xy[row["from_node_id"]], abs=1e-6)
        assert coords[-1] == pytest.approx(xy[row["to_node_id"]], abs=1e-6)
        assert row["allowed_uses"] == row["mode"]
        if row["mode"] == "sea":
            sea_points.append(len(coords))
    assert min(sea_points) > 2  # the searoute path, not a straight line
    assert all(n["node_type"] == n["kind"] for n in nodes)
    _, uses = _rows(exported[False] / "use_definition.csv")
    assert [u["use"] for u in uses] == ["rail", "ferry", "sea", "pipeline"]


@pytest.mark.parametrize("integer_ids", [False, True])
def test_round_trip_keeps_nodes_links_and_lengths(eurasia, exported, integer_ids):
    again = read_network(exported[integer_ids])
    nodes, links = again.nodes, again.links
    if integer_ids:
        node_of = dict(zip(nodes["node_id"], nodes[CROSSWALK], strict=True))
        assert list(nodes["node_id"]) == [str(i) for i in range(1, len(nodes) + 1)]
        nodes = nodes.assign(node_id=nodes[CROSSWALK])
        links = links.assign(
            link_id=links[CROSSWALK],
            from_node_id=links["from_node_id"].map(node_of),
            to_node_id=links["to_node_id"].map(node_of),
        )
    assert list(nodes["node_id"]) == list(eurasia.nodes["node_id"])
    for col in ("x_coord", "y_coord"):
        np.testing.assert_array_equal(nodes[col], eurasia.nodes[col])
    assert list(nodes["kind"]) == list(eurasia.nodes["kind"])
    for col in ("link_id", "from_node_id", "to_node_id", "mode", "directed", "status"):
        assert list(links[col]) == list(eurasia.links[col]), col
    np.testing.assert_array_equal(links["km"], eurasia.links["km"])  # exact, sea legs too
    for a, b in zip(links["coords"], eurasia.links["coords"], strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    assert list(again.vessels["name"]) == list(eurasia.vessels["name"])
    assert again.corridor_ids == eurasia.corridor_ids


def test_cli_export_gmns_with_integer_ids(run_cli, mini_path, tmp_path):
    out = tmp_path / "g"
    r = run_cli("network", "export", str(mini_path), "-f", "gmns", "--integer-ids", "-o", str(out))
    assert r.code == 0, r.err
    _, nodes = _rows(out / "node.csv")
    assert [n["node_id"] for n in nodes] == ["1", "2", "3", "4", "5", "6"]
    _, vessels = _rows(out / "vessel.csv")
    _, links = _rows(out / "link.csv")
    ferry = {lk[CROSSWALK]: lk["link_id"] for lk in links}["l3"]
    assert vessels[0]["link_id"] == ferry
    assert "id_type" in _rows(out / "config.csv")[0]
    assert _rows(out / "config.csv")[1][0]["id_type"] == "integer"
    bad = run_cli("network", "export", str(mini_path), "-f", "shp", "-o", str(tmp_path / "x"))
    assert bad.code == 2
    assert "unknown format 'shp'" in bad.err
    assert not (tmp_path / "x").exists()


AEQUILIBRAE_VENV = Path(__file__).resolve().parents[2] / ".venv-aequilibrae"
"""The venv ``make aequilibrae`` builds from Debian's python3 (SQLite with extensions)."""


def _spatialite_available() -> bool:
    try:
        conn = sqlite3.connect(":memory:")
        conn.enable_load_extension(True)
        conn.load_extension("mod_spatialite")
    except (AttributeError, sqlite3.OperationalError):
        return False
    return True


def _aequilibrae_python() -> str:
    """An interpreter with AequilibraE and a SQLite that loads mod_spatialite, or skip."""
    if importlib.util.find_spec("aequilibrae") is not None and _spatialite_available():
        return sys.executable
    if (AEQUILIBRAE_VENV / ".installed-stamp").is_file():
        return str(AEQUILIBRAE_VENV / "bin" / "python")
    pytest.skip(
        "no Python with AequilibraE and SQLite extensions: `make aequilibrae` builds "
        f"{AEQUILIBRAE_VENV.name} (as root it apt-installs Debian's python3 and "
        "libsqlite3-mod-spatialite)"
    )


@pytest.mark.slow
def test_aequilibrae_loads_the_export(eurasia, exported, tmp_path):
    """AequilibraE's create_from_gmns loads our export: every node, every pair, its modes."""
    script = Path(__file__).with_name("aequilibrae_roundtrip.py")
    proc = subprocess.run(
        [_aequilibrae_python(), str(script), str(exported[True]), str(tmp_path / "aeq")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["nodes"] == len(eurasia.nodes)
    # AequilibraE keeps one link per pair of nodes (it merges parallel and opposite links)
    pairs = {
        frozenset(p)
        for p in zip(eurasia.links["from_node_id"], eurasia.links["to_node_id"], strict=True)
    }
    assert result["links"] == len(pairs)
    assert {"rail", "ferry", "sea", "pipeline"} <= {m.lower() for m in result["modes"]}
    km = {int(k): v for k, v in result["distance_m"].items()}
    # its distance is the geodesic length of the geometry we wrote: the straight rail
    # line Zhengzhou - Xi'an is 422 km (the dataset's length, 506 km, is 1.2 x that)
    assert km[1] == pytest.approx(422_000, rel=0.01)
    assert all(math.isfinite(v) and v > 0 for v in km.values())
