"""The variables a sweep or forecast may vary: their names, bounds and targets, checked.

Each problem is a :class:`~corridors.errors.Problem` naming where the variable was given
(``--vary``, ``uncertainty``, ``sample``); see :mod:`corridors.scenarios.variables` for
the table of variables.
"""

from __future__ import annotations

from collections.abc import Sequence

from corridors.errors import Problem, ScenarioError, UnknownPlaceError, did_you_mean
from corridors.network.model import Network
from corridors.network.schema import HOURS_PER_YEAR, MAX_USD_TEU
from corridors.scenarios.spec import Scenario

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
VARIABLE_HEADS = (
    *NETWORK_FACTORS,
    "demand",
    "value_of_time",
    "logit_scale",
    "risk_premium",
    "reliability",
)
"""Heads of every variable."""


def check_variable(variable: str, *, where: str, line: int | None = None) -> list[Problem]:
    """Problems with a variable name (unknown head, missing or extra parts)."""

    def problem(message: str, hint: str | None) -> list[Problem]:
        return [Problem(where, line, "variable", variable, message, hint)]

    parts = variable.split(".")
    head = parts[0]
    if head not in VARIABLE_HEADS:
        known = did_you_mean(head, VARIABLE_HEADS) or "known: " + ", ".join(VARIABLE_PATTERNS)
        return problem("unknown variable", known)
    want = {"border_time": (1, 2), "value_of_time": (1, 1), "logit_scale": (1, 1), "demand": (3, 3)}
    lo, hi = want.get(head, (2, 2))
    if not lo <= len(parts) <= hi:
        forms = [p for p in VARIABLE_PATTERNS if p.split(".")[0] == head]
        return problem("malformed variable", "expected " + " or ".join(forms))
    if head == "demand" and parts[2] not in ("growth", "scale"):
        return problem("unknown demand variable", did_you_mean(parts[2], ("growth", "scale")))
    return []


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
