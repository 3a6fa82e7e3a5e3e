"""corridors.flows: minimum-cost multi-commodity flow with capacities and shadow prices.

An engine: it takes a :class:`FlowProblem` (nodes, arcs, commodities, all in memory) and
returns a :class:`FlowResult`; it reads no file, draws nothing and calls no other engine.
The energy layer (crude, gas, electricity) and the relief study (a time-expanded network,
:mod:`corridors.flows.timeexpanded`) build their problems and read the results.
"""

from corridors.flows.errors import FlowInputError, FlowSolveError
from corridors.flows.problem import Commodity, FlowArc, FlowNode, FlowProblem
from corridors.flows.solve import Binding, FlowResult, solve

__all__ = [
    "Binding",
    "Commodity",
    "FlowArc",
    "FlowInputError",
    "FlowNode",
    "FlowProblem",
    "FlowResult",
    "FlowSolveError",
    "solve",
]
