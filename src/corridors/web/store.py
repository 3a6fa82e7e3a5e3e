"""The results store as the server uses it: opened for each request, one writer at a time.

DuckDB lets one process write a file or several read it. The server opens the store
only for the time of a request (so ``corridors run`` in a terminal can use the same
file in between) and serialises its own use with a lock; job workers never open it,
they send their writes here (:class:`corridors.web.scenarios.ServerStore`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from corridors.scenarios.store import ResultsStore, StoreError

T = TypeVar("T")

WRITES = frozenset({"write_run"})
"""Store methods a job worker may ask the server to call."""


class StoreBusyError(StoreError):
    """Another program is using the store file."""


class StoreAccess:
    """Reads and writes of one results store file.

    Parameters
    ----------
    path : Path
        DuckDB file (created by the first write).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def read(self, fn: Callable[[ResultsStore], T], *, empty: T) -> T:
        """``fn(store)`` on the store opened read-only; ``empty`` when there is no store yet.

        Raises
        ------
        StoreError
            When another program is writing the file (store busy).
        """
        with self._lock:
            if not self.path.exists():
                return empty
            try:
                store = ResultsStore(self.path, read_only=True)
            except duckdb.IOException as exc:
                raise StoreBusyError(f"results store {self.path} is busy: {exc}") from exc
            with store:
                return fn(store)

    def call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Run a worker's write (``write_run``) in this process.

        Raises
        ------
        StoreError
            For any other method, or when the file is busy.
        """
        if name not in WRITES:
            raise StoreError(f"a job may not call {name!r} on the store")
        with self._lock:
            try:
                store = ResultsStore(self.path)
            except duckdb.IOException as exc:
                raise StoreBusyError(f"results store {self.path} is busy: {exc}") from exc
            with store:
                return getattr(store, name)(*args, **kwargs)
