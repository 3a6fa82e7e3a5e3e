"""Reader and writer for TNTP network folders (Transportation Networks for Research).

A TNTP folder holds ``<name>_net.tntp`` (links), ``<name>_trips.tntp`` (O-D demand) and
optionally ``<name>_flow.tntp`` (best-known link flows). The format: metadata lines
``<KEY> value`` up to ``<END OF METADATA>``, comments starting with ``~``, link rows
of tab-separated fields ending with ``;``, demand blocks ``Origin o`` followed by
``d : volume;`` pairs.

The link cost is TNTP's generalised cost::

    cost = fft * (1 + b * (flow / capacity) ** power)
           + toll_factor * toll + distance_factor * length

The toll and distance terms are fixed: they are not scaled by the BPR term. The
factors come from explicit arguments, else from the ``<TOLL FACTOR>`` and
``<DISTANCE FACTOR>`` metadata, else from the "Generalized Cost Weights" section of the
folder's README.md (e.g. Chicago-Sketch: 0.02 min/cent and 0.04 min/mile), else 0.

Zones numbered below ``<FIRST THRU NODE>`` may not be passed through: each such zone
gets a separate source vertex that carries its outgoing links, while its own vertex
keeps only the incoming links and so ends every path that enters it.

This package is the data edge of the format: it reads and writes the files and gives
a :class:`TntpNetwork` (links as a table, demand as an array); the assignment engine
builds its graph from that object (:func:`corridors.assignment.tntp.tntp_graph`) and
reads no file.

Modules: :mod:`~corridors.tntp.folder` (:func:`read_tntp`),
:mod:`~corridors.tntp.links`, :mod:`~corridors.tntp.trips` and
:mod:`~corridors.tntp.flows` (one file kind each),
:mod:`~corridors.tntp.metadata` (what the files share) and
:mod:`~corridors.tntp.network` (:class:`TntpNetwork`).
"""

from __future__ import annotations

from corridors.tntp.flows import format_flow, read_flow
from corridors.tntp.folder import read_best_flow, read_tntp
from corridors.tntp.links import LINK_FIELDS, read_net
from corridors.tntp.network import TntpNetwork
from corridors.tntp.trips import MAX_ZONES, read_trips

__all__ = [
    "LINK_FIELDS",
    "MAX_ZONES",
    "TntpNetwork",
    "format_flow",
    "read_best_flow",
    "read_flow",
    "read_net",
    "read_tntp",
    "read_trips",
]
