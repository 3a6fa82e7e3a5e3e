"""Solve a minimum-cost multi-commodity flow with HiGHS and read its shadow prices.

The linear programme, for commodities ``k``, arcs ``a``, nodes ``n``::

    minimise   sum_ak c_a x_ak + sum_n h_n T_n + sum_k P_k sum_j u_kj
    subject to sum_out x_ak - sum_in x_ak + s_kn - u_kn = supply_kn - demand_kn
               sum_k x_ak <= cap_a                       (arc capacity)
               T_n = sum_k (sum_in x_ak + supply_kn - s_kn) <= cap_n   (node throughput)
               0 <= s_kn <= supply_kn,  0 <= u_kn <= demand_kn,  x_ak >= 0

``s`` is what stays at a supply node (stranded), ``u`` what a demand node lacks
(unmet); both are counted, never dropped. The shadow price of a capacity is minus
the dual of its row (USD saved by one more flow unit of capacity); the price of a
commodity at a node is minus the dual of its balance row (the cost of serving one
more unit there). scipy's ``linprog(method="highs")`` is used; HiGHS returns the duals.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import linprog

from corridors.flows.errors import FlowSolveError
from corridors.flows.problem import FlowProblem

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]

BINDING_RTOL = 1e-7
"""A capacity binds when its load is within this fraction of it (or its price is > 0)."""


@dataclass(frozen=True, slots=True)
class Binding:
    """A capacity that limits the flow.

    Attributes
    ----------
    kind : {"arc", "node"}
    id : str
        Arc or node id.
    capacity : float
        The limit (flow units over the period).
    load : float
        Flow through it (flow units over the period).
    shadow_price : float
        USD saved per extra flow unit of capacity ("relieve this first").
    """

    kind: str
    id: str
    capacity: float
    load: float
    shadow_price: float


@dataclass(frozen=True)
class FlowResult:
    """The optimal flows, costs, unmoved amounts and prices of a :class:`FlowProblem`.

    Attributes
    ----------
    problem : FlowProblem
        The problem solved.
    flow : ndarray, shape (n_arcs, n_commodities)
        Flow of each commodity on each arc (flow units over the period).
    arc_shadow_price : ndarray, shape (n_arcs,)
        USD per flow unit of extra arc capacity (0 where the capacity is slack or
        unlimited).
    node_throughput : ndarray, shape (n_nodes,)
        Flow through each node (arrivals plus what is put in there).
    node_shadow_price : ndarray, shape (n_nodes,)
        USD per flow unit of extra node capacity.
    node_price : ndarray, shape (n_nodes, n_commodities)
        Marginal cost of serving one more unit of a commodity at a node (USD per unit).
    stranded : dict of str to dict of str to float
        Per commodity, what stays at each supply node (flow units).
    unmet : dict of str to dict of str to float
        Per commodity, what each demand node lacks (flow units).
    transport_cost : float
        Cost of the flows moved: arc costs plus node handling (USD).
    penalty_cost : float
        Penalties of the unmet amounts (USD).
    """

    problem: FlowProblem
    flow: FloatArray
    arc_shadow_price: FloatArray
    node_throughput: FloatArray
    node_shadow_price: FloatArray
    node_price: FloatArray
    stranded: dict[str, dict[str, float]]
    unmet: dict[str, dict[str, float]]
    transport_cost: float
    penalty_cost: float

    @property
    def arc_ids(self) -> tuple[str, ...]:
        """Arc ids, in the order of the rows of :attr:`flow`."""
        return tuple(a.id for a in self.problem.arcs)

    @property
    def node_ids(self) -> tuple[str, ...]:
        """Node ids, in the order of :attr:`node_throughput`."""
        return tuple(n.id for n in self.problem.nodes)

    @property
    def commodity_ids(self) -> tuple[str, ...]:
        """Commodity ids, in the order of the columns of :attr:`flow`."""
        return tuple(c.id for c in self.problem.commodities)

    @property
    def arc_load(self) -> FloatArray:
        """Flow on each arc, all commodities together (flow units)."""
        return np.asarray(self.flow.sum(axis=1), dtype=np.float64)

    @property
    def total_cost(self) -> float:
        """Transport cost plus penalties (USD): the objective minimised."""
        return self.transport_cost + self.penalty_cost

    def arc_flow(self, arc_id: str, commodity: str | None = None) -> float:
        """Flow on one arc, of one commodity or of all (flow units)."""
        i = self.arc_ids.index(arc_id)
        if commodity is None:
            return float(self.flow[i].sum())
        return float(self.flow[i, self.commodity_ids.index(commodity)])

    def unmet_total(self, commodity: str) -> float:
        """What could not be moved of a commodity (flow units)."""
        return float(sum(self.unmet[commodity].values()))

    def delivered(self, commodity: str) -> float:
        """What reached the demand nodes (flow units)."""
        c = self.problem.commodities[self.commodity_ids.index(commodity)]
        return float(sum(c.demand.values())) - self.unmet_total(commodity)

    def binding(self) -> list[Binding]:
        """Capacities that limit the flow, the most valuable to relieve first."""
        out: list[Binding] = []
        load = self.arc_load
        for i, a in enumerate(self.problem.arcs):
            if _binds(a.capacity, float(load[i]), float(self.arc_shadow_price[i])):
                out.append(
                    Binding(
                        "arc", a.id, a.capacity, float(load[i]), float(self.arc_shadow_price[i])
                    )
                )
        for j, n in enumerate(self.problem.nodes):
            t = float(self.node_throughput[j])
            price = float(self.node_shadow_price[j])
            if _binds(n.capacity, t, price):
                out.append(Binding("node", n.id, n.capacity, t, price))
        out.sort(key=lambda b: (-b.shadow_price, b.kind, b.id))
        return out


def _binds(capacity: float, load: float, price: float) -> bool:
    if not math.isfinite(capacity) or (capacity == 0 and price <= 1e-9):
        return False  # unlimited, or closed and worth nothing to reopen
    return price > 1e-9 or load >= capacity * (1.0 - BINDING_RTOL) - 1e-9


def solve(problem: FlowProblem) -> FlowResult:
    """Minimum-cost multi-commodity flow of ``problem`` (HiGHS through scipy).

    Parameters
    ----------
    problem : FlowProblem
        Nodes, arcs and commodities, already checked.

    Returns
    -------
    FlowResult
        Flows, costs, what could not be moved, shadow prices of every capacity.

    Raises
    ------
    FlowSolveError
        HiGHS did not reach an optimum (it always should: the unmet slack keeps the
        problem feasible).
    """
    nodes, arcs, comms = problem.nodes, problem.arcs, problem.commodities
    n_nodes, n_arcs, n_comm = len(nodes), len(arcs), len(comms)
    node_index = {n.id: j for j, n in enumerate(nodes)}
    node_cost = np.array([n.cost for n in nodes], dtype=np.float64)

    # variables: x (allowed arc-commodity pairs), then s (stranded), then u (unmet)
    x_arc: list[int] = []
    x_comm: list[int] = []
    for i, a in enumerate(arcs):
        for k, c in enumerate(comms):
            if a.carries(c.id):
                x_arc.append(i)
                x_comm.append(k)
    xa = np.asarray(x_arc, dtype=np.int64)
    xk = np.asarray(x_comm, dtype=np.int64)
    n_x = xa.size
    s_node: list[int] = []
    s_comm: list[int] = []
    s_amount: list[float] = []
    u_node: list[int] = []
    u_comm: list[int] = []
    u_amount: list[float] = []
    for k, c in enumerate(comms):
        for nid, amount in c.supply.items():
            s_node.append(node_index[nid])
            s_comm.append(k)
            s_amount.append(float(amount))
        for nid, amount in c.demand.items():
            u_node.append(node_index[nid])
            u_comm.append(k)
            u_amount.append(float(amount))
    sn, sk = np.asarray(s_node, dtype=np.int64), np.asarray(s_comm, dtype=np.int64)
    un, uk = np.asarray(u_node, dtype=np.int64), np.asarray(u_comm, dtype=np.int64)
    n_s, n_u = sn.size, un.size
    n_var = n_x + n_s + n_u
    s0, u0 = n_x, n_x + n_s

    tails = np.array([node_index[a.tail] for a in arcs], dtype=np.int64)
    heads = np.array([node_index[a.head] for a in arcs], dtype=np.int64)
    arc_cost = np.array([a.cost for a in arcs], dtype=np.float64)
    penalty = np.array([c.unmet_penalty for c in comms], dtype=np.float64)

    # objective: arc cost + handling at the head; stranded supply saves its node's handling
    c_vec = np.concatenate(
        [arc_cost[xa] + node_cost[heads[xa]], -node_cost[sn], penalty[uk] if n_u else []]
    ).astype(np.float64)
    constant = float(sum(node_cost[sn] * np.asarray(s_amount))) if n_s else 0.0

    # balance rows: one per (commodity, node)
    def row(k: npt.NDArray[np.int64], n: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return k * n_nodes + n

    xcols = np.arange(n_x)
    eq_rows = np.concatenate([row(xk, tails[xa]), row(xk, heads[xa]), row(sk, sn), row(uk, un)])
    eq_cols = np.concatenate([xcols, xcols, s0 + np.arange(n_s), u0 + np.arange(n_u)])
    eq_vals = np.concatenate([np.ones(n_x), -np.ones(n_x), np.ones(n_s), -np.ones(n_u)])
    a_eq = sparse.csr_array(
        (eq_vals, (eq_rows, eq_cols)), shape=(n_comm * n_nodes, n_var), dtype=np.float64
    )
    b_eq = np.zeros(n_comm * n_nodes)
    np.add.at(b_eq, row(sk, sn), np.asarray(s_amount, dtype=np.float64))
    np.add.at(b_eq, row(uk, un), -np.asarray(u_amount, dtype=np.float64))

    # capacity rows: finite arc capacities, then finite node capacities
    arc_cap = np.array([a.capacity for a in arcs], dtype=np.float64)
    node_cap = np.array([n.capacity for n in nodes], dtype=np.float64)
    capped_arcs = np.flatnonzero(np.isfinite(arc_cap))
    capped_nodes = np.flatnonzero(np.isfinite(node_cap))
    arc_row = np.full(n_arcs, -1, dtype=np.int64)
    arc_row[capped_arcs] = np.arange(capped_arcs.size)
    node_row = np.full(n_nodes, -1, dtype=np.int64)
    node_row[capped_nodes] = capped_arcs.size + np.arange(capped_nodes.size)
    rows_a = arc_row[xa]
    keep_a = rows_a >= 0
    rows_n = node_row[heads[xa]]
    keep_n = rows_n >= 0
    rows_s = node_row[sn]
    keep_s = rows_s >= 0
    ub_rows = np.concatenate([rows_a[keep_a], rows_n[keep_n], rows_s[keep_s]])
    ub_cols = np.concatenate([xcols[keep_a], xcols[keep_n], s0 + np.flatnonzero(keep_s)])
    ub_vals = np.concatenate([np.ones(keep_a.sum()), np.ones(keep_n.sum()), -np.ones(keep_s.sum())])
    n_ub = capped_arcs.size + capped_nodes.size
    supply_at_node = np.zeros(n_nodes)
    np.add.at(supply_at_node, sn, np.asarray(s_amount, dtype=np.float64))
    b_ub = np.concatenate(
        [arc_cap[capped_arcs], node_cap[capped_nodes] - supply_at_node[capped_nodes]]
    )

    bounds = np.zeros((n_var, 2))
    bounds[:, 1] = np.inf
    bounds[s0 : s0 + n_s, 1] = s_amount
    bounds[u0 : u0 + n_u, 1] = u_amount

    log.info(
        "min-cost flow: %d arcs, %d nodes, %d commodities -> %d variables, %d capacity rows",
        n_arcs,
        n_nodes,
        n_comm,
        n_var,
        n_ub,
    )
    if n_var == 0:
        sol = np.zeros(0)
        ineq_marg = np.zeros(n_ub)
        eq_marg = np.zeros(n_comm * n_nodes)
    else:
        a_ub = (
            sparse.csr_array((ub_vals, (ub_rows, ub_cols)), shape=(n_ub, n_var), dtype=np.float64)
            if n_ub
            else None
        )
        res = linprog(
            c_vec,
            A_ub=a_ub,
            b_ub=b_ub if n_ub else None,
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=bounds,
            method="highs",
        )
        if res.status != 0:
            msg = f"HiGHS did not find an optimum: {res.message}"
            raise FlowSolveError(msg)
        sol = np.asarray(res.x, dtype=np.float64)
        ineq_marg = np.asarray(res.ineqlin.marginals, dtype=np.float64) if n_ub else np.zeros(0)
        eq_marg = np.asarray(res.eqlin.marginals, dtype=np.float64)

    sol = np.where(np.abs(sol) < 1e-9, 0.0, sol)
    flow = np.zeros((n_arcs, n_comm))
    np.add.at(flow, (xa, xk), sol[:n_x])
    s_val = sol[s0 : s0 + n_s]
    u_val = sol[u0 : u0 + n_u]

    arc_price = np.zeros(n_arcs)
    arc_price[capped_arcs] = -ineq_marg[: capped_arcs.size]
    node_price_cap = np.zeros(n_nodes)
    node_price_cap[capped_nodes] = -ineq_marg[capped_arcs.size :]
    arc_price = np.where(np.abs(arc_price) < 1e-9, 0.0, arc_price)
    node_price_cap = np.where(np.abs(node_price_cap) < 1e-9, 0.0, node_price_cap)

    load = flow.sum(axis=1)
    throughput = np.zeros(n_nodes)
    np.add.at(throughput, heads, load)
    throughput += supply_at_node
    np.add.at(throughput, sn, -s_val)

    stranded: dict[str, dict[str, float]] = {c.id: {} for c in comms}
    for j in range(n_s):
        stranded[comms[sk[j]].id][nodes[sn[j]].id] = float(s_val[j])
    unmet: dict[str, dict[str, float]] = {c.id: {} for c in comms}
    for j in range(n_u):
        unmet[comms[uk[j]].id][nodes[un[j]].id] = float(u_val[j])

    transport = float(arc_cost @ load + node_cost @ throughput)
    penalty_cost = float(penalty[uk] @ u_val) if n_u else 0.0
    log.info(
        "min-cost flow solved: transport USD %.6g, penalties USD %.6g (objective check %.6g)",
        transport,
        penalty_cost,
        float(c_vec @ sol) + constant if n_var else 0.0,
    )
    return FlowResult(
        problem=problem,
        flow=flow,
        arc_shadow_price=arc_price,
        node_throughput=throughput,
        node_shadow_price=node_price_cap,
        node_price=-eq_marg.reshape(n_comm, n_nodes).T.copy(),
        stranded=stranded,
        unmet=unmet,
        transport_cost=transport,
        penalty_cost=penalty_cost,
    )
