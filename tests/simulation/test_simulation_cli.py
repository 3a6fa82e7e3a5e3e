"""``corridors simulate`` end to end, atomic outputs, and the charts."""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from typer.testing import CliRunner

from corridors.cli.app import build_app, main
from corridors.simulation.engine import simulate
from corridors.simulation.model import (
    Distribution,
    ShipmentGenerator,
    SimulationModel,
    Station,
    Step,
)
from corridors.simulation.plots import queue_figure, save_figure, transit_histogram

DEMAND = """origin,destination,commodity,volume,unit,year,market,source
Alpha,Echo,containers,20000,TEU,2024,test,hand-made
xe,xa,dry_bulk,150000,t,2024,test,hand-made
"""


def tiny_model() -> SimulationModel:
    st = Station("s", "border", 1, Distribution.exponential(6.0))
    g = ShipmentGenerator("g", "o", "d", (Step.station("s"),), per_day=3.0, corridor="c")
    return SimulationModel(stations=(st,), generators=(g,), horizon_h=24.0 * 60)


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory, mini_path: Path) -> Path:
    base = tmp_path_factory.mktemp("sim")
    dem = base / "demand.csv"
    dem.write_text(DEMAND)
    out = base / "run"
    result = CliRunner().invoke(
        build_app(),
        [
            "simulate",
            str(mini_path),
            str(dem),
            "--days",
            "200",
            "--replications",
            "3",
            "--seed",
            "4",
            "-o",
            str(out),
            "--serial",
            "--corridor",
            "middle",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_cli_writes_tables_and_charts(study: Path) -> None:
    names = {p.name for p in study.iterdir()}
    assert {
        "transit_od.parquet",
        "transit_corridor.parquet",
        "reliability.parquet",
        "resources.parquet",
        "queues.parquet",
        "timelines.parquet",
        "shipments.parquet",
        "in_system.parquet",
        "throughput.parquet",
        "transit_histogram.png",
        "queues.png",
    } <= names
    assert not [p for p in study.parent.iterdir() if p.name.startswith(".run")]
    od = pd.read_parquet(study / "transit_od.parquet")
    assert set(od["corridor"]) == {"middle"}
    assert (od["replications"] == 3).all()
    assert (od["p10_h"] <= od["p50_h"]).all()
    assert (od["p50_h"] <= od["p95_h"]).all()
    reps = pd.read_parquet(study / "replications.parquet")
    assert (reps["shipments"] == reps["arrived"] + reps["in_system"]).all()
    ship = pd.read_parquet(study / "shipments.parquet")
    assert len(ship) == reps["shipments"].sum()
    assert (study / "queues.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_bad_demand_fails_cleanly_and_writes_nothing(
    tmp_path: Path,
    mini_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dem = tmp_path / "demand.csv"
    dem.write_text(DEMAND.replace("Alpha,Echo", "Alpah,Echo"))
    out = tmp_path / "run"
    monkeypatch.setattr(
        sys,
        "argv",
        ["corridors", "simulate", str(mini_path), str(dem), "-o", str(out), "--serial", "-r", "1"],
    )
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 1  # bad content in an input file: a failure while running
    err = capsys.readouterr().err
    assert "demand.csv, line 2, field 'origin'" in err
    assert "Alpah" in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [dem]


def test_charts_use_agg_without_touching_the_global_backend() -> None:
    before = matplotlib.get_backend()
    runs = [simulate(tiny_model(), seed=s) for s in (1, 2)]
    fig = transit_histogram(runs)
    assert type(fig.canvas).__name__ == "FigureCanvasAgg"
    assert len(fig.axes) == 1
    q = queue_figure(runs, top=1)
    assert q.axes[0].get_lines()
    assert "matplotlib.pyplot" not in sys.modules or before == matplotlib.get_backend()
    assert matplotlib.get_backend() == before


def test_save_figure_writes_png(tmp_path: Path) -> None:
    fig = transit_histogram([simulate(tiny_model(), seed=3)])
    save_figure(fig, tmp_path / "h.png")
    assert (tmp_path / "h.png").read_bytes()[:4] == b"\x89PNG"


def test_cli_maintenance_window_delays_shipments(tmp_path: Path, mini_path: Path) -> None:
    """Closing the ferry line for 20 days raises the worst transit times on the corridor."""
    dem = tmp_path / "demand.csv"
    dem.write_text(DEMAND)

    def p95(*extra: str) -> float:
        out = tmp_path / f"run{len(extra)}"
        result = CliRunner().invoke(
            build_app(),
            [
                "simulate",
                str(mini_path),
                str(dem),
                "--days",
                "120",
                "-r",
                "2",
                "--seed",
                "4",
                "-o",
                str(out),
                "--serial",
                "--corridor",
                "middle",
                "--no-timelines",
                *extra,
            ],
        )
        assert result.exit_code == 0, result.output
        od = pd.read_parquet(out / "transit_od.parquet")
        return float(od["p95_h"].max())

    assert p95("--closure", "l3:40-60") > p95() + 24.0


def test_cli_rejects_a_malformed_closure(tmp_path: Path, mini_path: Path) -> None:
    dem = tmp_path / "demand.csv"
    dem.write_text(DEMAND)
    result = CliRunner().invoke(
        build_app(),
        [
            "simulate",
            str(mini_path),
            str(dem),
            "-o",
            str(tmp_path / "run"),
            "--closure",
            "l3:60-40",
        ],
    )
    assert result.exit_code == 2
    assert "expected TARGET:FROM-TO in days" in result.output
    assert not (tmp_path / "run").exists()


def test_cli_market_filter_and_unknown_market(tmp_path: Path, mini_path: Path) -> None:
    dem = tmp_path / "demand.csv"
    dem.write_text(
        DEMAND.replace("2024,test,", "2024,bulk,", 1).replace(",2024,test,", ",2024,boxes,", 1)
    )
    out = tmp_path / "run"
    result = CliRunner().invoke(
        build_app(),
        [
            "simulate",
            str(mini_path),
            str(dem),
            "--days",
            "60",
            "-r",
            "1",
            "--serial",
            "-o",
            str(out),
            "--market",
            "boxes",
            "--no-timelines",
        ],
    )
    assert result.exit_code == 0, result.output
    ship = pd.read_parquet(out / "shipments.parquet")
    assert set(ship["origin"]) == {"xe"}  # only the second row's market
    result = CliRunner().invoke(
        build_app(),
        ["simulate", str(mini_path), str(dem), "-o", str(tmp_path / "r2"), "--market", "boxs"],
    )
    assert result.exit_code == 2
    assert "did you mean 'boxes'" in result.output
