"""The fields of every network table, declared once, as data.

Each table of a network folder (GMNS v0.96 style) is described here by a tuple of
:class:`Field` rows: name, type, unit, default, whether it is required, bounds,
allowed values and a description. The reader, the validators and the generated
documentation (``docs/data-dictionary.md``) all derive from these declarations, so a
new column is added in one place.

Fields marked ``gmns=True`` are standard GMNS fields; the others are corridors'
extra columns, which GMNS allows and which survive a read-write round trip.

A module per part: :mod:`~corridors.network.schema.field` the declaration machinery
(:class:`Field`, :class:`Table`), :mod:`~corridors.network.schema.vocabulary` the
words the tables use (modes, node kinds, sea passages, units, GMNS uses),
:mod:`~corridors.network.schema.bounds` the shared upper bounds, and one module per
table (``config``, ``node``, ``link``, ``vessel``, ``corridor``, ``gmns_extra``,
``demand``). Every name is importable from here.
"""

from __future__ import annotations

from corridors.network.schema.bounds import (
    HOURS_PER_YEAR,
    MAX_T_YR,
    MAX_TEU_YR,
    MAX_USD_T,
    MAX_USD_TEU,
)
from corridors.network.schema.config import CONFIG
from corridors.network.schema.corridor import CORRIDOR
from corridors.network.schema.demand import COMMODITIES, DEMAND, DEMAND_SOURCE
from corridors.network.schema.field import SOURCE, Field, FieldType, Table
from corridors.network.schema.gmns_extra import (
    GEOMETRY,
    GMNS_EXTRA_TABLES,
    USE_DEFINITION,
    USE_GROUP,
)
from corridors.network.schema.link import LINK
from corridors.network.schema.node import NODE
from corridors.network.schema.vessel import VESSEL
from corridors.network.schema.vocabulary import (
    GMNS_TABLES,
    LENGTH_UNITS,
    MODES,
    NODE_KINDS,
    NON_FREIGHT_USES,
    SEA_PASSAGES,
    SPEED_UNITS,
    STATUSES,
    UNITS,
    USE_MODES,
)

NETWORK_TABLES: tuple[Table, ...] = (CONFIG, NODE, LINK, VESSEL, CORRIDOR)
"""Tables of a network folder in reading order (config first)."""

__all__ = [
    "COMMODITIES",
    "CONFIG",
    "CORRIDOR",
    "DEMAND",
    "DEMAND_SOURCE",
    "GEOMETRY",
    "GMNS_EXTRA_TABLES",
    "GMNS_TABLES",
    "HOURS_PER_YEAR",
    "LENGTH_UNITS",
    "LINK",
    "MAX_TEU_YR",
    "MAX_T_YR",
    "MAX_USD_T",
    "MAX_USD_TEU",
    "MODES",
    "NETWORK_TABLES",
    "NODE",
    "NODE_KINDS",
    "NON_FREIGHT_USES",
    "SEA_PASSAGES",
    "SOURCE",
    "SPEED_UNITS",
    "STATUSES",
    "UNITS",
    "USE_DEFINITION",
    "USE_GROUP",
    "USE_MODES",
    "VESSEL",
    "Field",
    "FieldType",
    "Table",
]
