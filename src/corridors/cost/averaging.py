"""Step rules of the averaging loops: MSA and SRA.

A stochastic equilibrium is a fixed point ``x = F(x)`` (flows or shares equal the logit
loading at the costs they cause). The averaging loops move the current point towards
the loading ``y = F(x)`` by a step ``x <- x + (y - x) / beta_k``:

* MSA, the method of successive averages: ``beta_k = k + 1`` at iteration ``k``
  (1, 2, ...), i.e. steps 1/2, 1/3, ... (Sheffi 1985, "Urban Transportation Networks",
  ch. 12); it converges but slowly.
* SRA, self-regulated averaging (Liu, Ban and Lu 2009, "A self-regulated averaging
  method for the stochastic user equilibrium"): ``beta`` grows by ``grow`` (1) after an
  iteration whose gap did not shrink and by only ``shrink`` (0.05) after one whose gap
  shrank, which keeps steps long while they help; tens instead of thousands of
  iterations.
"""

from __future__ import annotations

import math
from typing import Literal

StepMethod = Literal["msa", "sra"]
STEP_METHODS: tuple[str, ...] = ("sra", "msa")

SRA_GROW = 1.0
"""SRA: increase of the step divisor after an iteration that did not reduce the gap."""
SRA_SHRINK = 0.05
"""SRA: increase of the step divisor after an iteration that reduced the gap."""


def msa_step(iteration: int) -> float:
    """MSA step ``1 / (iteration + 1)`` at iteration ``iteration`` (1, 2, ...)."""
    if iteration < 1:
        raise ValueError(f"iteration must be at least 1, got {iteration}")
    return 1.0 / (iteration + 1.0)


class Averaging:
    """Step sizes of one averaging loop (MSA or SRA); one instance per loop.

    Parameters
    ----------
    method : {"sra", "msa"}
        Self-regulated averaging (default) or the classic ``1/(k + 1)``.
    grow, shrink : float
        SRA increases of the step divisor after a gap that did not shrink / shrank.

    Raises
    ------
    ValueError
        Unknown ``method``, or ``grow``/``shrink`` not positive.

    Examples
    --------
    >>> rule = Averaging("sra")
    >>> [round(rule.step(g), 4) for g in (1.0, 0.5, 0.8)]
    [0.9524, 0.9091, 0.4762]
    """

    def __init__(
        self, method: str = "sra", *, grow: float = SRA_GROW, shrink: float = SRA_SHRINK
    ) -> None:
        if method not in STEP_METHODS:
            raise ValueError(f"unknown method {method!r}; use 'sra' or 'msa'")
        if not (grow > 0.0 and shrink > 0.0):
            raise ValueError("grow and shrink must be positive")
        self.method = method
        self.grow = grow
        self.shrink = shrink
        self.iteration = 0
        self.divisor = 1.0
        self.previous = math.inf

    def step(self, gap: float) -> float:
        """Step of the next iteration, given its gap (the size of ``y - x``).

        Returns the fraction ``1 / beta_k`` of ``y - x`` to move by.
        """
        self.iteration += 1
        if self.method == "msa":
            self.divisor = self.iteration + 1.0
        else:
            self.divisor += self.shrink if gap < self.previous else self.grow
        self.previous = gap
        return 1.0 / self.divisor
