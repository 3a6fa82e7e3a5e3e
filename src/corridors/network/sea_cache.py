"""Sea legs kept in the user's cache folder, keyed by what they are computed from.

Computing the sea legs of a network needs searoute's maritime graph (networkx, ~0.3 s
to import and set up) and a few searches: about half a second that every command
reading a network would pay again. The legs depend only on the ports' positions, the
passages each link avoids, the passages always avoided, the searoute release and the code
of :mod:`corridors.network.sea`, so a file named after a hash of those holds them: the
second reading of the same sea links, in any process, loads them from JSON without
importing searoute. A change to any sea link, to searoute or to that code is another
key, so a stale leg is never used.

The folder is ``$CORRIDORS_CACHE_DIR`` if that is set (an empty value turns the cache
off), else the platform's user cache folder (``~/.cache/corridors`` on Linux,
honouring ``XDG_CACHE_HOME``). A file that cannot be read or written is ignored: the
legs are then computed as without a cache.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from corridors.network import sea
from corridors.network.sea import ALWAYS_AVOID, SeaLeg, SeaRequest

logger = logging.getLogger(__name__)

CACHE_ENV = "CORRIDORS_CACHE_DIR"
"""Environment variable naming the cache folder (empty: no cache)."""

CACHE_FORMAT = 1
"""Layout of the cache files; part of the key, so a new layout never reads an old file."""


def cache_folder() -> Path | None:
    """The folder of corridors' cache files, or ``None`` when the cache is turned off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_cache_dir("corridors", appauthor=False))


def _searoute_release() -> str:
    """The installed searoute release, read from its metadata folder without importing it."""
    spec = importlib.util.find_spec("searoute")
    if spec is None or spec.origin is None:
        return "unknown"
    site = Path(spec.origin).parent.parent
    found = sorted(p.name for p in site.glob("searoute-*.dist-info"))
    return found[0].removesuffix(".dist-info") if found else "unknown"


def _router_code() -> str:
    """Hash of the code that computes the legs (``sea.py``): a change there is a new key."""
    return hashlib.sha256(Path(sea.__file__).read_bytes()).hexdigest()


def cache_key(requests: Sequence[SeaRequest]) -> str:
    """Hash of everything the legs of ``requests`` are computed from (hex SHA-256)."""
    material = {
        "format": CACHE_FORMAT,
        "code": _router_code(),
        "searoute": _searoute_release(),
        "always_avoid": sorted(ALWAYS_AVOID),
        "requests": [[list(o), list(d), sorted(avoid)] for o, d, avoid in requests],
    }
    text = json.dumps(material, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(path: Path, count: int) -> list[SeaLeg] | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        legs = [
            SeaLeg(
                km=float(leg["km"]),
                coords=[(float(x), float(y)) for x, y in leg["coords"]],
                passages=tuple(str(p) for p in leg["passages"]),
            )
            for leg in doc["legs"]
        ]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("ignoring the unreadable sea-leg cache file %s: %s", path, exc)
        return None
    if len(legs) != count:
        logger.warning("ignoring the sea-leg cache file %s: it holds another network", path)
        return None
    return legs


def _write(path: Path, legs: Sequence[SeaLeg]) -> None:
    from corridors import atomic  # noqa: PLC0415

    doc = {
        "format": CACHE_FORMAT,
        "legs": [
            {"km": leg.km, "coords": [list(c) for c in leg.coords], "passages": leg.passages}
            for leg in legs
        ],
    }
    try:
        atomic.write_text(path, json.dumps(doc, separators=(",", ":")))
    except OSError as exc:
        logger.info("sea legs not cached (%s): %s", path, exc)


def cached_sea_legs(
    requests: Sequence[SeaRequest], *, folder: Path | None = None, use_cache: bool = True
) -> list[SeaLeg]:
    """Sea legs of ``(origin, destination, avoid)`` requests, from the cache when it has them.

    Parameters
    ----------
    requests : sequence of ((lon, lat), (lon, lat), tuple of str)
        Ports (degrees) and the passages each leg must avoid.
    folder : Path, optional
        Cache folder (default: :func:`cache_folder`).
    use_cache : bool
        ``False`` computes the legs without reading or writing any file.

    Returns
    -------
    list of SeaLeg
        In the order of ``requests``; equal to :meth:`SeaRouter.legs`'s (the JSON keeps
        every float exactly).

    Raises
    ------
    ValueError
        If a leg cannot be made without the avoided passages (never cached).
    """
    from corridors.network.sea import SeaRouter  # noqa: PLC0415

    if not requests:
        return []
    where = (folder or cache_folder()) if use_cache else None
    path = where / f"sea-legs-{cache_key(requests)}.json" if where is not None else None
    if path is not None and (legs := _read(path, len(requests))) is not None:
        logger.debug("sea legs read from %s", path)
        return legs
    legs = SeaRouter().legs(requests)
    if path is not None:
        _write(path, legs)
    return legs
