"""The parameters a calibration fits, their bounds, and how they change a scenario.

A parameter is one of

* ``scale``: the logit scale, 1/USD per TEU (searched on its logarithm);
* ``nest_scale``: the nested logit's nest scale, in (0, 1];
* ``asc.<corridor>``: a corridor's constant (risk premium), USD per TEU;
* ``disruption.<id>``: the surcharge (``extra_usd_teu``) of one of the scenario's
  disruptions, USD per TEU - e.g. the risk premium shippers and insurers put on the
  Northern route from March 2022.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corridors.scenarios.spec import Behaviour, Disruption, Scenario


@dataclass(frozen=True)
class Parameter:
    """A parameter to fit and its bounds.

    Attributes
    ----------
    name : str
        ``scale``, ``nest_scale``, ``asc.<corridor>`` or ``disruption.<id>``.
    low, high : float
        Bounds (1/USD for ``scale``, none for ``nest_scale``, else USD per TEU).
    """

    name: str
    low: float
    high: float


def default_parameters(scenario: Scenario, corridor: str) -> tuple[Parameter, ...]:
    """The constant of ``corridor`` and the logit scale."""
    _ = scenario
    return (Parameter(f"asc.{corridor}", -50_000.0, 50_000.0), Parameter("scale", 1e-6, 0.1))


def history_parameters(scenario: Scenario) -> tuple[Parameter, ...]:
    """Rail corridors' constants, the logit scale and every Northern surcharge.

    The constants are those of the Middle and Northern corridors, and of the Southern
    one when a market may use it. The Northern surcharges are the scenario's
    disruptions on the ``northern`` corridor that add money (the sanctions risk
    premium from March 2022). With nests in the scenario's behaviour, the nest scale
    is fitted too.
    """
    # wide bounds: a corridor the data leave empty (the Southern one in 2021-2023)
    # needs a constant far above the others, and is then reported as not identified
    out = [
        Parameter("asc.middle", -100_000.0, 100_000.0),
        Parameter("asc.northern", -100_000.0, 100_000.0),
    ]
    if any(m.corridors and "southern" in m.corridors for m in scenario.demand.markets):
        out.append(Parameter("asc.southern", -100_000.0, 100_000.0))
    out.append(Parameter("scale", 1e-5, 0.05))
    if scenario.behaviour.nests:
        out.append(Parameter("nest_scale", 0.05, 1.0))
    for d in scenario.disruptions:
        if "northern" in d.corridors and not d.closed:
            out.append(Parameter(f"disruption.{d.id}", 0.0, 30_000.0))
    return tuple(out)


def apply_parameters(
    scenario: Scenario, names: Sequence[str], values: Sequence[float]
) -> tuple[Behaviour, list[Disruption]]:
    """The scenario's behaviour and disruptions with the parameters ``names`` set.

    Raises
    ------
    ValueError
        On an unknown parameter name or a disruption the scenario does not have.
    """
    beh = scenario.behaviour
    premia = dict(beh.risk_premium_usd_teu)
    scale = beh.logit_scale_per_usd
    nest_scale = beh.nest_scale
    extra: dict[str, float] = {}
    for name, v in zip(names, values, strict=True):
        head, _, key = name.partition(".")
        if head == "scale":
            scale = float(v)
        elif head == "nest_scale":
            nest_scale = float(v)
        elif head == "asc":
            premia[key] = float(v)
        elif head == "disruption":
            extra[key] = float(v)
        else:
            raise ValueError(
                f"unknown parameter {name!r}; use scale, nest_scale, asc.<corridor> or "
                "disruption.<id>"
            )
    disruptions = [
        d.model_copy(update={"extra_usd_teu": extra[d.id]}) if d.id in extra else d
        for d in scenario.disruptions
    ]
    unknown = set(extra) - {d.id for d in scenario.disruptions}
    if unknown:
        raise ValueError(f"no disruption {sorted(unknown)} in scenario {scenario.name!r}")
    return (
        beh.model_copy(
            update={
                "risk_premium_usd_teu": premia,
                "logit_scale_per_usd": scale,
                "nest_scale": nest_scale,
            }
        ),
        disruptions,
    )


def current_value(scenario: Scenario, name: str) -> float:
    """The value of parameter ``name`` in ``scenario`` (USD per TEU, or 1/USD)."""
    head, _, key = name.partition(".")
    if head == "scale":
        return scenario.behaviour.logit_scale_per_usd
    if head == "nest_scale":
        return scenario.behaviour.nest_scale
    if head == "asc":
        return scenario.behaviour.risk_premium_usd_teu.get(key, 0.0)
    for d in scenario.disruptions:
        if d.id == key:
            return d.extra_usd_teu
    raise ValueError(f"unknown parameter {name!r}")
