"""Service-time distributions of the simulation, in hours (fixed, exponential, gamma ...)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from corridors.errors import Problem, did_you_mean
from corridors.simulation.errors import model_problem as _problem

__all__ = ["Distribution", "DistributionKind"]

DistributionKind = Literal["fixed", "exponential", "gamma", "lognormal", "uniform", "triangular"]


@dataclass(frozen=True, slots=True)
class Distribution:
    """A service-time distribution, in hours.

    Build it with the class methods (:meth:`fixed`, :meth:`exponential`,
    :meth:`gamma`, :meth:`erlang`, :meth:`lognormal`, :meth:`uniform`,
    :meth:`triangular`) rather than by hand.

    Attributes
    ----------
    kind : str
        Family of the distribution.
    mean_h : float
        Mean, hours.
    cv : float
        Coefficient of variation (standard deviation / mean) for ``gamma`` and
        ``lognormal``; ignored otherwise.
    low_h, high_h : float
        Bounds of ``uniform`` and ``triangular`` (whose mode is
        ``3 * mean - low - high``), hours.
    """

    kind: DistributionKind = "fixed"
    mean_h: float = 0.0
    cv: float = 0.0
    low_h: float = 0.0
    high_h: float = 0.0

    @classmethod
    def fixed(cls, hours: float) -> Distribution:
        """A deterministic time of ``hours``."""
        return cls("fixed", float(hours))

    @classmethod
    def exponential(cls, mean_h: float) -> Distribution:
        """An exponential time with mean ``mean_h`` hours (M in Kendall's notation)."""
        return cls("exponential", float(mean_h), 1.0)

    @classmethod
    def gamma(cls, mean_h: float, cv: float) -> Distribution:
        """A gamma time with mean ``mean_h`` hours and coefficient of variation ``cv``."""
        return cls("gamma", float(mean_h), float(cv))

    @classmethod
    def erlang(cls, mean_h: float, k: int) -> Distribution:
        """An Erlang-``k`` time with mean ``mean_h`` hours (gamma with cv = 1/sqrt(k))."""
        return cls("gamma", float(mean_h), 1.0 / math.sqrt(k))

    @classmethod
    def lognormal(cls, mean_h: float, cv: float) -> Distribution:
        """A lognormal time with mean ``mean_h`` hours and coefficient of variation ``cv``."""
        return cls("lognormal", float(mean_h), float(cv))

    @classmethod
    def uniform(cls, low_h: float, high_h: float) -> Distribution:
        """A uniform time between ``low_h`` and ``high_h`` hours."""
        return cls("uniform", (low_h + high_h) / 2.0, 0.0, float(low_h), float(high_h))

    @classmethod
    def triangular(cls, low_h: float, mode_h: float, high_h: float) -> Distribution:
        """A triangular time between ``low_h`` and ``high_h`` hours peaking at ``mode_h``."""
        return cls("triangular", (low_h + mode_h + high_h) / 3.0, 0.0, float(low_h), float(high_h))

    @property
    def variance(self) -> float:
        """Variance, hours squared."""
        if self.kind == "fixed":
            return 0.0
        if self.kind == "exponential":
            return self.mean_h**2
        if self.kind in ("gamma", "lognormal"):
            return (self.cv * self.mean_h) ** 2
        if self.kind == "uniform":
            return (self.high_h - self.low_h) ** 2 / 12.0
        a, b, c = self.low_h, self.high_h, 3.0 * self.mean_h - self.low_h - self.high_h
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0

    def scaled(self, factor: float) -> Distribution:
        """The same family with every time multiplied by ``factor``."""
        return Distribution(
            self.kind, self.mean_h * factor, self.cv, self.low_h * factor, self.high_h * factor
        )

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` times, hours (float64 array)."""
        m = self.mean_h
        if self.kind == "fixed" or m == 0.0:
            return np.full(n, m)
        if self.kind == "exponential":
            return rng.exponential(m, n)
        if self.kind == "gamma":
            if self.cv == 0.0:
                return np.full(n, m)
            shape = 1.0 / self.cv**2
            return rng.gamma(shape, m / shape, n)
        if self.kind == "lognormal":
            if self.cv == 0.0:
                return np.full(n, m)
            s2 = math.log1p(self.cv**2)
            return rng.lognormal(math.log(m) - s2 / 2.0, math.sqrt(s2), n)
        if self.kind == "uniform":
            return rng.uniform(self.low_h, self.high_h, n)
        mode = 3.0 * m - self.low_h - self.high_h
        if self.high_h == self.low_h:
            return np.full(n, m)
        return rng.triangular(self.low_h, mode, self.high_h, n)

    def problems(self, column: str) -> list[Problem]:
        """Problems with this distribution, reported under ``column``."""
        out: list[Problem] = []
        kinds = ("fixed", "exponential", "gamma", "lognormal", "uniform", "triangular")
        if self.kind not in kinds:
            out.append(
                _problem(
                    column, self.kind, "unknown distribution", did_you_mean(str(self.kind), kinds)
                )
            )
            return out
        if not (math.isfinite(self.mean_h) and self.mean_h >= 0):
            out.append(_problem(column, self.mean_h, "mean time must be a finite number >= 0 h"))
        if not (math.isfinite(self.cv) and self.cv >= 0):
            out.append(_problem(column, self.cv, "coefficient of variation must be >= 0"))
        if self.kind in ("uniform", "triangular"):
            mode = 3.0 * self.mean_h - self.low_h - self.high_h
            if not 0 <= self.low_h <= self.high_h:
                out.append(
                    _problem(
                        column,
                        f"{self.low_h}..{self.high_h}",
                        "bounds must satisfy 0 <= low <= high",
                    )
                )
            elif self.kind == "triangular" and not self.low_h - 1e-9 <= mode <= self.high_h + 1e-9:
                out.append(_problem(column, mode, "mode must lie between low and high"))
        return out
