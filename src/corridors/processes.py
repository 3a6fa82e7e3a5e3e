"""Worker processes that end with the process that started them.

A sweep's local pool runs its workers as children of multiprocessing's fork server. If
the parent is killed (``kill -9``) nothing tells the workers, which would go on with
their current run for minutes. :func:`exit_with_parent`, called when a worker starts,
asks Linux to kill the worker when its own parent (the fork server, which exits with
the main process) dies, and starts a watchdog thread that ends the worker as soon as
the main process is gone (on any platform).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

__all__ = ["exit_with_parent", "process_alive"]

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
"""``prctl`` option: signal sent to this process when its parent dies (Linux)."""

POLL_S = 0.25
"""How often the watchdog checks that the main process is alive, seconds."""


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (exited, not yet reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError, IndexError):
        state = stat.read_text().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    return True


def _watch(parent_pid: int, poll_s: float) -> None:
    while process_alive(parent_pid):
        time.sleep(poll_s)
    os._exit(1)  # the parent is gone: nobody will read this worker's result


def exit_with_parent(parent_pid: int, *, poll_s: float = POLL_S) -> None:
    """End this process when process ``parent_pid`` (the one that started the pool) dies.

    Parameters
    ----------
    parent_pid : int
        Process id of the main process.
    poll_s : float
        Seconds between two checks of the watchdog thread.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            log.debug("prctl(PR_SET_PDEATHSIG) unavailable; relying on the watchdog")
    threading.Thread(
        target=_watch, args=(parent_pid, poll_s), name="exit-with-parent", daemon=True
    ).start()
