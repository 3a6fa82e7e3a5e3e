"""The ``corridors`` command line: a thin layer over the library.

Each command group lives in its own module of this package and exposes
``register(app)``; this module only assembles them and turns library errors into one
clear message and a non-zero exit code.
"""

from __future__ import annotations

import importlib
import logging
import sys

import typer

from corridors import __version__
from corridors.errors import CorridorsError

COMMAND_MODULES: tuple[str, ...] = (
    "corridors.cli.network",
    "corridors.cli.compare",
    "corridors.cli.report",
    "corridors.cli.assign",
    "corridors.cli.simulate",
    "corridors.cli.scenarios",
    "corridors.cli.energy",
    "corridors.cli.relief",
)
"""Modules that each add commands to the application through ``register(app)``."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"corridors {__version__}")
        raise typer.Exit


def build_app() -> typer.Typer:
    """Assemble the application from the command modules."""
    app = typer.Typer(
        name="corridors",
        help="Model the Eurasian freight corridors door to door: compare routes, assign "
        "demand, simulate operations, run scenarios.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _root(
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
        version: bool = typer.Option(
            False, "--version", callback=_version, is_eager=True, help="Print the version."
        ),
    ) -> None:
        logging.basicConfig(
            level=logging.INFO if verbose else logging.WARNING,
            format="%(levelname)s %(name)s: %(message)s",
        )

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command group not written yet
            if exc.name != name:
                raise
            continue
        module.register(app)
    return app


def main() -> None:
    """Entry point of the ``corridors`` console script."""
    app = build_app()
    try:
        code = app(standalone_mode=False)
    except CorridorsError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        sys.exit(2)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.secho("aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.secho("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        show = getattr(exc, "show", None)
        if callable(show):  # a usage error from the command-line parser
            show()
            sys.exit(int(getattr(exc, "exit_code", 2)))
        raise
    sys.exit(code if isinstance(code, int) else 0)
