"""The parameters a calibration fits, their bounds, and how they change a scenario.

A parameter is one of

* ``scale``: the logit scale, 1/USD per TEU (searched on its logarithm);
* ``nest_scale``: the nested logit's nest scale, in (0, 1];
* ``class_scale.<class>``: the logit scale of a cargo class (``dry_bulk``) as a multiple
  of ``scale`` (searched on its logarithm);
* ``value_of_time``: USD per TEU-hour (routes are found again with it);
* ``asc.<corridor>``: a corridor's constant (risk premium), USD per TEU;
* ``disruption.<id>``: the surcharge (``extra_usd_teu``) of one of the scenario's
  disruptions, USD per TEU - e.g. the risk premium shippers and insurers put on the
  Northern route from March 2022, or a freight-rate spike at sea;
* ``disruption_hours.<id>``: the hours (``extra_hours``) one of the scenario's
  slow-downs adds to the routes through it - e.g. the waits for Caspian ferry space
  before the 2023 reforms;
* a network factor in the language of sweeps (:mod:`corridors.scenarios.variables`):
  ``border_time.<ISO>``, ``handling_time.<node>``, ``sailings.<corridor>``... (1 is
  the network as it is; routes are found again with it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corridors.scenarios.spec import Scenario
from corridors.scenarios.spec.fit import DISRUPTION_PARAMETERS
from corridors.scenarios.variables import NETWORK_FACTORS, apply_sample


@dataclass(frozen=True)
class Parameter:
    """A parameter to fit and its bounds.

    Attributes
    ----------
    name : str
        A parameter name (see the module text).
    low, high : float
        Bounds (1/USD for ``scale``, USD per TEU-hour for ``value_of_time``, hours for
        ``disruption_hours``, a factor for network factors, none for ``nest_scale``,
        else USD per TEU).
    """

    name: str
    low: float
    high: float


def default_parameters(scenario: Scenario, corridor: str) -> tuple[Parameter, ...]:
    """The constant of ``corridor`` and the logit scale."""
    _ = scenario
    return (Parameter(f"asc.{corridor}", -50_000.0, 50_000.0), Parameter("scale", 1e-6, 0.1))


def history_parameters(scenario: Scenario, *, priced: Sequence[str] = ()) -> tuple[Parameter, ...]:
    """Rail corridors' constants, the logit, nest and class scales, surcharges and waits.

    The constants are those of the Middle and Northern corridors, and of the Southern
    one when a market may use it. The surcharges are those of the scenario's
    disruptions on the ``northern`` corridor (the sanctions risk premium from March
    2022) and of the disruptions in ``priced`` (the freight-rate spikes at sea that
    price targets measure; they may be negative: rates below the long-run tariff).
    The waits are the hours of the slow-downs on links (``links`` and no
    ``corridors``) the scenario starts with hours: the waits before and on the
    Caspian crossing that time targets measure. With nests in the scenario's
    behaviour, the nest scale is fitted too.
    """
    # bounds +-20,000 USD/TEU, above any corridor's generalised cost: a constant that
    # needs more is at a bound, a sign of a poor model (issue 11 asks for 25 % of it)
    out = [
        Parameter("asc.middle", -20_000.0, 20_000.0),
        Parameter("asc.northern", -20_000.0, 20_000.0),
    ]
    if any(m.corridors and "southern" in m.corridors for m in scenario.demand.markets):
        out.append(Parameter("asc.southern", -20_000.0, 20_000.0))
    out.append(Parameter("scale", 1e-5, 0.05))
    if scenario.behaviour.nests:
        out.append(Parameter("nest_scale", 0.05, 1.0))
    # bulk costs a tenth of a container per TEU-equivalent: its own logit scale
    chooses = {
        m.cargo_class.name
        for m in scenario.demand.markets
        if m.cargo_class.unit != "TEU" and (m.corridors is None or len(m.corridors) > 1)
    }
    out += [Parameter(f"class_scale.{name}", 0.5, 100.0) for name in sorted(chooses)]
    for d in scenario.disruptions:
        if d.closed:
            continue
        if "northern" in d.corridors:
            out.append(Parameter(f"disruption.{d.id}", 0.0, 30_000.0))
        elif d.id in priced:
            out.append(Parameter(f"disruption.{d.id}", -3_000.0, 10_000.0))
        if d.links and not d.corridors and d.extra_hours > 0:
            out.append(Parameter(f"disruption_hours.{d.id}", 0.0, 1_500.0))
    return tuple(out)


NETWORK_HEADS = NETWORK_FACTORS
"""Heads of the sweep variables (:mod:`corridors.scenarios.variables`) a calibration may
fit as factors on network attributes (``border_time.KZ``, ``handling_time.aktau``...)."""


def rebuilds_routes(name: str) -> bool:
    """Whether a trial with another value of this parameter needs its own routes.

    True for network factors and the value of time (a new runner); other parameters
    only re-solve the split.
    """
    return name == "value_of_time" or name.partition(".")[0] in NETWORK_HEADS


def apply_parameters(
    scenario: Scenario,
    names: Sequence[str],
    values: Sequence[float],
    *,
    node_ids: frozenset[str] = frozenset(),
) -> Scenario:
    """The scenario with the parameters ``names`` set to ``values``.

    Parameters
    ----------
    scenario : Scenario
        Scenario to change (unchanged itself).
    names, values : sequences
        Parameter names (see the module text) and values.
    node_ids : frozenset of str
        Node ids of the network, to tell a ``capacity.<id>`` node from a link.

    Raises
    ------
    ValueError
        On an unknown parameter name or a disruption the scenario does not have.
    """
    beh = scenario.behaviour
    updates: dict[str, object] = {}
    premia = dict(beh.risk_premium_usd_teu)
    class_scale = dict(beh.class_scale)
    changes: dict[str, dict[str, object]] = {}  # disruption id -> field -> value
    factors: dict[str, float] = {}
    for name, v in zip(names, values, strict=True):
        head, _, key = name.partition(".")
        if head == "scale":
            updates["logit_scale_per_usd"] = float(v)
        elif head == "nest_scale":
            updates["nest_scale"] = float(v)
        elif head == "class_scale" and key:
            class_scale[key] = float(v)
        elif head == "value_of_time":
            updates["value_of_time_usd_teu_h"] = float(v)
        elif head == "asc":
            premia[key] = float(v)
        elif head in DISRUPTION_PARAMETERS:
            changes.setdefault(key, {})[DISRUPTION_PARAMETERS[head]] = float(v)
        elif head in NETWORK_HEADS and key:
            factors[name] = float(v)
        else:
            raise ValueError(
                f"unknown parameter {name!r}; use scale, nest_scale, class_scale.<class>, "
                "value_of_time, "
                "asc.<corridor>, disruption.<id>, disruption_hours.<id> or a network "
                f"factor ({', '.join(h + '.<id>' for h in NETWORK_HEADS)})"
            )
    unknown = set(changes) - {d.id for d in scenario.disruptions}
    if unknown:
        raise ValueError(f"no disruption {sorted(unknown)} in scenario {scenario.name!r}")
    disruptions = [
        d.model_copy(update=changes[d.id]) if d.id in changes else d for d in scenario.disruptions
    ]
    out = apply_sample(scenario, factors, node_ids=node_ids) if factors else scenario
    updates["risk_premium_usd_teu"] = premia
    updates["class_scale"] = class_scale
    return out.model_copy(
        update={
            "behaviour": out.behaviour.model_copy(update=updates),
            "disruptions": disruptions,
        }
    )


def current_value(scenario: Scenario, name: str) -> float:
    """The value of parameter ``name`` in ``scenario`` (USD per TEU, or 1/USD)."""
    head, _, key = name.partition(".")
    if head == "scale":
        return scenario.behaviour.logit_scale_per_usd
    if head == "nest_scale":
        return scenario.behaviour.nest_scale
    if head == "class_scale":
        return scenario.behaviour.class_scale.get(key, 1.0)
    if head == "value_of_time":
        return scenario.behaviour.value_of_time_usd_teu_h
    if head in NETWORK_HEADS:
        return 1.0
    if head == "asc":
        return scenario.behaviour.risk_premium_usd_teu.get(key, 0.0)
    for d in scenario.disruptions:
        if d.id == key and head in DISRUPTION_PARAMETERS:
            return float(getattr(d, DISRUPTION_PARAMETERS[head]))
    raise ValueError(f"unknown parameter {name!r}")


def search_unit(name: str) -> float:
    """The step a unit of the search variable stands for, so that all unknowns are O(1).

    Money is searched in thousands of USD, hours in hundreds, the value of time in tens
    of USD per TEU-hour; the nest scale and network factors as they are. The logit
    scale is searched on its logarithm (see :func:`on_log_scale`).
    """
    head = name.partition(".")[0]
    if head in ("nest_scale", *NETWORK_HEADS):
        return 1.0
    if head == "disruption_hours":
        return 100.0
    if head == "value_of_time":
        return 10.0
    return 1000.0


def on_log_scale(name: str) -> bool:
    """Whether a parameter is searched on its logarithm (the logit scales)."""
    return name == "scale" or name.startswith("class_scale.")
