"""How shippers choose a corridor: value of time, logit, constants, capacities, equilibrium."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator

from corridors.cost.parameters import DEFAULT_VALUE_OF_TIME_USD_PER_TEU_H, CostParameters
from corridors.network.schema import COMMODITIES, MAX_USD_TEU
from corridors.scenarios.spec.common import MAX_SEED, Strict, Year


class VolumeDelay(Strict):
    """BPR volume-delay function ``t = t0 * (1 + alpha * (v / c) ** beta)``."""

    alpha: float = Field(default=0.15, ge=0)
    beta: float = Field(default=4.0, ge=0)


class Equilibrium(Strict):
    """Settings of the fixed-point iteration on corridor shares.

    ``method`` is ``anderson`` (self-regulated averaging, then Anderson acceleration
    near the fixed point: the same equilibrium as ``sra`` in fewer iterations; default),
    ``sra`` (self-regulated averaging) or ``msa`` (``1/k`` averaging); see
    :func:`corridors.scenarios.choice.equilibrium_shares`. Each stops when no share
    would move by more than ``tolerance``. ``anderson_from_gap``: the share gap below
    which ``anderson`` takes Anderson's points (``None``: the solver's,
    :data:`~corridors.scenarios.averaging_guards.ANDERSON_FROM_GAP`); another value
    solves the same model along another path
    (``tests/scenarios/test_equilibrium_agreement.py``).
    """

    method: Literal["anderson", "sra", "msa"] = "anderson"
    max_iterations: int = Field(default=3000, ge=1, le=100_000)
    tolerance: float = Field(default=1e-7, gt=0)
    anderson_from_gap: float | None = Field(default=None, gt=0, le=1)


class ReliabilitySimulation(Strict):
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


class Behaviour(Strict):
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
    class_scale : dict of str to float
        Logit scale of a cargo class (``dry_bulk``...) as a multiple of
        ``logit_scale_per_usd`` (1 for a class not listed): bulk costs a tenth of a
        container per TEU-equivalent, so one scale for both makes bulk choose almost at
        random. Costs and shadow prices stay in USD per TEU-equivalent.
    risk_premium_usd_teu : dict of str to float
        Risk premium or alternative-specific constant per corridor, USD per TEU.
    reliability_buffer_h : dict of str to float
        Extra hours shippers plan for per corridor (bad case minus median).
    reliability : ReliabilitySimulation or None
        ``simulate`` (or the simulation's settings): the buffers come from a short
        simulation of the scenario's network (:mod:`corridors.scenarios.reliability`)
        and replace ``reliability_buffer_h`` for the corridors it covers;
        ``buffers`` or absent: ``reliability_buffer_h`` only.
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
    capacity_limits : {"all", "soft", "hard", "ports"}
        ``all`` (default): every element is a hard limit (a shadow price at
        capacity) with its queueing delay below capacity
        (:mod:`corridors.cost.element_queues`; ``vdf`` is not used). The older
        settings: ``soft``: capacities only slow traffic (the volume-delay function).
        ``hard``: an element never carries more than its capacity: shippers meet a
        shadow price (USD per TEU, a queue or surcharge) at full elements, found
        with the split (capacity-constrained logit); hard elements have no
        volume-delay. ``ports``: hard at ports and across water (ferries and
        feeders), soft elsewhere. Land borders and lines limit cargo by their
        tonne capacity only, in every mode (``scenarios.route_elements.route_elements``):
        they have parallel crossings
        (Dostyk, Altynkol, Zabaykalsk) that one route per corridor and market
        does not show, so their per-crossing container figures would send a
        market's whole flow through one terminal.
    routes_per_corridor : int
        Loopless routes per market and corridor in the choice set (link-penalty
        method on the corridor's links, :func:`corridors.routing.compare`; 1: the
        least-cost route of each corridor). Routes of one corridor share its
        constant, buffer and nest; a path-size term ``-ln(PS) / logit_scale``
        corrects their overlap.
    max_shadow_price_usd_teu : float
        Highest shadow price, USD per TEU; a market that cannot fit (its only
        corridor is full) stops there and its element is reported over capacity.
    """

    value_of_time_usd_teu_h: float = Field(
        default=DEFAULT_VALUE_OF_TIME_USD_PER_TEU_H, ge=0, le=MAX_USD_TEU
    )
    logit_scale_per_usd: float = Field(default=0.002, gt=0, le=1)
    class_scale: dict[str, float] = Field(default_factory=dict)
    risk_premium_usd_teu: dict[str, float] = Field(default_factory=dict)
    reliability_buffer_h: dict[str, float] = Field(default_factory=dict)
    reliability: ReliabilitySimulation | None = None
    vdf: VolumeDelay = Field(default_factory=VolumeDelay)
    equilibrium: Equilibrium = Field(default_factory=Equilibrium)
    nests: dict[str, list[str]] = Field(default_factory=dict)
    nest_scale: float = Field(default=1.0, gt=0, le=1)
    capacity_limits: Literal["all", "soft", "hard", "ports"] = "all"
    routes_per_corridor: int = Field(default=1, ge=1, le=10)
    max_shadow_price_usd_teu: float = Field(default=50_000.0, gt=0, le=MAX_USD_TEU)

    RETIRED_FIELDS: ClassVar[dict[str, str]] = {
        "tonnes_per_teu": "the payload per TEU is declared once, per cargo class "
        "(corridors.demand.classes: containers 10 t a TEU); remove this line",
    }
    """Fields a scenario file may still carry: the message a file that names one gets."""

    def cost_parameters(self) -> CostParameters:
        """The routing cost parameters of this behaviour: per TEU, its value of time."""
        return CostParameters(unit="TEU", value_of_time_usd_h=self.value_of_time_usd_teu_h)

    @field_validator("class_scale")
    @classmethod
    def _known_classes(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(COMMODITIES))
        if unknown:
            raise ValueError(f"unknown cargo class {unknown}; known: {', '.join(COMMODITIES)}")
        bad = [k for k, v in value.items() if not 0.0 < v <= 1000.0]
        if bad:
            raise ValueError(f"class_scale of {bad} must be in (0, 1000]")
        return value

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
