"""The front-end files a self-contained report inlines: the map component and its libraries.

The same files are served to the dashboard (``/static/shared/``): Leaflet and Vega-Lite,
vendored from npm by ``scripts/vendor.sh`` (``static/vendor``), and the map component
``static/corridormap.js`` that draws a comparison, a run's flows or an energy layer.
A report inlines them once, with its data as JSON, so it opens with no network.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

SCRIPTS = (
    "vendor/leaflet/leaflet.js",
    "vendor/vega/vega.min.js",
    "vendor/vega-lite/vega-lite.min.js",
    "corridormap.js",
)
"""Scripts of a report with a map or a chart, in load order (``report.js`` comes last)."""

STYLES = ("vendor/leaflet/leaflet.css", "corridormap.css")
"""Style sheets inlined with them."""


def static_dir() -> Path:
    """Folder of the shared front-end files (served to the dashboard as ``/static/shared``)."""
    return Path(str(resources.files("corridors.reports").joinpath("static")))


@lru_cache(maxsize=16)
def _text(name: str) -> str:
    return (static_dir() / name).read_text(encoding="utf-8")


def inline_script(text: str) -> Markup:
    """JavaScript safe inside ``<script>``: no ``</script`` or ``<!--`` can end it early."""
    safe = text.replace("</script", "<\\/script").replace("<!--", "<\\!--")
    return Markup(safe)  # noqa: S704 - our own vendored files, made inert above


def json_script(data: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - no markup can survive the escapes above


def report_scripts() -> list[Markup]:
    """The scripts of a report, in order: libraries, map component, then ``report.js``."""
    return [inline_script(_text(n)) for n in (*SCRIPTS, "report.js")]


def report_styles() -> list[Markup]:
    """The style sheets of a report (Leaflet's and the map component's)."""
    return [Markup(_text(n).replace("</style", "<\\/style")) for n in STYLES]  # noqa: S704


__all__ = ["SCRIPTS", "STYLES", "inline_script", "json_script", "report_scripts", "report_styles"]
