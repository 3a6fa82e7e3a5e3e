"""The TNTP reader on a small hand-made folder, and its error messages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corridors.assignment.equilibrium import assign_equilibrium
from corridors.assignment.errors import AssignmentInputError
from corridors.assignment.tntp import format_flow, read_flow, read_tntp, tntp_graph
from corridors.errors import ProblemsError

NET = """<NUMBER OF ZONES> 2
<NUMBER OF NODES> 3
<FIRST THRU NODE> 3
<NUMBER OF LINKS> 4
<TOLL FACTOR> 0.5
<DISTANCE FACTOR> 0.1
<END OF METADATA>

~ init_node term_node capacity length free_flow_time b power speed toll link_type ;
\t1\t3\t100\t10\t2\t0.15\t4\t0\t4\t1\t;
\t3\t2\t100\t10\t2\t0.15\t4\t0\t0\t1\t;
\t1\t2\t50\t20\t5\t0.15\t4\t0\t0\t1\t;
\t2\t1\t50\t20\t5\t0.15\t4\t0\t0\t1\t;
"""

TRIPS = """<NUMBER OF ZONES> 2
<TOTAL OD FLOW> 130.0
<END OF METADATA>

Origin 1
    1 :    0.0;     2 :  120.0;
Origin 2
    1 :   10.0;
"""


def write_folder(folder: Path, net: str = NET, trips: str = TRIPS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Tiny_net.tntp").write_text(net)
    (folder / "Tiny_trips.tntp").write_text(trips)
    return folder


def test_reads_a_small_folder_with_generalised_cost(tmp_path: Path) -> None:
    net = read_tntp(write_folder(tmp_path / "Tiny"))
    assert net.name == "Tiny"
    assert (net.n_zones, net.n_nodes, net.first_thru_node) == (2, 3, 3)
    assert net.toll_factor == 0.5
    assert net.distance_factor == 0.1
    np.testing.assert_array_equal(net.demand, [[0.0, 120.0], [10.0, 0.0]])
    # fixed terms: 0.5 * toll + 0.1 * length, not scaled by the BPR term
    np.testing.assert_allclose(net.fixed_cost(), [3.0, 1.0, 2.0, 2.0])
    g = tntp_graph(net)
    res = assign_equilibrium(g, net.demand, gap=1e-10, max_iter=500)
    assert res.converged
    t = res.time
    x = res.flow
    np.testing.assert_allclose(
        t,
        2.0 * (1 + 0.15 * (x / 100.0) ** 4) * [1, 1, 0, 0]
        + 5.0 * (1 + 0.15 * (x / 50.0) ** 4) * [0, 0, 1, 1],
        rtol=1e-12,
    )
    # equilibrium between the two routes 1->3->2 and 1->2 (generalised costs equal)
    via = res.cost[0] + res.cost[1]
    assert x[0] > 0
    assert x[2] > 0
    assert via == pytest.approx(res.cost[2], rel=1e-8)
    assert x[0] + x[2] == pytest.approx(120.0)
    assert x[3] == pytest.approx(10.0)


def test_parameters_override_and_readme_weights(tmp_path: Path) -> None:
    plain = NET.replace("<TOLL FACTOR> 0.5\n", "").replace("<DISTANCE FACTOR> 0.1\n", "")
    folder = write_folder(tmp_path / "R", net=plain)
    assert read_tntp(folder).distance_factor == 0.0
    (folder / "README.md").write_text(
        "## Generalized Cost Weights\nToll: 0.02 minutes/cent  \n"
        "Distance: 0.04 minutes/mile\n\n## Solutions\n"
    )
    net = read_tntp(folder)
    assert (net.toll_factor, net.distance_factor) == (0.02, 0.04)
    assert read_tntp(folder, toll_factor=1.0).toll_factor == 1.0


def test_zone_below_first_thru_node_is_not_passed_through(tmp_path: Path) -> None:
    # zone 2 sits between 1 and node 3 via cheap links; with FIRST THRU NODE 3 the
    # trip 1 -> 3 must use the direct expensive link.
    net_text = """<NUMBER OF ZONES> 2
<NUMBER OF NODES> 3
<FIRST THRU NODE> 3
<END OF METADATA>
\t1\t2\t100\t1\t1\t0\t4\t0\t0\t1\t;
\t2\t3\t100\t1\t1\t0\t4\t0\t0\t1\t;
\t1\t3\t100\t1\t9\t0\t4\t0\t0\t1\t;
\t3\t1\t100\t1\t1\t0\t4\t0\t0\t1\t;
"""
    trips = "<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n2 : 0.0;\n"
    folder = write_folder(tmp_path / "F", net=net_text, trips=trips)
    blocked = read_tntp(folder)
    free = read_tntp(folder, first_thru_node=1)
    # route 1 -> 3 as cost skims via node 3 (a through node, not a zone): use arc flows
    from corridors.assignment.paths import all_or_nothing

    g_b, g_f = tntp_graph(blocked), tntp_graph(free)
    cost = g_b.free_time
    demand = np.array([[0.0, 0.0], [0.0, 0.0]])
    full_b = all_or_nothing(g_b, cost, demand, full=True, keep_trees=True)
    full_f = all_or_nothing(g_f, cost, demand, full=True, keep_trees=True)
    assert full_b.pred_arc is not None
    assert full_f.pred_arc is not None
    # tree from zone 1 reaches node 3 (vertex 2) by the direct arc 2 when 2 is blocked
    assert full_b.pred_arc[0, 2] == 2
    assert full_f.pred_arc[0, 2] == 1


@pytest.mark.parametrize(
    ("bad_line", "field", "message"),
    [
        ("\t1\t3\t100\t10\t;", "free_flow_time", "needs at least 7"),
        ("\t1\t9\t100\t10\t2\t0.15\t4\t0\t0\t1\t;", "term_node", "unknown node"),
        ("\t1\t3\t-100\t10\t2\t0.15\t4\t0\t0\t1\t;", "capacity", "must not be negative"),
        ("\t1\t3\tabc\t10\t2\t0.15\t4\t0\t0\t1\t;", "capacity", "not a number"),
    ],
)
def test_bad_net_rows_name_file_line_and_field(
    tmp_path: Path, bad_line: str, field: str, message: str
) -> None:
    lines = NET.splitlines()
    lines[9] = bad_line  # first link row is line 10
    folder = write_folder(tmp_path / "B", net="\n".join(lines) + "\n")
    with pytest.raises(AssignmentInputError) as err:
        read_tntp(folder)
    assert isinstance(err.value, ProblemsError)
    assert isinstance(err.value, ValueError)
    problem = err.value.problems[0]
    assert problem.file == "Tiny_net.tntp"
    assert problem.row == 10
    assert problem.column == field
    assert message in problem.message
    assert "Tiny_net.tntp, line 10" in str(err.value)


def test_bad_trips_are_all_reported(tmp_path: Path) -> None:
    trips = TRIPS.replace("2 :  120.0;", "5 :  120.0;").replace("1 :   10.0;", "1 :   -3;")
    folder = write_folder(tmp_path / "T", trips=trips)
    with pytest.raises(AssignmentInputError) as err:
        read_tntp(folder)
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {(6, "destination"), (8, "volume")}


def test_missing_files_and_flow_round_trip(tmp_path: Path) -> None:
    with pytest.raises(AssignmentInputError, match=r"no \*_net\.tntp"):
        read_tntp(tmp_path)
    text = format_flow(
        np.array([1, 2]), np.array([2, 1]), np.array([1.5, 2.25]), np.array([3.0, 4.0])
    )
    path = tmp_path / "Tiny_flow.tntp"
    path.write_text(text)
    flow = read_flow(path)
    assert flow["volume"].tolist() == [1.5, 2.25]
    path.write_text("From\tTo\tVolume\tCost\n1\t2\tx\t3\n")
    with pytest.raises(AssignmentInputError, match="line 2, field 'volume'"):
        read_flow(path)
