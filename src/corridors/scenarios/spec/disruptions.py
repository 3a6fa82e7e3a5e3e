"""Disruptions: links, nodes, sea passages or corridors closed or slowed for a period."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from corridors.network.schema import HOURS_PER_YEAR, SEA_PASSAGES
from corridors.scenarios.spec.common import Strict

SurchargeBasis = Literal["teu", "value"]
"""What a disruption's ``extra_usd_teu`` is charged on (:attr:`Disruption.extra_usd_basis`)."""


class Disruption(Strict):
    """A link, node, sea passage or whole corridor closed or slowed for a period.

    The period runs from ``start`` (inclusive) to ``end`` (exclusive; ``None``: to the
    end of the horizon). A disruption covering part of a year weighs that year's
    result by the share of the year it covers. ``recurring`` repeats a
    within-year period every year (e.g. a stormy winter) from ``start.year`` on.

    Attributes
    ----------
    id : str
        Identifier.
    corridors, links, nodes : list of str
        What is affected.
    passages : list of str
        Sea passages affected (``suez``, ``babalmandab``, ...).
    closed : bool
        Closed (routes re-planned around it) or only slowed.
    time_factor : float
        Multiplies the travel time of routes through it (1: unchanged).
    extra_hours : float
        Hours added to routes through it.
    extra_usd_teu : float
        USD per TEU added to routes through it (surcharges, insurance).
    extra_usd_basis : {"teu", "value"}
        What ``extra_usd_teu`` is charged on. ``teu`` (a freight-rate surcharge): every
        TEU or TEU-equivalent pays it in full. ``value`` (a risk premium: insurance,
        payment and compliance costs, which scale with what the cargo is worth): it is
        the premium of a TEU of containers at the behaviour's value of time, and a market
        pays it in proportion to its own value of time per TEU(-equivalent), the value
        of its cargo's measure (dry bulk at 2.2 USD per TEU-equivalent-hour pays
        2.2 / 16.7 = 13 % of it).
    capacity_factor : float
        Multiplies the capacity of routes through it.
    """

    id: str = Field(min_length=1)
    name: str = ""
    corridors: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    nodes: list[str] = Field(default_factory=list)
    passages: list[str] = Field(default_factory=list)
    start: dt.date
    end: dt.date | None = None
    recurring: bool = False
    closed: bool = False
    time_factor: float = Field(default=1.0, gt=0, le=100)
    extra_hours: float = Field(default=0.0, ge=0, le=HOURS_PER_YEAR)
    extra_usd_teu: float = 0.0
    extra_usd_basis: SurchargeBasis = "teu"
    capacity_factor: float = Field(default=1.0, gt=0, le=100)
    source: str = ""

    def surcharge_usd_teu(self, value_share: float = 1.0) -> float:
        """USD per TEU(-equivalent) a market pays of ``extra_usd_teu``.

        ``value_share`` is the market's value of time over the behaviour's (1: a TEU of
        containers at the behaviour's value of time); it counts only on the ``value`` basis.
        """
        return self.extra_usd_teu * (value_share if self.extra_usd_basis == "value" else 1.0)

    @field_validator("passages")
    @classmethod
    def _known_passages(cls, passages: list[str]) -> list[str]:
        for p in passages:
            if p not in SEA_PASSAGES:
                raise ValueError(f"unknown sea passage {p!r}; known: {', '.join(SEA_PASSAGES)}")
        return passages

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start")
        if end is not None and isinstance(start, dt.date) and end <= start:
            raise ValueError(f"end {end} is not after start {start}")
        return end

    @model_validator(mode="after")
    def _targets(self) -> Disruption:
        if not (self.corridors or self.links or self.nodes or self.passages):
            raise ValueError("a disruption needs 'corridors', 'links', 'nodes' or 'passages'")
        if self.passages and not self.closed:
            raise ValueError("sea passages can only be closed (closed: true)")
        return self
