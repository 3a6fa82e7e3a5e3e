"""A scenario: years, demand, measures, disruptions, behaviour and uncertain inputs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from corridors.errors import Problem, ScenarioError
from corridors.scenarios.spec.behaviour import Behaviour, Equilibrium
from corridors.scenarios.spec.common import MAX_SEED, MAX_YEAR, Strict, Year, once
from corridors.scenarios.spec.demand import Demand
from corridors.scenarios.spec.disruptions import Disruption
from corridors.scenarios.spec.measures import Change, Measure


class Uncertain(Strict):
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


class Scenario(Strict):
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
    fit : str or None
        Fit file (relative to the scenario file, :class:`~corridors.scenarios.spec.fit.Fit`)
        whose fitted values fill the ``behaviour`` fields this scenario leaves out and
        the disruption values it writes as ``fit``; filled when the file is read
        (:mod:`corridors.scenarios.fit_file`). ``None``: no fit.
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
    fit: str | None = Field(default=None, min_length=1)
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
        once(measures, "measure")
        return measures

    @field_validator("new_measures")
    @classmethod
    def _new_measures_once(cls, measures: list[Measure]) -> list[Measure]:
        once([m.id for m in measures], "measure id")
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

    def solved_with(self, equilibrium: Equilibrium) -> Scenario:
        """The scenario with other settings of its corridor split's solver.

        ``behaviour.equilibrium`` replaced (method, tolerance, iteration cap, the gap
        Anderson's points start at): the same model solved another way
        (``benchmarks/equilibrium_agreement.py`` compares two ways on a forecast's
        samples).
        """
        behaviour = self.behaviour.model_copy(update={"equilibrium": equilibrium})
        return self.model_copy(update={"behaviour": behaviour})

    @property
    def years(self) -> tuple[int, ...]:
        """Years modelled, base year to horizon inclusive."""
        return tuple(range(self.base_year, self.horizon + 1))
