"""Charts: valid, decodable, deterministic PNG bytes."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib import image as mpimg

from corridors.reports.charts import (
    comparison_bars,
    forecast_chart,
    queue_chart,
    transit_histogram,
)
from corridors.reports.errors import ReportError

SIG = b"\x89PNG\r\n\x1a\n"
ROWS = pd.DataFrame(
    {
        "name": ["Middle", "Northern", "Suez"],
        "color": ["#e4572e", "#2e86ab", "#8e5ea2"],
        "days": [19.5, 16.0, 38.0],
        "usd": [6850.0, 7400.0, np.nan],
        "kg_co2e": [1420, 1180, 610],
    }
)


def _decode(png: bytes) -> np.ndarray:
    assert png.startswith(SIG)
    return np.asarray(mpimg.imread(io.BytesIO(png), format="png"))


def test_comparison_bars_panels_and_grouped() -> None:
    png = comparison_bars(ROWS, width_in=8, dpi=50)
    img = _decode(png)
    assert img.shape[1] == 400  # 8 in x 50 dpi
    assert img.shape[0] > 50
    # corridor colours are really drawn: the Middle Corridor orange is present
    rgb = (img[..., :3] * 255).round().astype(int).reshape(-1, 3)
    assert np.any(np.all(np.abs(rgb - [0xE4, 0x57, 0x2E]) <= 2, axis=1))
    grouped = comparison_bars(
        [{str(k): v for k, v in r.items()} for r in ROWS.to_dict(orient="records")],
        layout="grouped",
        dpi=50,
    )
    _decode(grouped)
    with pytest.raises(ReportError):
        comparison_bars([])


def test_other_charts_decode() -> None:
    rng = np.random.default_rng(1)
    hist = transit_histogram(
        {"Middle": rng.gamma(20, 1, 500), "Northern": rng.gamma(16, 1, 500)},
        colors={"Middle": "#e4572e"},
        dpi=50,
    )
    _decode(hist)
    t = np.arange(0, 48, 0.5)
    q = queue_chart(
        t,
        {"Aktau": np.abs(np.sin(t / 5)) * 30, "Alat": np.cos(t / 7) ** 2 * 20},
        capacity=25,
        dpi=50,
    )
    _decode(q)
    years = np.arange(2024, 2031)
    fc = forecast_chart(
        {
            "TITR": {
                "x": years,
                "median": np.linspace(4.5e6, 10e6, 7),
                "low": np.linspace(4.5e6, 7e6, 7),
                "high": np.linspace(4.5e6, 13e6, 7),
            }
        },
        history={"TITR": {"x": [2021, 2022, 2023], "y": [0.8e6, 1.5e6, 2.8e6]}},
        ylabel="Volume (t)",
        dpi=50,
    )
    _decode(fc)
    with pytest.raises(ReportError, match="has"):
        queue_chart([0, 1], [1, 2, 3])
    with pytest.raises(ReportError, match="no finite"):
        transit_histogram({"x": [np.nan]})


def test_charts_deterministic() -> None:
    assert comparison_bars(ROWS, dpi=40) == comparison_bars(ROWS, dpi=40)
    samples = {"a": [1.0, 2.0, 2.5, 3.0]}
    assert transit_histogram(samples, dpi=40) == transit_histogram(samples, dpi=40)
