"""The results store's file: its path checked, and opened while another may hold it.

A path that cannot be a store is refused before DuckDB sees it.

DuckDB lets one process at a time write a file (or several read it). A process that
finds the file locked waits up to ``timeout`` seconds, then raises
:class:`StoreBusyError` naming the process that holds it.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import duckdb

from corridors.errors import CorridorsError


class StoreError(CorridorsError, LookupError):
    """A run or sweep the store does not hold, or a path that is not a results store."""


class StoreBusyError(StoreError):
    """Another process holds the store's lock longer than the wait allowed."""


LOCK_TIMEOUT_S = 60.0
"""Default wait for another process's lock on the store, seconds."""

_MAGIC = b"DUCK"
_LOCK_HOLDER = re.compile(r"held in (?P<exe>.*?) \(PID (?P<pid>\d+)\)")


def check_path(path: Path, *, read_only: bool) -> None:
    """Refuse a path that cannot be a DuckDB store before DuckDB sees it."""
    if path.is_dir():
        raise StoreError(f"--store {path} is a folder, not a DuckDB results store file")
    if path.exists():
        with path.open("rb") as fh:
            head = fh.read(12)
        if head and head[8:12] != _MAGIC:
            raise StoreError(
                f"{path} is not a DuckDB results store (give a new or existing .duckdb file)"
            )
        if not read_only and not os.access(path, os.W_OK):
            raise StoreError(f"results store {path} is read-only")
        return
    if read_only:
        raise StoreError(f"no results store at {path}")
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise StoreError(f"cannot create the results store {path}: no folder {folder}")
    if not os.access(folder, os.W_OK):
        raise StoreError(f"cannot create the results store {path}: folder {folder} is read-only")


def connect(path: Path, *, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, waiting up to ``timeout`` seconds for another process's lock."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" not in text.lower():
                raise StoreError(f"cannot open the results store {path}: {text}") from None
            if time.monotonic() >= deadline:
                m = _LOCK_HOLDER.search(text)
                who = f"process {m['pid']} ({Path(m['exe']).name})" if m else "another process"
                raise StoreBusyError(
                    f"results store {path} is in use by {who}; waited {timeout:g} s. "
                    "Try again when it finishes, or give another --store"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the results store {path}: {exc}") from None
