"""What a link or a node costs on its own: moving time, scheduled wait, border clearance.

The expanded graph (:func:`corridors.routing.graph.build_graph`) puts these on its arcs;
a route's description (:attr:`corridors.routing.graph.ExpandedGraph.tables`) reads the
same clearance, so a border costs the same in a search and in the route it finds.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]

HOURS_PER_WEEK = 168.0


def border_clearance(
    nodes: pd.DataFrame, per_unit: str
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Inbound and outbound clearance of each node: hours and USD per unit.

    Parameters
    ----------
    nodes : pandas.DataFrame
        Node table.
    per_unit : {"teu", "t"}
        Which money columns to use.

    Returns
    -------
    tuple of numpy.ndarray
        Inbound hours, inbound USD, outbound hours, outbound USD; blank outbound
        values take the inbound ones.
    """
    entry_h = nodes["border_h"].to_numpy(dtype=float)
    entry_usd = nodes[f"border_usd_{per_unit}"].to_numpy(dtype=float)
    exit_h = nodes["border_exit_h"].to_numpy(dtype=float)
    exit_usd = nodes[f"border_exit_usd_{per_unit}"].to_numpy(dtype=float)
    exit_h = np.where(np.isnan(exit_h), entry_h, exit_h)
    exit_usd = np.where(np.isnan(exit_usd), entry_usd, exit_usd)
    return entry_h, entry_usd, exit_h, exit_usd


def link_times(links: pd.DataFrame) -> tuple[FloatArray, FloatArray]:
    """Moving time and expected scheduled wait of each link, hours.

    Moving time is ``time_h`` where given, else ``km / free_speed``. The expected wait
    for a scheduled service is half its headway (``headway_h``, or one week divided by
    ``sailings_per_week``), assuming cargo arrives at random.
    """
    km = links["km"].to_numpy(dtype=float)
    fixed = links["time_h"].to_numpy(dtype=float)
    speed = links["free_speed"].to_numpy(dtype=float)
    travel = np.where(np.isnan(fixed), km / speed, fixed)
    headway = links["headway_h"].to_numpy(dtype=float)
    sailings = links["sailings_per_week"].to_numpy(dtype=float)
    headway = np.where(np.isnan(headway), HOURS_PER_WEEK / sailings, headway)
    wait = np.where(np.isnan(headway), 0.0, headway / 2.0)
    return travel, wait
