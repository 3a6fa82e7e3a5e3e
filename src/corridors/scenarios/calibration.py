"""Calibrate the corridor choice to observed volumes.

The alternative-specific constant of one corridor (its risk premium, USD per TEU) and
the logit scale are fitted so that the modelled volume of that corridor matches the
observed one, year by year, in the least-squares sense on logarithms (so that a 2021
volume of 0.6 Mt weighs as much as a 2023 volume of 2.8 Mt). The routes of every
year are found once; each trial only re-solves the corridor split.

The shipped observations are the TITR (Middle Corridor) volumes of the TITR
International Association and the Kazakh government, in tonnes:
586 kt in 2021, 1.5 Mt in 2022, 2.76-2.8 Mt in 2023 (``corridor-facts.md``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares

from corridors.network.model import Network
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.spec import Behaviour, MeasureCatalogue, Scenario

logger = logging.getLogger(__name__)

TITR_OBSERVED_T: dict[int, float] = {2021: 586_000.0, 2022: 1_500_000.0, 2023: 2_780_000.0}
"""Observed TITR cargo, tonnes (2023: middle of 2.76-2.8 Mt).

Sources: TITR International Association via Astana Times 2024-03 (2021, 2023);
Astana Times 2023-05 (2022).
"""


@dataclass(frozen=True)
class CalibrationResult:
    """Fitted parameters and the fit.

    Attributes
    ----------
    corridor : str
        Corridor whose constant was fitted.
    risk_premium_usd_teu : float
        Fitted alternative-specific constant of ``corridor``, USD per TEU.
    logit_scale_per_usd : float
        Fitted logit scale, 1/USD per TEU.
    observed_t, predicted_t : dict of int to float
        Volumes by year, tonnes.
    rmse_log : float
        Root mean square of ``log(predicted / observed)``.
    r2_log : float
        Share of the variance of ``log(observed)`` explained.
    success : bool
        The optimiser reports convergence.
    message : str
        The optimiser's message.
    scenario : Scenario
        The scenario with the fitted parameters.
    """

    corridor: str
    risk_premium_usd_teu: float
    logit_scale_per_usd: float
    observed_t: dict[int, float]
    predicted_t: dict[int, float]
    rmse_log: float
    r2_log: float
    success: bool
    message: str
    scenario: Scenario

    def table(self) -> list[tuple[int, float, float, float]]:
        """Rows ``(year, observed t, predicted t, error %)``."""
        return [(y, o, self.predicted_t[y], 100.0 * (self.predicted_t[y] / o - 1.0))
                for y, o in sorted(self.observed_t.items())]


def corridor_tonnes(
    runner: ScenarioRunner, behaviour: Behaviour, corridor: str, years: Sequence[int]
) -> dict[int, float]:
    """Modelled tonnes a year on ``corridor`` with the given behaviour."""
    result = runner.run(behaviour=behaviour)
    cv = result.corridor_volumes
    sel = cv[cv["corridor"] == corridor]
    totals = sel.groupby("year")["volume_t"].sum()
    return {y: float(totals.get(y, 0.0)) for y in years}


def _behaviour(base: Behaviour, corridor: str, asc: float, scale: float) -> Behaviour:
    premia = dict(base.risk_premium_usd_teu)
    premia[corridor] = asc
    return base.model_copy(update={"risk_premium_usd_teu": premia,
                                   "logit_scale_per_usd": scale})


def calibrate(
    network: Network,
    scenario: Scenario,
    observed_t: Mapping[int, float] | None = None,
    *,
    catalogue: MeasureCatalogue | None = None,
    corridor: str | None = None,
    start: tuple[float, float] | None = None,
) -> CalibrationResult:
    """Fit a corridor's constant and the logit scale to observed volumes.

    Parameters
    ----------
    network : Network
        The network.
    scenario : Scenario
        A scenario covering the observed years (demand, disruptions of the time).
    observed_t : mapping of year to tonnes, optional
        Observed volumes of ``corridor`` (default: the TITR volumes 2021-2023).
    catalogue : MeasureCatalogue, optional
        Measures the scenario names.
    corridor : str, optional
        Corridor to fit (default: the scenario's target corridor).
    start : (float, float), optional
        Starting constant (USD per TEU) and scale (1/USD); default the scenario's.

    Returns
    -------
    CalibrationResult

    Raises
    ------
    ValueError
        When an observed year is outside the scenario's years.
    """
    observed = dict(observed_t or TITR_OBSERVED_T)
    corridor = corridor or scenario.target_corridor
    years = sorted(observed)
    missing = [y for y in years if y not in scenario.years]
    if missing:
        raise ValueError(f"observed years {missing} are outside the scenario's "
                         f"{scenario.base_year}-{scenario.horizon}")
    runner = ScenarioRunner(network, scenario, catalogue=catalogue)
    beh = scenario.behaviour
    asc0, scale0 = start or (beh.risk_premium_usd_teu.get(corridor, 0.0), beh.logit_scale_per_usd)
    log_obs = np.log(np.array([observed[y] for y in years]))
    unit = 1000.0  # the constant is searched in thousands of USD so both unknowns are O(1)

    def residuals(x: NDArray[np.float64]) -> NDArray[np.float64]:
        b = _behaviour(beh, corridor, float(x[0]) * unit, float(math.exp(x[1])))
        pred = corridor_tonnes(runner, b, corridor, years)
        values = np.array([max(pred[y], 1e-9) for y in years])
        return np.asarray(np.log(values) - log_obs, dtype=np.float64)

    fit = least_squares(residuals, x0=np.array([asc0 / unit, math.log(scale0)]),
                        bounds=([-50.0, math.log(1e-6)], [50.0, math.log(0.1)]),
                        x_scale=np.array([1.0, 1.0]), xtol=1e-10, ftol=1e-12, gtol=1e-12)
    asc, scale = float(fit.x[0]) * unit, float(math.exp(fit.x[1]))
    best = _behaviour(beh, corridor, asc, scale)
    predicted = corridor_tonnes(runner, best, corridor, years)
    res = np.log(np.array([predicted[y] for y in years])) - log_obs
    ss_tot = float(((log_obs - log_obs.mean()) ** 2).sum())
    r2 = 1.0 - float((res**2).sum()) / ss_tot if ss_tot > 0 else math.nan
    logger.info("calibrated %s: constant %.1f USD/TEU, scale %.3g /USD", corridor, asc, scale)
    return CalibrationResult(
        corridor=corridor, risk_premium_usd_teu=asc, logit_scale_per_usd=scale,
        observed_t=observed, predicted_t=predicted,
        rmse_log=float(np.sqrt((res**2).mean())), r2_log=r2, success=bool(fit.success),
        message=str(fit.message), scenario=scenario.model_copy(update={"behaviour": best}),
    )
