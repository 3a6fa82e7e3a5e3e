"""Shared fixtures: small hand-made networks shipped with the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mini_path() -> Path:
    """Folder of the hand-made six-node network (see tests/fixtures/mini)."""
    return FIXTURES / "mini"


@pytest.fixture
def mini_copy(tmp_path: Path, mini_path: Path) -> Path:
    """A writable copy of the mini network, for tests that break it on purpose."""
    dest = tmp_path / "mini"
    shutil.copytree(mini_path, dest)
    return dest
