"""A corridor constant as a share of its corridor's volume-weighted generalised cost."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from corridors.scenarios.constants import constant_shares


def test_share_is_weighed_by_volume_over_the_years_asked() -> None:
    # middle: constant 1,000; generalised cost without it 4,000 (a, 300 TEU) and 9,000
    # (b, 100 TEU) in 2021, 6,000 (a, 100 TEU) in 2022; 2023 is not asked for.
    # Mean: (300 x 4,000 + 100 x 9,000 + 100 x 6,000) / 500 = 5,400; share 1,000 / 5,400.
    # northern: constant 500, unused (0 TEU): no share. southern: no rows at all.
    cv = pd.DataFrame(
        [
            (2021, "a", "middle", 300.0, 5000.0),
            (2021, "b", "middle", 100.0, 10000.0),
            (2022, "a", "middle", 100.0, 7000.0),
            (2023, "a", "middle", 9999.0, 99999.0),
            (2021, "a", "northern", 0.0, 3000.0),
        ],
        columns=["year", "market", "corridor", "volume_teu", "cost_usd_teu"],
    )
    shares = constant_shares(
        cv, {"middle": 1000.0, "northern": 500.0, "southern": 2000.0}, years=[2021, 2022]
    ).set_index("corridor")
    assert shares.loc["middle", "cost_usd_teu"] == pytest.approx(5400.0)
    assert shares.loc["middle", "volume_teu"] == pytest.approx(500.0)
    assert shares.loc["middle", "share"] == pytest.approx(1000.0 / 5400.0)
    assert math.isnan(shares.loc["northern", "share"])
    assert math.isnan(shares.loc["southern", "share"])
    assert shares.loc["southern", "volume_teu"] == 0.0


def test_a_market_at_its_own_scale_pays_the_constant_divided_by_it() -> None:
    # bulk (scale 4) pays the middle constant 2,000 / 4 = 500 USD per TEU-equivalent:
    # cost without it 3,000 (bulk, 300 TEU-eq) and 8,000 (containers, 100 TEU);
    # mean paid (300 x 500 + 100 x 2,000) / 400 = 875, mean cost 4,250, share 875 / 4,250
    cv = pd.DataFrame(
        [(2021, "bulk", "middle", 300.0, 3500.0), (2021, "box", "middle", 100.0, 10000.0)],
        columns=["year", "market", "corridor", "volume_teu", "cost_usd_teu"],
    )
    shares = constant_shares(
        cv, {"middle": 2000.0}, years=[2021], market_scale={"bulk": 4.0}
    ).set_index("corridor")
    assert shares.loc["middle", "constant_usd_teu"] == pytest.approx(875.0)
    assert shares.loc["middle", "cost_usd_teu"] == pytest.approx(4250.0)
    assert shares.loc["middle", "share"] == pytest.approx(875.0 / 4250.0)
