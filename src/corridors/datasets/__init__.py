"""Datasets shipped with corridors (the real Eurasian corridors network in ``eurasia/``)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def eurasia_path() -> Path:
    """Return the folder of the shipped Eurasian corridors network (GMNS tables)."""
    return Path(str(files("corridors.datasets") / "eurasia"))
