"""Assignment studies: an O-D table assigned at equilibrium on a network.

``corridors assign`` runs one of these: a TNTP test network (its own trips table, user
equilibrium by bi-conjugate Frank-Wolfe) or a corridor network with a demand table in
native units. On a corridor network the demand goes through the one model of
``corridors run`` (:func:`assign_corridor_equilibrium`, in
:mod:`corridors.studies.corridor_equilibrium`): the same year solver, with the
behaviour, capacity limits and disruptions of a scenario. The road-style link model
(:func:`assign_corridor_demand`, multi-class Frank-Wolfe with BPR delays) is kept only
behind ``corridors assign --link-model``. The study reads the inputs, runs the engine
and returns its result; the command line prints and writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from corridors.assignment.corridor import CorridorAssignment, assign_corridors
from corridors.assignment.equilibrium import Algorithm, assign_equilibrium
from corridors.assignment.results import AssignmentResult
from corridors.assignment.tntp import tntp_graph
from corridors.cost.parameters import CostParameters
from corridors.demand import read_demand
from corridors.network.model import Network
from corridors.tntp import read_tntp

Callback = Callable[[int, float], None]
"""``(iteration, relative gap)`` after each equilibrium iteration."""


@dataclass(frozen=True)
class TntpAssignment:
    """A TNTP network at user equilibrium.

    Attributes
    ----------
    name : str
        The network's name.
    result : AssignmentResult
        Flows, times and convergence.
    links : pandas.DataFrame
        ``init_node, term_node, volume, cost, time, volume_capacity`` per link, in the
        file's order and units.
    """

    name: str
    result: AssignmentResult
    links: pd.DataFrame


def assign_tntp(
    folder: Path,
    *,
    algorithm: Algorithm = "bfw",
    gap: float = 1e-4,
    max_iter: int = 500,
    callback: Callback | None = None,
) -> TntpAssignment:
    """Read a TNTP network folder and assign its trips at user equilibrium.

    Raises
    ------
    AssignmentInputError
        When the folder's files are missing or malformed.
    """
    net = read_tntp(folder)
    result = assign_equilibrium(
        tntp_graph(net),
        net.demand,
        algorithm=algorithm,
        gap=gap,
        max_iter=max_iter,
        callback=callback,
        keep_routes=False,
    )
    frame = net.links[["init_node", "term_node"]].copy()
    frame["volume"] = result.flow
    frame["cost"] = result.cost
    frame["time"] = result.time
    frame["volume_capacity"] = result.volume_capacity
    return TntpAssignment(net.name, result, frame)


def assign_corridor_demand(  # the road-style link model (``--link-model``)
    network: Network,
    demand: Path,
    *,
    params: CostParameters,
    algorithm: Algorithm = "bfw",
    gap: float = 1e-4,
    max_iter: int = 500,
    threshold: float = 0.8,
    callback: Callback | None = None,
) -> CorridorAssignment:
    """Read a demand table and assign it at multi-class equilibrium on a corridor network.

    Parameters
    ----------
    network : Network
        The corridor network.
    demand : Path
        Demand CSV (origin, destination, commodity, volume, unit; optional value of
        time per row).
    params : CostParameters
        Unit, value of time and year of the network.
    algorithm, gap, max_iter, threshold, callback
        As :func:`corridors.assignment.corridor.assign_corridors`.

    Returns
    -------
    CorridorAssignment

    Raises
    ------
    DemandError
        Bad rows in the demand table (every problem listed).
    """
    table = read_demand(demand)
    return assign_corridors(
        network,
        table,
        params=params,
        algorithm=algorithm,
        gap=gap,
        max_iter=max_iter,
        threshold=threshold,
        callback=callback,
    )
