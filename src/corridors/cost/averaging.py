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
* Anderson acceleration (Anderson 1965; Walker and Ni 2011, "Anderson acceleration for
  fixed-point iterations", SIAM J. Numer. Anal. 49(4)): the next point is the loading
  ``y_k`` corrected by the combination of the last ``m`` differences that best cancels
  the residual ``f_k = y_k - x_k`` (least squares):
  ``gamma = argmin || f_k - dF gamma ||``, ``x_{k+1} = y_k - dY gamma``, with ``dF`` and
  ``dY`` the differences of successive residuals and loadings. Where the loading is
  steep (a queue near its knee, a ferry wait), averaging must take steps of ``1/L`` and
  crawls at ``1/k`` once its steps are small; Anderson solves the linearised fixed point
  in the few directions that oscillate, in tens of iterations.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import NDArray

StepMethod = Literal["msa", "sra"]
STEP_METHODS: tuple[str, ...] = ("sra", "msa")
ANDERSON_MEMORY = 5
"""Anderson: differences of past iterations kept."""
ANDERSON_PATIENCE = 20
"""Anderson: iterations without a new smallest residual after which it has stalled."""

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


class Anderson:
    """Anderson acceleration of a fixed-point iteration ``x = F(x)``; one per loop.

    Each call of :meth:`next` takes the current point ``x_k`` and its loading
    ``y_k = F(x_k)`` and returns ``x_{k+1} = y_k - dY gamma`` with
    ``gamma = argmin || f_k - dF gamma ||_2`` over the last ``memory`` differences of the
    residuals ``f = y - x`` (``dF``) and loadings (``dY``); with no history yet it is
    the plain step ``x_{k+1} = y_k``. The result is an affine combination of loadings:
    shares that sum to one keep summing to one, but may turn slightly negative (the
    caller projects). When the largest residual has not reached a new low for
    ``patience`` iterations the acceleration has :attr:`stalled` (far from a fixed point
    the linearisation the history holds misleads it): the caller goes back to averaging
    and tells it so (:meth:`rest`); after ``patience`` such iterations it starts afresh.

    Parameters
    ----------
    memory : int
        Differences kept (>= 1).
    patience : int
        Iterations without a new smallest residual before it has stalled (>= 1).

    Raises
    ------
    ValueError
        ``memory`` or ``patience`` below 1.

    Examples
    --------
    The linear map ``F(x) = 2 - x`` (fixed point 1) makes the plain iteration
    oscillate for ever; one difference is enough to land on the fixed point:

    >>> acc = Anderson(memory=1)
    >>> x = np.array([0.0])
    >>> for _ in range(2):
    ...     x = acc.next(x, 2.0 - x)
    >>> float(x[0])
    1.0
    """

    def __init__(self, *, memory: int = ANDERSON_MEMORY, patience: int = ANDERSON_PATIENCE) -> None:
        if memory < 1 or patience < 1:
            raise ValueError("memory and patience must be at least 1")
        self.memory = memory
        self.patience = patience
        self._f: list[NDArray[np.float64]] = []
        self._y: list[NDArray[np.float64]] = []
        self.best = math.inf
        self._since_best = 0
        self._resting = 0

    @property
    def held(self) -> int:
        """Iterations whose residual and loading are held (at most ``memory + 1``)."""
        return len(self._f)

    @property
    def stalled(self) -> bool:
        """The largest residual has not reached a new low for ``patience`` iterations."""
        return self._since_best >= self.patience

    def rest(self) -> None:
        """Count an iteration the caller made without it (after it stalled).

        After ``patience`` of them the history is cleared and the acceleration starts
        afresh from the caller's next point.
        """
        self._resting += 1
        if self._resting >= self.patience:
            self._f.clear()
            self._y.clear()
            self.best, self._since_best, self._resting = math.inf, 0, 0

    def reject(self) -> None:
        """The caller undid the last point: stall now (the caller averages and rests)."""
        self._since_best = self.patience
        self._resting = 0

    def next(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        """Next point from the point ``x`` and its loading ``y = F(x)`` (any shape)."""
        f = (y - x).ravel()
        size = float(np.abs(f).max(initial=0.0))
        if size < self.best:
            self.best, self._since_best = size, 0
        else:
            self._since_best += 1
        self._f.append(f)
        self._y.append(y.ravel())
        del self._f[: -self.memory - 1]
        del self._y[: -self.memory - 1]
        if len(self._f) < 2:
            return np.array(y, dtype=np.float64)
        d_f = np.diff(np.array(self._f), axis=0).T
        d_y = np.diff(np.array(self._y), axis=0).T
        gamma = np.linalg.lstsq(d_f, f, rcond=None)[0]
        return np.asarray((y.ravel() - d_y @ gamma).reshape(y.shape), dtype=np.float64)
