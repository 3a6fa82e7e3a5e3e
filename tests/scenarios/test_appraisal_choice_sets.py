"""One choice set for every run of an appraisal: a route no run drops.

Toy ``tests/scenarios/fork``: one corridor (northern) from Xian to Duisburg, VoT
20 USD/TEU-h, two routes a corridor (link-penalty search), logit scale 0.001/USD.
Generalised costs (USD/TEU; the Kazakh border ``kzb`` takes 40 h and 100 USD on c1):

* R1 c1-n1-n2: 2,200 USD + 20 x 102 h = 4,240 (5,600 km);
* R2 c1-k2-k3-n2: 2,260 + 20 x 104 = 4,340 (5,700 km; shares c1 and n2 with R1);
* R3 e1-e2 (through Mongolia): 3,920 + 20 x 66 = 5,240 (5,800 km; shares nothing).

The search's second route is the cheapest once R1's links cost half as much again: R2 at
4,340 + (1,040 + 1,000) / 2 = 5,360 against R3 at 5,240, so R3. With the Kazakh border
at 32 h (``kzb_documents``, border hours x 0.8) R1 and R2 cost 160 less and R2 is
4,180 + (880 + 1,000) / 2 = 5,120: the measure's own search finds R1 and R2, and drops
R3. Alone, the measure's choice set {R1, R2} (path sizes 0.5446 and 0.5526, each route
dearer by 1,000 ln(1 / PS)) has a higher logsum than the reference's {R1, R3}: the
measure seemed to cost shippers 109.5 USD/TEU; with the three routes it gains them 120.7. The appraisal gives both runs R1, R2 and R3.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from corridors.network import Network, read_network
from corridors.scenarios.appraisal import appraise
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.spec import MeasureCatalogue, Scenario

FORK = Path(__file__).parent / "fork"
THETA = 0.001
VOLUME = 10_000.0


@pytest.fixture(scope="module")
def fork() -> Network:
    return read_network(FORK)


def _scenario() -> Scenario:
    return Scenario.model_validate(
        {
            "name": "fork",
            "base_year": 2024,
            "horizon": 2025,
            "measures": [],
            "demand": {
                "markets": [
                    {
                        "id": "china_eu",
                        "origin": "Xian",
                        "destination": "Duisburg",
                        "volume": VOLUME,
                    }
                ]
            },
            "behaviour": {
                "value_of_time_usd_teu_h": 20,
                "logit_scale_per_usd": THETA,
                "routes_per_corridor": 2,
                "capacity_limits": "soft",
                "equilibrium": {"tolerance": 1e-12},
            },
        }
    )


def _catalogue(change: dict[str, object]) -> MeasureCatalogue:
    return MeasureCatalogue.model_validate(
        {
            "measures": [
                {
                    "id": "cheaper",
                    "name": "A cost of the toy lower",
                    "open_year": 2025,
                    "capex_usd": 1.0e6,
                    "changes": [change],
                    "source": "hand-made test fixture",
                }
            ]
        }
    )


def _gains(net: Network, change: dict[str, object]) -> pd.DataFrame:
    """Shippers' gain of the measure by year and market, USD a year (appraisal runs)."""
    _, results = appraise(net, _scenario(), catalogue=_catalogue(change), measure_ids=["cheaper"])
    ref, alt = results["reference"].markets, results["cheaper"].markets
    m = ref.merge(alt, on=["year", "market"], suffixes=("_ref", "_alt"))
    m["gain"] = (m["logsum_usd_teu_ref"] - m["logsum_usd_teu_alt"]) * m["volume_teu_ref"]
    return m


def _own_routes(net: Network, change: dict[str, object], ids: list[str]) -> list[tuple[str, ...]]:
    """The links of the routes a run finds alone in 2025 (no appraisal), cheapest first."""
    runner = ScenarioRunner(net, _scenario(), catalogue=_catalogue(change), measure_ids=ids)
    alts = runner.options.options(2025, tuple(ids), (), 0, 2)
    return [a.link_ids for a in alts]


KZB_DOCUMENTS = {"node": "kzb", "scale": {"border_h": 0.8}}

CHEAPER = [
    KZB_DOCUMENTS,  # R1 and R2 160 cheaper: the second route switches from R3 to R2
    {"node": "kzb", "scale": {"border_h": 0.85}},  # 120 cheaper: R2 at 5,180, it switches
    {"node": "kzb", "scale": {"border_h": 0.95}},  # 40 cheaper: R2 at 5,300, no switch
    {"node": "kzb", "scale": {"border_h": 0.5, "border_usd_teu": 0.5}},
    {"link": "k2", "scale": {"tariff_usd_teu": 0.8}},  # R2 alone 200 cheaper: it switches
    {"link": "e1", "scale": {"tariff_usd_teu": 0.9}},  # R3 cheaper: no switch
    {"link": "n2", "scale": {"free_speed": 1.25}},  # R1 and R2 10 h faster
]


@pytest.mark.parametrize("change", CHEAPER)
def test_a_measure_that_only_lowers_costs_never_costs_shippers(
    fork: Network, change: dict[str, object]
) -> None:
    """No market loses surplus in any year to a measure that only makes routes cheaper
    (no capacity binds in the toy): every route of the reference is in its choice set."""
    gains = _gains(fork, change)
    assert (gains["gain"] >= -1e-6 * VOLUME).all(), gains.to_string()
    assert gains.loc[gains["year"] == 2025, "gain"].iloc[0] > 0  # it gains in its year


def test_the_toy_drops_a_route_without_the_shared_choice_set(fork: Network) -> None:
    """The case the appraisal guards against: alone, the measure's search drops R3."""
    assert _own_routes(fork, KZB_DOCUMENTS, []) == [("c1", "n1", "n2"), ("e1", "e2")]
    assert _own_routes(fork, KZB_DOCUMENTS, ["cheaper"]) == [
        ("c1", "n1", "n2"),
        ("c1", "k2", "k3", "n2"),
    ]


def test_union_keeps_the_dropped_route_by_hand(fork: Network) -> None:
    """Both runs choose among R1, R2 and R3 in 2025, R3 at its own cost in both."""
    gains = _gains(fork, KZB_DOCUMENTS).set_index("year")
    ps1 = 5100 / 5600 / 2 + 500 / 5600  # c1 and n2 shared by R1 and R2
    ps2 = 5100 / 5700 / 2 + 600 / 5700

    def logsum(r1: float, r2: float, r3: float) -> float:
        terms = (r1 - math.log(ps1) / THETA, r2 - math.log(ps2) / THETA, r3)
        return -math.log(sum(math.exp(-THETA * c) for c in terms)) / THETA

    ref = logsum(4240.0, 4340.0, 5240.0)
    alt = logsum(4080.0, 4180.0, 5240.0)
    assert gains.loc[2025, "logsum_usd_teu_ref"] == pytest.approx(ref, rel=1e-9)
    assert gains.loc[2025, "logsum_usd_teu_alt"] == pytest.approx(alt, rel=1e-9)
    assert gains.loc[2025, "gain"] == pytest.approx((ref - alt) * VOLUME, rel=1e-6)
    # 2024: the measure is not in force, both runs have the reference's network
    assert gains.loc[2024, "gain"] == pytest.approx(0.0, abs=1e-6)
    # alone, {R1, R3} against {R1, R2}: the measure seemed to cost 109.5 USD/TEU
    before = -math.log(math.exp(-THETA * 4240) + math.exp(-THETA * 5240)) / THETA
    without_r3 = (
        -math.log(
            math.exp(-THETA * (4080 - math.log(ps1) / THETA))
            + math.exp(-THETA * (4180 - math.log(ps2) / THETA))
        )
        / THETA
    )
    assert before - without_r3 == pytest.approx(-109.5, abs=0.1)
    assert ref - alt == pytest.approx(120.7, abs=0.1)
