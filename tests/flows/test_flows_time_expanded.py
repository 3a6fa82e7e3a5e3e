"""Time-expanded maximum flow: what arrives within a window."""

from __future__ import annotations

import math

import pytest

from corridors.flows import FlowInputError, solve
from corridors.flows.paths import decompose
from corridors.flows.timeexpanded import COMMODITY, SINK, SOURCE, TimedLink, expand


def _delivered(**kw: object) -> float:
    te = expand(**kw)  # type: ignore[arg-type]
    return solve(te.problem).delivered(COMMODITY)


def test_one_link_delivers_rate_times_departures_that_arrive_in_time() -> None:
    # 10 t/h over a 5 h link in a 10 h window: departures at hours 0..5 arrive by 10.
    got = _delivered(
        places=["D", "X"],
        links=[TimedLink("d-x", "D", "X", time_h=5, rate=10)],
        handling_rate={},
        release_rate={"D": 100},
        destination="X",
        window_h=10,
    )
    assert got == pytest.approx(6 * 10)


def test_a_route_slower_than_the_window_carries_nothing() -> None:
    kw: dict[str, object] = {
        "places": ["D", "X"],
        "links": [TimedLink("slow", "D", "X", time_h=80, rate=10)],
        "handling_rate": {},
        "release_rate": {"D": 100},
        "destination": "X",
    }
    assert _delivered(**kw, window_h=72) == 0
    assert _delivered(**kw, window_h=96) == pytest.approx(17 * 10)


def test_handling_rate_limits_a_place_and_goods_wait_for_it() -> None:
    # The port P handles 4 t/h; the sea leg brings 10 t/h; road on takes 1 h.
    te = expand(
        places=["D", "P", "X"],
        links=[
            TimedLink("sea", "D", "P", time_h=2, rate=10),
            TimedLink("road", "P", "X", time_h=1),
        ],
        handling_rate={"P": 4},
        release_rate={"D": 10},
        destination="X",
        window_h=6,
    )
    res = solve(te.problem)
    # goods reach P from hour 2; handled at hours 2, 3, 4, 5 (4 t each) -> arrive 3..6
    assert res.delivered(COMMODITY) == pytest.approx(16)
    handled = [res.arc_flow(a) for a, (kind, place, _) in te.base.items() if kind == "handling"]
    assert sum(handled) == pytest.approx(16)
    paths = decompose(res, commodity=COMMODITY, source=SOURCE, sink=SINK)
    assert sum(f for _, f in paths) == pytest.approx(16)


def test_bad_time_expansion_input() -> None:
    with pytest.raises(FlowInputError) as err:
        expand(
            places=["D"],
            links=[TimedLink("x", "D", "Q", time_h=math.nan)],
            handling_rate={},
            release_rate={"D": 1},
            destination="Z",
            window_h=72,
        )
    text = str(err.value)
    assert "'Q'" in text
    assert "time_h" in text
    assert "destination" in text
