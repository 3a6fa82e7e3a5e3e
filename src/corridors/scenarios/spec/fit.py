"""A fit file: the choice values `corridors calibrate` fitted, written once for every scenario.

A scenario names one with ``fit: ../fit-2021-2023.yaml`` (relative to the scenario
file). The fit's ``behaviour`` fields fill those the scenario's ``behaviour`` leaves
out, and a disruption takes its surcharge or hours from the fit where the scenario
writes ``extra_usd_teu: fit`` or ``extra_hours: fit``
(:mod:`corridors.scenarios.fit_file`). A value the scenario writes itself wins.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from corridors.network.schema import HOURS_PER_YEAR
from corridors.scenarios.spec.behaviour import Behaviour
from corridors.scenarios.spec.common import Strict

FROM_FIT = "fit"
"""What a scenario writes for a disruption's value to take it from its fit file."""

DISRUPTION_PARAMETERS = {"disruption": "extra_usd_teu", "disruption_hours": "extra_hours"}
"""The field of a disruption each disruption parameter sets: ``disruption.<id>`` its
surcharge, ``disruption_hours.<id>`` its hours
(:mod:`corridors.scenarios.calibration.parameters`)."""

FITTED_SURCHARGE_FIELDS = tuple(DISRUPTION_PARAMETERS.values())
"""The fields of a disruption a fit file may give (:data:`DISRUPTION_PARAMETERS`)."""


class FittedSurcharge(Strict):
    """The fitted values of one disruption (by its id in the fitted scenario).

    Attributes
    ----------
    extra_usd_teu : float or None
        USD per TEU the disruption adds (its ``extra_usd_teu``).
    extra_hours : float or None
        Hours the disruption adds (its ``extra_hours``).
    """

    extra_usd_teu: float | None = None
    extra_hours: float | None = Field(default=None, ge=0, le=HOURS_PER_YEAR)

    @model_validator(mode="after")
    def _something(self) -> FittedSurcharge:
        if self.extra_usd_teu is None and self.extra_hours is None:
            raise ValueError("a fitted disruption needs 'extra_usd_teu' or 'extra_hours'")
        return self


class Fit(Strict):
    """The contents of a fit file.

    Attributes
    ----------
    name : str
        Name of the fit (``fit-2021-2023``).
    fitted_to : str
        The scenario it was fitted on (``calibration-2021-2023``).
    source : str
        How the values were obtained: the command, the targets and the fit's errors.
    behaviour : Behaviour
        The fitted behaviour; only the fields written in the file count (a scenario's
        ``behaviour`` fields left out are filled from them).
    disruptions : dict of str to FittedSurcharge
        Fitted values by disruption id.
    """

    name: str = Field(min_length=1)
    fitted_to: str = Field(min_length=1)
    source: str = Field(min_length=1)
    behaviour: Behaviour = Field(default_factory=Behaviour)
    disruptions: dict[str, FittedSurcharge] = Field(default_factory=dict)

    def behaviour_values(self) -> dict[str, object]:
        """The behaviour fields the file writes, as a scenario would write them."""
        fields = self.behaviour.model_fields_set
        return self.behaviour.model_dump(mode="python", include=set(fields))
