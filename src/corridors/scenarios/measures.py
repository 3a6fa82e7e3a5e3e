"""Measures on the network: attribute changes and new links of the measures in force.

A measure (from the catalogue or the scenario's ``new_measures``) changes node and link
attributes (``set``, ``scale``, ``add``) and may add links; :func:`resolve_measures`
finds the measures a scenario names. No I/O: the caller reads the catalogue.
"""

from __future__ import annotations

import logging
import math
import typing
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from corridors.errors import Problem, ScenarioError, did_you_mean
from corridors.network.geo import great_circle_km
from corridors.network.model import Network
from corridors.scenarios.spec import Change, Measure, MeasureCatalogue, NewLink, Scenario

logger = logging.getLogger(__name__)


def resolve_measures(
    scenario: Scenario, catalogue: MeasureCatalogue | None, *, ids: Sequence[str] | None = None
) -> list[Measure]:
    """Measures in force in the scenario (or those named in ``ids``), in order.

    Raises
    ------
    ScenarioError
        If an id is neither in the catalogue nor in the scenario's ``new_measures``.
    """
    pool: dict[str, Measure] = {}
    if catalogue is not None:
        pool.update({m.id: m for m in catalogue.measures})
    pool.update({m.id: m for m in scenario.new_measures})
    wanted = list(scenario.measures if ids is None else ids)
    problems = [
        Problem(scenario.name, None, "measures", mid, "unknown measure", did_you_mean(mid, pool))
        for mid in wanted
        if mid not in pool
    ]
    if problems:
        raise ScenarioError(problems, what=f"scenario {scenario.name!r}")
    return [pool[mid] for mid in wanted]


def _select(frame: pd.DataFrame, change: Change, network: Network) -> np.ndarray:
    n = len(frame)
    mask = np.ones(n, dtype=bool)
    if change.target == "node":
        ids = [network.place(x) for x in ([change.node] if change.node else []) + change.nodes]
        if change.node is not None or change.nodes:
            mask &= frame["node_id"].isin(ids).to_numpy()
        if change.country is not None:
            mask &= (frame["country"] == change.country).to_numpy()
        if change.kind is not None:
            mask &= (frame["kind"] == change.kind).to_numpy()
        return mask
    ids = ([change.link] if change.link else []) + change.links
    if ids:
        mask &= frame["link_id"].isin(ids).to_numpy()
    if change.mode is not None:
        mask &= (frame["mode"] == change.mode).to_numpy()
    if change.corridor is not None:
        mask &= np.array([change.corridor in tags for tags in frame["corridors"]], dtype=bool)
    if change.country is not None:
        country = dict(zip(network.nodes["node_id"], network.nodes["country"], strict=True))
        touch = [
            country.get(a) == change.country or country.get(b) == change.country
            for a, b in zip(frame["from_node_id"], frame["to_node_id"], strict=True)
        ]
        mask &= np.array(touch, dtype=bool)
    return mask


def apply_changes(network: Network, changes: Iterable[Change]) -> Network:
    """The network with attribute changes applied (a copy; ``network`` is unchanged).

    ``set`` writes values, ``scale`` multiplies and ``add`` adds; blank values (a
    capacity that does not bind) stay blank under ``scale`` and ``add``.
    """
    nodes = network.nodes.copy()
    links = network.links.copy()
    for change in changes:
        frame = nodes if change.target == "node" else links
        mask = _select(frame, change, network)
        if not mask.any():
            logger.info("change %s selects nothing", change)
            continue
        for col, value in change.set.items():
            frame.loc[mask, col] = float(value)
        for col, value in change.scale.items():
            frame.loc[mask, col] = frame.loc[mask, col].astype(float) * float(value)
        for col, value in change.add.items():
            frame.loc[mask, col] = frame.loc[mask, col].astype(float) + float(value)
    return network.with_tables(nodes=nodes, links=links)


def _optional_number(annotation: object) -> bool:
    """The annotation is ``float | None`` or ``int | None``."""
    args = typing.get_args(annotation)
    return type(None) in args and any(a in (int, float) for a in args)


_BLANK_NUMBERS: tuple[str, ...] = tuple(
    name for name, info in NewLink.model_fields.items() if _optional_number(info.annotation)
)
"""The optional numeric fields of :class:`NewLink`: left blank, they are NaN in the links."""


def add_links(network: Network, new_links: Sequence[NewLink]) -> Network:
    """The network with new (land or ferry) links added.

    A link without ``length`` is as long as the great circle between its ends times
    1.2 (detour factor of land routes).
    """
    if not new_links:
        return network
    nodes = network.nodes
    xy = {
        nid: (float(x), float(y))
        for nid, x, y in zip(nodes["node_id"], nodes["x_coord"], nodes["y_coord"], strict=True)
    }
    rows = []
    for nl in new_links:
        a, b = network.place(nl.from_node_id), network.place(nl.to_node_id)
        data = nl.model_dump()
        data.update(
            from_node_id=a,
            to_node_id=b,
            corridors=tuple(nl.corridors),
            directed=False,
            sea_avoid=(),
            status="operating",
            open_year=math.nan,
            geometry="",
        )
        for key in _BLANK_NUMBERS:
            if data[key] is None:
                data[key] = math.nan
        km = (
            data["length"]
            if not math.isnan(data["length"])
            else 1.2 * great_circle_km(xy[a][0], xy[a][1], xy[b][0], xy[b][1])
        )
        data.update(km=km, passages=(), coords=[xy[a], xy[b]])
        rows.append(data)
    extra = pd.DataFrame(rows)
    links = network.links
    for col in links.columns:
        if col not in extra.columns:
            extra[col] = links[col].iloc[:0].reindex(range(len(extra))).to_numpy()
    merged = pd.concat([links, extra[list(links.columns)]], ignore_index=True)
    return network.with_tables(links=merged)
