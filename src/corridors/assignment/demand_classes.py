"""Demand classes of a corridor assignment: O-D rows grouped by commodity and value of time.

The demand table's places are resolved to zones (node ids, names or aliases, with a
"did you mean" hint), volumes converted to the network's unit (tonnes and TEU with
``tonnes_per_teu``) and values of time to USD per network unit-hour; every bad row is
reported together with its line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridors.errors import DemandError, Problem, UnknownPlaceError
from corridors.network.model import Network

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class DemandTable:
    """Demand resolved to zones, in the network's unit, grouped into classes."""

    zones: tuple[str, ...]
    names: tuple[str, ...]
    vot: tuple[float, ...]  # USD per network unit-hour
    matrices: tuple[FloatArray, ...]
    commodities: tuple[str, ...] = ()


def _class_name(commodity: str, vot: float, *, unique: bool) -> str:
    """``containers`` when the commodity has one value of time, else ``containers@16.7``."""
    return commodity if unique else f"{commodity}@{vot:.4g}"


def demand_classes(
    net: Network, demand: pd.DataFrame, *, unit: str, tonnes_per_teu: float, default_vot: float
) -> DemandTable:
    """Resolve places, convert volumes and values of time to ``unit``, group classes.

    Every problem (unknown place, bad volume, unit or value of time) is collected
    before raising.
    """
    fname = str(demand.attrs.get("file", "demand.csv"))
    problems: list[Problem] = []
    n = len(demand)
    lines = demand["_line"].to_list() if "_line" in demand.columns else list(range(2, n + 2))
    ids: dict[str, list[str]] = {"origin": [], "destination": []}
    for column in ("origin", "destination"):
        if column not in demand.columns:
            problems.append(Problem(fname, None, column, None, "required column is missing"))
            continue
        for raw, line in zip(demand[column].astype(str), lines, strict=True):
            try:
                ids[column].append(net.place(raw))
            except UnknownPlaceError as exc:
                hint = exc.hint
                problems.append(Problem(fname, int(line), column, raw, "unknown place", hint))
                ids[column].append("")
    volume = pd.to_numeric(
        demand["volume"] if "volume" in demand.columns else pd.Series([np.nan] * n), errors="coerce"
    )
    units = demand["unit"] if "unit" in demand.columns else pd.Series(["TEU"] * n)
    commodities = (
        demand["commodity"].fillna("containers").astype(str).replace("", "containers")
        if "commodity" in demand.columns
        else pd.Series(["containers"] * n)
    )
    raw_vot = (
        demand["value_of_time_usd_h"]
        if "value_of_time_usd_h" in demand.columns
        else pd.Series([None] * n)
    )
    tonnes = {"TEU": tonnes_per_teu, "t": 1.0}
    factor = np.ones(n)
    vots = np.full(n, default_vot)
    for i, (u, v, rv, line) in enumerate(zip(units, volume, raw_vot, lines, strict=True)):
        if not np.isfinite(v) or v < 0:
            problems.append(
                Problem(fname, int(line), "volume", str(v), "must be a non-negative number")
            )
        if u not in tonnes:
            problems.append(Problem(fname, int(line), "unit", str(u), "must be TEU or t"))
            continue
        factor[i] = tonnes[u] / tonnes[unit]  # units of `unit` per row unit
        if (
            rv is None
            or (isinstance(rv, str) and not rv.strip())
            or (isinstance(rv, float) and np.isnan(rv))
        ):
            continue
        try:
            value = float(rv)
        except (TypeError, ValueError):
            problems.append(
                Problem(fname, int(line), "value_of_time_usd_h", str(rv), "not a number")
            )
            continue
        if not np.isfinite(value) or value <= 0.0:
            problems.append(
                Problem(
                    fname,
                    int(line),
                    "value_of_time_usd_h",
                    str(rv),
                    "must be a positive number (USD per unit-hour)",
                    "leave it blank to use the default value of time",
                )
            )
            continue
        vots[i] = value / factor[i]  # USD per row-unit-hour -> per `unit`-hour
    if problems:
        raise DemandError(problems, what=fname)
    zones = tuple(sorted(set(ids["origin"]) | set(ids["destination"])))
    index = {z: i for i, z in enumerate(zones)}
    o = np.array([index[z] for z in ids["origin"]], dtype=np.int64)
    d = np.array([index[z] for z in ids["destination"]], dtype=np.int64)
    flows = volume.to_numpy(dtype=float) * factor
    keys: dict[tuple[str, float], list[int]] = {}
    for i, (c, vt) in enumerate(zip(commodities, vots, strict=True)):
        keys.setdefault((str(c), float(np.round(vt, 12))), []).append(i)
    per_commodity: dict[str, int] = {}
    for c, _ in keys:
        per_commodity[c] = per_commodity.get(c, 0) + 1
    names: list[str] = []
    vot_list: list[float] = []
    matrices: list[FloatArray] = []
    kinds: list[str] = []
    for (c, vt), rows in sorted(keys.items()):
        kinds.append(c)
        r = np.asarray(rows, dtype=np.int64)
        matrix = np.zeros((len(zones), len(zones)))
        np.add.at(matrix, (o[r], d[r]), flows[r])
        np.fill_diagonal(matrix, 0.0)
        names.append(_class_name(c, vt, unique=per_commodity[c] == 1))
        vot_list.append(float(vots[r[0]]))
        matrices.append(matrix)
    return DemandTable(zones, tuple(names), tuple(vot_list), tuple(matrices), tuple(kinds))
