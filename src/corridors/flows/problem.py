"""A minimum-cost multi-commodity flow problem: nodes, arcs and commodities.

The problem is stated in one flow unit per commodity (tonnes of crude, bcm of gas, MWh
of electricity, tonnes of relief goods) over one period (a year, 30 days, the hours of a
relief window). Capacities are amounts per period and are shared by every commodity an
arc or node carries. Nothing here reads files: the energy layer and the relief study
build problems from their tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from corridors.errors import Problem
from corridors.flows.errors import FlowInputError

WHAT = "flow problem"


@dataclass(frozen=True, slots=True)
class FlowNode:
    """A place where flow enters, leaves or passes: a field, terminal, port, airport.

    Attributes
    ----------
    id : str
        Node identifier.
    capacity : float
        Throughput limit over the period (flow units): everything arriving by arc plus
        what is put in at the node. ``math.inf`` for no limit.
    cost : float
        Cost per flow unit of throughput (USD per unit), e.g. terminal handling.
    """

    id: str
    capacity: float = math.inf
    cost: float = 0.0


@dataclass(frozen=True, slots=True)
class FlowArc:
    """A directed link with a capacity shared by the commodities it carries.

    Attributes
    ----------
    id : str
        Arc identifier (unique).
    tail, head : str
        Node ids the arc leaves and enters.
    capacity : float
        Limit over the period, all commodities together (flow units); ``math.inf``
        for no limit.
    cost : float
        Cost per flow unit moved (USD per unit).
    commodities : frozenset of str or None
        Commodities allowed on the arc; ``None`` allows every commodity.
    """

    id: str
    tail: str
    head: str
    capacity: float = math.inf
    cost: float = 0.0
    commodities: frozenset[str] | None = None

    def carries(self, commodity: str) -> bool:
        """Whether ``commodity`` may use the arc."""
        return self.commodities is None or commodity in self.commodities


@dataclass(frozen=True, slots=True)
class Commodity:
    """A good to move from supply nodes to demand nodes.

    Supply and demand must balance (add up to the same total); a study that lets a
    good go "anywhere" adds a market node with zero-cost arcs from every outlet.

    Attributes
    ----------
    id : str
        Commodity identifier (``crude``, ``gas``, ``relief``).
    supply : mapping of str to float
        Flow units put in at each node over the period.
    demand : mapping of str to float
        Flow units wanted at each node over the period.
    unmet_penalty : float
        Cost of each flow unit not moved (USD per unit): what is left at a supply node
        ("stranded") is short at a demand node ("unmet"). It must exceed any route's
        cost, or the solver prefers leaving the good where it is. Shadow prices of
        capacities that strand a good are this penalty less the cost of the route used.
    """

    id: str
    supply: Mapping[str, float] = field(default_factory=dict)
    demand: Mapping[str, float] = field(default_factory=dict)
    unmet_penalty: float = 1.0e4

    @property
    def total(self) -> float:
        """Total supply (flow units)."""
        return float(sum(self.supply.values()))


def _number(
    problems: list[Problem],
    what: str,
    ident: str,
    name: str,
    value: float,
    *,
    allow_inf: bool = False,
    positive: bool = False,
) -> None:
    """Check one number: finite (or +inf where allowed), not negative (or positive)."""
    ok = isinstance(value, int | float) and not math.isnan(value)
    if ok and math.isinf(value):
        ok = allow_inf and value > 0
    if not ok:
        problems.append(
            Problem(WHAT, None, f"{what} {ident}.{name}", str(value), "expected a finite number")
        )
        return
    if value < 0 or (positive and value == 0):
        problems.append(
            Problem(
                WHAT,
                None,
                f"{what} {ident}.{name}",
                str(value),
                "must be greater than 0" if positive else "must not be negative",
            )
        )


@dataclass(frozen=True)
class FlowProblem:
    """Nodes, arcs and commodities of one minimum-cost flow problem.

    Creating one checks it and raises :class:`FlowInputError` with every problem found
    (duplicate ids, arcs or commodities naming unknown nodes, NaN or negative
    capacities and costs, unbalanced commodities).

    Attributes
    ----------
    nodes : tuple of FlowNode
    arcs : tuple of FlowArc
    commodities : tuple of Commodity
    """

    nodes: tuple[FlowNode, ...]
    arcs: tuple[FlowArc, ...]
    commodities: tuple[Commodity, ...]

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise FlowInputError(problems, what=WHAT)

    def problems(self) -> list[Problem]:
        """Every problem of the problem's data, collected (empty when it is sound)."""
        out: list[Problem] = []
        node_ids: set[str] = set()
        for n in self.nodes:
            if n.id in node_ids:
                out.append(Problem(WHAT, None, f"node {n.id}", n.id, "node id used twice"))
            node_ids.add(n.id)
            _number(out, "node", n.id, "capacity", n.capacity, allow_inf=True)
            _number(out, "node", n.id, "cost", n.cost)
        commodity_ids = {c.id for c in self.commodities}
        if len(commodity_ids) != len(self.commodities):
            out.append(Problem(WHAT, None, "commodities", None, "a commodity id is used twice"))
        arc_ids: set[str] = set()
        for a in self.arcs:
            if a.id in arc_ids:
                out.append(Problem(WHAT, None, f"arc {a.id}", a.id, "arc id used twice"))
            arc_ids.add(a.id)
            for end, name in ((a.tail, "tail"), (a.head, "head")):
                if end not in node_ids:
                    out.append(Problem(WHAT, None, f"arc {a.id}.{name}", end, "unknown node"))
            _number(out, "arc", a.id, "capacity", a.capacity, allow_inf=True)
            _number(out, "arc", a.id, "cost", a.cost)
            for name in sorted(a.commodities or ()):
                if name not in commodity_ids:
                    out.append(
                        Problem(WHAT, None, f"arc {a.id}.commodities", name, "unknown commodity")
                    )
        for c in self.commodities:
            _number(out, "commodity", c.id, "unmet_penalty", c.unmet_penalty, positive=True)
            for side, amounts in (("supply", c.supply), ("demand", c.demand)):
                for node, amount in amounts.items():
                    if node not in node_ids:
                        out.append(
                            Problem(WHAT, None, f"commodity {c.id}.{side}", node, "unknown node")
                        )
                    _number(out, "commodity", c.id, f"{side}[{node}]", amount)
            total_s = sum(c.supply.values())
            total_d = sum(c.demand.values())
            balanced = abs(total_s - total_d) <= 1e-9 * max(1.0, abs(total_s), abs(total_d))
            if math.isfinite(total_s) and math.isfinite(total_d) and not balanced:
                out.append(
                    Problem(
                        WHAT,
                        None,
                        f"commodity {c.id}",
                        None,
                        f"supply {total_s:g} and demand {total_d:g} do not balance",
                        "add a market node that takes what is not wanted elsewhere",
                    )
                )
        return out
