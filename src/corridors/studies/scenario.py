"""Scenario studies: a run, a sweep and a forecast, written to a results store.

These functions are what the command line calls (``run``, ``sweep``, ``forecast``);
each lives in its own module (:mod:`~corridors.studies.scenario_run` one run,
:mod:`~corridors.studies.sweep`, :mod:`~corridors.studies.forecast`, and
:mod:`~corridors.studies.sample_runs` the stored runs of their samples). This module
keeps the import path they share.
"""

from __future__ import annotations

from corridors.studies.forecast import Forecast, bands, forecast
from corridors.studies.sample_runs import CONVERGENCE_COLUMNS, SweepOutcome
from corridors.studies.scenario_run import Progress, run_and_store, scenario_run
from corridors.studies.sweep import check_varies, sweep

__all__ = [
    "CONVERGENCE_COLUMNS",
    "Forecast",
    "Progress",
    "SweepOutcome",
    "bands",
    "check_varies",
    "forecast",
    "run_and_store",
    "scenario_run",
    "sweep",
]
