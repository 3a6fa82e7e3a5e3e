"""Command-line habits: start-up imports, places and passages, closures, FEU, formats from
the file extension, exit codes, --quiet, NO_COLOR and the one JSON envelope."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from corridors import __version__
from corridors.cli.app import COMMANDS, load_command

HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "duckdb", "simpy", "searoute", "dask", "numba")


def _imported_by(*args: str) -> set[str]:
    """Top-level packages and corridors modules imported by ``corridors ARGS`` (subprocess)."""
    code = (
        "import sys\n"
        f"sys.argv = ['corridors', *{list(args)!r}]\n"
        "from corridors.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return set(proc.stderr.split())


@pytest.mark.parametrize("args", [("--version",), ("--help",)])
def test_version_and_help_import_no_engine(args):
    mods = _imported_by(*args)
    heavy = sorted(m for m in mods if m.split(".")[0] in HEAVY)
    assert heavy == [], heavy
    ours = sorted(m for m in mods if m.startswith("corridors."))
    assert ours == [
        "corridors.cli",
        "corridors.cli.app",
        "corridors.cli.common",
        "corridors.errors",
    ]


def test_a_command_imports_only_its_own_module():
    mods = _imported_by("places", "xian", "--format", "json")
    assert "corridors.cli.places" in mods
    assert not {"corridors.cli.scenarios", "corridors.cli.simulate", "corridors.cli.assign"} & mods
    assert not {"matplotlib", "duckdb", "simpy"} & {m.split(".")[0] for m in mods}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_summaries_match_the_commands(name):
    """The summaries --help shows without importing must be the commands' own first line."""
    command = load_command(name)
    assert command.name == name
    assert (command.help or "").strip().splitlines()[0] == COMMANDS[name][1]


def test_help_lists_every_command(run_cli):
    r = run_cli("--help")
    assert r.code == 0
    for name in COMMANDS:
        assert name in r.out


def test_places_lists_aliases_and_suggests(run_cli, mini_path):
    r = run_cli("places", "-n", str(mini_path))
    assert r.code == 0, r.err
    assert [ln.split()[0] for ln in r.out.splitlines()[1:]] == ["xa", "xb", "xc", "xd", "xe", "xf"]
    r = run_cli("places", "KZ", "-n", str(mini_path), "--format", "json")
    data = json.loads(r.out)
    assert [p["id"] for p in data["places"]] == ["xb", "xc"]
    assert data["parameters"] == {"command": "places", "query": "KZ", "network": "mini"}
    r = run_cli("places", "Ecko", "-n", str(mini_path))
    assert r.code == 1
    assert r.err == "error: no place matches 'Ecko'; did you mean 'Echo'?\n"


def test_places_finds_aliases_in_the_shipped_network(run_cli):
    r = run_cli("places", "Druzhba")
    assert r.code == 0, r.err
    assert r.out.splitlines()[1].split()[:2] == ["dostyk", "Dostyk"]
    r = run_cli("places", "Beijing")
    assert r.code == 1
    assert r.err.startswith("error: no place matches 'Beijing'; did you mean ")


def test_passages_have_readable_names(run_cli, mini_path):
    r = run_cli("passages", "-n", str(mini_path))
    assert r.code == 0, r.err
    rows = [re.split(r"\s{2,}", ln) for ln in r.out.splitlines()]
    assert ["ormuz", "Strait of Hormuz", "Hormuz", "0"] in rows
    assert ["KZ-RU", "Bravo-Foxtrot"] in rows
    r = run_cli("passages", "-n", str(mini_path), "-f", "json")
    data = json.loads(r.out)
    assert {"id": "suez", "name": "Suez Canal", "aliases": [], "sea_legs": 0} in data["passages"]
    assert {"border": "AZ-KZ", "links": ["Charlie-Delta ferry"]} in data["borders"]
    assert {"code": "KZ", "nodes": 2} in data["countries"]


def _corridors(r) -> list[str]:
    assert r.code == 0, r.err
    return sorted(x["corridor"] for x in json.loads(r.out)["routes"])


@pytest.mark.parametrize(
    ("close", "left"),
    [
        ((), ["middle", "northern"]),
        (("--close", "RU"), ["middle"]),
        (("--close", "kz-ru"), ["middle"]),
        (("--close", "Charlie"), ["northern"]),
        (("--close", "l3"), ["northern"]),
        (("--close", "suez", "--close", "RU,l7"), ["middle"]),  # options add up
    ],
)
def test_close_any_kind_from_the_command_line(run_cli, mini_path, close, left):
    r = run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "-f", "json", *close)
    assert _corridors(r) == left


def test_closing_everything_is_a_runtime_failure_not_a_crash(run_cli, mini_path):
    r = run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "--close", "RU,Charlie,suez")
    assert r.code == 1
    assert r.err == "error: no route from Alpha to Echo with suez closed\n"


def test_unknown_closures_exit_2_with_suggestions(run_cli, mini_path):
    r = run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "--close", "Chralie,suze")
    assert r.code == 2
    assert "2 problems in the elements to close" in r.err
    assert "(value 'Chralie'); did you mean 'Charlie' or 'chili'?" in r.err
    assert "(value 'suze'); did you mean 'suez'?" in r.err


def test_feu_is_two_teu(run_cli, mini_path):
    teu = json.loads(run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "-f", "json").out)
    r = run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "-f", "json", "-u", "feu")
    assert r.code == 0, r.err
    feu = json.loads(r.out)
    assert feu["unit"] == "FEU"
    assert feu["parameters"]["value_of_time_usd_h"] == pytest.approx(2 * 16.7)
    for a, b in zip(teu["routes"], feu["routes"], strict=True):
        assert b["corridor"] == a["corridor"]
        assert b["usd"] == pytest.approx(2 * a["usd"])
        assert b["kg_co2e"] == pytest.approx(2 * a["kg_co2e"], rel=1e-4)
        assert b["days"] == pytest.approx(a["days"])


def test_feu_pays_the_market_rate_per_feu(run_cli):
    """The shipped per-TEU sea tariffs are Drewry's per-FEU quotes halved (SOURCES.md), so a
    compare per FEU pays the quote itself: Shanghai-Rotterdam USD 2,512 per FEU, Nov 2025."""
    r = run_cli("compare", "Shanghai", "Rotterdam", "-u", "FEU", "-f", "json")
    assert r.code == 0, r.err
    legs = {
        leg["link_id"]: leg["usd"]
        for route in json.loads(r.out)["routes"]
        for leg in route["legs"]
        if "link_id" in leg
    }
    assert legs["shanghai-rotterdam-suez"] == pytest.approx(2512.0)


def test_format_follows_the_output_extension(run_cli, mini_path, tmp_path):
    out = tmp_path / "cmp.csv"
    r = run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "-o", str(out))
    assert r.code == 0, r.err
    lines = out.read_text().splitlines()
    assert lines[0].startswith("corridor,days,usd,")
    assert not any(ch in out.read_text() for ch in "│┃━─+")
    out = tmp_path / "routes.json"
    assert run_cli("routes", "Alpha", "Echo", "-n", str(mini_path), "-o", str(out)).code == 0
    assert json.loads(out.read_text())["parameters"]["command"] == "routes"
    out = tmp_path / "cmp.xlsx"
    r = run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "-o", str(out))
    assert r.code == 2
    assert "cannot tell the format from 'cmp.xlsx'" in r.err
    assert not out.exists()


def test_json_outputs_share_one_envelope(run_cli, mini_path):
    for args in (
        ("compare", "Alpha", "Echo", "-n", str(mini_path), "-f", "json", "--close", "l7"),
        ("routes", "Alpha", "Echo", "-n", str(mini_path), "-f", "json", "-k", "2"),
        ("places", "-n", str(mini_path), "-f", "json"),
        ("passages", "-n", str(mini_path), "-f", "json"),
    ):
        r = run_cli(*args)
        assert r.code == 0, r.err
        data = json.loads(r.out)
        assert list(data)[:2] == ["version", "parameters"]
        assert data["version"] == __version__
        assert data["parameters"]["command"] == args[0]
    compare = json.loads(
        run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "-f", "json", "--close", "l7").out
    )
    assert compare["parameters"]["close"] == ["l7"]
    assert compare["parameters"]["origin"] == "Alpha"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("compare", "Alpha"), 2, "error: Missing argument 'destination'."),
        (("compare", "Alpha", "Echo", "--bogus"), 2, "error: No such option: --bogus"),
        (("compar",), 2, "error: No such command 'compar'. Did you mean 'compare'?"),
        (("compare", "Alpha", "Echo", "-u", "box"), 2, "error: Invalid value for '--unit'"),
        (("compare", "Alpha", "Nowhere"), 2, "error: unknown place 'Nowhere'"),
    ],
)
def test_usage_errors_exit_2_on_one_plain_line(run_cli, mini_path, args, code, message):
    if args[0] == "compare":
        args = (*args, "-n", str(mini_path))
    r = run_cli(*args)
    assert r.code == code
    assert r.err.startswith(message)
    assert len(r.err.strip().splitlines()) == 1
    assert "\x1b[" not in r.err
    assert "╭" not in r.err


def test_unknown_scenario_exits_2(run_cli, tmp_path):
    r = run_cli("run", "baseline-2042", "--store", str(tmp_path / "s.duckdb"))
    assert r.code == 2
    assert "no such scenario file or shipped scenario; did you mean 'baseline-2024'?" in r.err
    assert not (tmp_path / "s.duckdb").exists()


def test_not_converged_exits_1_unless_allowed(run_cli, tntp_dir, tmp_path):
    out = tmp_path / "flows.csv"
    base = ("assign", "--tntp", str(tntp_dir / "SiouxFalls"), "--gap", "1e-9", "--max-iter", "3")
    r = run_cli(*base, "-o", str(out))
    assert r.code == 1
    assert "error: not converged: relative gap" in r.err
    assert "after 3 iterations" in r.err
    assert not out.exists()
    r = run_cli("--quiet", *base, "-o", str(out), "--allow-unconverged")
    assert r.code == 0, r.err
    assert len(out.read_text().splitlines()) == 77  # header + 76 links
    assert r.err.startswith("NOT converged: 3 iterations")  # --quiet: no progress bar first


def test_quiet_silences_notes(run_cli, mini_path, tmp_path):
    out = tmp_path / "cmp.json"
    r = run_cli("compare", "Alpha", "Echo", "-n", str(mini_path), "-o", str(out))
    assert r.err == f"wrote {out}\n"
    r = run_cli("-q", "compare", "Alpha", "Echo", "-n", str(mini_path), "-o", str(out))
    assert r.code == 0
    assert r.err == ""


def _run_script(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    code = f"import sys; sys.argv = ['corridors', *{args!r}]\nfrom corridors.cli.app import main\nmain()"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def test_error_line_is_plain_with_no_color(mini_path):
    r = _run_script(["compare", "Alpha", "Ecko", "-n", str(mini_path)], NO_COLOR="1")
    assert r.returncode == 2
    assert r.stderr == "error: unknown place 'Ecko'; did you mean 'Echo'?\n"


def test_no_color_is_honoured_by_print_error(monkeypatch, capsys):
    import typer

    from corridors.cli.common import print_error

    seen = {}

    def fake_secho(message, **kwargs):
        seen.update(kwargs, message=message)

    monkeypatch.setattr(typer, "secho", fake_secho)
    monkeypatch.setenv("NO_COLOR", "1")
    print_error("x")
    assert seen["color"] is False
    monkeypatch.delenv("NO_COLOR")
    print_error("x")
    assert seen["color"] is None
    assert seen["message"] == "error: x"


def test_energy_and_relief_json_share_the_envelope(run_cli, tmp_path):
    r = run_cli("energy", "flow", "-c", "crude", "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert list(data)[:2] == ["version", "parameters"]
    assert data["parameters"] == {
        "command": "energy flow",
        "commodity": "crude",
        "year": None,
        "scenario": None,
    }
    assert data["links"]  # the study itself, next to the envelope
    out = tmp_path / "relief.json"
    r = run_cli("relief", "--to", "Kahramanmaras", "--from", "Baku", "-o", str(out))
    assert r.code == 0, r.err
    data = json.loads(out.read_text())
    assert data["parameters"]["command"] == "relief"
    assert data["parameters"]["to"] == "Kahramanmaras"
    out = tmp_path / "flows.csv"
    assert run_cli("energy", "flow", "-c", "gas", "-o", str(out)).code == 0
    assert out.read_text().startswith("element,id,name,")


def test_assign_writes_csv_or_parquet_by_extension(run_cli, mini_path, tmp_path):
    import pandas as pd

    demand = tmp_path / "demand.csv"
    demand.write_text(
        "origin,destination,commodity,volume,unit,year,market,source\n"
        "Alpha,Echo,containers,5000,TEU,2024,test,hand-made\n"
    )
    args = ("assign", str(mini_path), str(demand))
    assert run_cli(*args, "-o", str(tmp_path / "f.csv")).code == 0
    assert run_cli(*args, "-o", str(tmp_path / "f.parquet")).code == 0
    csv_table = pd.read_csv(tmp_path / "f.csv")
    parquet_table = pd.read_parquet(tmp_path / "f.parquet")
    assert list(parquet_table.columns) == list(csv_table.columns)
    assert parquet_table["volume_teu_equivalent"].to_numpy() == pytest.approx(
        csv_table["volume_teu_equivalent"].to_numpy(), rel=1e-9
    )
    r = run_cli(*args, "-o", str(tmp_path / "f.json"))
    assert r.code == 2
    assert "write the table to a .csv, .parquet, .gpkg file, not 'f.json'" in r.err
    assert not (tmp_path / "f.json").exists()
