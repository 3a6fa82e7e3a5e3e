"""Atomic outputs: nothing half-written, temporaries of killed writers reclaimed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from corridors import atomic


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_failed_block_leaves_the_old_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with atomic.atomic_folder(out) as tmp:
        (tmp / "a.txt").write_text("first")

    def fail() -> None:
        with atomic.atomic_folder(out) as tmp:
            (tmp / "a.txt").write_text("second")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail()
    assert (out / "a.txt").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_replacing_a_folder_leaves_no_hidden_copy(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for text in ("one", "two"):
        with atomic.atomic_folder(out) as tmp:
            (tmp / "a.txt").write_text(text)
    assert (out / "a.txt").read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_file_is_not_turned_into_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("keep")
    with pytest.raises(NotADirectoryError, match="is a file"), atomic.atomic_folder(out):
        pass
    assert out.read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_temporaries_of_a_killed_writer_are_reclaimed(tmp_path: Path) -> None:
    dead = _dead_pid()
    stale_dir = tmp_path / f".sim.tmp-{dead}-abc123"
    stale_dir.mkdir()
    (stale_dir / "half.parquet").write_bytes(b"x")
    stale_old = tmp_path / f".sim.old-{dead}-def456"
    stale_old.mkdir()
    stale_file = tmp_path / f".flows.csv.tmp-{dead}-xyz.tmp"
    stale_file.write_text("half")
    mine = tmp_path / f".sim.tmp-{os.getpid()}-live"  # a live writer: kept
    mine.mkdir()
    with atomic.atomic_folder(tmp_path / "sim") as tmp:
        (tmp / "done.txt").write_text("ok")
    atomic.write_text(tmp_path / "flows.csv", "a\n")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["sim", "flows.csv", mine.name])
