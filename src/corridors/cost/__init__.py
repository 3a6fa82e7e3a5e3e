"""What a unit of freight pays, how long it waits and how shippers choose: written once.

* :mod:`~corridors.cost.parameters`: generalised-cost parameters (the one value of time).
* :mod:`~corridors.cost.delay`: volume-delay functions (BPR, conical) per element.
* :mod:`~corridors.cost.queueing`: the queueing delay of an element (border, gauge
  change, port, ferry line, single-track section) below its capacity, infinite at it:
  :mod:`~corridors.cost.queue_formulas` (Erlang C, G/G/c, Kingman),
  :mod:`~corridors.cost.mean_waits` (``QueueElement``),
  :mod:`~corridors.cost.wait_distribution` (quantiles of the wait) and
  :mod:`~corridors.cost.ferry_queue` (``FerryQueue``), with
  :mod:`~corridors.cost.ferry_months` (its year month by month: storms and backlog),
  :mod:`~corridors.cost.deck_fill` (the deck-filling chain) and
  :mod:`~corridors.cost.ferry_absence` (the ships' absence from a port).
* :mod:`~corridors.cost.logit`: multinomial and nested logit, path size, logsum.
* :mod:`~corridors.cost.averaging`: MSA and SRA step rules of the averaging loops.
"""
