"""corridors: model the Eurasian freight and energy corridors door to door.

The library flows one way: data tables -> network model -> engines -> scenarios ->
reports, CLI and web. See ``docs/architecture.md``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("corridors")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["__version__"]
