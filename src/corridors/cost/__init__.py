"""What a unit of freight pays and how long it waits: the cost model, written once.

* :mod:`~corridors.cost.queueing`: the queueing delay of an element (border, gauge
  change, port, ferry line, single-track section) below its capacity, infinite at it.
"""
