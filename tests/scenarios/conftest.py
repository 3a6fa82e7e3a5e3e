"""Fixtures of the scenario tests."""

from __future__ import annotations

import dataclasses

import pytest

from corridors.scenarios.io import ScenarioInputs, load_inputs
from corridors.scenarios.spec import Scenario

DOSTYK_PATHS = 8.0
"""Train paths a day westbound on Alashankou-Dostyk in :func:`rationed_zangezur`."""


@pytest.fixture(scope="session")
def rationed_zangezur() -> ScenarioInputs:
    """zangezur-open with one route a corridor and 8 train paths a day at Dostyk.

    Its captive cargo (Xi'an to Alat, Tbilisi, Minsk and Moscow: every route of theirs
    passes Alashankou-Dostyk) then exceeds the paths at the price cap, so the element is
    rationed (the shipped scenario, with two routes a corridor through Dostyk and
    Khorgos-Altynkol, rations nothing there).
    """
    inputs = load_inputs("zangezur-open")
    data = inputs.scenario.model_dump()
    data["behaviour"]["routes_per_corridor"] = 1
    data["adjustments"] = [
        *data.get("adjustments", []),
        {"target": "link", "link": "alashankou-dostyk", "set": {"trains_per_day": DOSTYK_PATHS}},
    ]
    loaded = dataclasses.replace(inputs.loaded, scenario=Scenario.model_validate(data))
    return dataclasses.replace(inputs, loaded=loaded)
