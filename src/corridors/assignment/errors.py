"""Errors of the assignment package."""

from __future__ import annotations

from corridors.errors import AssignmentInputError, CorridorsError

__all__ = ["AssignmentInputError", "NotConvergedError"]


class NotConvergedError(CorridorsError, RuntimeError):
    """An equilibrium assignment stopped at its iteration limit above the target gap."""

    def __init__(self, *, iterations: int, gap: float, target: float) -> None:
        self.iterations, self.gap, self.target = iterations, gap, target
        super().__init__(
            f"not converged: relative gap {gap:.3e} above the target {target:.0e} after "
            f"{iterations} iterations; nothing written (raise --max-iter, loosen --gap, or "
            "pass --allow-unconverged to keep the result)"
        )
