"""Investment appraisal: net present value and the ranking of measures.

No I/O. Benefits of a measure are the change in shippers' surplus
(logsum change times volume, USD a year) against the scenario without it; costs are
its capital cost, spent the year before it opens, and its operating cost a year.
Next to them the change in scarcity rents (each full element's shadow price times its
flow, USD a year) is reported, and an NPV that counts it; the ranking, the
benefit-cost ratio and ``npv_usd`` stay shippers' surplus alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from corridors.network.model import Network
from corridors.scenarios.result import RANKING_COLUMNS, ScenarioResult
from corridors.scenarios.route_options import SharedRoutes
from corridors.scenarios.spec import MeasureCatalogue, Scenario


def discount_factor(year: int, *, base_year: int, rate: float) -> float:
    """``1 / (1 + rate) ** (year - base_year)``."""
    return float(1.0 / (1.0 + rate) ** (year - base_year))


def npv(cash_flows: Mapping[int, float], *, rate: float, base_year: int) -> float:
    """Net present value of yearly cash flows, discounted to ``base_year``.

    Parameters
    ----------
    cash_flows : mapping of year to USD
        Net cash flow of each year (benefits minus costs), USD.
    rate : float
        Discount rate a year (0.06 = 6 %).
    base_year : int
        Year the value is expressed in (cash flows in that year are not discounted).

    Returns
    -------
    float
        USD.
    """
    if rate <= -1:
        raise ValueError("the discount rate must be above -100 %")
    return float(
        sum(v * discount_factor(y, base_year=base_year, rate=rate) for y, v in cash_flows.items())
    )


@dataclass(frozen=True)
class MeasureCashFlows:
    """Yearly benefits and costs of one measure (or package), USD."""

    measure_id: str
    benefits: dict[int, float]
    costs: dict[int, float]

    def net(self) -> dict[int, float]:
        """Benefits minus costs by year."""
        years = sorted(set(self.benefits) | set(self.costs))
        return {y: self.benefits.get(y, 0.0) - self.costs.get(y, 0.0) for y in years}


def measure_cash_flows(
    measure_id: str,
    *,
    yearly_benefit_usd: Mapping[int, float],
    open_year: int,
    capex_usd: float,
    opex_usd_yr: float,
    life_years: int,
) -> MeasureCashFlows:
    """Cash flows of a measure over its life.

    Capital is spent in ``open_year - 1``; benefits and operating costs run from
    ``open_year`` for ``life_years`` years. Years after the last modelled year keep
    the benefit of the last modelled year (no growth assumed past the horizon).
    """
    costs: dict[int, float] = {open_year - 1: capex_usd}
    benefits: dict[int, float] = {}
    last_year = max(yearly_benefit_usd) if yearly_benefit_usd else open_year
    last_value = yearly_benefit_usd.get(last_year, 0.0)
    for y in range(open_year, open_year + life_years):
        benefits[y] = yearly_benefit_usd.get(y, last_value if y > last_year else 0.0)
        costs[y] = costs.get(y, 0.0) + opex_usd_yr
    return MeasureCashFlows(measure_id, benefits, costs)


@dataclass(frozen=True)
class MeasureRanking:
    """Appraisal of one measure or package.

    Attributes
    ----------
    measure_id : str
        Measure id, or ``package`` for all measures together.
    capex_usd : float
        Capital cost, USD.
    volume_gain_teu : float
        Extra volume on the target corridor in the horizon year, TEU.
    hours_saved : float
        TEU-hours saved over the modelled years.
    usd_saved : float
        Shippers' surplus gained over the modelled years (undiscounted), USD.
    usd_saved_per_usd : float
        Present value of benefits over present value of costs (benefit-cost ratio).
    npv_usd : float
        Net present value, USD.
    rank : int or None
        1 = best (by ``usd_saved_per_usd``, then NPV); ``None`` for the package of
        all measures, which is not a candidate of the ranking.
    rents_usd : float
        Change in scarcity rents over the modelled years (undiscounted), USD: see
        :data:`corridors.scenarios.result.RANKING_COLUMNS`.
    npv_with_rents_usd : float
        Net present value with the change in rents counted as a benefit, USD.
    """

    measure_id: str
    capex_usd: float
    volume_gain_teu: float
    hours_saved: float
    usd_saved: float
    usd_saved_per_usd: float
    npv_usd: float
    rank: int | None = None
    rents_usd: float = 0.0
    npv_with_rents_usd: float = 0.0


def benefit_cost_ratio(flows: MeasureCashFlows, *, rate: float, base_year: int) -> float:
    """Present value of benefits over present value of costs (``inf`` when free)."""
    pv_b = npv(flows.benefits, rate=rate, base_year=base_year)
    pv_c = npv(flows.costs, rate=rate, base_year=base_year)
    if pv_c <= 0:
        return math.inf if pv_b > 0 else 0.0
    return pv_b / pv_c


def rank_measures(rows: Sequence[MeasureRanking]) -> list[MeasureRanking]:
    """Order measures best first and number them.

    Sorted by benefit-cost ratio, then NPV, then volume gain (all descending). A
    measure with no effect has ratio 0 and a negative NPV, so it comes last.
    """
    ordered = sorted(
        rows, key=lambda r: (-r.usd_saved_per_usd, -r.npv_usd, -r.volume_gain_teu, r.measure_id)
    )
    return [replace(r, rank=i + 1) for i, r in enumerate(ordered)]


def _year_sums(
    result: ScenarioResult, corridor: str
) -> tuple[dict[int, float], dict[int, float], dict[int, float]]:
    """Per year: shippers' total expected cost (USD), TEU-hours, target-corridor TEU."""
    mk = result.markets
    cost = (mk["volume_teu"] * mk["logsum_usd_teu"]).groupby(mk["year"]).sum()
    cv = result.corridor_volumes
    hours = (cv["volume_teu"] * cv["hours"]).groupby(cv["year"]).sum()
    target = cv[cv["corridor"] == corridor].groupby("year")["volume_teu"].sum()
    return _by_year(cost), _by_year(hours), _by_year(target)


def year_rents(result: ScenarioResult) -> dict[int, float]:
    """Scarcity rents of a run by year: shadow price times flow over its elements, USD.

    Every capacitated element (and cargo part) of ``result.bottlenecks`` counts, its
    flow (TEU-equivalents a year) times its shadow price (USD per TEU-equivalent); an
    element that is not full, or is rationed by quota, has price 0. A year cut into
    parts has its elements' flows and prices averaged over the parts, so its rent is
    the product of the averages (exact when the year is one part).
    """
    b = result.bottlenecks
    if b.empty:
        return {}
    rent = b["volume_teu"].astype(float) * b["shadow_price_usd_teu"].astype(float)
    return _by_year(rent.groupby(b["year"]).sum())


def _over_life(
    yearly_usd: Mapping[int, float], *, open_year: int, life_years: int
) -> dict[int, float]:
    """Yearly benefits over a life from ``open_year`` (:func:`measure_cash_flows`), USD."""
    return measure_cash_flows(
        "",
        yearly_benefit_usd=yearly_usd,
        open_year=open_year,
        capex_usd=0.0,
        opex_usd_yr=0.0,
        life_years=life_years,
    ).benefits


def _by_year(series: pd.Series) -> dict[int, float]:
    return {
        int(y): float(v) for y, v in zip(series.index.to_numpy(), series.to_numpy(), strict=True)
    }


def appraise(
    network: Network,
    scenario: Scenario,
    *,
    catalogue: MeasureCatalogue | None = None,
    measure_ids: Sequence[str] | None = None,
    rate: float | None = None,
    package: bool = True,
    progress: Callable[[int, int], None] | None = None,
    reliability: Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, dict[str, ScenarioResult]]:
    """Rank measures by what they give per dollar, each alone against none.

    The scenario is run without any measure (the reference), with each measure alone,
    and with all of them (the package). A measure's yearly benefit is the fall in
    shippers' expected generalised cost (logsum times volume, USD); its costs are its
    capital and operating costs. Benefits after the horizon stay at the horizon's. The
    change in scarcity rents (:func:`year_rents`) is reported next to it (``rents_usd``,
    ``npv_with_rents_usd``) and changes neither the ratio nor ``npv_usd`` nor the order.
    The runs share one choice set
    (:class:`~corridors.scenarios.route_options.SharedRoutes`): a market of each run
    chooses among the routes any run found for it, priced on the run's network, so no
    measure's own route search drops a route of the reference (or the reverse).

    Parameters
    ----------
    network : Network
        The network.
    scenario : Scenario
        Scenario whose measures (or ``measure_ids``) are appraised.
    catalogue : MeasureCatalogue, optional
        Where the measures are defined.
    measure_ids : sequence of str, optional
        Measures to appraise (default: the scenario's).
    rate : float, optional
        Discount rate a year (default: the scenario's ``discount_rate``).
    package : bool
        Also appraise all the measures together (``measure_id`` ``package``).
    progress : callable, optional
        Called with ``(runs done, runs)``.
    reliability : mapping of corridor to hours, optional
        Reliability buffers overriding the scenario's (every variant uses them).

    Returns
    -------
    rankings : pandas.DataFrame
        Columns of :data:`corridors.scenarios.result.RANKING_COLUMNS`, best first.
    results : dict of str to ScenarioResult
        The runs, by measure id (``reference`` and ``package`` included).
    """
    from corridors.scenarios.measures import resolve_measures  # noqa: PLC0415
    from corridors.scenarios.model import ScenarioRunner  # noqa: PLC0415

    ids = list(scenario.measures if measure_ids is None else measure_ids)
    measures = resolve_measures(scenario, catalogue, ids=ids)
    r = scenario.discount_rate if rate is None else rate
    variants: list[tuple[str, list[str]]] = [("reference", [])]
    variants += [(m.id, [m.id]) for m in measures]
    if package and len(measures) > 1:
        variants.append(("package", ids))
    shared = SharedRoutes()  # one choice set: every run's markets choose among all routes
    runners = [
        ScenarioRunner(
            network,
            scenario,
            catalogue=catalogue,
            measure_ids=in_force,
            reliability=reliability,
            shared_routes=shared,
        )
        for _, in_force in variants
    ]
    results: dict[str, ScenarioResult] = {}
    for k, ((name, _), runner) in enumerate(zip(variants, runners, strict=True)):
        results[name] = runner.run()
        if progress is not None:
            progress(k + 1, len(variants))
    corridor = scenario.target_corridor
    ref_cost, ref_hours, ref_target = _year_sums(results["reference"], corridor)
    ref_rents = year_rents(results["reference"])
    horizon = scenario.horizon
    rows: list[MeasureRanking] = []
    by_id = {m.id: m for m in measures}
    for name, in_force in variants[1:]:
        cost, hours, target = _year_sums(results[name], corridor)
        benefit = {y: ref_cost[y] - cost.get(y, ref_cost[y]) for y in ref_cost}
        rents = year_rents(results[name])
        d_rents = {y: rents.get(y, 0.0) - ref_rents.get(y, 0.0) for y in ref_cost}
        costs: dict[int, float] = {}
        benefits: dict[int, float] = {}
        for mid in in_force:
            m = by_id[mid]
            flows = measure_cash_flows(
                mid,
                yearly_benefit_usd={},
                open_year=m.open_year,
                capex_usd=m.capex_usd,
                opex_usd_yr=m.opex_usd_yr,
                life_years=m.life_years,
            )
            for y, v in flows.costs.items():
                costs[y] = costs.get(y, 0.0) + v
        first = min(by_id[mid].open_year for mid in in_force)
        life = max(by_id[mid].open_year + by_id[mid].life_years for mid in in_force) - first
        benefits = _over_life(benefit, open_year=first, life_years=life)
        cf = MeasureCashFlows(name, benefits, costs)
        with_rents = {y: benefit[y] + d_rents[y] for y in benefit}
        cf_rents = MeasureCashFlows(
            name, _over_life(with_rents, open_year=first, life_years=life), costs
        )
        rows.append(
            MeasureRanking(
                measure_id=name,
                capex_usd=sum(by_id[mid].capex_usd for mid in in_force),
                volume_gain_teu=target.get(horizon, 0.0) - ref_target.get(horizon, 0.0),
                hours_saved=sum(ref_hours[y] - hours.get(y, ref_hours[y]) for y in ref_hours),
                usd_saved=sum(benefit.values()),
                usd_saved_per_usd=benefit_cost_ratio(cf, rate=r, base_year=scenario.base_year),
                npv_usd=npv(cf.net(), rate=r, base_year=scenario.base_year),
                rents_usd=sum(d_rents.values()),
                npv_with_rents_usd=npv(cf_rents.net(), rate=r, base_year=scenario.base_year),
            )
        )
    singles = rank_measures([x for x in rows if x.measure_id != "package"])
    pack = [x for x in rows if x.measure_id == "package"]
    ordered = singles + [replace(p, rank=None) for p in pack]
    frame = pd.DataFrame(
        [{c: getattr(x, c) for c in RANKING_COLUMNS} for x in ordered],
        columns=list(RANKING_COLUMNS),
    )
    frame["rank"] = frame["rank"].astype("Int64")  # the package's rank is missing (NA)
    return frame, results
