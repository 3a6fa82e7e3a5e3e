"""The words the network tables use.

Modes, node kinds, statuses, sea passages, units, and GMNS uses and tables.
"""

from __future__ import annotations

MODES: tuple[str, ...] = ("rail", "road", "ferry", "sea", "pipeline")
"""Transport modes a link can carry."""

NODE_KINDS: tuple[str, ...] = (
    "terminal",
    "port",
    "border",
    "junction",
    "city",
    "oilfield",
    "pipeline_terminal",
)
"""Kinds of node."""

STATUSES: tuple[str, ...] = ("operating", "planned", "closed")
"""Life-cycle status of a node or link."""

SEA_PASSAGES: tuple[str, ...] = (
    "babalmandab",
    "bosporus",
    "gibraltar",
    "suez",
    "panama",
    "ormuz",
    "northwest",
    "malacca",
    "sunda",
    "chili",
    "south_africa",
)
"""Sea passages known to the ``searoute`` maritime network, each closable."""

UNITS: tuple[str, ...] = ("TEU", "t")
"""Freight units: twenty-foot equivalent units and metric tonnes."""

LENGTH_UNITS: dict[str, float] = {
    "km": 1.0,
    "kilometer": 1.0,
    "kilometre": 1.0,
    "kilometers": 1.0,
    "kilometres": 1.0,
    "m": 0.001,
    "meter": 0.001,
    "metre": 0.001,
    "meters": 0.001,
    "metres": 0.001,
    "mi": 1.609344,
    "mile": 1.609344,
    "miles": 1.609344,
    "ft": 0.0003048,
    "foot": 0.0003048,
    "feet": 0.0003048,
}
"""Length units accepted in ``config.csv`` and their size in km (GMNS writes ``mile``,
``foot``, ``meter``; corridors works in km and converts on reading)."""

SPEED_UNITS: dict[str, float] = {
    "kph": 1.0,
    "km/h": 1.0,
    "kmh": 1.0,
    "mph": 1.609344,
    "mi/h": 1.609344,
    "m/s": 3.6,
}
"""Speed units accepted in ``config.csv`` and their size in km/h."""

USE_MODES: dict[str, str] = {
    "rail": "rail",
    "train": "rail",
    "freight_rail": "rail",
    "road": "road",
    "truck": "road",
    "auto": "road",
    "car": "road",
    "bus": "road",
    "hov": "road",
    "hov2": "road",
    "hov3": "road",
    "taxi": "road",
    "all": "road",
    "ferry": "ferry",
    "sea": "sea",
    "ship": "sea",
    "vessel": "sea",
    "pipeline": "pipeline",
}
"""GMNS uses (``allowed_uses``, ``use_definition.csv``) that carry freight, and the mode
corridors gives a link that allows them; the first mode of :data:`MODES` found wins."""

NON_FREIGHT_USES: tuple[str, ...] = (
    "walk",
    "ped",
    "pedestrian",
    "bike",
    "bicycle",
    "scooter",
    "wheelchair",
    "parking",
    "shoulder",
    "twltl",
)
"""GMNS uses that carry no freight: links allowing only these are left out on reading
(and listed in the reading notes)."""

GMNS_TABLES: tuple[str, ...] = (
    "node",
    "link",
    "geometry",
    "zone",
    "config",
    "segment",
    "location",
    "lane",
    "segment_lane",
    "link_tod",
    "segment_tod",
    "lane_tod",
    "segment_lane_tod",
    "movement",
    "movement_tod",
    "signal_controller",
    "signal_coordination",
    "signal_detector",
    "signal_phase_mvmt",
    "signal_timing_plan",
    "signal_timing_phase",
    "time_set_definitions",
    "use_definition",
    "use_group",
    "curb_seg",
)
