"""``corridors calibrate`` shows each corridor constant as a share of its corridor's cost."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from corridors.cli.scenarios import fit_view, route_fit_view
from corridors.scenarios.fit_file import read_fit
from corridors.scenarios.io import read_scenario

TOY_NETWORK = Path(__file__).resolve().parents[1] / "scenarios" / "toy"

HISTORY = """\
name: toy-history
base_year: 2021
horizon: 2023
network: {network}
demand:
  markets:
    - {{id: china_eu, origin: Xian, destination: Duisburg, volume: 300000, growth: 0.6}}
behaviour:
  value_of_time_usd_teu_h: 20
  logit_scale_per_usd: 0.001
  risk_premium_usd_teu: {{middle: 1000}}
  # the toy's Middle Corridor holds ~200 kt a year, below the TITR targets; soft limits
  # (delays, no hard capacity) let the fit reach them, as this test is about the printout
  capacity_limits: soft
"""


def test_calibrate_prints_the_constant_share(
    run_cli: Callable[..., object], tmp_path: Path
) -> None:
    path = tmp_path / "history.yaml"
    path.write_text(HISTORY.format(network=TOY_NETWORK.as_posix()))
    res = run_cli("calibrate", str(path), "--titr-only", "--no-store", "--starts", "1")
    assert res.code == 0, res.err  # type: ignore[attr-defined]
    out = res.out  # type: ignore[attr-defined]
    assert "corridor constants as a share of the" in out
    row = re.search(r"│ middle\s+│\s+([-\d,]+) │\s+([\d,]+) │\s+([\d.]+) │", out)
    assert row is not None, out
    constant, cost, share = (float(g.replace(",", "")) for g in row.groups())
    fitted = re.search(r"│ asc\.middle\s+│ ([-\d,]+)", out)
    assert fitted is not None
    assert constant == float(fitted.group(1).replace(",", ""))
    assert share == pytest.approx(100.0 * constant / cost, abs=0.06)


def test_calibrate_writes_the_fit_file_that_scenarios_name(
    run_cli: Callable[..., object], tmp_path: Path
) -> None:
    """`--write-fit` writes the fitted values; a scenario naming the file runs with them."""
    path = tmp_path / "history.yaml"
    path.write_text(HISTORY.format(network=TOY_NETWORK.as_posix()))
    fit_path = tmp_path / "fit.yaml"
    res = run_cli(
        "calibrate", str(path), "--titr-only", "--no-store", "--starts", "1",
        "--write-fit", str(fit_path),
    )  # fmt: skip
    assert res.code == 0, res.err  # type: ignore[attr-defined]
    fitted = re.search(r"│ asc\.middle\s+│ ([-\d,]+)", res.out)  # type: ignore[attr-defined]
    assert fitted is not None
    fit = read_fit(fit_path)
    asc = fit.behaviour.risk_premium_usd_teu["middle"]
    assert asc == pytest.approx(float(fitted.group(1).replace(",", "")), abs=0.5 + 1e-3 * abs(asc))
    assert asc != 1000.0  # moved from the start
    assert fit.fitted_to == "toy-history"
    assert "--titr-only" in fit.source
    assert "RMSE(log)" in fit.source
    named = HISTORY.replace("  logit_scale_per_usd: 0.001\n", "").replace(
        "  risk_premium_usd_teu: {{middle: 1000}}\n", ""
    )
    scenario = tmp_path / "uses-fit.yaml"
    scenario.write_text("fit: fit.yaml\n" + named.format(network=TOY_NETWORK.as_posix()))
    sc = read_scenario(scenario).scenario
    assert sc.behaviour.risk_premium_usd_teu == {"middle": asc}
    assert sc.behaviour.logit_scale_per_usd == fit.behaviour.logit_scale_per_usd
    assert sc.behaviour.value_of_time_usd_teu_h == 20.0


def test_times_and_prices_are_shown_against_their_ranges() -> None:
    """A time outside its range shows the range and its distance from the nearer end;
    a price inside shows 0 %; volume rows stay in the volume table."""
    fit = pd.DataFrame(
        {
            "target": ["TITR cargo", "TITR China - Black Sea", "WCI"],
            "kind": ["volume", "time", "price"],
            "unit": ["t", "d", "FEU"],
            "year": [2021, 2021, 2023],
            "observed": [586_000.0, 45.5, 1250.0],
            "low": [586_000.0, 38.0, 1000.0],
            "high": [586_000.0, 53.0, 1500.0],
            "modelled": [600_000.0, 19.0, 1466.0],
            "error_pct": [2.39, -50.0, 0.0],
            "in_sample": [True, True, True],
            "ceiling": [False, False, False],
        }
    )
    routes = route_fit_view(fit)
    assert list(routes["target"]) == ["TITR China - Black Sea", "WCI"]
    assert list(routes["observed"]) == ["38.0-53.0", "1,000-1,500"]
    assert list(routes["modelled"]) == ["19.0", "1,466"]
    assert list(routes["unit"]) == ["d", "USD/FEU"]
    assert list(routes["error %"]) == [-50.0, 0.0]
    assert list(fit_view(fit)["target"]) == ["TITR cargo"]
