"""Scenario runs on a hand-made two-corridor network, against hand-computed answers.

Routes (see tests/scenarios/toy): northern 190 h and 2,650 USD/TEU, middle 210 h and
4,650 USD/TEU (sum of link times, border times and tariffs). With a value of time of
20 USD/TEU-h and a northern risk premium of 2,000 USD/TEU, the generalised costs are
8,450 (northern) and 8,850 (middle) USD/TEU.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from scipy.optimize import brentq

from corridors.network import Network, read_network
from corridors.scenarios.appraisal import appraise
from corridors.scenarios.disruptions import year_segments
from corridors.scenarios.io import read_measures
from corridors.scenarios.model import run_scenario
from corridors.scenarios.spec import Disruption, MeasureCatalogue, Scenario

HERE = Path(__file__).parent
N_COST, M_COST = 8450.0, 8850.0


@pytest.fixture(scope="module")
def net() -> Network:
    return read_network(HERE / "toy")


@pytest.fixture(scope="module")
def catalogue() -> MeasureCatalogue:
    return read_measures(HERE / "files" / "toy-measures.yaml")


def scenario(**kw: object) -> Scenario:
    data: dict[str, object] = {
        "name": "toy",
        "base_year": 2024,
        "horizon": 2027,
        "demand": {
            "markets": [
                {
                    "id": "china_eu",
                    "origin": "Xian",
                    "destination": "Duisburg",
                    "volume": 10000,
                    "growth": 0.05,
                }
            ]
        },
        "behaviour": {
            "value_of_time_usd_teu_h": 20,
            "logit_scale_per_usd": 0.001,
            "risk_premium_usd_teu": {"northern": 2000},
            "vdf": {"alpha": 0.0},
        },
    }
    data.update(kw)
    # these hand-computed cases are the BPR volume-delay model (``soft``); the queue
    # model with hard limits (the default ``all``) has its own tests
    behaviour = data["behaviour"]
    assert isinstance(behaviour, dict)
    behaviour.setdefault("capacity_limits", "soft")
    return Scenario.model_validate(data)


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def middle(result_cv: object, year: int) -> float:
    cv = result_cv
    row = cv[(cv["year"] == year) & (cv["corridor"] == "middle")]  # type: ignore[index]
    return float(row["volume_teu"].sum()) if len(row) else 0.0


def test_logit_split_by_hand(net: Network) -> None:
    r = run_scenario(net, scenario())
    cv = r.corridor_volumes
    s_mid = logistic(-0.001 * (M_COST - N_COST))
    y24 = cv[cv["year"] == 2024].set_index("corridor")
    assert y24.loc["middle", "share"] == pytest.approx(s_mid, rel=1e-9)
    assert y24.loc["northern", "cost_usd_teu"] == pytest.approx(N_COST)
    assert y24.loc["middle", "hours"] == pytest.approx(210.0)
    assert y24.loc["middle", "usd_teu"] == pytest.approx(4650.0)
    # growth compounds: 10,000 * 1.05^3 in 2027
    assert cv[cv["year"] == 2027]["volume_teu"].sum() == pytest.approx(10000 * 1.05**3)
    assert middle(cv, 2027) == pytest.approx(10000 * 1.05**3 * s_mid)
    # link flows conserve volume: the shared first link carries everything
    lf = r.link_flows[r.link_flows["year"] == 2024].set_index("link_id")["volume_teu"]
    assert lf["c1"] == pytest.approx(10000.0)
    assert lf["m2"] == pytest.approx(10000.0 * s_mid)
    assert lf["n1"] + lf["m1"] == pytest.approx(10000.0)
    tt = r.transit_times[(r.transit_times["year"] == 2024)].set_index("corridor")
    assert tt.loc["all", "p50_h"] == pytest.approx(190.0)  # 60 % go north in 190 h
    assert tt.loc["all", "p95_h"] == pytest.approx(210.0)
    assert tt.loc["all", "mean_h"] == pytest.approx(190 + 20 * s_mid)


def test_congested_fixed_point_by_hand(net: Network) -> None:
    """Ferry capacity 5,000 TEU/yr with BPR(0.15, 4) on the ferry's own 24 h:
    s = logistic(-0.001 * (400 + 20 * 24 * 0.15 * (10000 s / 5000) ** 4))."""
    sc = scenario(
        behaviour={
            "value_of_time_usd_teu_h": 20,
            "logit_scale_per_usd": 0.001,
            "risk_premium_usd_teu": {"northern": 2000},
            "equilibrium": {"tolerance": 1e-11, "max_iterations": 5000},
        },
        adjustments=[{"link": "m2", "set": {"capacity_teu_yr": 5000}}],
        horizon=2024,
    )
    exact = brentq(
        lambda s: s - logistic(-0.001 * (400 + 20 * 24 * 0.15 * (2 * s) ** 4)), 0, 1, xtol=1e-14
    )
    r = run_scenario(net, sc)
    cv = r.corridor_volumes.set_index("corridor")
    assert cv.loc["middle", "share"] == pytest.approx(exact, abs=1e-8)
    assert cv.loc["middle", "hours"] == pytest.approx(210 + 24 * 0.15 * (2 * exact) ** 4)
    assert r.info["converged"] is True


def test_shared_border_congests_both_corridors(net: Network) -> None:
    """A capacity at the border both corridors cross (40 h, 50,000 t = 5,000 TEU-eq a
    year; a land border limits tonnes, not containers apart) is shared:
    its delay 40 * 0.15 * (10000 / 5000) ** 4 = 96 h falls on both routes, so the
    split is the uncongested one and each route is 96 h slower."""
    beh = {
        "value_of_time_usd_teu_h": 20,
        "logit_scale_per_usd": 0.001,
        "risk_premium_usd_teu": {"northern": 2000},
    }
    free = run_scenario(net, scenario(behaviour=beh, horizon=2024)).corridor_volumes
    shared = run_scenario(
        net,
        scenario(
            behaviour=beh,
            horizon=2024,
            adjustments=[{"node": "kzb", "set": {"capacity_t_yr": 50000}}],
        ),
    ).corridor_volumes
    f = dict(zip(free["corridor"], free[["share", "hours"]].to_numpy(dtype=float), strict=True))
    s = dict(zip(shared["corridor"], shared[["share", "hours"]].to_numpy(dtype=float), strict=True))
    assert s["middle"][0] == pytest.approx(f["middle"][0], abs=1e-9)
    for c in ("middle", "northern"):
        assert s[c][1] == pytest.approx(f[c][1] + 96.0)
    assert float(shared["volume_teu"].sum()) == pytest.approx(10000.0)


def test_closing_northern_raises_middle(net: Network) -> None:
    base = run_scenario(net, scenario()).corridor_volumes
    closed = run_scenario(
        net,
        scenario(
            disruptions=[
                {
                    "id": "sanctions",
                    "corridors": ["northern"],
                    "closed": True,
                    "start": "2024-01-01",
                }
            ]
        ),
    )
    cv = closed.corridor_volumes
    assert middle(cv, 2025) > middle(base, 2025)
    assert middle(cv, 2025) == pytest.approx(10500.0)
    assert set(cv["corridor"]) == {"middle"}


def test_part_year_closure_weighs_the_year(net: Network) -> None:
    # Northern closed 1 Jan - 2 Jul 2025: 182 of 365 days all-middle, the rest the usual split
    sc = scenario(
        disruptions=[
            {
                "id": "x",
                "corridors": ["northern"],
                "closed": True,
                "start": "2025-01-01",
                "end": "2025-07-02",
            }
        ]
    )
    cv = run_scenario(net, sc).corridor_volumes
    s_mid = logistic(-0.4)
    assert middle(cv, 2025) == pytest.approx(10500 * (182 / 365 + 183 / 365 * s_mid))
    assert middle(cv, 2024) == pytest.approx(10000 * s_mid)
    assert middle(cv, 2026) == pytest.approx(11025 * s_mid)


def test_recurring_storm_winter(net: Network) -> None:
    # every 1 Jan - 1 Apr from 2025 the ferry adds 100 h: cost +2,000 USD on the middle route
    sc = scenario(
        disruptions=[
            {
                "id": "storms",
                "links": ["m2"],
                "extra_hours": 100,
                "recurring": True,
                "start": "2025-01-01",
                "end": "2025-04-01",
            }
        ]
    )
    cv = run_scenario(net, sc).corridor_volumes
    s0, s1 = logistic(-0.4), logistic(-2.4)
    assert middle(cv, 2024) == pytest.approx(10000 * s0)
    assert middle(cv, 2026) == pytest.approx(11025 * (275 / 365 * s0 + 90 / 365 * s1))


def test_year_segments_wrap_over_new_year() -> None:
    d = Disruption(
        id="w", corridors=["middle"], start="2024-12-01", end="2025-03-01", recurring=True
    )
    segs = {tuple(x.id for x in act): f for f, act in year_segments([d], 2026)}
    # 1 Jan - 1 Mar 2026 (59 days) and 1-31 Dec 2026 (31 days)
    assert segs[("w",)] == pytest.approx(90 / 365)
    assert segs[()] == pytest.approx(275 / 365)


def test_measure_opens_planned_link(net: Network, catalogue: MeasureCatalogue) -> None:
    # z1 (planned for 2030) belongs to the 'shortcut' measure: it opens in 2027 with it,
    # and not at all without it
    with_it = run_scenario(net, scenario(horizon=2031, measures=["shortcut"]), catalogue=catalogue)
    without = run_scenario(net, scenario(horizon=2031), catalogue=catalogue)
    cv = with_it.corridor_volumes.set_index(["year", "corridor"])
    assert cv.loc[(2026, "middle"), "usd_teu"] == pytest.approx(4650.0)
    assert cv.loc[(2027, "middle"), "usd_teu"] == pytest.approx(4350.0)  # 1,200 not 1,500
    assert cv.loc[(2027, "middle"), "hours"] == pytest.approx(205.0)  # 3,450 km at 50 km/h
    assert set(without.link_flows["link_id"]) >= {"m3"}
    assert "z1" not in set(without.link_flows["link_id"])


def test_border_measure_and_zero_effect_ranking(net: Network, catalogue: MeasureCatalogue) -> None:
    # congestion on (BPR 0.15, 4 on the 20,000 TEU ferry) so the ferry measure has an effect
    sc = scenario(
        horizon=2030,
        measures=["border_half", "zero_effect", "ferry_x2"],
        behaviour={
            "value_of_time_usd_teu_h": 20,
            "logit_scale_per_usd": 0.001,
            "risk_premium_usd_teu": {"northern": 2000},
            "equilibrium": {"tolerance": 1e-12, "max_iterations": 5000},
        },
    )
    rankings, results = appraise(net, sc, catalogue=catalogue)
    singles = rankings[rankings["measure_id"] != "package"]
    assert list(singles["rank"]) == [1, 2, 3]
    package = rankings[rankings["measure_id"] == "package"]
    assert len(package) == 1
    assert package["rank"].isna().all()  # not rank 0
    assert singles.iloc[-1]["measure_id"] == "zero_effect"
    zero = singles.set_index("measure_id").loc["zero_effect"]
    assert zero["usd_saved"] == 0.0
    assert zero["volume_gain_teu"] == 0.0
    assert zero["npv_usd"] == pytest.approx(-5e6)  # capex spent in 2024, the base year
    assert float(singles.loc[singles["measure_id"] == "ferry_x2", "usd_saved"].sum()) > 0
    # halving the Kazakh border time (40 h -> 20 h on both routes) saves 20 h per TEU: the
    # ferry's congestion delay depends on the ferry's own time, not the border's
    border = singles.set_index("measure_id").loc["border_half"]
    ref = results["reference"].markets
    vol = ref[ref["year"] >= 2025]["volume_teu"].sum()
    assert border["hours_saved"] == pytest.approx(20.0 * vol, rel=1e-6)
    # and 20 h x 20 USD = 400 USD per TEU of shippers' surplus
    assert border["usd_saved"] == pytest.approx(400.0 * vol, rel=1e-6)


def test_slow_down_capacity_factor_hits_its_own_elements(net: Network) -> None:
    """A ferry slow-down at half capacity equals halving the ferry's capacity; a
    corridor-wide one on the northern route leaves the border both routes share alone."""
    beh = {
        "value_of_time_usd_teu_h": 20,
        "logit_scale_per_usd": 0.001,
        "risk_premium_usd_teu": {"northern": 2000},
        "equilibrium": {"tolerance": 1e-11, "max_iterations": 5000},
    }
    half = run_scenario(
        net,
        scenario(
            behaviour=beh,
            horizon=2024,
            adjustments=[{"link": "m2", "set": {"capacity_teu_yr": 10000}}],
        ),
    ).corridor_volumes
    slowed = run_scenario(
        net,
        scenario(
            behaviour=beh,
            horizon=2024,
            disruptions=[
                {"id": "s", "links": ["m2"], "start": "2024-01-01", "capacity_factor": 0.5}
            ],
        ),
    )
    assert slowed.corridor_volumes["share"].to_numpy() == pytest.approx(
        half["share"].to_numpy(), abs=1e-9
    )
    border = [{"node": "kzb", "set": {"capacity_t_yr": 50000}}]
    shared = run_scenario(net, scenario(behaviour=beh, horizon=2024, adjustments=border))
    north = run_scenario(
        net,
        scenario(
            behaviour=beh,
            horizon=2024,
            adjustments=border,
            disruptions=[
                {
                    "id": "n",
                    "corridors": ["northern"],
                    "start": "2024-01-01",
                    "capacity_factor": 0.5,
                }
            ],
        ),
    )
    kzb = shared.bottlenecks.set_index("element").loc["node:kzb"]
    assert float(kzb["utilisation"]) == pytest.approx(2.0)  # 10,000 TEU on 5,000: it binds
    assert north.corridor_volumes["hours"].to_numpy() == pytest.approx(
        shared.corridor_volumes["hours"].to_numpy(), rel=1e-12
    )
