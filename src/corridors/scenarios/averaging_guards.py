"""The guards of the corridor split's averaging: Anderson's start and undo, renewals.

When Anderson's points start, when one is undone, when the elements are renewed, and
the simplex the points are kept on.
:func:`corridors.scenarios.choice.equilibrium_shares` takes self-regulated averaging's
steps (:class:`corridors.cost.averaging.Averaging`) until the share gap (the largest
share change the logit asks, dimensionless) is below :data:`ANDERSON_FROM_GAP`, then
Anderson acceleration's points (:class:`corridors.cost.averaging.Anderson`) kept on the
simplex (:func:`on_simplex`), undone when they throw the split (:data:`ANDERSON_THROW`);
its queues' arrival variability is renewed along the way (:data:`RENEW_STEP`,
:data:`RENEW_ROUNDS`). Pure numpy; no I/O.

Example
-------
>>> import numpy as np
>>> from corridors.scenarios.averaging_guards import on_simplex
>>> on_simplex(np.array([[1.2, -0.2, 0.5]]), np.array([[0.6, 0.2, 0.2]])).round(4).tolist()
[[0.7059, 0.0, 0.2941]]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["ANDERSON_FROM_GAP", "ANDERSON_THROW", "RENEW_ROUNDS", "RENEW_STEP", "on_simplex"]

FloatArray = NDArray[np.float64]

ANDERSON_FROM_GAP = 1e-3
"""``method="anderson"``: SRA steps until no share would move by more than this, then
Anderson's points (when it stalls, SRA's steps for a while and Anderson afresh): SRA's
path chooses which equilibrium where the split has several, Anderson only removes the
slow end of its convergence. After ``renew`` has changed the elements, Anderson's
points start at once: SRA's steps, shrunk by then, crawled from the gap the change made
(a 100-sample forecast: 3 year solves of 1,200 at the cap, none with it)."""

ANDERSON_THROW = 10.0
"""``method="anderson"``: a point of the acceleration whose gap is more than this many
times the gap of the point it left has thrown the split away (its linearisation
misled it): it is undone and averaging goes on from the point before it as after a
stall (``ANDERSON_PATIENCE`` steps, then Anderson afresh); from then on in this solve
any point of the acceleration that raises the gap is undone the same way, but for its
first point after a restart (the plain loading, a full step), undone only when it
throws the split."""

RENEW_ROUNDS = 12
"""``renew``: it is called at ``renew_gap``, at each :data:`RENEW_STEP` of the gap, then at
each converged split until it finds nothing to change; once it has been called more
than this many times in one solve, the next converged split ends the solve with the
elements it has."""

RENEW_STEP = 0.1
"""``renew``: after a renewal at a gap ``g`` the next comes when the gap is below
``RENEW_STEP g``: the elements follow the split down, each renewal moving it little."""


def on_simplex(shares: FloatArray, target: FloatArray) -> FloatArray:
    """``shares`` with negative entries set to 0, each row rescaled to ``target``'s sum."""
    if bool((shares >= 0.0).all()):
        return shares
    kept = np.maximum(shares, 0.0)
    total = kept.sum(axis=1, keepdims=True)
    want = target.sum(axis=1, keepdims=True)
    return np.asarray(
        np.where(total > 0.0, kept * (want / np.where(total > 0.0, total, 1.0)), target),
        dtype=np.float64,
    )
