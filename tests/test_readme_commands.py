"""Every ``corridors ...`` command in the README works as written.

Each command of the README's shell blocks is parsed by the real command line (every option
exists, every value is accepted); the quick ones also run to completion, in a temporary
folder so that their outputs land there. Paths into the repository (``src/...``) and into
``../shared`` are resolved from the repository root, as a reader in a clone would type them.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer

from corridors.cli.app import build_app

REPO = Path(__file__).resolve().parents[1]
RUN_FULLY = {
    "compare",
    "routes",
    "places",
    "passages",
    "network",
    "report",
    "assign",
    "runs",
    "energy",
    "relief",
}
"""First words of the commands run to completion; the others (simulate, run, forecast,
sweep, calibrate: minutes each) are parsed only."""


PLACEHOLDERS = {"HOST", "RUN_ID"}


def readme_commands() -> list[list[str]]:
    """The ``corridors`` commands of the README's ``sh`` blocks, as argument lists."""
    blocks = re.findall(r"```sh\n(.*?)```", (REPO / "README.md").read_text(), flags=re.S)
    commands = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            args = shlex.split(line, comments=True)
            if args and args[0] == "corridors":
                commands.append(args[1:])
    return commands


COMMANDS = readme_commands()


def _shared() -> Path | None:
    return next((p / "shared" for p in REPO.parents if (p / "shared" / "data").is_dir()), None)


def _localise(args: list[str], shared: Path | None) -> list[str]:
    out = []
    for arg in args:
        if arg.startswith("src/"):
            out.append(str(REPO / arg))
        elif arg.startswith("../shared/"):
            if shared is None:
                pytest.skip("../shared is absent next to the repository")
            out.append(str(shared / arg.removeprefix("../shared/")))
        else:
            out.append(arg)
    return out


def _parse(args: list[str]) -> None:
    """Parse ``args`` as the command line does (options, types, ranges), without running."""
    group = typer.main.get_command(build_app())
    ctx = group.make_context("corridors", list(args))
    command = group
    rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
    while hasattr(command, "resolve_command") and rest:
        name, command, rest = command.resolve_command(ctx, rest)
        assert command is not None, name
        ctx = command.make_context(name, rest, parent=ctx)
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]


def test_the_readme_has_the_commands():
    firsts = {c[0] for c in COMMANDS}
    assert {"compare", "places", "passages", "assign", "simulate", "run", "runs"} <= firsts
    assert len(COMMANDS) >= 20


@pytest.mark.slow
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c)[:60] for c in COMMANDS])
def test_readme_command_works(args, run_cli, tmp_path, monkeypatch):
    args = _localise(args, _shared())
    if PLACEHOLDERS & set(re.split(r"[\s:/]+", " ".join(args))):
        _parse(args)  # the reader fills these in (a Dask scheduler, a stored run's id)
        return
    _parse(args)
    if args[0] not in RUN_FULLY or "--tntp" in args:
        return  # SiouxFalls at 1e-6: test_assignment_tntp_validation (< 2000 iterations)
    monkeypatch.chdir(tmp_path)
    r = run_cli(*args)
    assert r.code == 0, f"corridors {' '.join(args)}\n{r.err}"
    assert "error" not in r.err.lower()
