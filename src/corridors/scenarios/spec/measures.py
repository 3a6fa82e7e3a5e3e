"""Measures: investments and reforms that change the network from an opening year."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from corridors.network.schema import LINK
from corridors.scenarios.spec.common import MAX_USD, Strict, Year, once


class Change(Strict):
    """One change to network attributes made by a measure.

    The elements changed are selected by ``node``/``nodes``, ``link``/``links``, or by
    filters (``country``, ``kind``, ``mode``, ``corridor``) over nodes (when
    ``target`` is ``"node"``) or links (``"link"``). Each changed attribute is a
    column of node.csv or link.csv (see :mod:`corridors.network.schema`).

    Attributes
    ----------
    target : {"node", "link"}
        Which table the change applies to.
    node, link : str or None
        A single node id (or place name) or link id.
    nodes, links : list of str
        Several node ids or link ids.
    country : str or None
        ISO 3166-1 alpha-2 code: nodes in this country, or links touching it.
    kind : str or None
        Node kind filter (``border``, ``port``, ...).
    mode : str or None
        Link mode filter (``rail``, ``ferry``, ...).
    corridor : str or None
        Links tagged with this corridor.
    set : dict of str to float
        New values of attributes.
    scale : dict of str to float
        Factors applied to attributes (``border_h: 0.5`` halves border time).
    add : dict of str to float
        Amounts added to attributes.
    """

    target: Literal["node", "link"] = "node"
    node: str | None = None
    nodes: list[str] = Field(default_factory=list)
    link: str | None = None
    links: list[str] = Field(default_factory=list)
    country: str | None = None
    kind: str | None = None
    mode: str | None = None
    corridor: str | None = None
    set: dict[str, float] = Field(default_factory=dict)
    scale: dict[str, float] = Field(default_factory=dict)
    add: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _infer_target(cls, data: object) -> object:
        if (
            isinstance(data, dict)
            and "target" not in data
            and ("link" in data or "links" in data or "mode" in data or "corridor" in data)
        ):
            return {**data, "target": "link"}
        return data

    @model_validator(mode="after")
    def _has_effect(self) -> Change:
        if not (self.set or self.scale or self.add):
            raise ValueError("a change needs at least one of 'set', 'scale' or 'add'")
        return self


class NewLink(Strict):
    """A link a measure builds (columns of link.csv; others take their defaults)."""

    link_id: str = Field(min_length=1)
    name: str = ""
    from_node_id: str = Field(min_length=1)
    to_node_id: str = Field(min_length=1)
    mode: Literal["rail", "road", "ferry", "sea", "pipeline"]
    length: float | None = None
    free_speed: float | None = None
    time_h: float | None = None
    gauge_mm: int | None = None
    tracks: int | None = None
    trains_per_day: float | None = None
    tariff_usd_teu: float = 0.0
    tariff_usd_t: float = 0.0
    capacity_teu_yr: float | None = None
    capacity_t_yr: float | None = None
    sailings_per_week: float | None = None
    ef_g_tkm: float
    corridors: list[str] = Field(default_factory=list)
    source: str = Field(min_length=1)

    @field_validator(
        "length",
        "free_speed",
        "time_h",
        "gauge_mm",
        "tracks",
        "trains_per_day",
        "tariff_usd_teu",
        "tariff_usd_t",
        "capacity_teu_yr",
        "capacity_t_yr",
        "sailings_per_week",
        "ef_g_tkm",
    )
    @classmethod
    def _link_bounds(cls, value: float | None, info: ValidationInfo) -> float | None:
        """The bounds of link.csv, declared once in :data:`corridors.network.schema.LINK`."""
        if value is not None and info.field_name is not None:
            problem = LINK.field(info.field_name).check(value)
            if problem is not None:
                raise ValueError(problem)
        return value


class Measure(Strict):
    """A named investment or reform: changes to the network from an opening year.

    Attributes
    ----------
    id : str
        Identifier used by scenarios (``alat_phase2``).
    name : str
        Name shown to users.
    kind : {"hard", "soft"}
        Infrastructure (hard) or operations, rules and documents (soft).
    open_year : int
        First year the changes are in force.
    capex_usd : float
        Capital cost, USD, spent in the year before ``open_year`` (for the NPV).
    opex_usd_yr : float
        Operating cost a year from ``open_year``, USD.
    life_years : int
        Economic life for the appraisal, years.
    changes : list of Change
        Attribute changes.
    open_links : list of str
        Planned links of the network opened from ``open_year`` (e.g. Zangezur).
    new_links : list of NewLink
        Links added from ``open_year``.
    source : str
        Where the figures come from.
    """

    id: str = Field(min_length=1)
    name: str = ""
    kind: Literal["hard", "soft"] = "hard"
    open_year: Year
    capex_usd: float = Field(ge=0, le=MAX_USD)
    opex_usd_yr: float = Field(default=0.0, ge=0, le=MAX_USD)
    life_years: int = Field(default=30, ge=1, le=100)
    changes: list[Change] = Field(default_factory=list)
    open_links: list[str] = Field(default_factory=list)
    new_links: list[NewLink] = Field(default_factory=list)
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _has_effect(self) -> Measure:
        if not (self.changes or self.open_links or self.new_links):
            raise ValueError("a measure needs 'changes', 'open_links' or 'new_links'")
        return self


class MeasureCatalogue(Strict):
    """A catalogue of measures (``measures.yaml``)."""

    measures: list[Measure] = Field(min_length=1)

    @field_validator("measures")
    @classmethod
    def _unique_ids(cls, measures: list[Measure]) -> list[Measure]:
        once([m.id for m in measures], "measure id")
        return measures

    def get(self, measure_id: str) -> Measure:
        """Return the measure with this id (``KeyError`` if unknown)."""
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(measure_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """Ids of the measures, in file order."""
        return tuple(m.id for m in self.measures)
