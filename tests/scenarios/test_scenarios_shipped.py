"""Every shipped scenario and the measures catalogue load and run on the shipped network."""

from __future__ import annotations

import math

import pytest

from corridors.datasets import eurasia_path
from corridors.network import Network, read_network
from corridors.scenarios.io import ScenarioInputs, load_inputs, shipped_scenarios
from corridors.scenarios.model import run_scenario
from corridors.scenarios.rationing import NEGLIGIBLE_TEU
from corridors.scenarios.supply import element_waits
from corridors.scenarios.targets import (
    CEILING_TOLERANCE_PCT,
    FIT_YEARS,
    default_targets,
    target_values,
)

NAMES = (
    "baseline-2024",
    "northern-closed",
    "red-sea-closed",
    "middle-corridor-investments-2030",
    "zangezur-open",
    "caspian-storm-winter",
    "calibration-2021-2023",
)


def test_all_shipped_scenarios_are_listed() -> None:
    assert set(NAMES) <= set(shipped_scenarios())


@pytest.fixture(scope="session")
def eurasia() -> Network:
    """The shipped network, read once for the whole session."""
    return read_network(eurasia_path())


@pytest.fixture(scope="module")
def runs(eurasia: Network) -> dict[str, tuple[ScenarioInputs, object]]:
    out: dict[str, tuple[ScenarioInputs, object]] = {}
    for name in NAMES:
        inputs = load_inputs(name, network=eurasia)
        out[name] = (
            inputs,
            run_scenario(inputs.network, inputs.scenario, catalogue=inputs.catalogue),
        )
    return out


@pytest.mark.parametrize("name", NAMES)
def test_shipped_scenario_runs(name: str, runs: dict[str, tuple[ScenarioInputs, object]]) -> None:
    inputs, result = runs[name]
    cv = result.corridor_volumes  # type: ignore[attr-defined]
    sc = inputs.scenario
    assert sorted(set(cv["year"])) == list(sc.years)
    assert result.info["converged"]  # type: ignore[attr-defined]
    # volume is conserved: served (the corridors) + unserved = each market's demand, every
    # year; the only demand without a route is the table's China - Russia and Belarus
    # pairs once the northern corridors close (2025 on): no other corridor reaches Moscow
    # or Minsk
    tot = cv.groupby(["year", "market"])["volume_teu"].sum()
    mk = result.markets.set_index(["year", "market"])["volume_teu"]  # type: ignore[attr-defined]
    un = result.unserved  # type: ignore[attr-defined]
    lost = un.groupby(["year", "market"])["volume_teu"].sum()
    for key, demand in mk.items():
        served = float(tot.get(key, 0.0)) + float(lost.get(key, 0.0))
        assert served == pytest.approx(float(demand), rel=1e-9, abs=1e-6), key
    expected = dict.fromkeys(sc.years, 0.0)
    if name == "northern-closed":
        for m in sc.demand.markets:
            if {m.origin, m.destination} & {"moscow", "minsk"}:
                teu = m.cargo_class.teu_equivalents(m.volume)
                for y in sc.years[1:]:
                    expected[y] += teu * (1.0 + m.growth) ** (y - sc.base_year)
        assert expected[2025] > 0.0
        assert set(un["reason"]) == {"closed: northern_closed"}
        assert set(un["origin"]) | set(un["destination"]) >= {"moscow", "minsk"}
    rationed = un["reason"].str.startswith("capacity: ")
    by_year = un[~rationed].groupby("year")["volume_teu"].sum()
    for y in sc.years:
        assert float(by_year.get(y, 0.0)) == pytest.approx(expected[y], rel=1e-6, abs=1e-3)
    # what full elements could not pass at any price (the price cap): only where a market
    # has no way round them (zangezur-open: Xi'an - Alat and Xi'an - Moscow through the
    # single-track Dostyk - Moyinty line in the 2030s; caspian-storm-winter: the captive
    # Kazakhstan - Caucasus bulk in the storm quarter), and a small part of the demand
    short = un[rationed].groupby("year")["volume_teu"].sum()
    year_demand = mk.groupby(level="year").sum()
    assert bool((short <= 0.03 * year_demand.reindex(short.index)).all()), short
    if name not in ("zangezur-open", "caspian-storm-winter"):
        assert short.empty, un[rationed].to_string()
    assert (cv.loc[cv["corridor"] == "middle", "volume_teu"] > 0).all()
    # every element is a hard limit with its queue below capacity (issue 11): no element
    # of any year above its capacity (to the price solve's tolerance, a share of demand),
    # and the equilibrium converged to the tolerance
    assert sc.behaviour.capacity_limits == "all"
    tol = sc.behaviour.equilibrium.tolerance
    assert float(result.info["max_gap"]) < tol  # type: ignore[attr-defined]
    b = result.bottlenecks  # type: ignore[attr-defined]
    total = mk.groupby(level="year").sum()
    slack = 10 * tol * b["year"].map(total).astype(float)
    over = b[b["volume_teu"].astype(float) > b["capacity_teu"].astype(float) + slack]
    # every element within capacity, the captive ones too: what a full element cannot
    # pass whatever the price (Xi'an - Moscow through Dostyk with one route per corridor;
    # the captive Kazakhstan-Caucasus bulk in the Caspian storm quarter) is rationed and
    # reported as unserved with the reason "capacity: <elements>"
    assert over.empty, over.to_string()
    queue = b["queue_h"].astype(float)
    assert bool((queue >= 0).all())
    assert bool(queue.map(math.isfinite).all())


def test_closures_move_cargo(runs: dict[str, tuple[ScenarioInputs, object]]) -> None:
    def corridor(name: str, c: str, year: int = 2030) -> float:
        cv = runs[name][1].corridor_volumes  # type: ignore[attr-defined]
        return float(cv[(cv["year"] == year) & (cv["corridor"] == c)]["volume_teu"].sum())

    assert corridor("northern-closed", "northern") == 0.0
    assert corridor("baseline-2024", "northern") > 0.0
    assert corridor("red-sea-closed", "sea_suez") == 0.0
    assert corridor("red-sea-closed", "sea_cape") > corridor("baseline-2024", "sea_cape")
    # rail gains when the Red Sea closes
    rail = ("middle", "northern", "southern")
    assert sum(corridor("red-sea-closed", c) for c in rail) > sum(
        corridor("baseline-2024", c) for c in rail
    )
    # storms on the Caspian take cargo off the Middle Corridor
    assert corridor("caspian-storm-winter", "middle") < corridor("baseline-2024", "middle")


def test_the_kaliningrad_door_closes_in_march_2022(
    runs: dict[str, tuple[ScenarioInputs, object]],
) -> None:
    """The Kaliningrad door (190k TEU a year) carries China-EU transit in 2021 (UTLC ERA
    expected more than 120k TEU, SOURCES.md) and, with its feeder closed from 2022-03-01
    (`kaliningrad_feeder_closed`), at most its January and February share of 2022
    (190k x 59 / 365 = 30.7k TEU) and nothing after, in the history and the 2024 baseline."""

    def door(name: str) -> dict[int, float]:
        b = runs[name][1].bottlenecks  # type: ignore[attr-defined]
        rows = b[b["element"] == "node:kaliningrad"]
        return {int(y): float(v) for y, v in rows.groupby("year")["volume_teu"].sum().items()}

    history = door("calibration-2021-2023")
    assert history[2021] > 120_000
    assert 0 < history.get(2022, 0.0) <= 190_000 * 59 / 365 + 1e-6
    assert history.get(2023, 0.0) == 0.0
    assert history.get(2024, 0.0) == 0.0
    assert sum(door("baseline-2024").values()) == 0.0


@pytest.mark.xfail(
    strict=True,
    reason="the shipped fit (docs/calibration.md; refitted in session 15 with the ceilings "
    "weighted 100) keeps its constants within 25 % of their corridors' costs, every fitted "
    "volume within 10 % but TITR cargo 2022, and Iran-Turkiye under its ceilings: TITR cargo "
    "2022 is 1.12 Mt against 1.5 Mt (-25.5 %; Central Asia - Turkiye bulk stays on the "
    "Russian route, its Middle route slowed by the fitted Caspian waits); RMSE(log) of the "
    "volumes 0.116 (0.1185 with session 14's values on session 15's ferry lines; issue 11). "
    "No sourced 2022 cost moves that bulk while its Middle route carries the Caspian waits: "
    "a war-risk premium of 1 % of the cargo's value at Novorossiysk leaves 2022 at 1.11 Mt "
    "(refitted with it: 2022 -5 %, 2023 +28 %, Iran-Turkiye 2021 +23 %, hold-out 0.189); "
    "the sanctions premium on the cargo's value sends it through Iran (docs/calibration.md, "
    "session 14)",
)
def test_history_reproduces_the_observed_series(
    runs: dict[str, tuple[ScenarioInputs, object]],
) -> None:
    """The shipped history scenario, with the values `corridors calibrate` fitted,
    reproduces TITR cargo and containers and the 1520 mm transit of 2021-2023
    (each year within 20 % and an RMSE(log) under 0.1; docs/calibration.md), keeps the
    Southern corridor under the Iran-Türkiye rail ceiling, and Central Asia - Türkiye
    cargo growing on the Middle Corridor from a route through Russia."""
    inputs, result = runs["calibration-2021-2023"]
    cv = result.corridor_volumes  # type: ignore[attr-defined]
    boxes = tuple(m.id for m in inputs.scenario.demand.markets if m.containers)
    errors = []
    for target in default_targets():
        fitted = [y for y in FIT_YEARS if y in target.observed]
        modelled = target_values(cv, target, fitted, container_markets=boxes)
        for y in fitted:
            err = math.log(max(modelled[y], 1e-9) / target.observed[y])
            if target.ceiling:  # the calibration's own rule for a ceiling exceeded
                assert err <= math.log1p(CEILING_TOLERANCE_PCT / 100), (target.name, y)
            else:
                assert abs(err) < math.log(1.2), (target.name, y, modelled[y])
                errors.append(err)
    assert math.sqrt(sum(e * e for e in errors) / len(errors)) < 0.1
    tr = cv[cv["market"] == "central_asia_tr"].pivot_table(
        index="year", columns="corridor", values="volume_t"
    )
    assert tr.loc[2021, "northern"] > tr.loc[2021, "middle"]
    assert tr.loc[2023, "middle"] > 5 * tr.loc[2021, "middle"]
    # not reproduced by the fit of issue 11 (docs/calibration.md): bulk pays the Northern
    # risk premium in proportion to its value, so Central Asia - Türkiye cargo keeps 70 % of
    # its route through Russia in 2023 (2 kt on the Middle Corridor, 0.44 Mt through Iran);
    # the TITR growth comes from the other markets


def test_the_2024_baseline_has_the_red_sea_diversions(
    runs: dict[str, tuple[ScenarioInputs, object]],
) -> None:
    """In 2024 and 2025 the baseline's sea traffic goes round the Cape (Red Sea diversions from
    December 2023, assumed to end with 2025); from 2026 Suez carries cargo again."""
    cv = runs["baseline-2024"][1].corridor_volumes  # type: ignore[attr-defined]
    by_year = cv.pivot_table(index="year", columns="corridor", values="volume_teu", aggfunc="sum")
    by_year = by_year.fillna(0.0)
    for year in (2024, 2025):
        assert by_year.loc[year, "sea_suez"] == 0.0
        # the sea share of the China-EU markets (0.7 M rail-type TEU and the 1.5 M sea slice)
        assert by_year.loc[year, "sea_cape"] > 5e5
    assert by_year.loc[2026, "sea_suez"] > by_year.loc[2026, "sea_cape"]


def test_red_sea_closed_is_the_baseline_with_lasting_diversions(
    runs: dict[str, tuple[ScenarioInputs, object]],
) -> None:
    """red-sea-closed is the baseline until its diversions end (2025), then keeps Suez closed."""
    base = runs["baseline-2024"][1].corridor_volumes  # type: ignore[attr-defined]
    closed = runs["red-sea-closed"][1].corridor_volumes  # type: ignore[attr-defined]
    keys = ["year", "market", "corridor"]
    both = base.merge(closed, on=keys, how="outer", suffixes=("_base", "_closed")).fillna(0.0)
    diff = (both["volume_teu_closed"] - both["volume_teu_base"]).abs().groupby(both["year"]).max()
    assert (diff.loc[[2024, 2025]] < 1e-6).all()
    assert (diff.loc[2026:] > 1e3).all()
    later = closed[closed["year"] >= 2026]
    assert later.loc[later["corridor"] == "sea_suez", "volume_teu"].sum() == 0.0


def test_a_rationed_element_charges_no_rationing_wait(
    runs: dict[str, tuple[ScenarioInputs, object]],
    rationed_zangezur: ScenarioInputs,
) -> None:
    """zangezur-open 2032 with 8 train paths at Dostyk and one route a corridor
    (``rationed_zangezur``): captive cargo through Alashankou - Dostyk (Xi'an to Alat,
    Tbilisi, Minsk and Moscow: every route of theirs passes it) exceeds its capacity at
    the price cap. Only those captive markets lose cargo (the markets with another way
    keep their choice, no row of noise is listed); the element carries its capacity, the
    price the served cargo pays is 0 and so is the rationing wait compare and the
    calibration take from the bottlenecks (it was the cap's 2,994 h before)."""
    inputs = rationed_zangezur
    result = run_scenario(inputs.network, inputs.scenario, catalogue=inputs.catalogue)
    un = result.unserved
    rationed = un[un["reason"].str.startswith("capacity: ")]
    pairs = set(zip(rationed["origin"], rationed["destination"], strict=True))
    # the captive pairs (every route through the 8 paths), both ways
    assert {("xian", "minsk"), ("xian", "moscow"), ("moscow", "xian")} <= pairs
    assert all("xian" in pair for pair in pairs)
    assert 2032 in set(rationed["year"])
    assert float(rationed["volume_teu"].min()) > 100.0
    b = result.bottlenecks
    row = b[(b["year"] == 2032) & (b["element"] == "link:alashankou-dostyk@alashankou")]
    assert float(row["utilisation"].max()) == pytest.approx(1.0, abs=1e-6)
    assert float(row["shadow_price_usd_teu"].max()) == 0.0
    vot = inputs.scenario.behaviour.value_of_time_usd_teu_h
    wait = element_waits(b, 2032, value_of_time_usd_teu_h=vot)["link:alashankou-dostyk@alashankou"]
    assert wait.rationing_h == 0.0
    assert wait.queue_h > 0.0  # the queue at capacity
    # every shipped scenario: no capacity row of noise (before: 1e-9, 0.0006 TEU rows); a
    # part of a year (the shipped ones last a month or more) rations at least
    # NEGLIGIBLE_TEU a year, so a year's row is at least a twelfth of it
    for name in NAMES:
        un = runs[name][1].unserved  # type: ignore[attr-defined]
        cap = un[un["reason"].str.startswith("capacity: ")]
        small = cap[cap["volume_teu"].astype(float) < NEGLIGIBLE_TEU / 12.0]
        assert small.empty, (name, small.to_string())
