"""SVG maps: escaping, determinism, layout, flow colouring, clipping."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from corridors.reports.errors import ReportError
from corridors.reports.svgmap import (
    VC_SCALE,
    LegendEntry,
    MapLine,
    MapPoint,
    _clip_ring,
    _ring_area_centroid,
    flow_lines,
    render_map,
)

NS = {"s": "http://www.w3.org/2000/svg"}
MIDDLE = [
    (108.94, 34.34),
    (80.4, 44.2),
    (51.17, 43.65),
    (49.42, 39.95),
    (44.8, 41.7),
    (43.1, 40.6),
    (28.98, 41.01),
    (6.76, 51.43),
]
EVIL = '<script>alert("x")</script> & "quotes" \'single\''


def _layers() -> tuple[list[MapLine], list[MapPoint]]:
    lines = [MapLine(MIDDLE, color="#e4572e", width=3, label=EVIL, tooltip=EVIL + " tip")]
    points = [
        MapPoint(108.94, 34.34, label="Xi'an"),
        MapPoint(6.76, 51.43, label="Duisburg", label_position="left"),
        MapPoint(51.17, 43.65, label="Aktau", tooltip=EVIL),
        MapPoint(49.42, 39.95, label=EVIL),
    ]
    return lines, points


@pytest.fixture(scope="module")
def sample_svg() -> str:
    lines, points = _layers()
    return render_map(lines=lines, points=points, width_px=800, title=EVIL)


def test_escapes_every_caller_string(sample_svg: str) -> None:
    assert "<script" not in sample_svg
    assert "&lt;script&gt;" in sample_svg
    root = ET.fromstring(sample_svg)  # well-formed XML
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert EVIL in texts  # the point label, the legend row and the map title, intact
    assert texts.count(EVIL) == 3
    assert EVIL + " tip" in titles
    assert EVIL in titles


def test_no_external_references(sample_svg: str) -> None:
    assert not re.search(r'(href|src)\s*=\s*"(https?:)?//', sample_svg)
    assert "<image" not in sample_svg
    assert "<script" not in sample_svg


def test_deterministic() -> None:
    lines, points = _layers()
    a = render_map(lines=lines, points=points, width_px=600, resolution="110m")
    b = render_map(lines=lines, points=points, width_px=600, resolution="110m")
    assert a == b


def test_points_inside_frame_and_placed_geographically(sample_svg: str) -> None:
    root = ET.fromstring(sample_svg)
    w, h = float(root.get("width", "0")), float(root.get("height", "0"))
    assert w == 800
    assert 0.5 * w <= h <= 1.25 * w
    circles = [
        (float(c.get("cx", "nan")), float(c.get("cy", "nan")))
        for c in root.iterfind(".//s:g[@class='points']/s:circle", NS)
    ]
    assert len(circles) == 4
    for x, y in circles:
        assert 0 < x < w
        assert 0 < y < h
    xian, duisburg, aktau, alat = circles
    assert xian[0] > aktau[0] > duisburg[0]  # east is right
    assert duisburg[1] < aktau[1] < alat[1]  # north is up
    # the default map shows countries, with names where they fit
    assert len(root.findall(".//s:g[@class='countries']/s:path", NS)) > 40
    assert "KAZAKHSTAN" in sample_svg


def test_explicit_bbox_and_size_and_no_legend() -> None:
    svg = render_map(
        points=[MapPoint(49.9, 40.4, label="Baku")],
        bbox=(40.0, 35.0, 60.0, 48.0),
        width_px=500,
        height_px=400,
        legend=[],
        resolution="110m",
    )
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("500", "400")
    assert 'class="legend"' not in svg
    c = root.find(".//s:g[@class='points']/s:circle", NS)
    assert c is not None
    # Baku is near the middle of a 40-60E box
    assert 150 < float(c.get("cx", "0")) < 350


def test_auto_legend_one_row_per_label() -> None:
    lines = [
        MapLine(MIDDLE[:3], color="#e4572e", label="TITR"),
        MapLine(MIDDLE[2:], color="#e4572e", label="TITR"),
        MapLine(MIDDLE[:2], color="#2e86ab", label="North", dash=(6, 4)),
    ]
    svg = render_map(lines=lines, width_px=500, resolution="110m")
    root = ET.fromstring(svg)
    legend_texts = [t.text for t in root.iterfind(".//s:g[@class='legend']/s:text", NS)]
    assert legend_texts == ["TITR", "North"]
    assert 'stroke-dasharray="6 4"' in svg


def test_antimeridian_does_not_crash() -> None:
    line = MapLine([(170.0, 60.0), (179.5, 62.0), (-175.0, 64.0)], color="navy")
    svg = render_map(lines=[line], width_px=400, resolution="110m")
    ET.fromstring(svg)
    svg2 = render_map(
        lines=[line], bbox=(165.0, 55.0, -165.0, 70.0), width_px=400, resolution="110m"
    )
    ET.fromstring(svg2)


def test_equirectangular_for_sea_route_round_the_cape() -> None:
    cape = MapLine(
        [(121.5, 31.2), (103.8, 1.3), (18.4, -34.4), (-9.1, 38.7), (4.4, 51.9)],
        color="#8e5ea2",
        label="Sea via the Cape",
    )
    svg = render_map(lines=[cape], width_px=600, resolution="110m")
    assert "equirectangular" in svg
    ET.fromstring(svg)


def test_invalid_inputs_raise() -> None:
    with pytest.raises(ReportError, match="not a colour"):
        MapLine(MIDDLE, color='red" onload="alert(1)')
    with pytest.raises(ReportError, match="not a valid"):
        MapPoint(10.0, 95.0)
    with pytest.raises(ReportError, match="not a valid"):
        MapLine([(0.0, 0.0), (math.nan, 1.0)])
    with pytest.raises(ReportError):
        LegendEntry("x", color="url(http://evil)")
    with pytest.raises(ReportError, match="bbox"):
        render_map(bbox=(10.0, 50.0, 20.0, 40.0))


def test_flow_lines_colour_classes_and_widths() -> None:
    seg = [(0.0, 40.0), (1.0, 41.0)]
    layer = flow_lines(
        [seg] * 6,
        flows=[100, 400, 200, 300, 50, 0],
        ratios=[0.3, 0.5, 0.65, 0.8, 0.95, math.nan],
        max_width=8,
        min_width=1,
    )
    green, amber, red = VC_SCALE.colors
    by_width = {ln.width: ln.color for ln in layer.lines}
    # widths proportional to flow: 400 -> 8 px, 200 -> 4, 100 -> 2, 50 -> 1, 0 -> min 1
    assert by_width[8.0] == green  # ratio 0.5: green (classes are upper-inclusive)
    assert by_width[4.0] == amber  # 0.65
    assert by_width[2.0] == green  # 0.3
    colors = [ln.color for ln in layer.lines]
    # drawn least congested first: missing (grey), green, green, amber, amber, red
    assert colors == [VC_SCALE.missing_color, green, green, amber, amber, red]
    assert layer.lines[-1].width == 1.0
    assert layer.lines[-2].width == 6.0
    labels = [e.label for e in layer.legend]
    assert labels[:3] == list(VC_SCALE.labels)
    assert labels[3:] == ["400 TEU/yr", "200 TEU/yr"]
    with pytest.raises(ReportError, match="length"):
        flow_lines([seg], flows=[1, 2], ratios=[0.1])


def test_clip_ring_known_area() -> None:
    tri = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
    clipped = _clip_ring(tri, (0.0, 0.0, 2.0, 2.0))
    area, _cx, _cy = _ring_area_centroid(clipped)
    assert area == pytest.approx(3.5)  # 2x2 box minus the corner triangle x + y > 3
    square = np.array([[-1.0, -1.0], [3.0, -1.0], [3.0, 3.0], [-1.0, 3.0]])
    area, cx, cy = _ring_area_centroid(_clip_ring(square, (0.0, 0.0, 2.0, 2.0)))
    assert (area, cx, cy) == pytest.approx((4.0, 1.0, 1.0))
    outside = np.array([[5.0, 5.0], [6.0, 5.0], [6.0, 6.0]])
    assert len(_clip_ring(outside, (0.0, 0.0, 2.0, 2.0))) == 0
