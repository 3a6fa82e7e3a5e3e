"""Each validation rule, triggered by a bad file, with its message checked."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corridors.errors import NetworkError
from corridors.network import read_network


def _edit(folder: Path, filename: str, row_id: str | None, **changes: str) -> None:
    """Change cells of the row whose first column is ``row_id`` (None: header rename)."""
    path = folder / filename
    with path.open(newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for key in changes:
        if key not in header:  # add an optional column the fixture leaves out
            header.append(key)
            for row in rows[1:]:
                row.append("")
    for row in rows[1:]:
        if row and row[0] == row_id:
            for key, value in changes.items():
                row[header.index(key)] = value
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)


def _problems(folder: Path) -> list[str]:
    with pytest.raises(NetworkError) as info:
        read_network(folder)
    assert isinstance(info.value, ValueError)  # errors subclass built-ins
    return [str(p) for p in info.value.problems]


def test_valid_fixture_reads(mini_path):
    net = read_network(mini_path)
    assert len(net.nodes) == 6
    assert len(net.links) == 7


@pytest.mark.parametrize(
    ("filename", "row_id", "changes", "expected"),
    [
        (
            "node.csv",
            "xb",
            {"node_id": "xa"},
            "node.csv, line 3, field 'node_id': duplicate id (first used on line 2)",
        ),
        ("link.csv", "l2", {"link_id": "l1"}, "field 'link_id': duplicate id"),
        (
            "link.csv",
            "l2",
            {"to_node_id": "xz"},
            "link.csv, line 3, field 'to_node_id': no node with this id in node.csv (value 'xz')",
        ),
        ("link.csv", "l2", {"to_node_id": "xb"}, "link starts and ends at the same node"),
        (
            "link.csv",
            "l2",
            {"length": "-5"},
            "link.csv, line 3, field 'length': must be at least 0.01 km (value '-5')",
        ),
        (
            "link.csv",
            "l2",
            {"length": "100"},
            "field 'length': shorter than the great-circle distance between its nodes (445 km)",
        ),
        (
            "link.csv",
            "l2",
            {"capacity_teu_yr": "-10"},
            "field 'capacity_teu_yr': must be at least 1 TEU/yr",
        ),
        (
            "node.csv",
            "xb",
            {"capacity_teu_yr": "0"},
            "node.csv, line 3, field 'capacity_teu_yr': must be at least 1 TEU/yr",
        ),
        (
            "node.csv",
            "xc",
            {"y_coord": "95"},
            "node.csv, line 4, field 'y_coord': must be at most 90 deg (value '95')",
        ),
        ("node.csv", "xc", {"x_coord": "-181"}, "field 'x_coord': must be at least -180"),
        (
            "link.csv",
            "l3",
            {"gauge_mm": "1520"},
            "field 'gauge_mm': gauge is for rail links only, this one is ferry",
        ),
        ("link.csv", "l2", {"gauge_mm": ""}, "field 'gauge_mm': a rail link needs its gauge"),
        (
            "link.csv",
            "l7",
            {"open_year": ""},
            "link.csv, line 8, field 'open_year': a planned element needs its opening year",
        ),
        (
            "link.csv",
            "l2",
            {"mode": "rial"},
            "field 'mode': not one of rail, road, ferry, sea, pipeline (value 'rial'); did you mean 'rail'?",
        ),
        (
            "link.csv",
            "l2",
            {"corridors": "midle"},
            "field 'corridors': corridor not declared in corridor.csv (value 'midle'); did you mean 'middle'?",
        ),
        (
            "node.csv",
            "xc",
            {"country": "XX"},
            "field 'country': not an ISO 3166-1 alpha-2 country code (value 'XX')",
        ),
        ("node.csv", "xc", {"kind": "harbour"}, "field 'kind': not one of"),
        ("node.csv", "xc", {"source": ""}, None),  # optional in a network folder (GMNS)
        (
            "link.csv",
            "l2",
            {"free_speed": "fast"},
            "field 'free_speed': expected a number (km/h) (value 'fast')",
        ),
        (
            "link.csv",
            "l2",
            {"free_speed": "", "time_h": ""},
            "the link needs a speed (free_speed) or a fixed time (time_h)",
        ),
        ("link.csv", "l2", {"directed": "maybe"}, "field 'directed': expected true or false"),
        ("link.csv", "l2", {"sea_avoid": "suez"}, "sea passages apply to sea and ferry links only"),
        ("link.csv", "l3", {"sea_avoid": "suex"}, "did you mean 'suez'?"),
        ("link.csv", "l2", {"open_year": "2030.5"}, "field 'open_year': expected a whole number"),
        (
            "vessel.csv",
            "v1",
            {"link_id": "l2"},
            "vessel.csv, line 2, field 'link_id': a vessel must serve a ferry or sea link, this one is rail",
        ),
        ("vessel.csv", "v1", {"link_id": "l33"}, "no link with this id in link.csv"),
        ("link.csv", "l1", {"length": ""}, "field 'length': a rail link needs a length in km"),
        (
            "link.csv",
            "l1",
            {"geometry": "LINESTRING (0 0)"},
            "field 'geometry': a LINESTRING needs at least two points",
        ),
        ("link.csv", "l1", {"tracks": "1"}, None),
    ],
)
def test_rule_reports_file_line_field(mini_copy, filename, row_id, changes, expected):
    _edit(mini_copy, filename, row_id, **changes)
    if expected is None:  # a harmless change: still valid
        read_network(mini_copy)
        return
    problems = _problems(mini_copy)
    assert any(expected in p for p in problems), problems
    assert all(str(mini_copy) in p for p in problems)


def test_all_problems_reported_together(mini_copy):
    _edit(mini_copy, "link.csv", "l2", length="-5", mode="rial")
    _edit(mini_copy, "node.csv", "xc", y_coord="95")
    problems = _problems(mini_copy)
    assert len(problems) == 3
    assert {p.split(",")[0].rsplit("/", 1)[-1] for p in problems} == {"link.csv", "node.csv"}


def test_malformed_row_names_the_line(mini_copy):
    path = mini_copy / "link.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2] + ",extra,cells"
    path.write_text("\n".join(lines) + "\n")
    problems = _problems(mini_copy)
    assert any(
        "link.csv, line 3: row has 22 fields but the header has 20" in p for p in problems
    ), problems


def test_misspelt_column_is_flagged_with_suggestion(mini_copy):
    path = mini_copy / "link.csv"
    text = path.read_text().replace(",length,", ",lenght,", 1)
    path.write_text(text)
    problems = _problems(mini_copy)
    assert any("field 'lenght': unknown column; did you mean 'length'?" in p for p in problems), (
        problems
    )


def test_missing_required_column_and_file(mini_copy):
    path = mini_copy / "node.csv"
    with path.open(newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("y_coord")
    path.write_text("\n".join(",".join(r[:col] + r[col + 1 :]) for r in rows) + "\n")
    assert any("field 'y_coord': required column is missing" in p for p in _problems(mini_copy))
    (mini_copy / "link.csv").unlink()
    assert any("link.csv: file is missing" in p for p in _problems(mini_copy))


def test_not_a_folder(tmp_path):
    with pytest.raises(NetworkError, match="not a folder of network tables"):
        read_network(tmp_path / "nowhere")


def test_config_integer_ids_are_checked(mini_copy):
    cfg = mini_copy / "config.csv"
    cfg.write_text(cfg.read_text().replace(",string,", ",integer,"))
    assert any("id_type=integer" in p for p in _problems(mini_copy))


def test_config_crs_must_be_known(mini_copy):
    cfg = mini_copy / "config.csv"
    cfg.write_text(cfg.read_text().replace("EPSG:4326", "EPSG:99999"))
    assert any(
        "config.csv, line 2, field 'crs': unknown coordinate reference system" in p
        for p in _problems(mini_copy)
    )


def test_miles_are_converted_to_km(mini_copy):
    cfg = mini_copy / "config.csv"
    cfg.write_text(cfg.read_text().replace(",km,kph,", ",mi,mph,"))
    _edit(mini_copy, "link.csv", "l2", length="310.686", free_speed="31.0686")
    net = read_network(mini_copy)
    row = net.links.set_index("link_id").loc["l2"]
    assert row["km"] == pytest.approx(500.0, rel=1e-5)
    assert row["free_speed"] == pytest.approx(50.0, rel=1e-5)
