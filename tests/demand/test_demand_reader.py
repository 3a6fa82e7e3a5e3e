"""The one demand reader: every file fault is one DemandError naming file, line, field."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from corridors.demand import read_demand
from corridors.errors import DemandError

HEADER = "origin,destination,commodity,volume,unit,year,market,source\n"
GOOD = HEADER + "xa,xe,containers,1000,TEU,2024,m1,s\nxa,xf,,250.5,t,,m2,s\n"


def _write(tmp_path: Path, data: bytes | str) -> Path:
    path = tmp_path / "demand.csv"
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_reads_typed_rows_with_defaults_and_lines(tmp_path: Path) -> None:
    frame = read_demand(_write(tmp_path, GOOD))
    assert frame["origin"].tolist() == ["xa", "xa"]
    assert frame["volume"].tolist() == [1000.0, 250.5]
    assert frame["commodity"].tolist() == ["containers", "containers"]  # default filled in
    assert frame["unit"].tolist() == ["TEU", "t"]
    assert frame["year"].iloc[0] == 2024
    assert math.isnan(frame["year"].iloc[1])
    assert frame["_line"].tolist() == [2, 3]
    assert frame.attrs["file"] == "demand.csv"


def test_byte_order_mark_and_crlf_are_accepted(tmp_path: Path) -> None:
    data = "\ufeff" + GOOD.replace("\n", "\r\n")
    frame = read_demand(_write(tmp_path, data.encode("utf-8")))
    assert len(frame) == 2


CASES = {
    "empty file": (b"", None, "file is empty"),
    "header only": (HEADER.encode(), None, "no demand rows"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, "binary data"),
    "not UTF-8 on line 3": (
        (
            HEADER + "xa,xe,containers,5,TEU,2024,m,s\nxa,D\xfcsseldorf,containers,5,TEU,2024,m,s\n"
        ).encode("latin-1"),
        3,
        "not UTF-8",
    ),
    "unclosed quote on line 2": (
        (HEADER + 'xa,"xe,containers,5,TEU,2024,m,s\nxa,xf,containers,5,TEU,2024,m,s\n').encode(),
        2,
        "not valid CSV",
    ),
    "text after a closing quote": (
        (HEADER + 'xa,"xe"x,containers,5,TEU,2024,m,s\n').encode(),
        2,
        "not valid CSV",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_file_faults_are_one_clear_error(tmp_path: Path, case: str) -> None:
    data, line, message = CASES[case]
    path = _write(tmp_path, data)
    with pytest.raises(DemandError) as info:
        read_demand(path)
    (problem,) = info.value.problems
    assert problem.file.endswith("demand.csv")
    assert problem.row == line
    assert message in problem.message


ROW_CASES = {
    "nan volume": ("nan", "volume", "finite"),
    "inf volume": ("inf", "volume", "finite"),
    "huge volume": ("1e300", "volume", "at most"),
    "negative volume": ("-5", "volume", "at least 0"),
    "text volume": ("lots", "volume", "expected a number"),
}


@pytest.mark.parametrize("case", list(ROW_CASES))
def test_bad_numbers_name_line_and_field(tmp_path: Path, case: str) -> None:
    raw, field, message = ROW_CASES[case]
    path = _write(tmp_path, HEADER + f"xa,xe,containers,{raw},TEU,2024,m,s\n")
    with pytest.raises(DemandError) as info:
        read_demand(path)
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.value) == (2, field, raw)
    assert message in problem.message


def test_fractional_year_is_refused_not_truncated(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "xa,xe,containers,5,TEU,2024.5,m,s\n")
    with pytest.raises(DemandError, match=r"line 2, field 'year': expected a whole number"):
        read_demand(path)


def test_origin_equal_to_destination_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "xa,XA,containers,5,TEU,2024,m,s\n")
    with pytest.raises(DemandError, match=r"line 2, field 'destination': origin and destination"):
        read_demand(path)


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER + "xa,xe,boxes,5,TEU,2024,m,s\nxa,xe,containers,-1,TUE,2024,m,s\n",
    )
    with pytest.raises(DemandError) as info:
        read_demand(path)
    where = {(p.row, p.column) for p in info.value.problems}
    assert where == {(2, "commodity"), (3, "volume"), (3, "unit")}
    assert "did you mean 'TEU'?" in str(info.value)


def test_a_folder_or_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DemandError, match="file is missing"):
        read_demand(tmp_path / "nope.csv")
    with pytest.raises(DemandError, match="is a folder"):
        read_demand(tmp_path)
