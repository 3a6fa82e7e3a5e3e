"""The contents of a scenario file and of a measures catalogue, declared with pydantic.

A scenario says which years to model (base year and horizon), how much freight each
market moves and how fast it grows (demand), which investments or reforms are made
and when (measures), what goes wrong and when (disruptions), how shippers choose
(behavioural parameters) and which inputs are uncertain (for Monte Carlo forecasts).

Every model forbids unknown fields so that a misspelt key is an error, not a silent
default; :mod:`corridors.scenarios.io` turns pydantic's errors into
:class:`~corridors.errors.Problem` rows with line numbers and "did you mean" hints.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from corridors.cost.parameters import (
    DEFAULT_TONNES_PER_TEU,
    DEFAULT_VALUE_OF_TIME_USD_PER_TEU_H,
    CostParameters,
)
from corridors.errors import Problem, ScenarioError
from corridors.network.schema import HOURS_PER_YEAR, LINK, MAX_T_YR, MAX_USD_TEU, SEA_PASSAGES

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


def _once(ids: list[str], what: str) -> None:
    """Raise when an id appears twice in a list."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what} {i!r} is used twice")
        seen.add(i)


class _Strict(BaseModel):
    """Base of every scenario model: unknown fields are errors; models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Market(_Strict):
    """Total freight of one market between a representative origin and destination.

    Attributes
    ----------
    id : str
        Market identifier (``china_eu``, ``central_asia_eu``, ...).
    origin, destination : str
        Place names or node ids of the representative origin-destination pair.
    volume : float
        Volume a year in the base year, in ``unit`` (all corridors together).
    unit : {"TEU", "t"}
        Unit of ``volume``; tonnes are converted to TEU with ``tonnes_per_teu``.
    growth : float
        Growth rate a year (0.03 = 3 % a year), compounded from the base year.
    growth_by_year : dict of int to float
        Growth rates for given years, overriding ``growth`` in those years.
    corridors : list of str or None
        Corridors this market may use (``None``: every corridor the routing finds).
    cargo : {"containers", "general"} or None
        Containers count against the TEU capacity of terminals, feeders and
        borders that have one; general cargo (bulk, break-bulk, wagons) against
        tonne capacities only. ``None``: containers when ``unit`` is TEU, else
        general.
    name, source : str
        Display name and where the volume and growth figures come from.
    """

    id: str = Field(min_length=1)
    name: str = ""
    origin: str = Field(min_length=1)
    destination: str = Field(min_length=1)
    volume: float = Field(ge=0, le=MAX_T_YR)
    unit: Literal["TEU", "t"] = "TEU"
    growth: Growth = 0.0
    growth_by_year: dict[Year, Growth] = Field(default_factory=dict)
    corridors: list[str] | None = None
    cargo: Literal["containers", "general"] | None = None
    source: str = ""

    @model_validator(mode="after")
    def _moves(self) -> Market:
        if self.origin.strip().casefold() == self.destination.strip().casefold():
            raise ValueError(f"origin and destination are the same place ({self.origin!r})")
        return self

    @property
    def containers(self) -> bool:
        """Whether the market's cargo is containers (see ``cargo``)."""
        if self.cargo is not None:
            return self.cargo == "containers"
        return self.unit == "TEU"


class Demand(_Strict):
    """Demand: the markets whose freight is split across corridors."""

    markets: list[Market] = Field(min_length=1)

    @field_validator("markets")
    @classmethod
    def _unique_ids(cls, markets: list[Market]) -> list[Market]:
        _once([m.id for m in markets], "market id")
        return markets


class Change(_Strict):
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


class NewLink(_Strict):
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


class Measure(_Strict):
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


class MeasureCatalogue(_Strict):
    """A catalogue of measures (``measures.yaml``)."""

    measures: list[Measure] = Field(min_length=1)

    @field_validator("measures")
    @classmethod
    def _unique_ids(cls, measures: list[Measure]) -> list[Measure]:
        _once([m.id for m in measures], "measure id")
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


class Disruption(_Strict):
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
    capacity_factor: float = Field(default=1.0, gt=0, le=100)
    source: str = ""

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


class VolumeDelay(_Strict):
    """BPR volume-delay function ``t = t0 * (1 + alpha * (v / c) ** beta)``."""

    alpha: float = Field(default=0.15, ge=0)
    beta: float = Field(default=4.0, ge=0)


class Equilibrium(_Strict):
    """Settings of the method of successive averages on corridor shares.

    ``method`` is ``sra`` (self-regulated step sizes, default) or ``msa`` (``1/k``).
    """

    method: Literal["sra", "msa"] = "sra"
    max_iterations: int = Field(default=3000, ge=1, le=100_000)
    tolerance: float = Field(default=1e-7, gt=0)


class ReliabilitySimulation(_Strict):
    """Settings of the short simulation that gives the reliability buffers.

    Attributes
    ----------
    days, warmup_days : float
        Simulated days and the days left out at the start.
    replications : int
        Seeded replications (their percentiles are averaged).
    seed : int or None
        Seed of the simulation (``None``: the scenario's seed).
    year : int or None
        Network year simulated (``None``: the base year).
    """

    days: float = Field(default=90.0, gt=0, le=3650)
    warmup_days: float = Field(default=10.0, ge=0)
    replications: int = Field(default=3, ge=1, le=100)
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)
    year: Year | None = None


class Behaviour(_Strict):
    """How shippers choose a corridor.

    Generalised cost per TEU of corridor ``c``:
    ``usd + value_of_time * (hours + reliability_buffer_h[c]) + risk_premium[c]``;
    shares are ``exp(-logit_scale * cost) / sum(...)``.

    Attributes
    ----------
    value_of_time_usd_teu_h : float
        USD per TEU-hour in transit (0.6-2.1 % of cargo value a day, Hummels and
        Schaur 2013, on ~$30-58k per TEU: ~$7.5-50 per TEU-hour). Default: the
        cost parameters' one value of time
        (:data:`corridors.cost.parameters.DEFAULT_VALUE_OF_TIME_USD_PER_TEU_H`); the
        runner prices routes with :meth:`cost_parameters`.
    logit_scale_per_usd : float
        Logit scale, 1/USD per TEU.
    risk_premium_usd_teu : dict of str to float
        Risk premium or alternative-specific constant per corridor, USD per TEU.
    reliability_buffer_h : dict of str to float
        Extra hours shippers plan for per corridor (bad case minus median).
    reliability : ReliabilitySimulation or None
        ``simulate`` (or the simulation's settings): the buffers come from a short
        simulation of the scenario's network (:mod:`corridors.scenarios.reliability`)
        and replace ``reliability_buffer_h`` for the corridors it covers;
        ``buffers`` or absent: ``reliability_buffer_h`` only.
    tonnes_per_teu : float
        Tonnes per loaded TEU, to convert tonnes and tonne capacities.
    vdf : VolumeDelay
        Volume-delay function on each corridor's bottleneck.
    equilibrium : Equilibrium
        Method of successive averages settings.
    nests : dict of str to list of str
        Nested logit: corridors grouped in nests (e.g. ``rail: [northern, middle,
        southern]``, ``sea: [sea_suez, sea_cape]``); corridors in no nest form a
        nest each. Empty: multinomial logit.
    nest_scale : float
        Nest scale (dissimilarity) in (0, 1]: 1 is the multinomial logit; the
        smaller it is, the more cargo leaving a corridor stays in its nest.
    capacity_limits : {"soft", "hard", "ports"}
        ``soft``: capacities only slow traffic (the volume-delay function).
        ``hard``: an element never carries more than its capacity: shippers meet a
        shadow price (USD per TEU, a queue or surcharge) at full elements, found
        with the split (capacity-constrained logit); hard elements have no
        volume-delay. ``ports``: hard at ports and across water (ferries and
        feeders), soft elsewhere. Land borders and lines limit cargo by their
        tonne capacity only, in every mode (``scenarios.elements.route_elements``):
        they have parallel crossings
        (Dostyk, Altynkol, Zabaykalsk) that one route per corridor and market
        does not show, so their per-crossing container figures would send a
        market's whole flow through one terminal.
    max_shadow_price_usd_teu : float
        Highest shadow price, USD per TEU; a market that cannot fit (its only
        corridor is full) stops there and its element is reported over capacity.
    """

    value_of_time_usd_teu_h: float = Field(
        default=DEFAULT_VALUE_OF_TIME_USD_PER_TEU_H, ge=0, le=MAX_USD_TEU
    )
    logit_scale_per_usd: float = Field(default=0.002, gt=0, le=1)
    risk_premium_usd_teu: dict[str, float] = Field(default_factory=dict)
    reliability_buffer_h: dict[str, float] = Field(default_factory=dict)
    reliability: ReliabilitySimulation | None = None
    tonnes_per_teu: float = Field(default=DEFAULT_TONNES_PER_TEU, gt=0, le=40)
    vdf: VolumeDelay = Field(default_factory=VolumeDelay)
    equilibrium: Equilibrium = Field(default_factory=Equilibrium)
    nests: dict[str, list[str]] = Field(default_factory=dict)
    nest_scale: float = Field(default=1.0, gt=0, le=1)
    capacity_limits: Literal["soft", "hard", "ports"] = "soft"
    max_shadow_price_usd_teu: float = Field(default=50_000.0, gt=0, le=MAX_USD_TEU)

    def cost_parameters(self) -> CostParameters:
        """The routing cost parameters of this behaviour: per TEU, its value of time."""
        return CostParameters(
            unit="TEU",
            value_of_time_usd_h=self.value_of_time_usd_teu_h,
            tonnes_per_teu=self.tonnes_per_teu,
        )

    @field_validator("nests")
    @classmethod
    def _nests_disjoint(cls, nests: dict[str, list[str]]) -> dict[str, list[str]]:
        seen: dict[str, str] = {}
        for nest, members in nests.items():
            for c in members:
                if c in seen:
                    raise ValueError(f"corridor {c!r} is in nests {seen[c]!r} and {nest!r}")
                seen[c] = nest
        return nests

    @field_validator("reliability", mode="before")
    @classmethod
    def _reliability_words(cls, value: object) -> object:
        if value == "simulate":
            return {}
        if value == "buffers":
            return None
        if isinstance(value, str):
            raise ValueError(
                f"unknown reliability {value!r}; use 'simulate', 'buffers' or "
                "the simulation's settings (days, replications, seed, year)"
            )
        return value


class Uncertain(_Strict):
    """An uncertain input for Monte Carlo: a variable and its distribution.

    ``variable`` uses the sweep language of :mod:`corridors.scenarios.variables`
    (``border_time.KZ``, ``demand.china_eu.growth``, ``risk_premium.northern``...).
    ``uniform`` draws in ``[low, high]``; ``triangular`` also needs ``mode``;
    ``normal`` uses ``mean`` and ``sd``.
    """

    variable: str = Field(min_length=1)
    distribution: Literal["uniform", "triangular", "normal"] = "uniform"
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _parameters(self) -> Uncertain:
        if self.distribution in ("uniform", "triangular"):
            if self.low is None or self.high is None:
                raise ValueError(f"a {self.distribution} distribution needs 'low' and 'high'")
            if self.high < self.low:
                raise ValueError(f"high {self.high} is below low {self.low}")
            if self.distribution == "triangular" and (
                self.mode is None or not self.low <= self.mode <= self.high
            ):
                raise ValueError("a triangular distribution needs 'mode' between low and high")
        elif self.mean is None or self.sd is None:
            raise ValueError("a normal distribution needs 'mean' and 'sd'")
        return self


class Scenario(_Strict):
    """A scenario: years, demand, measures, disruptions and behaviour.

    Attributes
    ----------
    name : str
        Name of the scenario.
    description : str
        What it asks.
    base_year, horizon : int
        First and last year modelled (inclusive).
    network : str or None
        Network folder (relative to the scenario file), ``None``: the shipped one.
    measures_file : str or None
        Measures catalogue (relative to the scenario file), ``None``: the shipped one.
    demand : Demand
        Markets.
    measures : list of str
        Ids of catalogue measures (or of ``new_measures``) in force in this scenario.
    new_measures : list of Measure
        Measures defined in the scenario itself.
    disruptions : list of Disruption
        Closures and slow-downs.
    adjustments : list of Change
        Changes to the network in force in every year at no cost (calibration
        corrections, sweep samples such as ``border_time.KZ``).
    behaviour : Behaviour
        Behavioural parameters.
    uncertainty : list of Uncertain
        Uncertain inputs for Monte Carlo forecasts.
    target_corridor : str
        Corridor whose volume gain the appraisal reports (default ``middle``).
    discount_rate : float
        Discount rate a year for the NPV.
    seed : int
        Seed of the random numbers (Monte Carlo).
    """

    name: str = Field(min_length=1)
    description: str = ""
    base_year: Year
    horizon: Year
    network: str | None = None
    measures_file: str | None = None
    demand: Demand
    measures: list[str] = Field(default_factory=list)
    new_measures: list[Measure] = Field(default_factory=list)
    disruptions: list[Disruption] = Field(default_factory=list)
    adjustments: list[Change] = Field(default_factory=list)
    behaviour: Behaviour = Field(default_factory=Behaviour)
    uncertainty: list[Uncertain] = Field(default_factory=list)
    target_corridor: str = "middle"
    discount_rate: float = Field(default=0.06, ge=0, lt=1)
    seed: int = Field(default=0, ge=0, le=MAX_SEED)

    @field_validator("measures")
    @classmethod
    def _measures_once(cls, measures: list[str]) -> list[str]:
        _once(measures, "measure")
        return measures

    @field_validator("new_measures")
    @classmethod
    def _new_measures_once(cls, measures: list[Measure]) -> list[Measure]:
        _once([m.id for m in measures], "measure id")
        return measures

    @field_validator("horizon")
    @classmethod
    def _horizon_after_base(cls, horizon: int, info: ValidationInfo) -> int:
        base = info.data.get("base_year")
        if isinstance(base, int) and horizon < base:
            raise ValueError(f"horizon {horizon} is before the base year {base}")
        return horizon

    def until(self, horizon: int) -> Scenario:
        """The scenario with another horizon, checked like one written in the file.

        Raises
        ------
        ScenarioError
            When ``horizon`` is not a year from the base year to :data:`MAX_YEAR`.
        """
        if not self.base_year <= horizon <= MAX_YEAR:
            msg = f"the last year must be from the base year {self.base_year} to {MAX_YEAR}"
            raise ScenarioError(
                [Problem(self.name, None, "horizon", str(horizon), msg)], what=self.name
            )
        return self.model_copy(update={"horizon": horizon})

    @property
    def years(self) -> tuple[int, ...]:
        """Years modelled, base year to horizon inclusive."""
        return tuple(range(self.base_year, self.horizon + 1))
