"""A solved energy problem read back: rows per link, node and commodity.

:func:`summarise` turns the flow engine's solution of an
:class:`~corridors.energy.problem.EnergyProblem` into what the study prints: the flow,
capacity and shadow price of each link and node, and what each commodity delivered,
where it was sold, what was stranded and what it cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from corridors.energy.problem import EnergyProblem
from corridors.flows import FlowResult


@dataclass(frozen=True, slots=True)
class ElementFlow:
    """Flow through one link or node over the period, in the carrier's flow unit.

    Attributes
    ----------
    id, name : str
    kind : str
        ``link`` or the node kind.
    source, target : str or None
        End nodes of a link (``None`` for a node).
    mode : str
        Link mode, or ``""`` for a node.
    flow : float
    capacity : float
        ``inf`` when no limit is modelled.
    shadow_price : float
        USD per flow unit of extra capacity.
    status : str
    by_commodity : dict of str to float
    """

    id: str
    name: str
    kind: str
    source: str | None
    target: str | None
    mode: str
    flow: float
    capacity: float
    shadow_price: float
    status: str
    by_commodity: dict[str, float]

    @property
    def utilisation(self) -> float:
        """Flow / capacity (NaN when unlimited, 0 when closed and empty)."""
        if math.isinf(self.capacity):
            return math.nan
        if self.capacity == 0:
            return 0.0 if self.flow == 0 else math.inf
        return self.flow / self.capacity


@dataclass(frozen=True, slots=True)
class CommodityFlow:
    """What happened to one commodity over the period.

    Attributes
    ----------
    id : str
    supply, delivered : float
        Flow units.
    stranded : dict of str to float
        What stayed at each supply node.
    cost_usd : float
        Transport and handling cost of what was delivered.
    sold_at : dict of str to float
        Flow units sold at each market node.
    """

    id: str
    supply: float
    delivered: float
    stranded: dict[str, float]
    cost_usd: float
    sold_at: dict[str, float]

    @property
    def cost_per_unit(self) -> float:
        """USD per flow unit delivered (NaN when nothing was)."""
        return self.cost_usd / self.delivered if self.delivered > 0 else math.nan


def summarise(
    ep: EnergyProblem, result: FlowResult, *, names: dict[str, str], modes: dict[str, str]
) -> tuple[list[ElementFlow], list[ElementFlow], list[CommodityFlow]]:
    """Rows per link, per node and per commodity from a solved energy problem."""
    prob = result.problem
    comm_ids = result.commodity_ids
    arc_index = {a.id: i for i, a in enumerate(prob.arcs)}
    node_index = {n.id: j for j, n in enumerate(prob.nodes)}
    links: list[ElementFlow] = []
    for lid in ep.link_ids:
        i = arc_index[lid]
        a = prob.arcs[i]
        links.append(
            ElementFlow(
                id=lid,
                name=names.get(lid, lid),
                kind="link",
                source=a.tail,
                target=a.head,
                mode=modes.get(lid, ""),
                flow=float(result.flow[i].sum()),
                capacity=a.capacity,
                shadow_price=float(result.arc_shadow_price[i]),
                status=ep.status.get(lid, ""),
                by_commodity={
                    c: float(result.flow[i, k])
                    for k, c in enumerate(comm_ids)
                    if result.flow[i, k] > 0
                },
            )
        )
    nodes: list[ElementFlow] = []
    for nid in ep.node_ids:
        j = node_index[nid]
        n = prob.nodes[j]
        nodes.append(
            ElementFlow(
                id=nid,
                name=names.get(nid, nid),
                kind=modes.get(nid, "node"),
                source=None,
                target=None,
                mode="",
                flow=float(result.node_throughput[j]),
                capacity=n.capacity,
                shadow_price=float(result.node_shadow_price[j]),
                status=ep.status.get(nid, ""),
                by_commodity={},
            )
        )
    node_cost = np.array([n.cost for n in prob.nodes])
    heads = np.array([node_index[a.head] for a in prob.arcs], dtype=np.int64)
    arc_cost = np.array([a.cost for a in prob.arcs]) + node_cost[heads]
    commodities: list[CommodityFlow] = []
    for k, c in enumerate(prob.commodities):
        injected = sum(
            (amount - result.stranded[c.id].get(nid, 0.0)) * prob.nodes[node_index[nid]].cost
            for nid, amount in c.supply.items()
        )
        sold: dict[str, float] = {}
        for i, a in enumerate(prob.arcs):
            if a.id.startswith("sell:") and result.flow[i, k] > 1e-9:
                sold[a.tail] = sold.get(a.tail, 0.0) + float(result.flow[i, k])
        commodities.append(
            CommodityFlow(
                id=c.id,
                supply=c.total,
                delivered=result.delivered(c.id),
                stranded={n: v for n, v in result.stranded[c.id].items() if v > 1e-9},
                cost_usd=float(arc_cost @ result.flow[:, k]) + injected,
                sold_at=sold,
            )
        )
    return links, nodes, commodities
