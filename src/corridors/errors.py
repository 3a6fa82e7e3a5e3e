"""Errors raised by corridors.

Every error subclasses a built-in exception so that callers can catch it the usual
way (``except ValueError``), and carries enough context (file, row, column, value) to
point the user at the cell to fix. Validation collects every problem before raising,
so one run lists them all.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in an input table or file.

    Attributes
    ----------
    file : str
        File (or table) name, e.g. ``"link.csv"``.
    row : int | None
        Line number in the file as an editor shows it (the header is line 1), or
        ``None`` when the problem concerns the whole file or a column.
    column : str | None
        Field name, or ``None`` for a whole-row problem.
    value : str | None
        The offending value as written in the file.
    message : str
        What is wrong, in one sentence.
    hint : str | None
        The likely fix ("did you mean ...?"), if one can be guessed.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", line {self.row}"
        if self.column is not None:
            where += f", field '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value is not None and self.value != "":
            text += f" (value {self.value!r})"
        if self.hint:
            text += f"; {self.hint}"
        return text


class CorridorsError(Exception):
    """Base class of every error corridors raises on purpose."""


class ProblemsError(CorridorsError):
    """An error that carries a list of :class:`Problem` found together."""

    def __init__(self, problems: Sequence[Problem], *, what: str = "input") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in {what}"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head}:\n{body}" if n else head)


class NetworkError(ProblemsError, ValueError):
    """The network tables are malformed or inconsistent."""


class AssignmentInputError(ProblemsError, ValueError):
    """An assignment input (TNTP file, demand table, network arrays) is malformed.

    Each :class:`Problem` names the file, line and field. Raised by the readers of
    the data edge (:mod:`corridors.tntp`) and by the assignment engine's checks of the
    arrays it is given; :mod:`corridors.assignment.errors` re-exports it.
    """


class DemandError(ProblemsError, ValueError):
    """A demand (origin-destination) table is malformed or names unknown places."""


class ScenarioError(ProblemsError, ValueError):
    """A scenario file is malformed or refers to things the network does not have."""


class UnknownNameError(CorridorsError, KeyError):
    """A name (place, passage, country, scenario ...) that corridors does not know.

    The command line exits 2 on it: the user named something that is not there.
    """

    def __str__(self) -> str:  # KeyError would quote the whole message otherwise
        return str(self.args[0]) if self.args else ""


class UnknownPlaceError(UnknownNameError):
    """A place name or id that the network does not know."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        msg = f"unknown place {name!r}"
        if self.hint:
            msg += "; " + self.hint
        super().__init__(msg)

    @property
    def hint(self) -> str | None:
        """``did you mean 'a' or 'b'?`` from the suggestions, or ``None`` without any."""
        if not self.suggestions:
            return None
        return "did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"


class UnknownClosureError(ProblemsError, UnknownNameError):
    """Names given to close (passages, countries, borders, nodes, links) that are unknown."""


class UnknownScenarioError(ScenarioError, UnknownNameError):
    """A scenario named that is neither a file nor a shipped scenario."""


class UnreachableError(CorridorsError, ValueError):
    """No route connects an origin and a destination under the given restrictions."""


def did_you_mean(
    value: str, choices: Iterable[str], *, n: int = 3, cutoff: float = 0.6
) -> str | None:
    """Suggest the closest choices to a mistyped value.

    Parameters
    ----------
    value : str
        What the user wrote.
    choices : iterable of str
        The valid values.
    n : int
        At most this many suggestions.
    cutoff : float
        Similarity (0..1) below which a choice is not suggested.

    Returns
    -------
    str or None
        ``"did you mean 'x'?"`` (or ``'x' or 'y'``), or ``None`` when nothing is close.
    """
    close = close_choices(value, choices, n=n, cutoff=cutoff)
    if not close:
        return None
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"


def close_choices(
    value: str, choices: Iterable[str], *, n: int = 3, cutoff: float = 0.6
) -> list[str]:
    """The choices closest to a mistyped value, best first (what :func:`did_you_mean` names).

    Matching ignores case; at most ``n`` choices at least ``cutoff`` similar (0..1).
    """
    pool = {c.lower(): c for c in choices}
    return [
        pool[c] for c in difflib.get_close_matches(value.lower(), list(pool), n=n, cutoff=cutoff)
    ]
