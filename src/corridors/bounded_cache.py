"""Bounded caches: a value made once per key, the oldest dropped first when full.

The runs of a sweep or a forecast make new networks, queues and routes for every sample;
the caches that share them between runs keep at most a fixed number of entries, dropping
the one made first (a dict keeps its insertion order).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, MutableMapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def make_room(cache: MutableMapping[K, V], *, keep: int) -> None:
    """Drop the oldest entries of ``cache`` until it has room for one more of ``keep``.

    Parameters
    ----------
    cache : mutable mapping
        The cache, its entries in the order they were made.
    keep : int
        Most entries the cache keeps (at least 1).
    """
    while cache and len(cache) >= keep:
        del cache[next(iter(cache))]


def made_once(cache: MutableMapping[K, V], key: K, make: Callable[[], V], *, keep: int) -> V:
    """``cache[key]``, made by ``make()`` the first time (at most ``keep`` kept).

    Parameters
    ----------
    cache : mutable mapping
        The cache, its entries in the order they were made.
    key : hashable
        What the value depends on.
    make : callable
        Makes the value when ``key`` is not in the cache.
    keep : int
        Most entries the cache keeps: the oldest is dropped to make room for a new one.

    Returns
    -------
    object
        The value, made now or before.
    """
    if key in cache:
        return cache[key]
    make_room(cache, keep=keep)
    value = cache[key] = make()
    return value
