"""GeoPackage and GeoParquet files, written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from corridors import atomic

if TYPE_CHECKING:
    import geopandas as gpd


def _whole(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Let ``write`` fill a scratch file next to ``path``, then move it into place."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.") as tmp:
        scratch = Path(tmp) / target.name
        write(scratch)
        atomic.write_bytes(target, scratch.read_bytes())
    return target


def write_geopackage(layers: Mapping[str, gpd.GeoDataFrame], path: str | os.PathLike[str]) -> Path:
    """Write GeoDataFrames as the layers of one GeoPackage file.

    Parameters
    ----------
    layers : mapping of str to geopandas.GeoDataFrame
        Layer name to its table (e.g. ``{"node": nodes, "link": links}``).
    path : path-like
        The ``.gpkg`` file (replaced if it exists; nothing is left half-written).

    Returns
    -------
    pathlib.Path
        The file written.
    """

    def write(scratch: Path) -> None:
        for name, frame in layers.items():
            frame.to_file(scratch, layer=name, driver="GPKG", engine="pyogrio")

    return _whole(path, write)


def write_geoparquet(frame: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a GeoDataFrame as GeoParquet (geometry as WKB with ``geo`` metadata).

    ``geopandas.read_parquet`` (and DuckDB spatial, QGIS, GDAL) read it back with its
    geometry and CRS.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The table.
    path : path-like
        The ``.parquet`` file (replaced if it exists; nothing is left half-written).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    return _whole(path, lambda scratch: frame.to_parquet(scratch, index=False))
