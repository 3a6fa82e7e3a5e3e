"""A TNTP network and its demand in memory, as the readers give it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class TntpNetwork:
    """A TNTP network and its demand.

    Attributes
    ----------
    name : str
        Network name (file prefix).
    n_zones, n_nodes : int
        From the metadata.
    first_thru_node : int
        Lowest node number that routes may pass through.
    links : pandas.DataFrame
        One row per link with the columns of :data:`LINK_FIELDS`.
    demand : numpy.ndarray
        Trips from zone ``i+1`` (rows) to zone ``j+1`` (columns), in the file's unit.
    toll_factor : float
        Time units per toll unit (e.g. minutes per cent).
    distance_factor : float
        Time units per length unit (e.g. minutes per mile).
    metadata : dict
        The net file's metadata lines.
    """

    name: str
    n_zones: int
    n_nodes: int
    first_thru_node: int
    links: pd.DataFrame
    demand: FloatArray
    toll_factor: float = 0.0
    distance_factor: float = 0.0
    metadata: dict[str, str] = field(default_factory=dict)

    def fixed_cost(self) -> FloatArray:
        """Flow-independent cost per link: toll and distance terms (time units)."""
        return np.asarray(
            self.toll_factor * self.links["toll"].to_numpy(dtype=np.float64)
            + self.distance_factor * self.links["length"].to_numpy(dtype=np.float64),
            dtype=np.float64,
        )
