"""Classes that do not count against a capacity: crude at a container terminal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corridors.assignment import AssignmentGraph, DemandClass, assign_multiclass, build_graph
from corridors.assignment.corridor import assign_corridors, teu_capacity_groups
from corridors.datasets import eurasia_path
from corridors.demand import read_demand
from corridors.network import read_network

# One O-D pair, two routes: arc 0 fast (10 h, BPR capacity 100), arc 1 slow (20 h, free).


def _graph() -> AssignmentGraph:
    return build_graph(
        n_vertices=2,
        tail=[0, 0],
        head=[1, 1],
        free_time=[10.0, 20.0],
        group=[0, -1],
        group_scale=[10.0],
        group_capacity=[100.0],
        origins=[0, 1],
        destinations=[0, 1],
    )


def _od(volume: float) -> np.ndarray:
    dem = np.zeros((2, 2))
    dem[0, 1] = volume
    return dem


def test_a_class_with_zero_share_neither_loads_nor_meets_the_delay() -> None:
    # boxes alone: t = 10 (1 + 0.15 (x/100)^4) = 20 at x = 100 * (1/0.15)^(1/4) = 160.7
    # crude (share 0) sees 10 h on the fast arc whatever the boxes do: all 500 t take it.
    boxes = DemandClass("containers", _od(300.0))
    crude = DemandClass("crude", _od(500.0), capacity_share=np.array([0.0]))
    res = assign_multiclass(_graph(), [boxes, crude], gap=1e-10, max_iter=2000)
    x_boxes = 100.0 * (1.0 / 0.15) ** 0.25
    assert res.class_flow[0, 0] == pytest.approx(x_boxes, rel=1e-4)
    assert res.class_flow[1, 0] == pytest.approx(500.0)
    assert res.group_flow[0] == pytest.approx(x_boxes, rel=1e-4)  # crude not counted
    assert res.class_time(1)[0] == pytest.approx(10.0)
    assert res.time[0] == pytest.approx(20.0, rel=1e-6)
    # counted fully, the same crude would push boxes off the fast arc
    full = assign_multiclass(
        _graph(), [boxes, DemandClass("crude", _od(500.0))], gap=1e-10, max_iter=2000
    )
    assert full.group_flow[0] == pytest.approx(x_boxes, rel=1e-4)
    assert full.class_flow[0, 0] + full.class_flow[1, 0] == pytest.approx(x_boxes, rel=1e-4)


def test_bad_capacity_share_is_refused() -> None:
    with pytest.raises(ValueError, match="capacity share"):
        assign_multiclass(_graph(), [DemandClass("x", _od(1.0), capacity_share=np.array([-1.0]))])


@pytest.mark.slow
def test_shipped_crude_never_counts_against_a_teu_capacity() -> None:
    data = Path(eurasia_path())
    res = assign_corridors(read_network(data), read_demand(data / "demand-2024.csv"))
    mc = res.classes
    crude = mc.index("liquid_bulk")
    teu = teu_capacity_groups(res.expanded)
    others = sum(mc.class_group_flow(k) for k in range(mc.n_classes) if k != crude)
    crude_flow = mc.class_group_flow(crude)
    assert crude_flow[teu].sum() > 0.0  # the crude does pass container terminals (Aktau)
    np.testing.assert_allclose(mc.group_flow[teu], others[teu])  # ... and is not counted
    tonne = ~teu & (crude_flow > 0)
    assert tonne.any()  # on pipelines it counts, in TEU-equivalents of its tonnes
    np.testing.assert_allclose(mc.group_flow[tonne], (others + crude_flow)[tonne])
    bottlenecks = res.bottlenecks()
    vc_aktau = bottlenecks.set_index("label")["volume_capacity"].get("node:aktau")
    if vc_aktau is not None:
        g = res.expanded.group_label.index("node:aktau")
        assert vc_aktau == pytest.approx(others[g] / res.expanded.group_capacity[g])
