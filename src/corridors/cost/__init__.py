"""What a unit of freight pays, how long it waits and how shippers choose: written once.

* :mod:`~corridors.cost.parameters`: generalised-cost parameters (the one value of time).
* :mod:`~corridors.cost.delay`: volume-delay functions (BPR, conical) per element.
* :mod:`~corridors.cost.queueing`: the queueing delay of an element (border, gauge
  change, port, ferry line, single-track section) below its capacity, infinite at it.
* :mod:`~corridors.cost.logit`: multinomial and nested logit, path size, logsum.
* :mod:`~corridors.cost.averaging`: MSA and SRA step rules of the averaging loops.
"""
