"""Variables that sweeps and Monte Carlo forecasts vary, and how a sample changes a scenario.

A variable is a dotted name; its value is either a factor (network attributes) or a
value (behaviour and demand):

=============================  ======  ================================================
variable                        kind    effect
=============================  ======  ================================================
``border_time``                 factor  border_h of every node
``border_time.KZ``              factor  border_h of the nodes in country KZ
``border_cost.KZ``              factor  border_usd_teu and border_usd_t (KZ nodes)
``handling_time.NODE``          factor  handling_h of a node (id or place name)
``capacity.ID``                 factor  capacity_teu_yr and capacity_t_yr of a node or link
``tariff.CORRIDOR``             factor  tariff_usd_teu and tariff_usd_t of its links
``speed.CORRIDOR``              factor  free_speed of its links
``sailings.CORRIDOR``           factor  sailings_per_week and capacities of its ferry links
``demand.MARKET.growth``        value   growth a year (0.03 = 3 %)
``demand.MARKET.scale``         factor  base-year volume
``value_of_time``               value   USD per TEU-hour (markets with their own value
                                        of time move in proportion)
``logit_scale``                 value   1/USD per TEU
``risk_premium.CORRIDOR``       value   USD per TEU
``reliability.CORRIDOR``        value   buffer hours
=============================  ======  ================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import qmc

from corridors.errors import Problem, ScenarioError, UnknownPlaceError, did_you_mean
from corridors.network.model import Network
from corridors.network.schema import HOURS_PER_YEAR, MAX_USD_TEU
from corridors.scenarios.spec import Change, Scenario, Uncertain

VARIABLE_PATTERNS: tuple[str, ...] = (
    "border_time",
    "border_time.COUNTRY",
    "border_cost.COUNTRY",
    "handling_time.NODE",
    "capacity.ID",
    "tariff.CORRIDOR",
    "speed.CORRIDOR",
    "sailings.CORRIDOR",
    "demand.MARKET.growth",
    "demand.MARKET.scale",
    "value_of_time",
    "logit_scale",
    "risk_premium.CORRIDOR",
    "reliability.CORRIDOR",
)
NETWORK_FACTORS = (
    "border_time",
    "border_cost",
    "handling_time",
    "capacity",
    "tariff",
    "speed",
    "sailings",
)
"""Heads of the variables that are factors on network attributes."""
_HEADS = (
    *NETWORK_FACTORS,
    "demand",
    "value_of_time",
    "logit_scale",
    "risk_premium",
    "reliability",
)
_RANGE = re.compile(
    r"^\s*(?P<var>[A-Za-z_][\w.\-]*)\s*=\s*(?P<low>[-+0-9.eE]+)\s*\.\.\s*(?P<high>[-+0-9.eE]+)\s*$"
)


@dataclass(frozen=True)
class Vary:
    """A variable and the range a sweep draws it from (uniformly).

    Attributes
    ----------
    variable : str
        Dotted variable name.
    low, high : float
        Range.
    """

    variable: str
    low: float
    high: float


def parse_vary(text: str) -> Vary:
    """Parse ``"border_time.KZ=0.5..1.0"``.

    Raises
    ------
    ScenarioError
        When the text is not ``VARIABLE=LOW..HIGH`` or names an unknown variable.
    """
    m = _RANGE.match(text)
    if not m:
        raise ScenarioError(
            [
                Problem(
                    "--vary",
                    None,
                    None,
                    text,
                    "expected VARIABLE=LOW..HIGH, e.g. border_time.KZ=0.5..1.0",
                )
            ],
            what="--vary",
        )
    try:
        low, high = float(m["low"]), float(m["high"])
    except ValueError:
        low = high = math.nan
    var = m["var"]
    problems = check_variable(var, where="--vary")
    if not (math.isfinite(low) and math.isfinite(high)):
        problems.append(Problem("--vary", None, var, text, "LOW and HIGH must be finite numbers"))
    elif high < low:
        problems.append(Problem("--vary", None, var, text, f"high {high:g} is below low {low:g}"))
    elif not problems:
        problems += check_range(var, low, high, where="--vary")
    if problems:
        raise ScenarioError(problems, what="--vary")
    return Vary(var, low, high)


FACTOR_MAX = 1000.0
"""Largest factor a sweep may apply to a network attribute or a market's volume."""

VALUE_RANGES: dict[str, tuple[float, float, bool, str]] = {
    "border_time": (0.0, FACTOR_MAX, False, "a factor"),
    "border_cost": (0.0, FACTOR_MAX, False, "a factor"),
    "handling_time": (0.0, FACTOR_MAX, False, "a factor"),
    "capacity": (0.0, FACTOR_MAX, True, "a factor"),
    "tariff": (0.0, FACTOR_MAX, False, "a factor"),
    "speed": (0.0, FACTOR_MAX, True, "a factor"),
    "sailings": (0.0, FACTOR_MAX, True, "a factor"),
    "scale": (0.0, FACTOR_MAX, False, "a factor"),
    "growth": (-1.0, 1.0, True, "a growth rate a year (-1 = -100 %)"),
    "value_of_time": (0.0, MAX_USD_TEU, False, "USD per TEU-hour"),
    "logit_scale": (0.0, 1.0, True, "1/USD"),
    "risk_premium": (-MAX_USD_TEU, MAX_USD_TEU, False, "USD per TEU"),
    "reliability": (0.0, HOURS_PER_YEAR, False, "hours"),
}
"""Allowed values of each kind of variable: low, high, low excluded, what it is."""


def value_range(variable: str) -> tuple[float, float, bool, str] | None:
    """Declared bounds of a variable (:data:`VALUE_RANGES`), ``None`` when unbounded."""
    parts = variable.split(".")
    key = parts[2] if parts[0] == "demand" and len(parts) == 3 else parts[0]
    return VALUE_RANGES.get(key)


def check_range(variable: str, low: float, high: float, *, where: str) -> list[Problem]:
    """Problems with the range of values a variable is drawn from."""
    bounds = value_range(variable)
    if bounds is None:
        return []
    lo, hi, open_low, what = bounds
    if low < lo or (open_low and low <= lo) or high > hi:
        cmp = ">" if open_low else ">="
        return [
            Problem(
                where,
                None,
                "variable",
                f"{variable}={low:g}..{high:g}",
                f"{variable} is {what}: values must be {cmp} {lo:g} and <= {hi:g}",
            )
        ]
    return []


class UnmatchedVariableError(ScenarioError):
    """Varied variables whose target matches nothing (the sweep would change nothing)."""


def unmatched_variables(
    variables: Sequence[str], *, network: Network, scenario: Scenario, where: str
) -> list[Problem]:
    """Variables whose target (country, node, link, corridor, market) matches nothing.

    A sweep over such a variable would change nothing; it is an error instead.
    """
    countries = set(network.nodes["country"].astype(str))
    corridors = set(network.corridor_ids)
    links = set(network.links["link_id"].astype(str))
    markets = [m.id for m in scenario.demand.markets]
    problems: list[Problem] = []
    for variable in variables:
        parts = variable.split(".")
        if len(parts) < 2:
            continue
        head, key = parts[0], parts[1]
        known: Sequence[str]
        if head in ("border_time", "border_cost"):
            known, what = sorted(countries), "no node lies in country"
        elif head in ("tariff", "speed", "sailings", "risk_premium", "reliability"):
            known, what = list(corridors), "no corridor"
        elif head == "demand":
            known, what = markets, "the scenario has no market"
        elif head in ("handling_time", "capacity"):
            try:
                network.place(key)
                continue
            except UnknownPlaceError:
                if head == "capacity" and key in links:
                    continue
            known, what = sorted(links) if head == "capacity" else [], "no node or link"
        else:
            continue
        if key not in known:
            problems.append(
                Problem(
                    where,
                    None,
                    "variable",
                    variable,
                    f"{what} {key!r}: the variable would change nothing",
                    did_you_mean(key, known),
                )
            )
    return problems


def check_variable(variable: str, *, where: str, line: int | None = None) -> list[Problem]:
    """Problems with a variable name (unknown head, missing or extra parts)."""
    parts = variable.split(".")
    head = parts[0]
    if head not in _HEADS:
        return [
            Problem(
                where,
                line,
                "variable",
                variable,
                "unknown variable",
                did_you_mean(head, _HEADS) or "known: " + ", ".join(VARIABLE_PATTERNS),
            )
        ]
    want = {"border_time": (1, 2), "value_of_time": (1, 1), "logit_scale": (1, 1), "demand": (3, 3)}
    lo, hi = want.get(head, (2, 2))
    if not lo <= len(parts) <= hi:
        forms = [p for p in VARIABLE_PATTERNS if p.split(".")[0] == head]
        return [
            Problem(
                where,
                line,
                "variable",
                variable,
                "malformed variable",
                "expected " + " or ".join(forms),
            )
        ]
    if head == "demand" and parts[2] not in ("growth", "scale"):
        return [
            Problem(
                where,
                line,
                "variable",
                variable,
                "unknown demand variable",
                did_you_mean(parts[2], ("growth", "scale")),
            )
        ]
    return []


def _factor_change(head: str, key: str | None, value: float) -> Change:
    if head == "border_time":
        return Change(target="node", country=key, scale={"border_h": value})
    if head == "border_cost":
        return Change(
            target="node", country=key, scale={"border_usd_teu": value, "border_usd_t": value}
        )
    if head == "handling_time":
        return Change(target="node", node=key, scale={"handling_h": value})
    if head == "tariff":
        return Change(
            target="link", corridor=key, scale={"tariff_usd_teu": value, "tariff_usd_t": value}
        )
    if head == "speed":
        return Change(target="link", corridor=key, scale={"free_speed": value})
    if head == "sailings":
        return Change(
            target="link",
            corridor=key,
            mode="ferry",
            scale={"sailings_per_week": value, "capacity_teu_yr": value, "capacity_t_yr": value},
        )
    raise ValueError(head)  # pragma: no cover - guarded by check_variable


def apply_sample(
    scenario: Scenario, sample: Mapping[str, float], *, node_ids: frozenset[str] = frozenset()
) -> Scenario:
    """The scenario with the sampled values of variables applied.

    Parameters
    ----------
    scenario : Scenario
        Scenario to change.
    sample : mapping of variable to value
        Values drawn (factors or values, see the module table).
    node_ids : frozenset of str
        Node ids of the network, to tell a ``capacity.ID`` node from a link.

    Returns
    -------
    Scenario
        A new scenario (the given one is unchanged).

    Raises
    ------
    ScenarioError
        When a variable is unknown or names a market the scenario does not have.
    """
    problems: list[Problem] = []
    adjustments = list(scenario.adjustments)
    behaviour = scenario.behaviour
    markets = list(scenario.demand.markets)
    beh_updates: dict[str, object] = {}
    premia = dict(behaviour.risk_premium_usd_teu)
    buffers = dict(behaviour.reliability_buffer_h)
    for variable, value in sample.items():
        found = check_variable(variable, where="sample")
        if found:
            problems += found
            continue
        parts = variable.split(".")
        head = parts[0]
        key = parts[1] if len(parts) > 1 else None
        if head == "capacity":
            target = "node" if key in node_ids else "link"
            kw: dict[str, object] = {
                "target": target,
                target: key,
                "scale": {"capacity_teu_yr": value, "capacity_t_yr": value},
            }
            adjustments.append(Change.model_validate(kw))
        elif head in ("border_time", "border_cost", "handling_time", "tariff", "speed", "sailings"):
            adjustments.append(_factor_change(head, key, value))
        elif head == "value_of_time":
            beh_updates["value_of_time_usd_teu_h"] = value
            # segments with their own value of time move in proportion with the default
            default = behaviour.value_of_time_usd_teu_h
            ratio = value / default if default > 0 else 1.0
            markets = [
                m
                if m.value_of_time_usd_h is None
                else m.model_copy(update={"value_of_time_usd_h": m.value_of_time_usd_h * ratio})
                for m in markets
            ]
        elif head == "logit_scale":
            beh_updates["logit_scale_per_usd"] = value
        elif head == "risk_premium":
            premia[str(key)] = value
        elif head == "reliability":
            buffers[str(key)] = value
        elif head == "demand":
            ids = [m.id for m in markets]
            if key not in ids:
                problems.append(
                    Problem(
                        "sample",
                        None,
                        "variable",
                        variable,
                        "unknown market",
                        did_you_mean(str(key), ids),
                    )
                )
                continue
            for i, market_id in enumerate(ids):  # every O-D pair of a demand table's market
                if market_id != key:
                    continue
                if parts[2] == "growth":
                    markets[i] = markets[i].model_copy(update={"growth": value})
                else:
                    volume = markets[i].volume * value
                    markets[i] = markets[i].model_copy(update={"volume": volume})
    if problems:
        raise ScenarioError(problems, what="sampled variables")
    beh_updates["risk_premium_usd_teu"] = premia
    beh_updates["reliability_buffer_h"] = buffers
    return scenario.model_copy(
        update={
            "adjustments": adjustments,
            "behaviour": behaviour.model_copy(update=beh_updates),
            "demand": scenario.demand.model_copy(update={"markets": markets}),
        }
    )


def draw_uniform(varies: Sequence[Vary], *, n: int, seed: int) -> list[dict[str, float]]:
    """Draw ``n`` samples of the ranges by Latin hypercube sampling (reproducible)."""
    if not varies:
        return [{} for _ in range(n)]
    unit = qmc.LatinHypercube(d=len(varies), seed=np.random.default_rng(seed)).random(n)
    lows = np.array([v.low for v in varies])
    highs = np.array([v.high for v in varies])
    values = lows + unit * (highs - lows)
    return [{v.variable: float(values[i, j]) for j, v in enumerate(varies)} for i in range(n)]


MAX_REDRAWS = 1000
"""Rounds of redrawing out-of-bounds normal draws before giving up."""


def _normal_within(rng: np.random.Generator, u: Uncertain, n: int) -> NDArray[np.float64]:
    """Normal draws truncated to the variable's declared bounds (rejection: redraw).

    A growth rate drawn at or below -1 (-100 %) or a factor below 0 is redrawn, so the
    draws follow the normal distribution truncated to :data:`VALUE_RANGES`; draws
    already inside are the plain normal draws of the same seed.
    """
    mean, sd = float(u.mean or 0.0), float(u.sd or 1.0)
    x = rng.normal(mean, sd, n)
    bounds = value_range(u.variable)
    if bounds is None:
        return x
    lo, hi, open_low, what = bounds
    for _ in range(MAX_REDRAWS):
        bad = ((x <= lo) if open_low else (x < lo)) | (x > hi)
        if not bad.any():
            return x
        x[bad] = rng.normal(mean, sd, int(bad.sum()))
    raise ScenarioError(
        [
            Problem(
                "uncertainty",
                None,
                "mean",
                f"{u.variable}: normal({mean:g}, {sd:g})",
                f"{u.variable} is {what} within {lo:g}..{hi:g}: this normal distribution "
                "almost never draws inside",
            )
        ]
    )


def draw_uncertain(uncertain: Sequence[Uncertain], *, n: int, seed: int) -> list[dict[str, float]]:
    """Draw ``n`` Monte Carlo samples of the uncertain inputs (reproducible).

    Normal draws are truncated to the variable's declared bounds
    (:data:`VALUE_RANGES`, e.g. a growth rate stays above -1 = -100 %) by redrawing
    the draws outside; a uniform or triangular range reaching outside them is
    rejected (:class:`~corridors.errors.ScenarioError`) before anything is drawn.
    """
    problems = [
        p
        for u in uncertain
        if u.distribution != "normal"
        for p in check_range(
            u.variable, float(u.low or 0.0), float(u.high or 0.0), where="uncertainty"
        )
    ]
    if problems:
        raise ScenarioError(problems, what="the uncertain inputs")
    rng = np.random.default_rng(seed)
    columns: dict[str, NDArray[np.float64]] = {}
    for u in uncertain:
        if u.distribution == "uniform":
            columns[u.variable] = rng.uniform(float(u.low or 0.0), float(u.high or 0.0), n)
        elif u.distribution == "triangular":
            low, high, mode = float(u.low or 0.0), float(u.high or 0.0), float(u.mode or 0.0)
            columns[u.variable] = (
                rng.triangular(low, mode, high, n) if high > low else np.full(n, low)
            )
        else:
            columns[u.variable] = _normal_within(rng, u, n)
    return [{k: float(v[i]) for k, v in columns.items()} for i in range(n)]
