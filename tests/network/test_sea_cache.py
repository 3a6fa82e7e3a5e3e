"""Sea legs cached by what they are computed from: same legs, no searoute on a hit."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from corridors.datasets import eurasia_path
from corridors.network import read_network, sea_cache
from corridors.network.sea import SeaRouter

SHANGHAI = (121.50, 31.23)
ROTTERDAM = (4.05, 51.95)
AKTAU = (51.17, 43.60)
ALAT = (49.42, 39.95)
REQUESTS = [
    (SHANGHAI, ROTTERDAM, ()),
    (SHANGHAI, ROTTERDAM, ("suez",)),
    (AKTAU, ALAT, ()),
]


def _no_router(monkeypatch):
    def refuse(self, requests):
        raise AssertionError("sea legs computed although they were cached")

    monkeypatch.setattr(SeaRouter, "legs", refuse)


def test_second_reading_comes_from_the_cache_and_equals_the_router(tmp_path, monkeypatch):
    computed = SeaRouter().legs(REQUESTS)
    first = sea_cache.cached_sea_legs(REQUESTS, folder=tmp_path)
    assert first == computed
    files = list(tmp_path.glob("sea-legs-*.json"))
    assert len(files) == 1
    _no_router(monkeypatch)
    again = sea_cache.cached_sea_legs(REQUESTS, folder=tmp_path)
    assert again == computed  # every float exactly, the passages and the path
    assert again[1].passages != again[0].passages  # the Cape, not Suez


def test_another_avoided_passage_is_another_key():
    a = sea_cache.cache_key(REQUESTS)
    b = sea_cache.cache_key([*REQUESTS[:2], (AKTAU, ALAT, ("bosporus",))])
    assert a != b
    assert a == sea_cache.cache_key(list(REQUESTS))


@pytest.mark.parametrize("content", ["{not json", '{"legs": [{"km": 1}]}', '{"legs": []}'])
def test_a_broken_cache_file_is_ignored_and_replaced(tmp_path, content, caplog):
    path = tmp_path / f"sea-legs-{sea_cache.cache_key(REQUESTS)}.json"
    path.write_text(content)
    legs = sea_cache.cached_sea_legs(REQUESTS, folder=tmp_path)
    assert legs == SeaRouter().legs(REQUESTS)
    assert "ignoring" in caplog.text
    assert len(json.loads(path.read_text())["legs"]) == len(REQUESTS)


def test_an_unwritable_cache_folder_only_costs_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    legs = sea_cache.cached_sea_legs(REQUESTS, folder=blocker / "cache")
    assert legs == SeaRouter().legs(REQUESTS)


def test_an_unroutable_leg_is_an_error_and_not_cached(tmp_path):
    bad = [((41.65, 42.15), (23.62, 37.94), ("bosporus",))]
    for _ in range(2):
        with pytest.raises(ValueError, match="no sea route"):
            sea_cache.cached_sea_legs(bad, folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cache_folder_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(sea_cache.CACHE_ENV, str(tmp_path))
    assert sea_cache.cache_folder() == tmp_path
    monkeypatch.setenv(sea_cache.CACHE_ENV, "")
    assert sea_cache.cache_folder() is None
    monkeypatch.delenv(sea_cache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert sea_cache.cache_folder() == tmp_path / "xdg" / "corridors"


def test_shipped_network_with_and_without_the_cache_is_the_same(monkeypatch, tmp_path):
    monkeypatch.setenv(sea_cache.CACHE_ENV, "")
    plain = read_network(eurasia_path())
    monkeypatch.setenv(sea_cache.CACHE_ENV, str(tmp_path))
    read_network(eurasia_path())  # fills the cache
    _no_router(monkeypatch)
    cached = read_network(eurasia_path())
    np.testing.assert_array_equal(cached.links["km"], plain.links["km"])
    assert list(cached.links["passages"]) == list(plain.links["passages"])
    assert list(cached.links["coords"]) == list(plain.links["coords"])
    assert (plain.links["mode"] == "sea").sum() > 10


def test_compare_with_a_warm_cache_imports_no_searoute(tmp_path):
    """A compare after the first loads neither searoute nor networkx (module count)."""
    code = (
        "import sys\n"
        "sys.argv = ['corridors', 'compare', \"Xi'an\", 'Duisburg', '--format', 'json']\n"
        "from corridors.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, sea_cache.CACHE_ENV: str(tmp_path), "COLUMNS": "80"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        for _ in range(2)
    ]
    first, second = (set(r.stderr.split()) for r in runs)
    assert "searoute" in first
    assert not {m for m in second if m.split(".")[0] in ("searoute", "networkx")}
    assert json.loads(runs[0].stdout)["routes"] == json.loads(runs[1].stdout)["routes"]
