"""Write a network folder that :func:`corridors.network.io.read_network` reads back."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from corridors import atomic
from corridors.network.model import Network
from corridors.network.schema import CONFIG, CORRIDOR, LINK, NODE, VESSEL, Table
from corridors.network.tables import LINE, format_value

DERIVED_LINK_COLUMNS = ("km", "passages", "coords")
"""Columns the reader adds to the link table (not written back)."""


def write_table_csv(
    frame: pd.DataFrame, table: Table | None, columns: list[str], path: Path
) -> None:
    """Write typed columns of a table as CSV text, atomically (inverse of parsing)."""
    fields = {f.name: f for f in table.fields} if table is not None else {}
    text_rows = [
        [format_value(v, fields.get(c)) for c, v in zip(columns, values, strict=True)]
        for values in frame[columns].itertuples(index=False, name=None)
    ]
    out = pd.DataFrame(text_rows, columns=columns)
    atomic.write_text(path, out.to_csv(index=False, lineterminator="\n"))


def holds_data(column: pd.Series, default: object) -> bool:
    """Whether a column holds a value other than blank or its default."""
    for value in column:
        if isinstance(value, tuple):
            if value:
                return True
        elif isinstance(value, float) and np.isnan(value):
            continue
        elif value not in ("", None, default):
            return True
    return False


def write_network(network: Network, path: str | os.PathLike[str]) -> Path:
    """Write a network folder that :func:`read_network` reads back to the same network.

    Columns keep the order they were read in; undeclared columns are kept; derived
    columns (``km``, ``passages``, ``coords``) are not written. Each file is written to a
    temporary file first and then moved into place.

    Returns
    -------
    pathlib.Path
        The folder written.
    """
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    config = pd.DataFrame([{f.name: network.config.get(f.name, f.default) for f in CONFIG.fields}])
    config["long_length"] = "km"
    config["speed"] = "kph"
    cfg_cols = [c for c in network.column_order.get("config", CONFIG.names) if c in config]
    cfg_cols += [c for c in ("long_length", "speed") if c not in cfg_cols]
    write_table_csv(config, CONFIG, cfg_cols, folder / CONFIG.filename)
    for table, frame in (
        (NODE, network.nodes),
        (LINK, network.links),
        (VESSEL, network.vessels),
        (CORRIDOR, network.corridors),
    ):
        if table.name in ("vessel", "corridor") and not len(frame):
            continue
        default = [c for c in frame.columns if c != LINE and c not in DERIVED_LINK_COLUMNS]
        cols = [c for c in network.column_order.get(table.name, tuple(default)) if c in frame]
        # declared columns absent from the file are written only when they hold data
        cols += [
            f.name
            for f in table.fields
            if f.name not in cols and f.name in frame and holds_data(frame[f.name], f.default)
        ]
        write_table_csv(frame, table, cols, folder / table.filename)
    return folder
