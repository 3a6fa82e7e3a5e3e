"""Relief logistics: how many tonnes a day reach a disaster area within a window.

``corridors relief --to Kahramanmaras --from OTS --within 72h --close iskenderun_port``:
from the depots of the Organization of Turkic States' members (and observers, where
their routes allow), over the relief network (``relief_node.csv``, ``relief_link.csv``),
the time-expanded maximum flow of :mod:`corridors.flows.timeexpanded` gives the tonnes
that arrive within the window, by route and by mode; its shadow prices say what binds
(tonnes gained per extra tonne a day of capacity); re-running with each closed element
open says what a reopening would add.

The relief network with its closures is built by :mod:`corridors.studies.relief_network`
and the answer read by :mod:`corridors.studies.relief_result`; this module parses the
window and runs the study.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corridors.datasets import eurasia_path
from corridors.flows import solve
from corridors.flows.timeexpanded import COMMODITY, expand
from corridors.network.closures import closed_elements, resolve_closure_names
from corridors.relief.io import read_relief_tables
from corridors.studies.relief_network import (
    ReliefNetwork,
    choose_depots,
    fastest_routes,
    find_place,
    relief_network,
)
from corridors.studies.relief_result import ReliefStudy, element_loads, routes_taken

MAX_WINDOW_H = 24.0 * 14


class WindowError(ValueError):
    """A time window that cannot be read (``72h``, ``3d``)."""


def parse_window(text: str) -> float:
    """Hours in a window written ``72h``, ``3d`` or ``72`` (hours).

    Raises
    ------
    WindowError
        Not a positive number of hours or days, or longer than two weeks.
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*([hd]?)\s*", text.lower())
    if m is None:
        msg = f"cannot read window {text!r}; write hours or days, e.g. 72h or 3d"
        raise WindowError(msg)
    hours = float(m.group(1)) * (24.0 if m.group(2) == "d" else 1.0)
    if not 0 < hours <= MAX_WINDOW_H:
        msg = f"window {text!r} must be more than 0 and at most {MAX_WINDOW_H:g} h"
        raise WindowError(msg)
    return hours


def _solve(net: ReliefNetwork, *, destination: str, window_h: float, step_h: float) -> Any:
    te = expand(
        places=net.places,
        links=net.links,
        handling_rate=net.handling,
        release_rate=net.release,
        destination=destination,
        window_h=window_h,
        step_h=step_h,
    )
    return te, solve(te.problem)


def relief(
    *,
    to: str,
    origins: str = "OTS",
    within: str = "72h",
    close: Sequence[str] = (),
    step_h: float = 1.0,
    folder: str | Path | None = None,
    reopen: bool = True,
) -> ReliefStudy:
    """Tonnes a day that reach a disaster area from the depots within a window.

    Parameters
    ----------
    to : str
        The disaster area (place name, alias or id), e.g. ``Kahramanmaras``.
    origins : str
        ``OTS`` (members and observers), ``members``, or depots separated by commas.
    within : str
        The window, ``72h`` or ``3d``.
    close : sequence of str
        What is closed, as ``--close`` takes it (:func:`corridors.network.closures.
        resolve_closure_names`): places (ports, airports, cities; id, name or alias),
        links, countries (ISO code: every node of the country) and borders (``TR-SY``:
        every road and rail link between the two).
    step_h : float
        Time step of the time-expanded network, hours.
    folder : str or Path, optional
        Dataset folder with the relief tables; default the shipped one.
    reopen : bool
        Also measure what reopening each closed element would add.

    Returns
    -------
    ReliefStudy

    Raises
    ------
    UnknownPlaceError
        ``to`` or a depot is not in the relief network.
    UnknownClosureError
        An element to close is not in the relief network (every one, with suggestions).
    WindowError
        The window cannot be read.
    """
    tables = read_relief_tables(eurasia_path() if folder is None else folder)
    destination = find_place(tables, to)
    window_h = parse_window(within)
    depots = choose_depots(tables, origins)
    closures = resolve_closure_names(
        close,
        nodes=tables.nodes,
        links=tables.links,
        place=lambda text: find_place(tables, text),
        passages=False,
    )
    closed_nodes, closed_links = closed_elements(closures, nodes=tables.nodes, links=tables.links)
    closed = closed_nodes | closed_links
    data_closed = {
        str(r["node_id"]) for r in tables.nodes.to_dict("records") if r["status"] == "closed"
    }
    data_closed |= {
        str(r["link_id"]) for r in tables.links.to_dict("records") if r["status"] == "closed"
    }
    net = relief_network(tables, depots=depots, closed=closed)
    te, result = _solve(net, destination=destination, window_h=window_h, step_h=step_h)
    tonnes = result.delivered(COMMODITY)
    days = window_h / 24.0

    routes = routes_taken(te, result, net, days=days)
    links, nodes, binding = element_loads(te, result, net, tables, window_h=window_h, step_h=step_h)
    reopening: list[dict[str, Any]] = []
    if reopen:
        for element in sorted(closed):
            again = relief_network(tables, depots=depots, closed=closed - {element})
            _, res2 = _solve(again, destination=destination, window_h=window_h, step_h=step_h)
            gain = res2.delivered(COMMODITY) - tonnes
            reopening.append(
                {"id": element, "adds_tonnes": gain, "adds_tonnes_per_day": gain / days}
            )
    coords = {
        str(r["node_id"]): (float(r["x_coord"]), float(r["y_coord"]))
        for r in tables.nodes.to_dict("records")
    }
    return ReliefStudy(
        destination=destination,
        window_h=window_h,
        step_h=step_h,
        depots=depots,
        closed=tuple(sorted(closed | data_closed)),
        tonnes=tonnes,
        routes=routes,
        fastest=fastest_routes(net, depots=depots, destination=destination, window_h=window_h),
        binding=binding,
        reopening=reopening,
        links=links,
        nodes=nodes,
        coords=coords,
    )


__all__ = ["ReliefStudy", "WindowError", "find_place", "parse_window", "relief"]
