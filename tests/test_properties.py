"""Property-based tests: whatever the input, only corridors' own errors come out.

Random small networks, demand tables, YAML texts, scenarios and command-line values,
valid or garbage (NaN, inf, 1e300, 1e-300, text, blanks, unknown ids), are fed to the
readers and engines. Each must either work or raise a
:class:`~corridors.errors.CorridorsError` (which the CLI turns into one clear line);
any other exception (TypeError, ZeroDivisionError, RecursionError, OverflowError ...)
is a bug. About 2,000 examples in all.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import typer
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors.cli.common import finite
from corridors.demand import read_demand
from corridors.errors import CorridorsError
from corridors.network import read_network
from corridors.routing.routes import best_route, compare
from corridors.scenarios.io import parse_model
from corridors.scenarios.spec import Scenario
from corridors.scenarios.variables import parse_vary
from corridors.yamlsafe import YamlError, load_with_lines

FAST = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
    database=None,
)

NASTY = ["", "0", "-5", "1e300", "1e-300", "-1e-300", "inf", "-inf", "nan", "abc", "1,5", " 7 "]

number_text = st.one_of(
    st.sampled_from(NASTY),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(min_value=0.1, max_value=5000).map(lambda x: f"{x:.3f}"),
)
"""Cell text of a numeric column: plausible numbers, garbage and extremes."""

CONFIG = (
    "dataset_name,short_length,long_length,speed,crs,geometry_field_format,currency,"
    "version_number,id_type,reference_year\nprop,m,km,kph,EPSG:4326,WKT,USD,0.96,string,2024\n"
)


@st.composite
def network_tables(draw: st.DrawFn) -> tuple[str, str, list[str]]:
    """node.csv and link.csv texts of a small random network, and its node ids."""
    n = draw(st.integers(min_value=2, max_value=5))
    ids = [f"n{i}" for i in range(n)]
    nodes = ["node_id,name,x_coord,y_coord,kind,country,handling_h,border_h,capacity_teu_yr,source"]
    for i, nid in enumerate(ids):
        x = draw(st.one_of(st.just(f"{10 * i}"), number_text))
        y = draw(st.one_of(st.just(f"{40 + i}"), number_text))
        kind = draw(st.sampled_from(["terminal", "border", "port", "junction", "bogus"]))
        country = draw(st.sampled_from(["CN", "KZ", "AZ", "GE", "TR", "XX"]))
        cells = [draw(number_text) for _ in range(3)]
        nodes.append(",".join([nid, f"Place {i}", x, y, kind, country, *cells, "test"]))
    links = [
        (
            "link_id,from_node_id,to_node_id,mode,length,free_speed,time_h,tariff_usd_teu,"
            "capacity_teu_yr,ef_g_tkm,corridors,status,source"
        )
    ]
    for j in range(draw(st.integers(min_value=1, max_value=6))):
        a = draw(st.sampled_from([*ids, "nowhere"]))
        b = draw(st.sampled_from([*ids, "nowhere"]))
        mode = draw(st.sampled_from(["rail", "road", "ferry", "bogus"]))
        length = draw(st.one_of(st.just(f"{1000 + 500 * j}"), number_text))
        speed = draw(st.one_of(st.just("40"), number_text))
        nums = [draw(number_text) for _ in range(4)]
        tags = draw(st.sampled_from(["", "middle", "northern", "middle;northern"]))
        status = draw(st.sampled_from(["operating", "closed", "planned", ""]))
        links.append(",".join([f"l{j}", a, b, mode, length, speed, *nums, tags, status, "test"]))
    return "\n".join(nodes) + "\n", "\n".join(links) + "\n", ids


@settings(FAST, max_examples=300)
@given(network_tables())
def test_random_networks_read_and_route_or_raise_our_errors(
    tables: tuple[str, str, list[str]],
) -> None:
    node_text, link_text, ids = tables
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "config.csv").write_text(CONFIG)
        (folder / "node.csv").write_text(node_text)
        (folder / "link.csv").write_text(link_text)
        try:
            net = read_network(folder)
        except CorridorsError:
            return
    for fn in (compare, best_route):
        try:
            routes = fn(net, ids[0], ids[-1])
        except CorridorsError:
            continue
        for route in routes if isinstance(routes, list) else [routes]:
            assert math.isfinite(route.generalised_cost_usd)
            assert route.hours >= 0


demand_cell = st.one_of(number_text, st.text(max_size=6))


@settings(FAST, max_examples=500)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.lists(
            st.tuples(
                st.sampled_from(["xa", "xe", "", "xa,", '"x']),
                st.sampled_from(["xe", "xa", ""]),
                st.sampled_from(["containers", "trucks", "bogus", ""]),
                demand_cell,
                st.sampled_from(["TEU", "t", "kg", ""]),
                demand_cell,
            ),
            max_size=5,
        ).map(
            lambda rows: (
                "origin,destination,commodity,volume,unit,year,source\n"
                + "".join(",".join([*r, "s"]) + "\n" for r in rows)
            )
        ),
    )
)
def test_random_demand_files_read_or_raise_demand_errors(data: bytes | str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demand.csv"
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        try:
            frame = read_demand(path)
        except CorridorsError:
            return
    assert len(frame) >= 1
    assert (frame["volume"] >= 0).all()
    assert frame["volume"].map(math.isfinite).all()


yaml_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
)
yaml_value = st.recursive(
    yaml_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)

TOY = Path(__file__).parent / "scenarios" / "files" / "toy.yaml"
TOY_DATA: dict[str, Any] = yaml.safe_load(TOY.read_text())
FIELDS = [
    ("base_year",),
    ("horizon",),
    ("seed",),
    ("discount_rate",),
    ("measures",),
    ("demand", "markets", 0, "volume"),
    ("demand", "markets", 0, "growth"),
    ("demand", "markets", 0, "origin"),
    ("demand", "markets", 0, "growth_by_year"),
    ("behaviour", "value_of_time_usd_teu_h"),
    ("behaviour", "logit_scale_per_usd"),
    ("behaviour", "risk_premium_usd_teu"),
    ("uncertainty",),
    ("disruptions",),
]


def _set(data: dict[str, Any], path: tuple[Any, ...], value: object) -> dict[str, Any]:
    out: Any = yaml.safe_load(yaml.safe_dump(data))
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return dict(out)


@settings(FAST, max_examples=500)
@given(st.lists(st.tuples(st.sampled_from(FIELDS), yaml_value), min_size=1, max_size=3))
def test_random_scenarios_parse_or_raise_scenario_errors(
    changes: list[tuple[tuple[Any, ...], object]],
) -> None:
    data = TOY_DATA
    for path, value in changes:
        data = _set(data, path, value)
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        scenario, _ = parse_model(text, Scenario, file="s.yaml")
    except CorridorsError:
        return
    assert scenario.base_year <= scenario.horizon
    for m in scenario.demand.markets:
        assert math.isfinite(m.volume)
        assert m.growth > -1


@settings(FAST, max_examples=400)
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(
            st.sampled_from(["a: ", "- ", "&x ", "*x ", "[", "]", "{", "}", "\n  ", "!!"])
        ).map("".join),
    )
)
def test_random_yaml_texts_load_or_raise_yaml_errors(text: str) -> None:
    try:
        value, lines = load_with_lines(text, file="t.yaml")
    except YamlError as exc:
        problems = exc.problems
        assert problems
        return
    assert value is None or () in lines


@settings(FAST, max_examples=400)
@given(
    st.one_of(
        st.text(max_size=40),
        st.tuples(
            st.sampled_from(
                ["border_time", "border_time.KZ", "demand.m.growth", "speed.middle", "bogus.x"]
            ),
            number_text,
            number_text,
        ).map(lambda t: f"{t[0]}={t[1]}..{t[2]}"),
    ),
    st.floats(allow_nan=True, allow_infinity=True),
)
def test_random_options_are_accepted_or_refused_cleanly(vary: str, number: float) -> None:
    try:
        v = parse_vary(vary)
    except CorridorsError:
        pass
    else:
        assert math.isfinite(v.low)
        assert v.low <= v.high
    try:
        value = finite(minimum=0, exclusive=True)(number)
    except typer.BadParameter:
        assert not (math.isfinite(number) and number > 0)
    else:
        assert value is not None
        assert math.isfinite(value)
        assert value > 0
