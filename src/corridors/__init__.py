"""corridors: model the Eurasian freight and energy corridors door to door.

The library flows one way: data tables -> network model -> engines -> scenarios ->
reports, CLI and web. See ``docs/architecture.md``.
"""

from __future__ import annotations

__version__ = "0.1.0"
"""The release (the one place it is written: the build reads it from here)."""

__all__ = ["__version__"]
