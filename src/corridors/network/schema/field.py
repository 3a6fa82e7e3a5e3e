"""The declaration of a table and of its columns, as data.

A :class:`Field` says a column's name, type, unit, default, whether it is required,
its bounds, allowed values and a description; a :class:`Table` is a file name and its
fields. :data:`SOURCE` is the ``source`` column every network table shares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from corridors.network.schema.vocabulary import STATUSES

FieldType = Literal["id", "str", "int", "float", "bool", "enum", "tags", "country"]


@dataclass(frozen=True, slots=True)
class Field:
    """Declaration of one column of a table.

    Attributes
    ----------
    name : str
        Column name in the CSV file.
    type : FieldType
        ``id`` (string or integer identifier), ``str``, ``int``, ``float``, ``bool``,
        ``enum`` (one of ``choices``), ``tags`` (``;``-separated words) or
        ``country`` (ISO 3166-1 alpha-2 code).
    unit : str
        Physical unit, ``""`` when dimensionless.
    description : str
        One sentence for the data dictionary.
    required : bool
        The column must exist and every row must have a value.
    default : object
        Value used when the cell is blank (``None``: missing stays missing).
    minimum, maximum : float or None
        Inclusive bounds for numbers.
    exclusive_minimum : bool
        When true the value must be strictly greater than ``minimum``.
    choices : tuple of str
        Allowed values of an ``enum`` (or of each word of ``tags``).
    gmns : bool
        Standard GMNS field (as opposed to a corridors extension).
    aliases : tuple of str
        Other column names accepted on reading (e.g. GMNS's ``allowed_uses``).
    """

    name: str
    type: FieldType
    unit: str = ""
    description: str = ""
    required: bool = False
    default: object = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    choices: tuple[str, ...] = ()
    gmns: bool = False
    aliases: tuple[str, ...] = ()

    def check(self, number: float) -> str | None:
        """What is wrong with a number for this field, or ``None`` when it is fine.

        Numbers must be finite, whole for ``int`` fields, and within the declared
        bounds. Every number entering the model (tables, scenario changes, new links)
        is checked here.
        """
        if not math.isfinite(number):
            return "expected a finite number"
        if self.type == "int" and not float(number).is_integer():
            return "expected a whole number"
        unit = f" {self.unit}" if self.unit else ""
        if self.minimum is not None:
            if self.exclusive_minimum and number <= self.minimum:
                return f"must be greater than {self.minimum:g}{unit}"
            if number < self.minimum:
                return f"must be at least {self.minimum:g}{unit}"
        if self.maximum is not None and number > self.maximum:
            return f"must be at most {self.maximum:g}{unit}"
        return None


@dataclass(frozen=True, slots=True)
class Table:
    """Declaration of a table: its file name and its fields."""

    name: str
    filename: str
    fields: tuple[Field, ...]
    description: str
    required: bool = True
    key: str | None = None
    other_gmns_fields: tuple[str, ...] = ()
    """Standard GMNS columns corridors does not use: kept as text, never taken for a
    misspelling of a declared column."""

    def field(self, name: str) -> Field:
        """Return the declaration of column ``name`` (``KeyError`` if unknown)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the declared columns, in declaration order."""
        return tuple(f.name for f in self.fields)


SOURCE = Field(
    "source",
    "str",
    description="Where the row's values come from (publication, operator, date); optional "
    "in a network folder (the shipped dataset sources every row, a test checks it).",
)


def lifecycle_fields(rows: str) -> tuple[Field, Field]:
    """The ``status`` and ``open_year`` columns of a table of ``rows`` (``nodes``, ``links``).

    Both places and links are operating, planned (opening in a year) or closed.
    """
    return (
        Field(
            "status",
            "enum",
            choices=STATUSES,
            default="operating",
            description="Operating, planned (opens in open_year) or closed.",
        ),
        Field(
            "open_year",
            "int",
            minimum=1800,
            maximum=2200,
            description=f"First year of operation; required for planned {rows}.",
        ),
    )
