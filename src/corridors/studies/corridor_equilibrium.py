"""``corridors assign`` on a corridor network: a demand table through the model of ``run``.

The demand table's rows become the markets of a scenario (its value of time, logit,
nests, constants, capacity limits, measures and disruptions in force), and the
scenario's year solver (:func:`corridors.studies.scenario_run.scenario_run`, the
capacity-constrained stochastic equilibrium of :mod:`corridors.scenarios.model`) splits
them over the corridors for one year. So ``corridors assign DATA demand-2024.csv`` and
``corridors run baseline-2024`` give the same 2024 corridor volumes; link flows are the
sums of the route flows, and no element carries more than its capacity where the
scenario's limits are hard (a shadow price stops it instead).

Which scenario: ``scenario`` (a shipped name or a file); else, on the shipped network,
:data:`DEFAULT_SCENARIO`; on any other network, the default behaviour
(:class:`~corridors.scenarios.spec.Behaviour`) with hard capacities everywhere. Which
year: ``year``, else the scenario's base year, else the table's ``year`` column.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from corridors.datasets import eurasia_path
from corridors.demand import read_demand
from corridors.demand.classes import cargo_class
from corridors.errors import Problem, ScenarioError
from corridors.network.model import Network
from corridors.scenarios.elements import on_link
from corridors.scenarios.io import (
    load_inputs,
    network_names,
    resolve_demand_table,
)
from corridors.scenarios.parsing import SourceMap
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.spec import Behaviour, Demand, Market, MeasureCatalogue, Scenario
from corridors.studies.scenario_run import scenario_run

__all__ = ["DEFAULT_SCENARIO", "CorridorEquilibrium", "assign_corridor_equilibrium"]

logger = logging.getLogger(__name__)

DEFAULT_SCENARIO = "baseline-2024"
"""Scenario whose behaviour ``assign`` uses on the shipped network when none is named."""


@dataclass(frozen=True)
class CorridorEquilibrium:
    """A demand table at the scenario model's equilibrium in one year.

    Attributes
    ----------
    scenario : str
        Name of the scenario whose behaviour was used.
    year : int
        The year solved.
    network : Network
        The network (all years).
    markets : tuple of Market
        The table's markets as routed (native units).
    result : ScenarioResult
        The year's result tables (as ``corridors run`` writes them).
    threshold : float
        Utilisation above which an element is listed by :meth:`bottlenecks`.
    tolerance : float
        The equilibrium's target gap.
    """

    scenario: str
    year: int
    network: Network
    markets: tuple[Market, ...]
    result: ScenarioResult
    threshold: float
    tolerance: float

    @property
    def converged(self) -> bool:
        """Whether the equilibrium reached its tolerance."""
        return bool(self.result.info["converged"])

    @property
    def iterations(self) -> int:
        """Most equilibrium iterations over the year's segments."""
        return int(self.result.info["max_iterations"])

    @property
    def gap(self) -> float:
        """Largest final gap over the year's segments."""
        return float(self.result.info["max_gap"])

    def corridor_volumes(self) -> pd.DataFrame:
        """Volume a year per corridor and cargo class, in the class's own unit.

        Returns
        -------
        pandas.DataFrame
            ``corridor, name, commodity, unit, volume`` (TEU or tonnes a year) and
            ``volume_teu_equivalent`` (the TEU-equivalents capacities count: tonnes
            divided by the class's tonnes per TEU), largest first.
        """
        cv = self.result.corridor_volumes
        cls = {m.id: m.cargo_class for m in self.markets}
        rows: dict[tuple[str, str], float] = {}
        for market, corridor, teu in zip(
            cv["market"], cv["corridor"], cv["volume_teu"], strict=True
        ):
            key = (str(corridor), cls[str(market)].name)
            rows[key] = rows.get(key, 0.0) + float(teu)
        frame = pd.DataFrame(
            [
                {
                    "corridor": c,
                    "name": self.network.corridor_name(c) if c in self.network.corridor_ids else c,
                    "commodity": k,
                    "unit": cargo_class(k).unit,
                    "volume": cargo_class(k).native(v),
                    "volume_teu_equivalent": v,
                }
                for (c, k), v in rows.items()
            ],
            columns=["corridor", "name", "commodity", "unit", "volume", "volume_teu_equivalent"],
        )
        return frame.sort_values(
            ["volume_teu_equivalent", "corridor"], ascending=[False, True]
        ).reset_index(drop=True)

    def unserved(self) -> pd.DataFrame:
        """Demand no route carries (empty when every row is served).

        Returns
        -------
        pandas.DataFrame
            ``market, origin, destination, cargo_class, unit, volume`` (the class's
            unit a year), ``volume_teu`` and ``reason``
            (:attr:`~corridors.scenarios.result.ScenarioResult.unserved`).
        """
        return self.result.unserved.drop(columns=["year"]).reset_index(drop=True)

    def elements(self) -> pd.DataFrame:
        """Every capacitated element: volume, capacity (TEU-equivalents), utilisation, price."""
        b = self.result.bottlenecks
        return b.drop(columns=["year"]).reset_index(drop=True)

    def bottlenecks(self) -> pd.DataFrame:
        """Elements whose utilisation exceeds ``threshold``, fullest first."""
        el = self.elements()
        out = el[el["utilisation"] > self.threshold]
        return out.sort_values("utilisation", ascending=False).reset_index(drop=True)

    def links(self) -> pd.DataFrame:
        """Volume a year per network link and direction, from the route flows.

        Returns
        -------
        pandas.DataFrame
            One row per link and direction used: ``link_id``, ``from_node_id`` and
            ``to_node_id`` (the direction of the flow), ``mode``,
            ``volume_teu_equivalent`` (TEU and tonnes / tonnes per TEU of every class
            in that direction), ``element`` (the capacitated element the link belongs
            to in that direction: ``link:<id>@<from node>``, or ``water:<ports>@<side>``
            for the ferries and feeders across one water), ``capacity_teu_equivalent``
            (a link's own capacity, per direction as ``link.csv`` declares it),
            ``utilisation`` (the direction's volume over the link's own capacity; for a
            water crossing the element's utilisation, all its lines in that direction) and
            ``shadow_price_usd_teu`` (the element's). Links without flow are left out.
        """
        lf = self.result.link_flows
        links = self.network.links
        el = self.elements()
        by_key: dict[str, tuple[float, float, float]] = {}
        for element, u, cap, price in zip(
            el["element"],
            el["utilisation"],
            el["capacity_teu"],
            el["shadow_price_usd_teu"],
            strict=True,
        ):
            old = by_key.get(str(element), (-math.inf, math.inf, 0.0))
            by_key[str(element)] = (
                max(old[0], float(u)),
                min(old[1], float(cap)),
                max(old[2], float(price)),
            )
        volume = {
            lid: (float(ab), float(ba))
            for lid, ab, ba in zip(
                lf["link_id"], lf["volume_ab_teu"], lf["volume_ba_teu"], strict=True
            )
        }
        rows = []
        for lid, a, b, mode in zip(
            links["link_id"], links["from_node_id"], links["to_node_id"], links["mode"], strict=True
        ):
            for v, start, end in zip(volume.get(lid, (0.0, 0.0)), (a, b), (b, a), strict=True):
                if v <= 0.0:
                    continue
                keys = [k for k in by_key if on_link(k, str(lid), str(start), str(end))]
                own = next((k for k in keys if k.startswith("link:")), None)
                key = own or (keys[0] if keys else "")
                use, cap, price = by_key.get(key, (math.nan, math.nan, 0.0))
                if own is not None:
                    use = v / cap if cap > 0 else math.inf
                rows.append(
                    {
                        "link_id": lid,
                        "from_node_id": start,
                        "to_node_id": end,
                        "mode": mode,
                        "volume_teu_equivalent": v,
                        "element": key or None,
                        "capacity_teu_equivalent": cap if own is not None else math.nan,
                        "utilisation": use,
                        "shadow_price_usd_teu": price,
                    }
                )
        return pd.DataFrame(
            rows,
            columns=[
                "link_id",
                "from_node_id",
                "to_node_id",
                "mode",
                "volume_teu_equivalent",
                "element",
                "capacity_teu_equivalent",
                "utilisation",
                "shadow_price_usd_teu",
            ],
        )


def _table_year(frame: pd.DataFrame, file: str) -> int:
    years = sorted({int(y) for y in frame["year"].dropna()})
    if len(years) != 1:
        found = ", ".join(map(str, years)) or "none"
        raise ScenarioError(
            [
                Problem(
                    file,
                    None,
                    "year",
                    found,
                    "cannot tell which year to assign from the table's years",
                    "give --year",
                )
            ],
            what=file,
        )
    return years[0]


def assign_corridor_equilibrium(
    network: Network,
    demand: Path,
    *,
    network_path: Path | None = None,
    scenario: str | Path | None = None,
    year: int | None = None,
    threshold: float = 0.8,
    tolerance: float | None = None,
    max_iterations: int | None = None,
) -> CorridorEquilibrium:
    """Split a demand table over the corridors with the year solver of ``corridors run``.

    Parameters
    ----------
    network : Network
        The corridor network.
    demand : Path
        Demand CSV (:func:`corridors.demand.read_demand`): every row needs its
        ``market``; volumes in the native unit of the row's commodity.
    network_path : Path, optional
        Folder ``network`` was read from (to tell the shipped network, whose measures
        catalogue and default scenario apply).
    scenario : str or Path, optional
        Shipped scenario name or scenario file whose behaviour, measures, disruptions
        and ``table_markets`` (growth aside: one year is solved) apply.
    year : int, optional
        Year solved (network, measures and disruptions of that year; the table's
        volumes as they are).
    threshold : float
        Utilisation above which :meth:`CorridorEquilibrium.bottlenecks` lists an element.
    tolerance : float, optional
        Largest share change the equilibrium may still ask for (default: the
        scenario's ``behaviour.equilibrium.tolerance``).
    max_iterations : int, optional
        Averaging iterations at most (default: the scenario's).

    Raises
    ------
    DemandError
        Bad rows in the demand table.
    ScenarioError
        A row without market, a volume not in its class's unit, an unknown place, no
        year to solve.
    UnknownScenarioError
        ``scenario`` is neither a file nor a shipped scenario.
    """
    shipped = network_path is None or network_path.resolve() == eurasia_path().resolve()
    name = scenario if scenario is not None else (DEFAULT_SCENARIO if shipped else None)
    catalogue: MeasureCatalogue | None = None
    frame = read_demand(demand)
    if name is not None:
        inputs = load_inputs(
            name,
            network=network,
            network_path=eurasia_path() if shipped else network_path,
        )
        base, catalogue = inputs.scenario, inputs.catalogue
        solve = year if year is not None else base.base_year
    else:
        solve = year if year is not None else _table_year(frame, demand.name)
        base = Scenario(
            name="assign",
            base_year=solve,
            horizon=solve,
            demand=Demand(table=str(demand.resolve())),
            behaviour=Behaviour(capacity_limits="hard"),
        )
    in_table = {str(m) for m in frame["market"].dropna()}
    settings = [m for m in base.demand.table_markets if m.id in in_table]
    table = Demand(
        table=str(demand.resolve()),
        grouping=base.demand.grouping if base.demand.from_table else "od",
        table_markets=settings,
    )
    solver_settings = base.behaviour.equilibrium.model_copy(
        update={
            k: v
            for k, v in (("tolerance", tolerance), ("max_iterations", max_iterations))
            if v is not None
        }
    )
    behaviour = base.behaviour.model_copy(update={"equilibrium": solver_settings})
    sc = base.model_copy(
        update={
            "demand": table,
            "base_year": solve,
            "horizon": solve,
            "name": base.name,
            "behaviour": behaviour,
        }
    )
    sc = resolve_demand_table(
        sc, SourceMap(str(demand), {}), folder=demand.parent, names=network_names(network)
    )
    logger.info("assign %s in %d with the behaviour of %s", demand.name, solve, sc.name)
    result = scenario_run(network, sc, catalogue=catalogue)
    return CorridorEquilibrium(
        scenario=sc.name,
        year=solve,
        network=network,
        markets=tuple(sc.demand.markets),
        result=result,
        threshold=threshold,
        tolerance=sc.behaviour.equilibrium.tolerance,
    )
