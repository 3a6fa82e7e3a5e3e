"""Fixtures of the simulation tests: the shipped network and its 2024 demand.

Session-scoped: the stations' checks (``test_simulation_shipped_2024.py``) and the
ferry lines' (``test_simulation_shipped_ferries.py``) share one network and one
equilibrium model (a worker of ``pytest -n`` builds each at most once).
"""

from __future__ import annotations

import pytest

from corridors.datasets import eurasia_path
from corridors.demand import read_demand
from corridors.network import read_network
from corridors.network.model import Network
from corridors.simulation import BuildOptions, SimulationModel
from corridors.studies.simulate import simulation_model

MARKETS = (
    "china_eu",
    "china_ru_by",
    "china_caucasus_tr",
    "kz_caucasus",
    "central_asia_tr",
    "central_asia_eu",
)
"""The 2024 markets of :func:`shipped_model` (issue 11's)."""

SEEDS = (11, 12, 13, 14)  # chosen before looking at the results


@pytest.fixture(scope="session")
def shipped_network() -> Network:
    """The shipped Eurasian network."""
    return read_network(eurasia_path())


@pytest.fixture(scope="session")
def shipped_model(shipped_network: Network) -> SimulationModel:
    """The 2024 demand of :data:`MARKETS` on :func:`shipped_network`, routed by the
    equilibrium (no feedback rounds)."""
    demand = read_demand(eurasia_path() / "demand-2024.csv")
    demand = demand[demand["market"].isin(MARKETS)].reset_index(drop=True)
    options = BuildOptions(route_choice="equilibrium", feedback_rounds=0)
    return simulation_model(shipped_network, demand, options=options)


@pytest.fixture(scope="session")
def shipped_seeds() -> tuple[int, ...]:
    """The seeds every simulation of :func:`shipped_model` runs: :data:`SEEDS`."""
    return SEEDS
