"""Static, self-contained SVG maps of corridors, routes and flows.

:func:`render_map` draws, from plain data, an SVG document that needs no JavaScript,
no fonts and no network to display: sea background, country outlines (the vendored
Natural Earth base map, see :mod:`corridors.reports.basemap`), a graticule with
labels, line and point layers with tooltips (``<title>``), a legend and an
attribution. Coordinates are ``(lon, lat)`` in degrees (WGS 84).

Projection: by default a Lambert conformal conic centred on the map's extent
(standard parallels at 1/6 and 5/6 of its latitude span), or an equirectangular
projection when the extent reaches below 15°N (see :mod:`corridors.reports.projection`).
Countries are clipped to the frame and simplified at render time (positions snapped to
a half-pixel grid, repeated positions dropped), so a 1000-pixel map of Eurasia weighs
a few hundred kilobytes.

Every string from the caller is escaped; the same input gives the same bytes.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

import numpy as np
import numpy.typing as npt

from corridors.reports.basemap import ATLAS_SOURCE, Country, Resolution, load_countries
from corridors.reports.errors import ReportError
from corridors.reports.projection import BBox, Projection, ProjectionName, auto_projection

FloatArray = npt.NDArray[np.float64]

FONT_STACK = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
    "'Noto Sans', 'Liberation Sans', 'DejaVu Sans', sans-serif"
)
"""CSS font stack used in maps and reports (system fonts only, no web fonts)."""

EURASIA_BBOX: BBox = (-12.0, 22.0, 125.0, 62.0)
"""Default extent when the map has no layers: Lisbon to Shanghai, Arabia to Moscow."""

SEA = "#d6e6f0"
LAND = "#f4f1ea"
LAND_HIGHLIGHT = "#e9e2d2"
BORDER = "#bdb5a6"
GRATICULE = "#b9cddb"
TEXT = "#26323d"
MUTED = "#6b7785"

_COLOR_RE = re.compile(
    r"^(#[0-9a-fA-F]{3,4}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8}|[a-zA-Z]{3,20}"
    r"|rgba?\(\s*[0-9.%,\s]+\)|hsla?\(\s*[0-9.%,\sdeg]+\))$"
)

LabelPosition = Literal["right", "left", "above", "below"]


def check_color(value: str, what: str) -> str:
    """Return a colour stripped of blanks, or raise :class:`ReportError` naming ``what``.

    Accepted: ``#rgb``, ``#rgba``, ``#rrggbb``, ``#rrggbbaa``, a CSS colour name,
    ``rgb()``/``rgba()`` and ``hsl()``/``hsla()``. Anything else (which could break out
    of an SVG or CSS attribute) is refused.
    """
    if not isinstance(value, str) or not _COLOR_RE.match(value.strip()):
        raise ReportError(f"{what}: {value!r} is not a colour (use #rrggbb, a CSS name or rgb())")
    return value.strip()


def _coords_tuple(coords: Iterable[Sequence[float]], what: str) -> tuple[tuple[float, float], ...]:
    out: list[tuple[float, float]] = []
    for i, p in enumerate(coords):
        try:
            lon, lat = float(p[0]), float(p[1])
        except (TypeError, ValueError, IndexError) as exc:
            raise ReportError(f"{what}: position {i} ({p!r}) is not a (lon, lat) pair") from exc
        if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90 or abs(lon) > 540:
            raise ReportError(f"{what}: position {i} ({lon}, {lat}) is not a valid (lon, lat)")
        out.append((lon, lat))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class MapLine:
    """A polyline layer: a route leg, a corridor, a link with its flow.

    Attributes
    ----------
    coords : sequence of (lon, lat)
        Positions in degrees; at least two are needed to draw anything.
    color : str
        Stroke colour (``#rrggbb``, a CSS name or ``rgb()``).
    width : float
        Stroke width, pixels.
    label : str, optional
        Legend label; lines sharing a label share one legend entry.
    tooltip : str, optional
        Text shown when hovering the line (SVG ``<title>``).
    dash : tuple of float, optional
        Dash pattern in pixels, e.g. ``(6, 4)`` for planned links.
    opacity : float
        Stroke opacity, 0-1.
    """

    coords: Sequence[tuple[float, float]]
    color: str = "#444444"
    width: float = 2.0
    label: str | None = None
    tooltip: str | None = None
    dash: tuple[float, ...] | None = None
    opacity: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "coords", _coords_tuple(self.coords, "MapLine"))
        object.__setattr__(self, "color", check_color(self.color, "MapLine color"))
        if not (self.width > 0 and math.isfinite(self.width)):
            raise ReportError(f"MapLine width must be positive, got {self.width!r}")
        if not 0.0 <= self.opacity <= 1.0:
            raise ReportError(f"MapLine opacity must be within 0-1, got {self.opacity!r}")
        if self.dash is not None:
            object.__setattr__(self, "dash", tuple(float(d) for d in self.dash))


@dataclass(frozen=True, slots=True)
class MapPoint:
    """A point layer: a terminal, port, border crossing or city.

    Attributes
    ----------
    lon, lat : float
        Position in degrees.
    label : str, optional
        Text written next to the point.
    color : str
        Fill colour.
    radius : float
        Radius, pixels.
    tooltip : str, optional
        Text shown when hovering the point (SVG ``<title>``).
    label_position : {"right", "left", "above", "below"}
        Where the label goes relative to the point.
    legend : str, optional
        Legend label; points sharing it share one legend entry.
    """

    lon: float
    lat: float
    label: str | None = None
    color: str = "#26323d"
    radius: float = 4.0
    tooltip: str | None = None
    label_position: LabelPosition = "right"
    legend: str | None = None

    def __post_init__(self) -> None:
        (pos,) = _coords_tuple([(self.lon, self.lat)], f"MapPoint {self.label or ''}".strip())
        object.__setattr__(self, "lon", pos[0])
        object.__setattr__(self, "lat", pos[1])
        object.__setattr__(self, "color", check_color(self.color, "MapPoint color"))
        if not (self.radius > 0 and math.isfinite(self.radius)):
            raise ReportError(f"MapPoint radius must be positive, got {self.radius!r}")
        if self.label_position not in ("right", "left", "above", "below"):
            raise ReportError(f"MapPoint label_position {self.label_position!r} is not valid")


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One row of a map legend.

    Attributes
    ----------
    label : str
        Text of the row.
    color : str
        Colour of the sample.
    kind : {"line", "point", "box"}
        Sample drawn: a line, a dot or a filled box.
    width : float
        Line width (``kind="line"``) or dot radius (``kind="point"``), pixels.
    dash : tuple of float, optional
        Dash pattern of a line sample, pixels.
    """

    label: str
    color: str
    kind: Literal["line", "point", "box"] = "line"
    width: float = 3.0
    dash: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "color", check_color(self.color, "LegendEntry color"))


@dataclass(frozen=True, slots=True)
class ColorScale:
    """A stepped colour scale for a value such as the volume/capacity ratio.

    Class ``i`` holds the values ``bounds[i-1] < v <= bounds[i]`` (the first class
    everything up to ``bounds[0]``, the last everything above ``bounds[-1]``).

    Attributes
    ----------
    bounds : tuple of float
        Ascending class limits.
    colors : tuple of str
        One colour per class (``len(bounds) + 1``).
    labels : tuple of str
        One legend label per class.
    title : str
        Legend heading.
    missing_color : str
        Colour for a missing (NaN) value.
    """

    bounds: tuple[float, ...]
    colors: tuple[str, ...]
    labels: tuple[str, ...]
    title: str = ""
    missing_color: str = "#9aa3ad"

    def __post_init__(self) -> None:
        if list(self.bounds) != sorted(self.bounds):
            raise ReportError(f"ColorScale bounds must be ascending, got {self.bounds}")
        if not len(self.colors) == len(self.labels) == len(self.bounds) + 1:
            raise ReportError("ColorScale needs one colour and one label per class")
        for c in (*self.colors, self.missing_color):
            check_color(c, "ColorScale colour")

    def class_of(self, value: float) -> int | None:
        """Class index of a value (``None`` when it is NaN)."""
        if value is None or not math.isfinite(value):
            return None
        return bisect.bisect_left(self.bounds, value)

    def color_for(self, value: float) -> str:
        """Colour of a value."""
        i = self.class_of(value)
        return self.missing_color if i is None else self.colors[i]

    def legend(self) -> list[LegendEntry]:
        """Legend rows, one per class."""
        return [
            LegendEntry(lab, col, kind="line", width=5.0)
            for lab, col in zip(self.labels, self.colors, strict=True)
        ]


VC_SCALE = ColorScale(
    bounds=(0.5, 0.8),
    colors=("#2e9d4f", "#f0a500", "#d7263d"),
    labels=("below 0.5", "0.5 – 0.8", "above 0.8"),
    title="Volume / capacity",
)
"""Volume/capacity colour scale for assignment results: green up to 0.5, amber up to
0.8, red above 0.8 (congested)."""


@dataclass(frozen=True, slots=True)
class FlowLayer:
    """Lines coloured and sized by flow, with their legend (see :func:`flow_lines`)."""

    lines: tuple[MapLine, ...]
    legend: tuple[LegendEntry, ...]
    legend_title: str


def flow_lines(
    segments: Sequence[Sequence[tuple[float, float]]],
    *,
    flows: Sequence[float],
    ratios: Sequence[float],
    scale: ColorScale = VC_SCALE,
    max_width: float = 9.0,
    min_width: float = 1.0,
    flow_unit: str = "TEU/yr",
    tooltips: Sequence[str | None] | None = None,
) -> FlowLayer:
    """Colour lines by a ratio and size them by flow (assignment results).

    Parameters
    ----------
    segments : sequence of coordinate lists
        One polyline per link, ``(lon, lat)`` degrees.
    flows : sequence of float
        Flow on each link (``flow_unit``); width is proportional to flow, the largest
        flow getting ``max_width`` pixels, and never thinner than ``min_width``.
    ratios : sequence of float
        Value that picks the colour, e.g. volume/capacity; NaN for unknown.
    scale : ColorScale
        Colour classes (default :data:`VC_SCALE`).
    max_width, min_width : float
        Line widths in pixels.
    flow_unit : str
        Unit written in the width legend.
    tooltips : sequence of str, optional
        Hover text per link; by default the flow and the ratio.

    Returns
    -------
    FlowLayer
        The lines, drawn least congested first so red links stay on top, and legend
        rows for the colour classes and two reference widths.
    """
    n = len(segments)
    if len(flows) != n or len(ratios) != n or (tooltips is not None and len(tooltips) != n):
        raise ReportError("flow_lines: segments, flows, ratios (and tooltips) differ in length")
    flow_a = np.asarray(flows, dtype=np.float64)
    if np.any(flow_a < 0) or not np.all(np.isfinite(flow_a)):
        raise ReportError("flow_lines: flows must be finite and non-negative")
    fmax = float(flow_a.max()) if n else 0.0
    items: list[tuple[int, float, int, MapLine]] = []
    for i in range(n):
        ratio = float(ratios[i])
        width = max(min_width, max_width * float(flow_a[i]) / fmax) if fmax > 0 else min_width
        tip = (
            tooltips[i]
            if tooltips is not None
            else (
                f"flow {flow_a[i]:,.0f} {flow_unit}; v/c {ratio:.2f}"
                if math.isfinite(ratio)
                else f"flow {flow_a[i]:,.0f} {flow_unit}"
            )
        )
        cls = scale.class_of(ratio)
        line = MapLine(segments[i], color=scale.color_for(ratio), width=width, tooltip=tip)
        items.append((-1 if cls is None else cls, float(flow_a[i]), i, line))
    items.sort(key=lambda t: (t[0], t[1], t[2]))
    legend = scale.legend()
    if fmax > 0:
        for frac in (1.0, 0.5):
            legend.append(
                LegendEntry(
                    f"{fmax * frac:,.0f} {flow_unit}",
                    MUTED,
                    kind="line",
                    width=max(min_width, max_width * frac),
                )
            )
    return FlowLayer(tuple(t[3] for t in items), tuple(legend), scale.title)


# --- geometry helpers -----------------------------------------------------------------


def _clip_ring(pts: FloatArray, box: tuple[float, float, float, float]) -> FloatArray:
    """Clip a polygon ring (N x 2, not closed) to a rectangle (Sutherland-Hodgman)."""
    xmin, ymin, xmax, ymax = box
    for axis, bound, keep_greater in (
        (0, xmin, True),
        (0, xmax, False),
        (1, ymin, True),
        (1, ymax, False),
    ):
        if len(pts) == 0:
            break
        prev = np.roll(pts, 1, axis=0)
        inside = pts[:, axis] >= bound if keep_greater else pts[:, axis] <= bound
        prev_inside = np.roll(inside, 1)
        denom = pts[:, axis] - prev[:, axis]
        safe = np.where(denom == 0, 1.0, denom)
        t = np.where(denom == 0, 0.0, (bound - prev[:, axis]) / safe)
        inter = prev + t[:, None] * (pts - prev)
        inter[:, axis] = bound
        cand = np.stack([inter, pts], axis=1)  # (N, 2, 2)
        mask = np.stack([inside != prev_inside, inside], axis=1)  # (N, 2)
        pts = cand[mask]
    return pts


def _simplify(pts: FloatArray, *, grid: float) -> FloatArray:
    """Snap positions to a pixel grid and drop consecutive repeats."""
    if len(pts) == 0:
        return pts
    snapped = np.round(pts / grid) * grid
    keep = np.ones(len(snapped), dtype=bool)
    keep[1:] = np.any(snapped[1:] != snapped[:-1], axis=1)
    return np.asarray(snapped[keep], dtype=np.float64)


def _densify(pts: FloatArray, *, step: float) -> FloatArray:
    """Positions along a polyline at most ``step`` pixels apart (for collision tests)."""
    if len(pts) < 2:
        return pts
    out = [pts[:1]]
    for a, b in itertools.pairwise(pts):
        n = max(1, math.ceil(float(np.hypot(*(b - a))) / step))
        t = np.linspace(0.0, 1.0, n + 1)[1:, None]
        out.append(a + t * (b - a))
    return np.concatenate(out)


def _fmt(v: float) -> str:
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def _path_d(parts: Iterable[FloatArray], *, close: bool) -> str:
    out: list[str] = []
    for pts in parts:
        if len(pts) < 2:
            continue
        xy = [f"{_fmt(x)} {_fmt(y)}" for x, y in pts]
        out.append("M" + xy[0] + "L" + " ".join(xy[1:]) + ("Z" if close else ""))
    return "".join(out)


def _ring_area_centroid(pts: FloatArray) -> tuple[float, float, float]:
    """Signed-area magnitude and centroid of a ring (shoelace formula)."""
    x, y = pts[:, 0], pts[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    a = cross.sum() / 2
    if abs(a) < 1e-9:
        return 0.0, float(x.mean()), float(y.mean())
    cx = ((x + x1) * cross).sum() / (6 * a)
    cy = ((y + y1) * cross).sum() / (6 * a)
    return abs(float(a)), float(cx), float(cy)


def _inside(pts: FloatArray, px: float, py: float) -> bool:
    """Point in polygon (even-odd ray casting)."""
    x, y = pts[:, 0], pts[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cond = (y > py) != (y1 > py)
    with np.errstate(divide="ignore", invalid="ignore"):
        xs = x + (py - y) * (x1 - x) / (y1 - y)
    return bool(np.count_nonzero(cond & (px < xs)) % 2 == 1)


def _text_width(text: str, size: float) -> float:
    """Rough width of a text in pixels (no font metrics offline: 0.62 em a glyph)."""
    return 0.62 * size * len(text)


@dataclass(frozen=True, slots=True)
class _Frame:
    """The projected extent fitted to the picture, and the pixel transform."""

    proj: Projection
    x0: float
    y1: float
    scale: float  # pixels per Earth radius
    width: int
    height: int

    def to_px(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
        x, y = self.proj.forward(lon, lat)
        return np.column_stack([(x - self.x0) * self.scale, (self.y1 - y) * self.scale])

    def geo_bounds(self) -> BBox:
        """Geographic bounding box of the picture (from its sampled edges)."""
        t = np.linspace(0.0, 1.0, 41)
        w, h = self.width, self.height
        px = np.concatenate([t * w, t * w, np.zeros_like(t), np.full_like(t, w)])
        py = np.concatenate([np.zeros_like(t), np.full_like(t, h), t * h, t * h])
        lon, lat = self.proj.inverse(px / self.scale + self.x0, self.y1 - py / self.scale)
        lon_min, lon_max = float(np.nanmin(lon)), float(np.nanmax(lon))
        lat_min = float(np.nanmin(lat))
        # the top edge of a conic map can bulge past its corners towards the pole
        lat_max = float(np.nanmax(lat))
        cx = self.proj.inverse(np.array([w / 2 / self.scale + self.x0]), np.array([self.y1]))
        lat_max = max(lat_max, float(cx[1][0]))
        return (lon_min, max(-89.0, lat_min), lon_max, min(89.0, lat_max))


def _layers_bbox(lines: Sequence[MapLine], points: Sequence[MapPoint]) -> BBox | None:
    lons = [p[0] for ln in lines for p in ln.coords] + [p.lon for p in points]
    lats = [p[1] for ln in lines for p in ln.coords] + [p.lat for p in points]
    if not lons:
        return None
    return (min(lons), min(lats), max(lons), max(lats))


def _with_margin(bbox: BBox, *, margin: float) -> BBox:
    min_lon, min_lat, max_lon, max_lat = bbox
    mx = max(1.5, margin * (max_lon - min_lon))
    my = max(1.5, margin * (max_lat - min_lat))
    return (min_lon - mx, max(-85.0, min_lat - my), max_lon + mx, min(85.0, max_lat + my))


def _fit(bbox: BBox, proj: Projection, width: int, height: int | None) -> _Frame:
    min_lon, min_lat, max_lon, max_lat = bbox
    t = np.linspace(0.0, 1.0, 61)
    lon = np.concatenate(
        [min_lon + t * (max_lon - min_lon)] * 2
        + [np.full_like(t, min_lon), np.full_like(t, max_lon)]
    )
    lat = np.concatenate(
        [np.full_like(t, min_lat), np.full_like(t, max_lat)]
        + [min_lat + t * (max_lat - min_lat)] * 2
    )
    x, y = proj.forward(lon, lat)
    x0, x1, y0, y1 = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    if x1 - x0 < 1e-9:
        x0, x1 = x0 - 0.01, x1 + 0.01
    if y1 - y0 < 1e-9:
        y0, y1 = y0 - 0.01, y1 + 0.01
    dx, dy = x1 - x0, y1 - y0
    if height is None:
        aspect = min(1.25, max(0.5, dy / dx))
        height = round(width * aspect)
    target = height / width
    if dy / dx < target:  # too wide: grow vertically
        grow = dx * target - dy
        y0, y1 = y0 - grow / 2, y1 + grow / 2
    else:  # too tall: grow horizontally
        grow = dy / target - dx
        x0, x1 = x0 - grow / 2, x1 + grow / 2
    return _Frame(proj=proj, x0=x0, y1=y1, scale=width / (x1 - x0), width=width, height=height)


def _graticule_step(span: float) -> float:
    for step in (1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0):
        if span / step <= 9:
            return step
    return 45.0


def _deg_label(v: float, pos: str, neg: str) -> str:
    v = round(v, 6)
    if v == 0:
        return "0°"
    return f"{abs(v):g}°{pos if v > 0 else neg}"


def _edge_crossing(pts: FloatArray, axis: int, value: float) -> float | None:
    """Other coordinate where a polyline first crosses ``pts[:, axis] == value``."""
    a = pts[:, axis] - value
    idx = np.nonzero((a[:-1] <= 0) != (a[1:] <= 0))[0]
    if len(idx) == 0:
        return None
    i = int(idx[0])
    t = a[i] / (a[i] - a[i + 1])
    other = 1 - axis
    return float(pts[i, other] + t * (pts[i + 1, other] - pts[i, other]))


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


# --- rendering ------------------------------------------------------------------------


def _countries_svg(
    frame: _Frame,
    countries: Sequence[Country],
    *,
    highlight: set[str],
    labels: bool,
    simplify_px: float,
    avoid: FloatArray,
) -> tuple[list[str], list[str]]:
    w, h = frame.width, frame.height
    pad = 20.0
    box = (-pad, -pad, w + pad, h + pad)
    glon0, glat0, glon1, glat1 = frame.geo_bounds()
    geo_pad = 2.0
    paths: list[str] = []
    label_candidates: list[tuple[float, float, float, str]] = []
    for c in countries:
        parts: list[FloatArray] = []
        best = (0.0, 0.0, 0.0, np.zeros((0, 2)))
        for poly in c.polygons:
            for k, ring in enumerate(poly):
                arr = np.asarray(ring, dtype=np.float64)
                if (
                    arr[:, 0].max() < glon0 - geo_pad
                    or arr[:, 0].min() > glon1 + geo_pad
                    or arr[:, 1].max() < glat0 - geo_pad
                    or arr[:, 1].min() > glat1 + geo_pad
                ):
                    continue
                pts = frame.to_px(arr[:, 0], arr[:, 1])[:-1]
                if (
                    pts[:, 0].max() < 0
                    or pts[:, 0].min() > w
                    or pts[:, 1].max() < 0
                    or pts[:, 1].min() > h
                ):
                    continue
                if (
                    pts[:, 0].min() < box[0]
                    or pts[:, 0].max() > box[2]
                    or pts[:, 1].min() < box[1]
                    or pts[:, 1].max() > box[3]
                ):
                    pts = _clip_ring(pts, box)
                pts = _simplify(pts, grid=simplify_px)
                if len(pts) < 3:
                    continue
                parts.append(pts)
                if k == 0 and labels:
                    vis = _clip_ring(pts, (0.0, 0.0, float(w), float(h)))
                    if len(vis) >= 3:
                        area, cx, cy = _ring_area_centroid(vis)
                        if area > best[0] and _inside(vis, cx, cy):
                            best = (area, cx, cy, vis)
        if not parts:
            continue
        fill = LAND_HIGHLIGHT if (c.name in highlight or c.iso_n3 in highlight) else LAND
        d = _path_d(parts, close=True)
        paths.append(f'<path d="{d}" fill="{fill}"><title>{escape(c.name)}</title></path>')
        if labels and best[0] > 0 and c.name:
            label_candidates.append((best[0], best[1], best[2], c.name))
    texts: list[str] = []
    placed: list[tuple[float, float, float, float]] = []
    size = 10.0
    for area, cx, cy, name in sorted(label_candidates, key=lambda t: (-t[0], t[3])):
        tw = _text_width(name.upper(), size) * 1.1
        if tw * size * 2.2 > area:
            continue
        rect = (cx - tw / 2 - 3, cy - size, cx + tw / 2 + 3, cy + 4)
        if rect[0] < 2 or rect[2] > w - 2 or rect[1] < 2 or rect[3] > h - 2:
            continue
        if any(
            not (rect[2] < r[0] or rect[0] > r[2] or rect[3] < r[1] or rect[1] > r[3])
            for r in placed
        ):
            continue
        if len(avoid) and np.any(
            (avoid[:, 0] >= rect[0])
            & (avoid[:, 0] <= rect[2])
            & (avoid[:, 1] >= rect[1])
            & (avoid[:, 1] <= rect[3])
        ):
            continue
        placed.append(rect)
        texts.append(f'<text x="{_fmt(cx)}" y="{_fmt(cy)}">{escape(name.upper())}</text>')
    return paths, texts


def _graticule_svg(
    frame: _Frame,
    *,
    bottom_right_free: float,
    blocked: Sequence[tuple[float, float, float, float]] = (),
) -> tuple[list[str], list[str], list[tuple[float, float, float, float]]]:
    lon0, lat0, lon1, lat1 = frame.geo_bounds()
    w, h = frame.width, frame.height
    step = _graticule_step(max(lon1 - lon0, (lat1 - lat0) * 1.5))
    lines: list[str] = []
    labels: list[str] = []
    rects: list[tuple[float, float, float, float]] = []
    lat_lo = max(-80.0, math.floor(lat0 / step) * step)
    lat_hi = min(80.0, math.ceil(lat1 / step) * step)
    lon_lo = math.floor(lon0 / step) * step
    lon_hi = math.ceil(lon1 / step) * step
    lat_samples = np.linspace(lat_lo, lat_hi, max(2, int((lat_hi - lat_lo) * 2) + 1))
    lon_samples = np.linspace(lon_lo, lon_hi, max(2, int((lon_hi - lon_lo) * 2) + 1))
    for lon in np.arange(lon_lo, lon_hi + step / 2, step):
        pts = frame.to_px(np.full_like(lat_samples, lon), lat_samples)
        lines.append(_path_d([pts], close=False))
        cross = _edge_crossing(pts, 1, h)
        if (
            cross is not None
            and 24 < cross < min(w - 40, bottom_right_free - 40)
            and not any(r[3] >= h - 16 and r[0] - 30 <= cross <= r[2] + 4 for r in blocked)
        ):
            lab = _deg_label(((lon + 180) % 360) - 180, "E", "W")
            labels.append(f'<text x="{_fmt(cross + 3)}" y="{h - 5}">{lab}</text>')
            rects.append((cross, h - 16.0, cross + 6 + _text_width(lab, 10.0), float(h)))
    for lat in np.arange(lat_lo, lat_hi + step / 2, step):
        pts = frame.to_px(lon_samples, np.full_like(lon_samples, lat))
        lines.append(_path_d([pts], close=False))
        cross = _edge_crossing(pts, 0, 0.0)
        if (
            cross is not None
            and 14 < cross < h - 20
            and not any(r[0] <= 30 and r[1] - 4 <= cross <= r[3] + 12 for r in blocked)
        ):
            lab = _deg_label(lat, "N", "S")
            labels.append(f'<text x="4" y="{_fmt(cross - 3)}">{lab}</text>')
            rects.append((0.0, cross - 14, 14 + 1.3 * _text_width(lab, 10.0), cross))
    return lines, labels, rects


def _auto_legend(lines: Sequence[MapLine], points: Sequence[MapPoint]) -> list[LegendEntry]:
    seen: dict[str, LegendEntry] = {}
    for ln in lines:
        if ln.label and ln.label not in seen:
            seen[ln.label] = LegendEntry(
                ln.label, ln.color, kind="line", width=max(2.5, min(ln.width, 6.0)), dash=ln.dash
            )
    for p in points:
        if p.legend and p.legend not in seen:
            seen[p.legend] = LegendEntry(p.legend, p.color, kind="point", width=p.radius)
    return list(seen.values())


def _legend_svg(
    entries: Sequence[LegendEntry],
    title: str | None,
    frame: _Frame,
    occupied: FloatArray,
    position: str,
) -> tuple[str, tuple[float, float, float, float]]:
    size = 12.0
    row = 19.0
    pad = 10.0
    sample = 30.0
    text_w = max(
        [_text_width(e.label, size) for e in entries]
        + [_text_width(title, size) * 1.05 if title else 0.0]
    )
    bw = pad * 2 + sample + 8 + text_w
    bh = pad * 2 + row * len(entries) + (row if title else 0.0) - 4
    w, h = frame.width, frame.height
    m = 12.0
    corners = {
        "bottom-left": (m, h - bh - m - 10),
        "bottom-right": (w - bw - m, h - bh - m - 12),
        "top-right": (w - bw - m, m),
        "top-left": (m, m + 30),
    }
    if position == "auto":

        def load(corner: str) -> int:
            x, y = corners[corner]
            if len(occupied) == 0:
                return 0
            inside = (
                (occupied[:, 0] >= x - 10)
                & (occupied[:, 0] <= x + bw + 10)
                & (occupied[:, 1] >= y - 10)
                & (occupied[:, 1] <= y + bh + 10)
            )
            return int(np.count_nonzero(inside))

        position = min(corners, key=lambda c: (load(c), list(corners).index(c)))
    if position not in corners:
        raise ReportError(f"legend position {position!r} is not one of {sorted(corners)} or 'auto'")
    x, y = corners[position]
    out = [
        f'<g class="legend" transform="translate({_fmt(x)},{_fmt(y)})">',
        (
            f'<rect width="{_fmt(bw)}" height="{_fmt(bh)}" rx="6" fill="#ffffff" '
            f'fill-opacity="0.93" stroke="#c9d2da"/>'
        ),
    ]
    cy = pad + 8
    if title:
        out.append(
            f'<text x="{_fmt(pad)}" y="{_fmt(cy + 4)}" font-weight="600">{escape(title)}</text>'
        )
        cy += row
    for e in entries:
        sx = pad
        if e.kind == "line":
            dash = f' stroke-dasharray="{" ".join(_fmt(d) for d in e.dash)}"' if e.dash else ""
            out.append(
                f'<line x1="{_fmt(sx)}" y1="{_fmt(cy)}" x2="{_fmt(sx + sample)}" '
                f'y2="{_fmt(cy)}" stroke="{_attr(e.color)}" '
                f'stroke-width="{_fmt(e.width)}" stroke-linecap="round"{dash}/>'
            )
        elif e.kind == "point":
            out.append(
                f'<circle cx="{_fmt(sx + sample / 2)}" cy="{_fmt(cy)}" '
                f'r="{_fmt(e.width)}" fill="{_attr(e.color)}" stroke="#ffffff"/>'
            )
        else:
            out.append(
                f'<rect x="{_fmt(sx + 4)}" y="{_fmt(cy - 6)}" width="{_fmt(sample - 8)}" '
                f'height="12" rx="2" fill="{_attr(e.color)}"/>'
            )
        out.append(f'<text x="{_fmt(sx + sample + 8)}" y="{_fmt(cy + 4)}">{escape(e.label)}</text>')
        cy += row
    out.append("</g>")
    return "".join(out), (x, y, x + bw, y + bh)


def render_map(
    *,
    lines: Sequence[MapLine] = (),
    points: Sequence[MapPoint] = (),
    width_px: int = 1000,
    height_px: int | None = None,
    bbox: BBox | None = None,
    margin: float = 0.08,
    legend: Sequence[LegendEntry] | None = None,
    legend_title: str | None = None,
    legend_position: Literal[
        "auto", "bottom-left", "bottom-right", "top-right", "top-left"
    ] = "auto",
    title: str | None = None,
    projection: ProjectionName | Projection = "auto",
    resolution: Resolution = "50m",
    highlight_countries: Sequence[str] = (),
    country_labels: bool = True,
    graticule: bool = True,
    simplify_px: float = 0.5,
    countries: Sequence[Country] | None = None,
) -> str:
    """Render a self-contained SVG map.

    Parameters
    ----------
    lines : sequence of MapLine
        Polylines, drawn in order (later on top), each over a thin white casing.
    points : sequence of MapPoint
        Points with optional labels, drawn above the lines.
    width_px : int
        Picture width, pixels.
    height_px : int, optional
        Picture height, pixels; by default it follows the extent's shape (between 0.5
        and 1.25 times the width).
    bbox : tuple of float, optional
        ``(min_lon, min_lat, max_lon, max_lat)`` degrees to show (grown to the picture's
        shape). By default the extent of the layers plus ``margin``, or
        :data:`EURASIA_BBOX` when there are no layers.
    margin : float
        Margin added on each side of the layers' extent, as a fraction of its span
        (at least 1.5°).
    legend : sequence of LegendEntry, optional
        Legend rows; by default one per distinct line ``label`` and point ``legend``.
        An empty sequence draws no legend.
    legend_title : str, optional
        Legend heading.
    legend_position : str
        Corner of the legend; ``"auto"`` takes the corner with the fewest layer
        positions under it.
    title : str, optional
        Title written in the top-left corner (and the SVG ``<title>``).
    projection : {"auto", "lcc", "equirectangular"} or Projection
        See :func:`corridors.reports.projection.auto_projection`.
    resolution : {"50m", "110m"}
        Base map detail.
    highlight_countries : sequence of str
        Country names or ISO numeric codes filled a shade darker (e.g. the transit
        countries).
    country_labels : bool
        Write country names where they fit.
    graticule : bool
        Draw meridians and parallels with degree labels.
    simplify_px : float
        Country outlines are snapped to a grid of this many pixels.
    countries : sequence of Country, optional
        Outlines to draw instead of the vendored base map.

    Returns
    -------
    str
        An SVG document (UTF-8 text, starting with ``<svg``), the same bytes for the
        same input.
    """
    if width_px < 100 or (height_px is not None and height_px < 80):
        raise ReportError(f"map too small: {width_px} x {height_px} pixels")
    lines = tuple(lines)
    points = tuple(points)
    if bbox is None:
        layers = _layers_bbox(lines, points)
        view = _with_margin(layers, margin=margin) if layers is not None else EURASIA_BBOX
    else:
        if len(bbox) != 4 or not all(math.isfinite(v) for v in bbox) or bbox[1] >= bbox[3]:
            raise ReportError(f"bbox {bbox!r} must be (min_lon, min_lat, max_lon, max_lat)")
        view = tuple(float(v) for v in bbox)  # type: ignore[assignment]
        if view[2] < view[0]:  # crosses the antimeridian
            view = (view[0], view[1], view[2] + 360.0, view[3])
    proj = auto_projection(view, kind=projection) if isinstance(projection, str) else projection
    frame = _fit(view, proj, width_px, height_px)
    w, h = frame.width, frame.height
    base = load_countries(resolution=resolution) if countries is None else countries

    # layers first, in pixels: the legend, country labels and graticule labels avoid them
    line_px: list[FloatArray] = []
    for ln in lines:
        arr = np.asarray(ln.coords, dtype=np.float64).reshape(-1, 2)
        line_px.append(
            _simplify(frame.to_px(arr[:, 0], arr[:, 1]), grid=0.1)
            if len(arr) >= 2
            else np.zeros((0, 2))
        )
    point_px = [frame.to_px([p.lon], [p.lat])[0] for p in points]
    label_rects: list[tuple[float, float, float, float, float, float, str]] = []
    for p, (px, py) in zip(points, point_px, strict=True):
        if not p.label:
            continue
        off = p.radius + 4
        tw = _text_width(p.label, 12.0) * 1.08
        if p.label_position == "right":
            tx, ty, anchor, x0 = px + off, py + 4, "start", px + off
        elif p.label_position == "left":
            tx, ty, anchor, x0 = px - off, py + 4, "end", px - off - tw
        elif p.label_position == "above":
            tx, ty, anchor, x0 = px, py - off, "middle", px - tw / 2
        else:
            tx, ty, anchor, x0 = px, py + off + 9, "middle", px - tw / 2
        label_rects.append((tx, ty, x0, ty - 10, x0 + tw, ty + 3, anchor))
    avoid_parts = [_densify(pts, step=5.0) for pts in line_px if len(pts)]
    avoid_parts += [np.asarray(point_px).reshape(-1, 2)]
    for _tx, _ty, x0, y0, x1, y1, _a in label_rects:
        gx, gy = np.meshgrid(np.linspace(x0, x1, 6), np.linspace(y0, y1, 3))
        avoid_parts.append(np.column_stack([gx.ravel(), gy.ravel()]))
    avoid = np.concatenate(avoid_parts) if avoid_parts else np.zeros((0, 2))
    entries = _auto_legend(lines, points) if legend is None else list(legend)
    legend_svg = ""
    blocked: list[tuple[float, float, float, float]] = []
    if entries:
        legend_svg, rect = _legend_svg(entries, legend_title, frame, avoid, legend_position)
        blocked.append(rect)
    if title:
        blocked.append((0.0, 0.0, 24 + _text_width(title, 17.0), 34.0))
    for x0, y0, x1, y1 in blocked:
        gx, gy = np.meshgrid(np.arange(x0, x1 + 4, 4.0), np.arange(y0, y1 + 4, 4.0))
        avoid = np.concatenate([avoid, np.column_stack([gx.ravel(), gy.ravel()])])

    attribution = f"Base map: {ATLAS_SOURCE}"
    attribution_x0 = w - 6 - _text_width(attribution, 9.5)
    out: list[str] = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
            f'height="{h}" role="img" font-family="{_attr(FONT_STACK)}" font-size="12" '
            f'fill="{TEXT}" style="max-width:100%;height:auto;background:{SEA}">'
        ),
        f"<title>{escape(title or 'Map')}</title>",
        f"<desc>Projection: {escape(proj.description)}. Base map: {escape(ATLAS_SOURCE)}.</desc>",
        f'<rect width="{w}" height="{h}" fill="{SEA}"/>',
    ]
    g_labels: list[str] = []
    if graticule:
        g_lines, g_labels, g_rects = _graticule_svg(
            frame, bottom_right_free=attribution_x0, blocked=blocked
        )
        for x0, y0, x1, y1 in g_rects:
            gx, gy = np.meshgrid(np.arange(x0, x1 + 4, 4.0), np.arange(y0, y1 + 4, 4.0))
            avoid = np.concatenate([avoid, np.column_stack([gx.ravel(), gy.ravel()])])
        out.append(
            f'<path class="graticule" d="{"".join(g_lines)}" fill="none" '
            f'stroke="{GRATICULE}" stroke-width="0.6"/>'
        )
    paths, names = _countries_svg(
        frame,
        base,
        highlight=set(highlight_countries),
        labels=country_labels,
        simplify_px=simplify_px,
        avoid=avoid,
    )
    out.append(
        f'<g class="countries" stroke="{BORDER}" stroke-width="0.6" '
        f'stroke-linejoin="round" fill-rule="evenodd">'
    )
    out.extend(paths)
    out.append("</g>")
    if g_labels:
        out.append(f'<g class="graticule-labels" font-size="10" fill="{MUTED}">')
        out.extend(g_labels)
        out.append("</g>")
    if names:
        out.append(
            '<g class="country-labels" font-size="10" fill="#9a9282" '
            'text-anchor="middle" letter-spacing="1">'
        )
        out.extend(names)
        out.append("</g>")

    out.append('<g class="lines" fill="none" stroke-linecap="round" stroke-linejoin="round">')
    for ln, pts in zip(lines, line_px, strict=True):
        if len(pts) < 2:
            continue
        d = _path_d([pts], close=False)
        dash = f' stroke-dasharray="{" ".join(_fmt(v) for v in ln.dash)}"' if ln.dash else ""
        opacity = f' stroke-opacity="{_fmt(ln.opacity)}"' if ln.opacity < 1 else ""
        tip = ln.tooltip if ln.tooltip is not None else ln.label
        out.append("<g>" + (f"<title>{escape(tip)}</title>" if tip else ""))
        out.append(
            f'<path d="{d}" stroke="#ffffff" stroke-opacity="0.85" '
            f'stroke-width="{_fmt(ln.width + 2.5)}"/>'
        )
        out.append(
            f'<path d="{d}" stroke="{_attr(ln.color)}" '
            f'stroke-width="{_fmt(ln.width)}"{dash}{opacity}/>'
        )
        out.append("</g>")
    out.append("</g>")

    out.append('<g class="points">')
    for p, (px, py) in zip(points, point_px, strict=True):
        tip = p.tooltip if p.tooltip is not None else p.label
        out.append(
            f'<circle cx="{_fmt(px)}" cy="{_fmt(py)}" r="{_fmt(p.radius)}" '
            f'fill="{_attr(p.color)}" stroke="#ffffff" stroke-width="1.5">'
            + (f"<title>{escape(tip)}</title>" if tip else "")
            + "</circle>"
        )
    out.append("</g>")
    if label_rects:
        out.append(
            '<g class="point-labels" font-size="12" font-weight="600" stroke="#ffffff" '
            'stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
        )
        texts = [p.label for p in points if p.label]
        for (tx, ty, _x0, _y0, _x1, _y1, anchor), text in zip(label_rects, texts, strict=True):
            out.append(
                f'<text x="{_fmt(tx)}" y="{_fmt(ty)}" text-anchor="{anchor}">{escape(text)}</text>'
            )
        out.append("</g>")

    if legend_svg:
        out.append(legend_svg)
    if title:
        out.append(
            f'<text x="14" y="26" font-size="17" font-weight="700" stroke="#ffffff" '
            f'stroke-width="4" stroke-linejoin="round" paint-order="stroke">'
            f"{escape(title)}</text>"
        )
    out.append(
        f'<text x="{w - 6}" y="{h - 6}" text-anchor="end" font-size="9.5" '
        f'fill="{MUTED}" stroke="#ffffff" stroke-opacity="0.7" stroke-width="3" '
        f'paint-order="stroke">{escape(attribution)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def corridor_colors(
    rows: Iterable[Mapping[str, object]], *, key: str = "corridor", color: str = "color"
) -> dict[str, str]:
    """Map corridor ids to colours from table rows (e.g. ``corridor.csv`` records).

    Parameters
    ----------
    rows : iterable of mapping
        Records with a corridor id and a colour.
    key, color : str
        Field names of the id and of the colour.

    Returns
    -------
    dict
        ``{corridor_id: colour}``; invalid colours raise :class:`ReportError`.
    """
    return {str(r[key]): check_color(str(r[color]), f"colour of {r[key]!r}") for r in rows}


__all__ = [
    "EURASIA_BBOX",
    "FONT_STACK",
    "VC_SCALE",
    "ColorScale",
    "FlowLayer",
    "LegendEntry",
    "MapLine",
    "MapPoint",
    "check_color",
    "corridor_colors",
    "flow_lines",
    "render_map",
]
