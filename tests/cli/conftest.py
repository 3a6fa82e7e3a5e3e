"""Run the ``corridors`` command in-process, as a user would type it."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import pytest

from corridors.cli.app import main


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(monkeypatch):
    def run(*args: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr("sys.argv", ["corridors", *args])
        monkeypatch.setenv("COLUMNS", "200")
        code = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exc:
                code = int(exc.code or 0)
        return Result(code, out.getvalue(), err.getvalue())

    return run
