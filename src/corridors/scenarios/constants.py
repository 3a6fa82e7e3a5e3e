"""Corridor constants as a share of their corridor's generalised cost.

A corridor's constant (``behaviour.risk_premium_usd_teu``, the alternative-specific
constant of the choice model) stands for what time and money do not explain. A small
constant leaves the choice to the costs; a constant as large as the route cost drives
the choice by itself. The share reported is

    share = constant / mean generalised cost of the corridor without its constant,

the mean weighed by the volume of each market that uses the corridor (TEU a year) over
the years asked (the fitted years of a calibration). The generalised cost without the
constant is money + value of time x (hours + buffer) + surcharges of disruptions +
shadow prices at the corridor's binding elements, USD per TEU (``cost_usd_teu`` of
:attr:`corridors.scenarios.result.ScenarioResult.corridor_volumes` less the constant).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from corridors.scenarios.spec import Scenario

SHARE_COLUMNS = ("corridor", "constant_usd_teu", "cost_usd_teu", "volume_teu", "share")
"""Columns of :func:`constant_shares`."""


def constant_shares(
    corridor_volumes: pd.DataFrame,
    constants: Mapping[str, float],
    *,
    years: Sequence[int],
    market_scale: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Each corridor's constant as a share of its mean generalised cost.

    Parameters
    ----------
    corridor_volumes : pandas.DataFrame
        ``year, market, corridor, volume_teu, cost_usd_teu`` (the corridor volumes of a
        scenario run; ``cost_usd_teu`` includes the constant).
    constants : mapping of corridor to float
        The constants the run used, USD per TEU.
    years : sequence of int
        Years averaged over.
    market_scale : mapping of market to float, optional
        Logit scale of a market as a multiple of the scenario's (its cargo class's
        ``class_scale``): the constant is utility, so such a market pays
        ``constant / scale`` USD per TEU-equivalent (default 1 for every market).

    Returns
    -------
    pandas.DataFrame
        One row per corridor with a constant: ``constant_usd_teu`` (the mean paid,
        USD per TEU-equivalent; the constant itself when every market is at scale 1),
        ``cost_usd_teu``
        (volume-weighted mean generalised cost without the constant, USD per TEU),
        ``volume_teu`` (the weight: TEU over those years) and ``share`` (constant / cost;
        NaN where no market uses the corridor in those years).
    """
    cv = corridor_volumes[corridor_volumes["year"].isin(list(years))]
    rows = []
    for corridor, constant in sorted(constants.items()):
        used = cv[(cv["corridor"] == corridor) & (cv["volume_teu"] > 0)]
        weight = float(used["volume_teu"].sum())
        scales = [(market_scale or {}).get(str(m), 1.0) for m in used["market"]]
        paid = constant / np.asarray(scales, dtype=np.float64)
        if weight > 0:
            volume = used["volume_teu"].to_numpy(dtype=np.float64)
            mean_paid = float((volume * paid).sum()) / weight
            cost = float((used["volume_teu"] * used["cost_usd_teu"]).sum()) / weight - mean_paid
        else:
            mean_paid, cost = float(constant), math.nan
        share = mean_paid / cost if weight > 0 and cost > 0 else math.nan
        rows.append((corridor, mean_paid, cost, weight, share))
    return pd.DataFrame(rows, columns=list(SHARE_COLUMNS))


def market_scales(scenario: Scenario) -> dict[str, float]:
    """Each market's logit scale as a multiple of the scenario's (``class_scale``)."""
    scales = scenario.behaviour.class_scale
    return {m.id: scales.get(m.cargo_class.name, 1.0) for m in scenario.demand.markets}
