"""Write outputs so that a failure never leaves a half-written result behind.

Files are written to a temporary file in the destination folder and moved into place
with :func:`os.replace` (atomic on POSIX); folders are assembled in a temporary
sibling folder and renamed when complete. Temporaries carry the writer's process id,
so that a later write reclaims those of a writer that was killed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from corridors.processes import process_alive

FILE_MODE = 0o644
"""Permissions of files written (temporary files are created private)."""

FOLDER_MODE = 0o755
"""Permissions of folders written (temporary folders are created private)."""

_TMP = ".tmp-"
_OLD = ".old-"


def _tag(target: Path, kind: str) -> str:
    """Prefix of a temporary sibling of ``target`` owned by this process."""
    return f".{target.name}{kind}{os.getpid()}-"


def reclaim(target: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary siblings of ``target`` left by processes that no longer run.

    An interrupted write (``kill -9``, power cut) leaves ``.NAME.tmp-PID-*`` (the output
    being assembled) or ``.NAME.old-PID-*`` (the previous output being replaced); the
    next write to the same target removes those whose process is gone.

    Returns
    -------
    list of Path
        What was removed.
    """
    path = Path(target)
    removed: list[Path] = []
    if not path.parent.is_dir():
        return removed
    for kind in (_TMP, _OLD):
        for stale in path.parent.glob(f".{glob.escape(path.name)}{kind}*"):
            pid_text = stale.name[len(path.name) + 1 + len(kind) :].split("-", 1)[0]
            if not pid_text.isdigit() or process_alive(int(pid_text)):
                continue
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
            removed.append(stale)
    return removed


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; return the path."""
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder; give a file name to write")
    target.parent.mkdir(parents=True, exist_ok=True)
    reclaim(target)
    fd, tmp = tempfile.mkstemp(prefix=_tag(target, _TMP), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).chmod(FILE_MODE)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically; return the path."""
    return write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``path`` only if the block succeeds.

    An existing folder at ``path`` is replaced as a whole; on error the temporary
    folder is removed and ``path`` is left as it was. Temporary folders of earlier
    writes that were killed are removed first (:func:`reclaim`).

    Raises
    ------
    NotADirectoryError
        ``path`` is an existing file (it is left alone, not turned into a folder).
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(
            f"{target} is a file; give a folder name for the output (the file is left alone)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    reclaim(target)
    tmp = Path(tempfile.mkdtemp(prefix=_tag(target, _TMP), dir=target.parent))
    tmp.chmod(FOLDER_MODE)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=_tag(target, _OLD), dir=target.parent))
        old.rmdir()
        target.replace(old)
        tmp.replace(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.replace(target)
