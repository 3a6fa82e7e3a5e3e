"""Shared fixtures: small hand-made networks shipped with the tests."""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from corridors.cli.app import main

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


def shared_data(name: str) -> Path:
    """Folder ``shared/data/<name>`` next to the repository, or skip the test.

    Public data (TNTP networks, GMNS examples) is never copied into the project: it is read
    from ``../shared`` relative to the repository root. A git worktree sits one level deeper,
    so the nearest ancestor holding ``shared/data/<name>`` is used.
    """
    for parent in REPO.parents:
        folder = parent / "shared" / "data" / name
        if folder.is_dir():
            return folder
    pytest.skip(f"../shared/data/{name} is absent next to the repository {REPO}")


@pytest.fixture(scope="session", autouse=True)
def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Sea legs are cached in a folder of the test session, never in the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CORRIDORS_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def tntp_dir() -> Path:
    """The TNTP test networks (SiouxFalls, Chicago-Sketch) from ``../shared/data/tntp``."""
    return shared_data("tntp")


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


class CliResult(NamedTuple):
    """Exit code, standard output and standard error of one command."""

    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``corridors ARGS...`` in-process, as a user would type it."""

    def run(*args: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr("sys.argv", ["corridors", *args])
        monkeypatch.setenv("COLUMNS", "200")
        code = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exc:
                code = int(exc.code or 0)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture(scope="session")
def gmns_shared() -> Path:
    """``../shared/data/gmns``: the GMNS specification and its example networks."""
    return shared_data("gmns")


class ReportContent(NamedTuple):
    """What a self-contained HTML report draws, read back from its JSON blocks."""

    maps: list[dict]
    charts: list[dict]
    external: list[str]
    """``src``/``href`` attributes pointing anywhere but inside the page (should be none)."""

    def features(self, index: int = 0) -> list[dict]:
        """Features of every ``flows`` layer of map ``index`` (properties only)."""
        return [
            f["properties"]
            for layer in self.maps[index]["layers"]
            if layer["kind"] == "flows"
            for f in layer["geojson"]["features"]
        ]


def read_report(html: str) -> ReportContent:
    """Maps, charts and outside references of a report written by corridors.reports."""
    import json
    import re

    def blocks(kind: str) -> list[dict]:
        pattern = rf'<script type="application/json" {kind} data-target="[^"]*">(.*?)</script>'
        return [json.loads(m) for m in re.findall(pattern, html, flags=re.S)]

    outside = re.sub(r"(<script\b[^>]*>).*?</script>", r"\1</script>", html, flags=re.S)
    tags = re.findall(r"<(?:script|link|img|a|iframe)\b[^>]*>", outside)
    refs = [m for t in tags for m in re.findall(r"""(?:src|href)=["']([^"']*)""", t)]
    return ReportContent(
        blocks("data-map"), blocks("data-chart"), [r for r in refs if r[:1] != "#"]
    )


@pytest.fixture
def report_content() -> Callable[[str], ReportContent]:
    """:func:`read_report`: what a report draws, for assertions on its maps and charts."""
    return read_report
