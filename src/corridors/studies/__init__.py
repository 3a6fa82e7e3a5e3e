"""corridors.studies: what each command runs (read inputs, call engines, assemble results).

A study reads the inputs it is pointed at, calls the engines (routing, assignment,
simulation, flows, the scenario runner) in order, and returns tables for the command
line, the web app or a report to present. Engines never call each other; a study does.

* :mod:`~corridors.studies.assign`: equilibrium assignment of an O-D table on a network.
* :mod:`~corridors.studies.scenario`: a scenario run, sweep or forecast, stored
  (:mod:`~corridors.studies.scenario_run`, :mod:`~corridors.studies.sweep`,
  :mod:`~corridors.studies.forecast`).
* :mod:`~corridors.studies.calibrate`: fit of the behavioural parameters.
* :mod:`~corridors.studies.reliability`: reliability buffers from a short simulation.
* :mod:`~corridors.studies.energy`: energy flows and outages.
* :mod:`~corridors.studies.relief`: relief to a disaster area within a time window.
* :mod:`~corridors.studies.simulate`: route the demand (equilibrium assignment), build
  the simulation model from those routes, run the replications (``corridors simulate``).
"""
