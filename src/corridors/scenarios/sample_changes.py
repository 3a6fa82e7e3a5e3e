"""How a sample changes a scenario: factors on network attributes, behaviour and demand values.

See :mod:`corridors.scenarios.variables` for the table of variables and their effect.
"""

from __future__ import annotations

from collections.abc import Mapping

from corridors.errors import Problem, ScenarioError, did_you_mean
from corridors.scenarios.spec import Change, Scenario
from corridors.scenarios.variable_checks import check_variable


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
