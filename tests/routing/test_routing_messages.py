"""Messages that say what is wrong: an unknown corridor, costs that overflow."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.errors import UnreachableError
from corridors.network import Network, read_network
from corridors.routing import CostParameters
from corridors.routing.routes import UnknownCorridorError, alternatives, compare


@pytest.fixture(scope="module")
def mini(mini_path: Path) -> Network:
    return read_network(mini_path)


def test_unknown_corridor_is_named_not_no_route(mini: Network) -> None:
    with pytest.raises(UnknownCorridorError, match=r"unknown corridor 'nope'; known: middle"):
        compare(mini, "Alpha", "Echo", corridors=("nope",))
    with pytest.raises(UnknownCorridorError, match=r"did you mean 'middle'\?"):
        alternatives(mini, "Alpha", "Echo", corridor="midle")


def test_overflowing_costs_are_not_reported_as_no_route(mini: Network) -> None:
    params = CostParameters(value_of_time_usd_h=1e308)
    with (
        pytest.warns(RuntimeWarning, match="overflow"),
        pytest.raises(UnreachableError, match="generalised costs overflow") as info,
    ):
        compare(mini, "Alpha", "Echo", params=params)
    assert "no route" not in str(info.value)
