"""A sweep's varied range: ``VARIABLE=LOW..HIGH`` as given to ``--vary``."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from corridors.errors import Problem, ScenarioError
from corridors.scenarios.variable_checks import check_range, check_variable

_RANGE = re.compile(
    r"^\s*(?P<var>[A-Za-z_][\w.\-]*)\s*=\s*(?P<low>[-+0-9.eE]+)\s*\.\.\s*(?P<high>[-+0-9.eE]+)\s*$"
)


@dataclass(frozen=True)
class Vary:
    """A variable and the range a sweep draws it from (uniformly).

    Attributes
    ----------
    variable : str
        Dotted variable name.
    low, high : float
        Range.
    """

    variable: str
    low: float
    high: float


def parse_vary(text: str) -> Vary:
    """Parse ``"border_time.KZ=0.5..1.0"``.

    Raises
    ------
    ScenarioError
        When the text is not ``VARIABLE=LOW..HIGH`` or names an unknown variable.
    """
    m = _RANGE.match(text)
    if not m:
        raise ScenarioError(
            [
                Problem(
                    "--vary",
                    None,
                    None,
                    text,
                    "expected VARIABLE=LOW..HIGH, e.g. border_time.KZ=0.5..1.0",
                )
            ],
            what="--vary",
        )
    try:
        low, high = float(m["low"]), float(m["high"])
    except ValueError:
        low = high = math.nan
    var = m["var"]
    problems = check_variable(var, where="--vary")
    if not (math.isfinite(low) and math.isfinite(high)):
        problems.append(Problem("--vary", None, var, text, "LOW and HIGH must be finite numbers"))
    elif high < low:
        problems.append(Problem("--vary", None, var, text, f"high {high:g} is below low {low:g}"))
    elif not problems:
        problems += check_range(var, low, high, where="--vary")
    if problems:
        raise ScenarioError(problems, what="--vary")
    return Vary(var, low, high)
