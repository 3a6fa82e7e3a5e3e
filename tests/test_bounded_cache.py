"""The bounded cache: made once per key, the oldest dropped first."""

from __future__ import annotations

from corridors.bounded_cache import made_once, make_room


def test_a_value_is_made_once_and_the_oldest_makes_room() -> None:
    cache: dict[str, int] = {}
    calls: list[str] = []

    def make(key: str) -> int:
        calls.append(key)
        return len(calls)

    assert made_once(cache, "a", lambda: make("a"), keep=2) == 1
    assert made_once(cache, "a", lambda: make("a"), keep=2) == 1  # kept, not made again
    assert made_once(cache, "b", lambda: make("b"), keep=2) == 2
    assert made_once(cache, "c", lambda: make("c"), keep=2) == 3  # "a" dropped
    assert list(cache) == ["b", "c"]
    assert made_once(cache, "a", lambda: make("a"), keep=2) == 4  # made again
    assert calls == ["a", "b", "c", "a"]


def test_make_room_leaves_room_for_one_more() -> None:
    cache = {k: k for k in range(5)}
    make_room(cache, keep=3)
    assert list(cache) == [3, 4]
    make_room(cache, keep=1)
    assert cache == {}
