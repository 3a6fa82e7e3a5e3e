"""GeoJSON output: structure, JSON safety, validation."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from corridors.reports.errors import ReportError
from corridors.reports.geojson import (
    line_feature,
    lines_from_records,
    point_feature,
    points_from_frame,
)


def test_points_from_frame_is_json_safe() -> None:
    nodes = pd.DataFrame(
        {
            "node_id": ["aktau", "alat"],
            "name": ["Aktau", "Alat"],
            "x_coord": [51.17, 49.42],
            "y_coord": [43.65, 39.95],
            "berths": [np.int64(4), np.nan],
        }
    )
    fc = points_from_frame(nodes, name="nodes")
    text = json.dumps(fc, allow_nan=False)  # no NaN, no numpy types
    back = json.loads(text)
    assert back["type"] == "FeatureCollection"
    assert back["name"] == "nodes"
    f0, f1 = back["features"]
    assert f0["id"] == "aktau"
    assert f0["geometry"] == {"type": "Point", "coordinates": [51.17, 43.65]}
    assert f0["properties"] == {"node_id": "aktau", "name": "Aktau", "berths": 4.0}
    assert f1["properties"]["berths"] is None


def test_points_from_frame_lists_every_bad_row() -> None:
    nodes = pd.DataFrame(
        {
            "node_id": ["a", "b", "c"],
            "x_coord": [200.0, 10.0, 1.0],
            "y_coord": [10.0, 10.0, math.nan],
        }
    )
    with pytest.raises(ReportError, match=r"line 2 .*line 4"):
        points_from_frame(nodes)


def test_lines_and_layers() -> None:
    legs = [
        {
            "leg": 1,
            "mode": "ferry",
            "coords": [(51.17, 43.65), (49.42, 39.95)],
            "hours": np.float64(22.5),
        }
    ]
    fc = lines_from_records(legs, id_key="leg")
    feat = fc["features"][0]
    assert feat["id"] == 1
    assert feat["geometry"]["coordinates"] == [[51.17, 43.65], [49.42, 39.95]]
    assert feat["properties"] == {"leg": 1, "mode": "ferry", "hours": 22.5}
    assert isinstance(feat["properties"]["hours"], float)
    line = line_feature([(0, 0), (1.23456789, 1)], properties={"stroke": "#ff0000"})
    assert line["geometry"]["coordinates"][1] == [1.234568, 1.0]  # 6 decimals
    assert line["properties"]["stroke"] == "#ff0000"
    assert point_feature(5, 6)["geometry"]["coordinates"] == [5.0, 6.0]
    with pytest.raises(ReportError, match="two positions"):
        line_feature([(0.0, 0.0)])
    with pytest.raises(ReportError, match="not a valid"):
        point_feature(0.0, -91.0)
