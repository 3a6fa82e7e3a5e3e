"""Reliability buffers of the generalised cost from a short simulation.

A scenario whose behaviour says ``reliability: simulate`` gets the buffer hours of
each corridor (95th percentile minus median of the door-to-door time) from
:mod:`corridors.simulation`: for every corridor, the scenario's markets allowed on it
are routed on its cheapest route in the network of one year and simulated for a few
seeded replications; :func:`corridors.simulation.reliability_from_results` gives the
buffer of each market, and the corridor's buffer is their mean weighted by shipments.

Each corridor is simulated carrying an equal part of each market's volume (the
market volume divided by the number of corridors it may use): a neutral load, since
the corridor split is what the buffers help decide.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping

import pandas as pd

from corridors.demand.classes import CONTAINER_PAYLOAD_T
from corridors.errors import DemandError, UnknownPlaceError, UnreachableError
from corridors.network.model import Network
from corridors.scenarios.spec import ReliabilitySimulation, Scenario

logger = logging.getLogger(__name__)


def simulated_buffers(
    network: Network,
    scenario: Scenario,
    *,
    settings: ReliabilitySimulation | None = None,
) -> dict[str, float]:
    """Buffer hours per corridor from a short, seeded simulation of the scenario.

    Parameters
    ----------
    network : Network
        The network (all years).
    scenario : Scenario
        Markets, tonnes per TEU and seed.
    settings : ReliabilitySimulation, optional
        Simulated days, warm-up, replications, seed and year (default: the
        scenario's ``behaviour.reliability``, else the defaults).

    Returns
    -------
    dict of corridor to hours
        Corridors no market could be simulated on are left out.
    """
    from corridors.simulation import (  # noqa: PLC0415 - heavy, only when asked
        BuildOptions,
        reliability_from_results,
        run_replications,
    )
    from corridors.studies.simulate import simulation_model  # noqa: PLC0415

    cfg = settings or scenario.behaviour.reliability or ReliabilitySimulation()
    year = cfg.year or scenario.base_year
    seed = scenario.seed if cfg.seed is None else cfg.seed
    net = network.for_year(year)
    tpt = CONTAINER_PAYLOAD_T
    allowed: dict[str, list[tuple[str, str, float]]] = {}
    for m in scenario.demand.markets:
        corridors = m.corridors or list(net.corridor_ids)
        teu = m.cargo_class.teu_equivalents(m.volume)
        try:
            o, d = net.place(m.origin), net.place(m.destination)
        except UnknownPlaceError:
            logger.warning("market %s: unknown place, not simulated", m.id)
            continue
        for c in corridors:
            allowed.setdefault(c, []).append((o, d, teu / len(corridors)))
    out: dict[str, float] = {}
    for c, flows in sorted(allowed.items()):
        demand = pd.DataFrame(
            {
                "origin": [f[0] for f in flows],
                "destination": [f[1] for f in flows],
                "commodity": "containers",
                "volume": [f[2] for f in flows],
                "unit": "TEU",
                "year": year,
            }
        )
        opts = BuildOptions(
            days=cfg.days, warmup_days=cfg.warmup_days, corridors=(c,), tonnes_per_teu=tpt
        )
        try:
            model = simulation_model(net, demand, options=opts, name=f"{scenario.name}:{c}")
        except (DemandError, UnreachableError) as exc:
            logger.info("corridor %s not simulated: %s", c, exc)
            continue
        reps = run_replications(model, replications=cfg.replications, seed=seed, executor="serial")
        rel = reliability_from_results(reps)
        rel = rel[(rel["corridor"] == c) & (rel["shipments"] > 0)]
        if rel.empty:
            continue
        w = rel["shipments"].to_numpy(dtype=float)
        value = float((rel["buffer_h"].to_numpy(dtype=float) * w).sum() / w.sum())
        if math.isfinite(value):
            out[c] = value
    logger.info("simulated reliability buffers (h): %s", out)
    return out


def scenario_buffers(
    network: Network, scenario: Scenario, *, given: Mapping[str, float] | None = None
) -> dict[str, float] | None:
    """Reliability buffers a study hands to the scenario runner, hours per corridor.

    With ``behaviour.reliability: simulate`` the simulated buffers
    (:func:`simulated_buffers`, once per study) overridden by ``given``; otherwise
    ``given`` (``None``: the scenario's own ``reliability_buffer_h``).
    """
    if scenario.behaviour.reliability is None:
        return None if given is None else dict(given)
    return simulated_buffers(network, scenario) | dict(given or {})
