"""Bad input on the command line: one clear error, the right exit code, no traceback.

One case per class of the hardening issue (#15). Each case builds its inputs in a
temporary folder, runs ``corridors ...`` in-process and checks the exit code (1: bad
content found while running; 2: the command line itself is wrong), that no traceback
reached the user, and that the message names the file, line and field or the option.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

HERE = Path(__file__).resolve().parents[1]
TOY = HERE / "scenarios" / "files" / "toy.yaml"
MINI = HERE / "fixtures" / "mini"
DEMAND_HEADER = "origin,destination,commodity,volume,unit,year,market,source\n"


@dataclass(frozen=True)
class Case:
    """Arguments (``{tmp}`` is the temporary folder), files to write, expected answer."""

    args: tuple[str, ...]
    code: int
    says: tuple[str, ...]
    files: dict[str, bytes | str] | None = None


def _toy_with(text: str) -> str:
    """The toy scenario with ``text`` appended (paths made absolute)."""
    base = TOY.read_text().replace("network: ../toy", f"network: {TOY.parent.parent / 'toy'}")
    base = base.replace(
        "measures_file: toy-measures.yaml", f"measures_file: {TOY.parent / 'toy-measures.yaml'}"
    )
    return base + text


def _toy_replace(old: str, new: str) -> str:
    text = _toy_with("")
    assert old in text
    return text.replace(old, new)


BOMB = "bomb:\n  a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  {chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)

DEMAND = ("assign", str(MINI), "{tmp}/demand.csv", "-o", "{tmp}/flows.csv")
SIM = ("simulate", str(MINI), "{tmp}/demand.csv", "-o", "{tmp}/sim", "-r", "1")
RUN = ("run", "{tmp}/s.yaml", "--no-store")
STORE = ("--store", "{tmp}/r.duckdb")
SWEEP = ("sweep", str(TOY), "--vary", "border_time.KZ=0.5..1", "--samples", "2", *STORE)

CASES: dict[str, Case] = {
    # --- demand CSV faults (assign and simulate) ------------------------------------------------
    "demand empty": Case(DEMAND, 1, ("demand.csv", "file is empty"), {"demand.csv": ""}),
    "demand header only": Case(
        DEMAND, 1, ("demand.csv", "no demand rows"), {"demand.csv": DEMAND_HEADER}
    ),
    "demand binary": Case(
        SIM, 1, ("demand.csv", "line 1", "binary"), {"demand.csv": b"PK\x03\x04\x00\x00\x08"}
    ),
    "demand not UTF-8": Case(
        SIM,
        1,
        ("demand.csv", "line 2", "not UTF-8"),
        {
            "demand.csv": (DEMAND_HEADER + "xa,D\xfcren,containers,5,TEU,2024,m,s\n").encode(
                "latin-1"
            )
        },
    ),
    "demand bad quoting": Case(
        DEMAND,
        1,
        ("demand.csv", "line 2", "not valid CSV"),
        {"demand.csv": DEMAND_HEADER + 'xa,"xe"oops,containers,5,TEU,2024,m,s\n'},
    ),
    "demand NaN volume": Case(
        DEMAND,
        1,
        ("demand.csv", "line 2", "field 'volume'", "finite"),
        {"demand.csv": DEMAND_HEADER + "xa,xe,containers,nan,TEU,2024,m,s\n"},
    ),
    "demand origin = destination": Case(
        DEMAND,
        1,
        ("demand.csv", "line 2", "origin and destination are the same place"),
        {"demand.csv": DEMAND_HEADER + "xa,xa,containers,5,TEU,2024,m,s\n"},
    ),
    # --- scenario YAML ---------------------------------------------------------------------
    "yaml alias bomb": Case(
        RUN, 1, ("s.yaml", "expands to more than"), {"s.yaml": _toy_with(BOMB)}
    ),
    "yaml recursive alias": Case(
        RUN, 1, ("s.yaml", "recursive"), {"s.yaml": _toy_with("loop: &l\n  again: *l\n")}
    ),
    "yaml deep nesting": Case(
        RUN,
        1,
        ("s.yaml", "nested more than"),
        {"s.yaml": _toy_with("deep: " + "[" * 3000 + "]" * 3000 + "\n")},
    ),
    "yaml python tag": Case(
        RUN,
        1,
        ("s.yaml", "unsupported YAML tag '!!python/name:os.system'"),
        {"s.yaml": _toy_with("hook: !!python/name:os.system\n")},
    ),
    "fractional year": Case(
        RUN,
        1,
        ("s.yaml", "line 3", "base_year", "fractional"),
        {"s.yaml": _toy_replace("base_year: 2024", "base_year: 2024.5")},
    ),
    "growth below -100 %": Case(
        RUN,
        1,
        ("s.yaml", "growth", "greater than -1"),
        {"s.yaml": _toy_replace("growth: 0.05", "growth: -1.5")},
    ),
    "NaN volume in scenario": Case(
        RUN,
        1,
        ("s.yaml", "demand.markets[0].volume", "finite"),
        {"s.yaml": _toy_replace("volume: 10000", "volume: .nan")},
    ),
    "duplicate measures": Case(
        RUN,
        1,
        ("s.yaml", "measures", "'ferry_x2' is used twice"),
        {
            "s.yaml": _toy_replace(
                "measures: [ferry_x2, zero_effect]", "measures: [ferry_x2, ferry_x2]"
            )
        },
    ),
    "scenario origin = destination": Case(
        RUN,
        1,
        ("s.yaml", "origin and destination are the same place"),
        {"s.yaml": _toy_replace("destination: Duisburg", "destination: Xian")},
    ),
    # --- network values --------------------------------------------------------------------
    "link length 1e300": Case(
        ("network", "check", "{tmp}/net"), 1, ("link.csv", "line 2", "field 'length'", "at most")
    ),
    # --- options ---------------------------------------------------------------------------
    "seed above 2^63": Case((*SWEEP, "--seed", str(2**64)), 2, ("--seed",)),
    "negative seed": Case((*SWEEP, "--seed", "-1"), 2, ("--seed",)),
    "forecast --to 1800": Case(("forecast", str(TOY), "--to", "1800", *STORE), 2, ("--to",)),
    "run --to 3000": Case(("run", str(TOY), "--to", "3000", "--no-store"), 2, ("--to",)),
    "run --to 2024.5": Case(("run", str(TOY), "--to", "2024.5", "--no-store"), 2, ("--to",)),
    "sweep --workers -3": Case((*SWEEP, "--workers", "-3"), 2, ("--workers",)),
    "forecast --workers 0": Case(
        ("forecast", str(TOY), "--workers", "0", *STORE), 2, ("--workers",)
    ),
    "assign --max-iter 0": Case((*DEMAND, "--max-iter", "0"), 2, ("--max-iter",)),
    "assign --gap -1": Case((*DEMAND, "--gap", "-1"), 2, ("--gap", "finite number > 0")),
    "assign --gap nan": Case((*DEMAND, "--gap", "nan"), 2, ("--gap", "got nan")),
    "runs list --limit -1": Case(("runs", "list", "--limit", "-1", *STORE), 2, ("--limit",)),
    "vary matches nothing": Case(
        ("sweep", str(TOY), "--vary", "tariff.southern=0.5..1", "--samples", "2", *STORE),
        2,
        ("--vary", "no corridor 'southern'", "would change nothing"),
    ),
    "vary growth below -100 %": Case(
        ("sweep", str(TOY), "--vary", "demand.china_eu.growth=-2..-1.5", *STORE),
        2,
        ("--vary", "> -1"),
    ),
    "TNTP claims a million zones": Case(
        ("assign", "--tntp", "{tmp}/tn", "-o", "{tmp}/flows.csv"),
        1,
        ("Tiny_net.tntp", "NUMBER OF ZONES", "1000000"),
        {
            "tn/Tiny_net.tntp": "<NUMBER OF ZONES> 1000000\n<NUMBER OF NODES> 1000000\n"
            "<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 2\n<END OF METADATA>\n\n"
            "~ init term cap len fft b power speed toll type ;\n"
            "1 2 100 1 1 0.15 4 0 0 1 ;\n2 1 100 1 1 0.15 4 0 0 1 ;\n",
            "tn/Tiny_trips.tntp": "<NUMBER OF ZONES> 1000000\n<END OF METADATA>\n\n"
            "Origin 1\n 2 : 10.0;\n",
        },
    ),
    "every link closed plus --close suez": Case(
        ("compare", "Alpha", "Echo", "-n", "{tmp}/net", "--close", "suez"),
        1,
        ("no route from Alpha to Echo with suez closed",),
    ),
    "unknown corridor": Case(
        ("routes", "Alpha", "Echo", "-n", str(MINI), "--corridor", "midle"),
        2,
        ("unknown corridor 'midle'", "did you mean 'middle'?"),
    ),
    "--vot nan": Case(("compare", "Alpha", "Echo", "-n", str(MINI), "--vot", "nan"), 2, ("--vot",)),
    "--vot 1e308": Case(
        ("compare", "Alpha", "Echo", "-n", str(MINI), "--vot", "1e308"), 2, ("--vot", "<= 1e+06")
    ),
    # --- results store ---------------------------------------------------------------------
    "store is a CSV file": Case(
        ("run", str(TOY), "--no-appraisal", "--store", "{tmp}/x.csv"),
        1,
        ("x.csv", "not a DuckDB results store"),
        {"x.csv": "a,b\n1,2\n"},
    ),
    "store is a folder": Case(
        ("runs", "list", "--store", "{tmp}"), 1, ("is a folder, not a DuckDB results store",)
    ),
    # --- outputs ---------------------------------------------------------------------------
    "export over a file": Case(
        ("network", "export", str(MINI), "-f", "parquet", "-o", "{tmp}/out.txt"),
        2,
        ("out.txt is a file",),
        {"out.txt": "keep me\n"},
    ),
}


def _network_with(tmp: Path, column: str, value: str, *, rows: slice) -> None:
    """A copy of the mini network with ``column`` of some links set to ``value``."""
    net = tmp / "net"
    shutil.copytree(MINI, net)
    link = net / "link.csv"
    lines = link.read_text().splitlines()
    at = lines[0].split(",").index(column)
    for k in range(len(lines))[rows]:
        cells = lines[k].split(",")
        cells[at] = value
        lines[k] = ",".join(cells)
    link.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_one_clear_error(
    name: str, tmp_path: Path, run_cli: Callable[..., object]
) -> None:
    case = CASES[name]
    for file, data in (case.files or {}).items():
        path = tmp_path / file
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    if name == "link length 1e300":
        _network_with(tmp_path, "length", "1e300", rows=slice(1, 2))
    if name == "every link closed plus --close suez":
        _network_with(tmp_path, "status", "closed", rows=slice(1, None))
    args = [a.replace("{tmp}", str(tmp_path)) for a in case.args]
    r = run_cli(*args)
    text = r.out + r.err  # type: ignore[attr-defined]
    assert r.code == case.code, text  # type: ignore[attr-defined]
    assert "Traceback" not in text
    for fragment in case.says:
        assert fragment in text, (fragment, text)
    if name == "store is a CSV file":
        assert "stored" not in text
        assert (tmp_path / "x.csv").read_text() == "a,b\n1,2\n"
    if name.startswith("vary"):  # refused before the store is created: no empty store left
        assert not (tmp_path / "r.duckdb").exists()
    if name == "export over a file":
        assert (tmp_path / "out.txt").read_text() == "keep me\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_store_where_nothing_can_be_written(run_cli: Callable[..., object]) -> None:
    # /proc refuses new files to everyone (root included): the store cannot be created
    r = run_cli("run", str(TOY), "--no-appraisal", "--store", "/proc/corridors-test.duckdb")
    assert r.code == 1, r.err  # type: ignore[attr-defined]
    assert "Traceback" not in r.err  # type: ignore[attr-defined]
    assert "/proc/corridors-test.duckdb" in r.err  # type: ignore[attr-defined]
    assert "read-only" in r.err or "cannot open the results store" in r.err  # type: ignore[attr-defined]
    assert "stored" not in r.err  # type: ignore[attr-defined]


def test_unreachable_dask_scheduler_leaves_no_record(
    tmp_path: Path, run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("corridors.scenarios.sweep.DASK_CONNECT_TIMEOUT_S", 1.0)
    db = tmp_path / "r.duckdb"
    r = run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in SWEEP], "--dask", "tcp://127.0.0.1:9")
    assert r.code == 1, r.err  # type: ignore[attr-defined]
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in r.err  # type: ignore[attr-defined]
    assert "Traceback" not in r.err  # type: ignore[attr-defined]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM sweeps").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM runs").fetchone() == (0,)
    finally:
        con.close()
