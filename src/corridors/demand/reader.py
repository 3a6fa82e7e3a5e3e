"""The one reader of origin-destination demand tables (``demand.csv``).

A demand table is parsed on the same machinery as the network tables
(:func:`corridors.network.tables.read_table`) against its declaration,
:data:`corridors.network.schema.DEMAND`: a column is added there, once, and the
reader, the bounds and the data dictionary follow. Every fault of the file (missing,
empty, header only, binary, not UTF-8, badly quoted) and of its rows (bad number,
value out of bounds, unknown choice, origin equal to destination) is collected and
raised together as one :class:`~corridors.errors.DemandError` naming file, line and
field.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd

from corridors.errors import DemandError, Problem
from corridors.network.schema import DEMAND
from corridors.network.tables import LINE, read_table

__all__ = ["read_demand"]

log = logging.getLogger(__name__)


def _same_place(frame: pd.DataFrame, name: str) -> list[Problem]:
    """Rows whose origin and destination are written the same."""
    problems: list[Problem] = []
    same = frame["origin"].str.casefold() == frame["destination"].str.casefold()
    for line, origin in zip(frame.loc[same, LINE], frame.loc[same, "origin"], strict=True):
        if origin:
            problems.append(
                Problem(
                    name,
                    int(line),
                    "destination",
                    origin,
                    "origin and destination are the same place",
                    "freight that does not move is not demand; remove the row",
                )
            )
    return problems


def read_demand(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and check an origin-destination demand table (DEMAND schema).

    Parameters
    ----------
    path : path-like
        CSV file with the columns of :data:`corridors.network.schema.DEMAND`
        (origin, destination, commodity, volume a year, unit, year, market, value of
        time in USD per unit-hour, source).

    Returns
    -------
    pandas.DataFrame
        The declared columns with defaults filled in (numbers as float, NaN where
        blank and without default), then ``_line``, the line of each row in the file
        (the header is line 1). ``attrs["file"]`` holds the file name.

    Raises
    ------
    DemandError
        Listing every problem of the file and its rows (file, line, field, value).
    """
    file = Path(path)
    problems: list[Problem] = []
    parsed = read_table(file, DEMAND, problems=problems)
    if parsed is not None and not problems:
        if parsed.frame.empty:
            problems.append(Problem(str(file), None, None, None, "no demand rows under the header"))
        else:
            problems.extend(_same_place(parsed.frame, str(file)))
    if problems:
        raise DemandError(problems, what=file.name)
    assert parsed is not None
    frame = parsed.frame.loc[:, [*DEMAND.names, LINE]].copy()
    frame.attrs["file"] = file.name
    log.info("read %d demand rows from %s", len(frame), file)
    return frame
