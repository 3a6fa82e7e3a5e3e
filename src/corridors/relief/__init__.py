"""corridors.relief: relief logistics to a disaster area (tables, network, results).

The relief network (depots of the Organization of Turkic States' members, airports,
ports, roads and rail lines of the area) is read from ``relief_node.csv`` and
``relief_link.csv``; :mod:`corridors.studies.relief` runs the time-expanded maximum
flow of :mod:`corridors.flows.timeexpanded` on it.
"""
