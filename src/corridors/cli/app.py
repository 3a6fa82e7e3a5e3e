"""The ``corridors`` command line: a thin layer over the library.

Each command group lives in its own module of this package and exposes
``register(app)``. This module lists them in :data:`COMMANDS` and imports a module only
when one of its commands runs, so ``corridors --version`` and ``--help`` load neither
the engines nor pandas. It also turns library errors into one plain ``error: ...`` line
and the agreed exit code: 0 success, 1 a failure while running, 2 a wrong command line.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from corridors import __version__
from corridors.cli.common import print_error
from corridors.errors import CorridorsError, UnknownNameError

COMMANDS: dict[str, tuple[str, str]] = {
    "compare": (
        "corridors.cli.compare",
        "Compare the corridors door to door: days, USD, kg CO2e, km, borders, transfers.",
    ),
    "routes": (
        "corridors.cli.compare",
        "The k cheapest loopless routes (Yen), each labelled with its corridor.",
    ),
    "places": ("corridors.cli.places", "List the places of the network, with their aliases."),
    "passages": (
        "corridors.cli.places",
        "List what --close accepts: sea passages, countries, borders (and any node or link).",
    ),
    "network": ("corridors.cli.network", "Check and export network folders."),
    "report": ("corridors.cli.report", "Write self-contained HTML reports (offline)."),
    "assign": ("corridors.cli.assign", "Assign demand at user equilibrium and write link flows."),
    "simulate": (
        "corridors.cli.simulate",
        "Simulate a year of operations: waits, queues, transit-time percentiles.",
    ),
    "run": (
        "corridors.cli.scenarios",
        "Run a scenario: corridor volumes by year, transit times, ranking of measures.",
    ),
    "sweep": (
        "corridors.cli.scenarios",
        "Run a scenario many times over ranges of inputs; each run is stored as it ends.",
    ),
    "forecast": (
        "corridors.cli.scenarios",
        "Forecast corridor volumes year by year with Monte Carlo uncertainty bands.",
    ),
    "calibrate": (
        "corridors.cli.calibrate",
        "Fit the corridor choice to volumes, transit times and prices 2021-2023.",
    ),
    "runs": ("corridors.cli.runs", "Stored runs: list, show, diff."),
    "energy": (
        "corridors.cli.energy",
        "Energy corridors: crude, gas and power flows with capacities and shadow prices.",
    ),
    "relief": (
        "corridors.cli.relief",
        "Tonnes a day that reach a disaster area within a window, by route and mode.",
    ),
    "serve": (
        "corridors.cli.serve",
        "Open the dashboard: compare corridors on a map, run scenarios, share views.",
    ),
}
"""Command name -> (module whose ``register(app)`` adds it, one-line summary for ``--help``).

A new command is one entry here. The summary is what ``corridors --help`` shows without
importing the module; a test checks that it matches the first line of the command's help.
"""

COMMAND_MODULES: tuple[str, ...] = tuple(dict.fromkeys(m for m, _ in COMMANDS.values()))
"""The command modules, in the order of :data:`COMMANDS`."""


def load_command(name: str) -> Any:
    """Import the module of command ``name`` and return its click command (or group)."""
    module_name, _ = COMMANDS[name]
    sub = typer.Typer(add_completion=False)
    importlib.import_module(module_name).register(sub)
    return typer.main.get_group(sub).commands[name]


class LazyCommands(TyperGroup):
    """A command group that imports a command's module only when the command runs.

    Listing the commands (``--help``, suggestions for a mistyped command) uses the summaries
    of :data:`COMMANDS`.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._placeholders: set[str] = set()
        self._listing = False
        for name, (_, summary) in COMMANDS.items():
            if name not in self.commands:
                self.commands[name] = TyperCommand(name=name, help=summary, short_help=summary)
                self._placeholders.add(name)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The real command, imported on first use (a placeholder while listing)."""
        if cmd_name in self._placeholders and not self._listing:
            self.commands[cmd_name] = load_command(cmd_name)
            self._placeholders.discard(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Help of the root command, listing the commands without importing them."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"corridors {__version__}")
        raise typer.Exit


def build_app() -> typer.Typer:
    """Assemble the application; command modules are imported when their command runs."""
    app = typer.Typer(
        name="corridors",
        cls=LazyCommands,
        help="Model the Eurasian freight corridors door to door: compare routes, assign "
        "demand, simulate operations, run scenarios.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,  # plain help and errors: no panels to wrap, no rich import
    )

    @app.callback()
    def _root(
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
        quiet: bool = typer.Option(
            False, "--quiet", "-q", help="Only results and errors: no progress, no notes."
        ),
        version: bool = typer.Option(
            False, "--version", callback=_version, is_eager=True, help="Print the version."
        ),
    ) -> None:
        level = logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")

    return app


def _parser_error(exc: Any) -> int:
    """Report an error of the command-line parser (typer/click); return the exit code.

    A missing command shows the help; anything else is one plain line naming the option
    and where to read about it, whatever the terminal width.
    """
    if type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()
        return int(exc.exit_code)
    message = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    print_error(message)
    return int(getattr(exc, "exit_code", 2))


def main() -> None:
    """Entry point of the ``corridors`` console script."""
    app = build_app()
    try:
        code = app(standalone_mode=False)
    except UnknownNameError as exc:  # a place, scenario, passage ... named on the command line
        print_error(str(exc))
        sys.exit(2)
    except CorridorsError as exc:  # bad content in an input, no route, not converged ...
        print_error(str(exc))
        sys.exit(1)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        print_error(str(exc))  # a path given on the command line that is not there
        sys.exit(2)
    except PermissionError as exc:
        print_error(str(exc))
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print_error("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        print_error("interrupted")
        sys.exit(130)
    except Exception as exc:
        if not callable(getattr(exc, "show", None)):
            raise
        sys.exit(_parser_error(exc))
    sys.exit(code if isinstance(code, int) else 0)
