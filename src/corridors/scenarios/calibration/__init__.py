"""Calibrate the corridor choice to observed volumes.

Parameters of the behavioural model are fitted so that modelled volumes match
observed ones, year by year, in the least-squares sense on logarithms (a 2021 volume
of 0.6 Mt weighs as much as a 2023 volume of 2.8 Mt). A parameter is one of

* ``scale``: the logit scale, 1/USD per TEU (searched on its logarithm);
* ``nest_scale``: the nested logit's nest scale, in (0, 1];
* ``asc.<corridor>``: a corridor's constant (risk premium), USD per TEU;
* ``disruption.<id>``: the surcharge (``extra_usd_teu``) of one of the scenario's
  disruptions, USD per TEU - e.g. the risk premium shippers and insurers put on the
  Northern route from March 2022.

A target is an observed series of one corridor's volume (tonnes or TEU), over all
markets or some of them. The shipped targets are the TITR (Middle Corridor) cargo
in tonnes, the TITR containers in TEU (container markets only) and the
China-EU-China transit on the 1520 mm network (UTLC ERA, the Northern route) in TEU
(``corridor-facts.md``), and all Iran-Türkiye rail freight as a *ceiling* on the
Southern corridor (a one-sided target: only an excess counts). After the fit each
parameter is fitted, at a bound, or not identified (the fit does not depend on it,
e.g. the constant of a corridor the data leave empty). Years a target has but the fit leaves
out (``holdout``) are reported as out-of-sample checks. The routes of every year are
found once; each trial only re-solves the corridor split.

Modules: :mod:`~corridors.scenarios.calibration.parameters` (what is fitted),
:mod:`~corridors.scenarios.calibration.fit` (the search) and
:mod:`~corridors.scenarios.calibration.result` (what is reported); the observed
series are in :mod:`corridors.scenarios.targets`.
"""

from __future__ import annotations

from corridors.scenarios.calibration.fit import calibrate, corridor_tonnes
from corridors.scenarios.calibration.parameters import (
    Parameter,
    default_parameters,
    history_parameters,
)
from corridors.scenarios.calibration.result import CalibrationResult, FitQuality

__all__ = [
    "CalibrationResult",
    "FitQuality",
    "Parameter",
    "calibrate",
    "corridor_tonnes",
    "default_parameters",
    "history_parameters",
]
