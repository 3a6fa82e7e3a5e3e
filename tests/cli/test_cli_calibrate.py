"""``corridors calibrate`` shows each corridor constant as a share of its corridor's cost."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

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
