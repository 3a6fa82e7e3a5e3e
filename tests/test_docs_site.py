"""The documentation site builds with warnings as errors; the Jupyter page's cells run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_PAGE = ROOT / "docs" / "getting-started-jupyter.md"


def _cells(path: Path) -> list[str]:
    """The ```python blocks of a Markdown page, in order."""
    return re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), re.M | re.S)


@pytest.mark.slow
def test_getting_started_in_jupyter_runs(tmp_path, monkeypatch):
    pytest.importorskip("geopandas", reason="the page uses the geo extra")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells = _cells(JUPYTER_PAGE)
    assert len(cells) >= 8
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    for i, cell in enumerate(cells):
        exec(compile(cell, f"{JUPYTER_PAGE.name}, cell {i + 1}", "exec"), namespace)
    plt.close("all")

    from corridors.routing import compare

    routes = namespace["routes"]
    table = namespace["table"]
    assert list(table["corridor"]) == [r.corridor for r in routes]
    assert list(table["corridor"])[:1] == ["northern"]
    net = namespace["net"]
    red_sea = compare(net.with_closed(passages=["suez", "babalmandab"]), "Chongqing", "Duisburg")
    assert "sea_suez" not in [r.corridor for r in red_sea]
    import pyogrio

    layers = [name for name, _ in pyogrio.list_layers(tmp_path / "corridors.gpkg")]
    assert layers == ["node", "link", "route"]
    assert (tmp_path / "links.parquet").is_file()
    again = namespace["again"]
    assert len(again.nodes) == len(net.nodes)
    assert len(again.links) == len(net.links)
    reading = namespace["reading"]
    assert reading.problems == ()
    assert reading.warnings == ()


@pytest.mark.slow
def test_documentation_site_builds_strict(tmp_path):
    pytest.importorskip(
        "mkdocstrings", reason="the docs extra (mkdocs, mkdocstrings) is not installed"
    )
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    api = (site / "api" / "network" / "index.html").read_text(encoding="utf-8")
    for name in ("read_network", "inspect_network", "write_gmns", "Network"):
        assert name in api
    gis = (site / "api" / "gis" / "index.html").read_text(encoding="utf-8")
    assert "network_geodataframes" in gis
    assert (site / "getting-started-jupyter" / "index.html").is_file()


def test_gis_docstring_example_runs():
    pytest.importorskip("geopandas", reason="the geo extra (geopandas) is not installed")
    import doctest

    import corridors.gis

    result = doctest.testmod(corridors.gis, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3
    assert result.failed == 0
