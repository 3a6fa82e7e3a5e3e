"""Bounds and the strict base model shared by every part of a scenario file."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

MIN_YEAR = 1990
"""First year a scenario may model."""

MAX_YEAR = 2100
"""Last year a scenario may model."""

MAX_SEED = 2**63 - 1
"""Largest seed (seeds are stored as signed 64-bit integers)."""

MAX_USD = 1e13
"""Largest capital or operating cost of a measure, USD."""

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
"""A year within the schema's range (whole: 2024.5 is refused)."""

Growth = Annotated[float, Field(gt=-1.0, le=1.0)]
"""A growth rate a year, above -100 % and at most +100 %."""


def once(ids: list[str], what: str) -> None:
    """Raise when an id appears twice in a list."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what} {i!r} is used twice")
        seen.add(i)


class Strict(BaseModel):
    """Base of every scenario model: unknown fields are errors; models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
