"""The capacities a simulation gives its elements, for the route choice to respect.

:func:`element_capacities` turns the stations of a simulation model with finite servers
(single-track sections per direction, gauge-change tracks, lanes, cranes) into
capacities in tonnes a year; :func:`with_element_groups` makes each a capacity group of
the expanded graph, so the equilibrium of :mod:`corridors.studies.simulation_routes`
does not send more trains to a crossing than it can serve.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from corridors.routing.graph import ExpandedGraph
from corridors.simulation.model import HOURS_PER_YEAR, SimulationModel
from corridors.simulation.station_load import station_loads

__all__ = ["ElementCapacity", "element_capacities", "with_element_groups"]


@dataclass(frozen=True, slots=True)
class ElementCapacity:
    """A simulated element the route choice must keep within capacity.

    Attributes
    ----------
    element_id : str
        Station id of the simulation (``section:<link>:<from>``, ``gauge:<node>`` ...).
    tonnes_per_year : float
        Capacity, tonnes a year: shipments a year it can serve x the mean tonnes of
        the shipments offered to it.
    link_id, from_node : str or None
        The link and direction of a single-track section.
    node_id : str or None
        The node of a node station (gauge change, lanes, port or terminal cranes).
    """

    element_id: str
    tonnes_per_year: float
    link_id: str | None = None
    from_node: str | None = None
    node_id: str | None = None


def element_capacities(
    model: SimulationModel, *, tonnes_per_shipment: float
) -> list[ElementCapacity]:
    """Capacities of the stations of ``model`` with finite servers, tonnes a year.

    A station's capacity is its servers x 24 / mean service time a day (less its
    closures), in shipments; in tonnes with the mean tonnes of the shipments the
    model sends through it (``tonnes_per_shipment`` where none pass).
    """
    out: list[ElementCapacity] = []
    for load in station_loads(model):
        st = load.station
        cap = load.capacity_per_day
        if not math.isfinite(cap):
            continue
        per = load.tonnes_per_shipment
        tonnes = cap * HOURS_PER_YEAR / 24.0 * (per if math.isfinite(per) else tonnes_per_shipment)
        if st.kind == "section" and st.link_id:
            frm = st.station_id.rsplit(":", 1)[-1]
            out.append(ElementCapacity(st.station_id, tonnes, link_id=st.link_id, from_node=frm))
        elif st.node_id:
            out.append(ElementCapacity(st.station_id, tonnes, node_id=st.node_id))
    return out


def with_element_groups(
    expanded: ExpandedGraph, elements: Sequence[ElementCapacity], target_utilisation: float
) -> tuple[ExpandedGraph, list[int]]:
    """The graph with a capacity group per element (replacing its arcs' groups)."""
    if not elements:
        return expanded, []
    net = expanded.network
    node_ids = net.nodes["node_id"].to_numpy()
    tail_node = node_ids[expanded.vertex_node[expanded.tail]]
    group = expanded.capacity_group.copy()
    caps = list(expanded.group_capacity)
    labels = list(expanded.group_label)
    walls: list[int] = []
    per_unit = expanded.params.tonnes_per_unit
    for e in elements:
        if e.link_id is not None:
            if e.link_id not in net.link_index:
                continue
            mask = (expanded.arc_link == net.link_index[e.link_id]) & (tail_node == e.from_node)
        elif e.node_id is not None and e.node_id in net.node_index:
            mask = expanded.arc_node == net.node_index[e.node_id]
        else:
            continue
        cap = e.tonnes_per_year * target_utilisation / per_unit
        if not mask.any() or not cap > 0:
            continue
        held = group[mask]
        held = held[held >= 0]
        if held.size and float(np.min(np.asarray(caps)[held])) <= cap:
            continue  # a tighter capacity of the network table already holds these arcs
        group[mask] = len(caps)
        walls.append(len(caps))
        caps.append(cap)
        labels.append(f"station:{e.element_id}")
    out = replace(
        expanded,
        capacity_group=group,
        group_capacity=np.asarray(caps, dtype=float),
        group_label=labels,
    )
    return out, walls
