"""Library errors as HTTP answers: a 4xx that names the parameter, never a 500.

Every answer has FastAPI's shape ``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``
so the page shows one kind of message whatever went wrong.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from corridors.errors import (
    CorridorsError,
    ProblemsError,
    UnknownPlaceError,
    UnreachableError,
)
from corridors.scenarios.store import StoreError
from corridors.web.jobs import UnknownJobError
from corridors.web.store import StoreBusyError


class ParameterError(CorridorsError, ValueError):
    """A request parameter the library refused.

    Parameters
    ----------
    where : {"query", "path", "body"}
        Where the parameter is.
    name : str
        Its name.
    message : str
        What is wrong with it.
    status : int
        HTTP status (404 for something that does not exist, 422 for a bad value).
    problems : list of dict, optional
        Detailed problems (file, line, field) when the library gave several.
    """

    def __init__(
        self,
        where: str,
        name: str,
        message: str,
        *,
        status: int = 422,
        problems: list[dict[str, Any]] | None = None,
        suggestions: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.loc = [where, name]
        self.status = status
        self.problems = problems or []
        self.suggestions = suggestions


def problems_of(exc: ProblemsError) -> list[dict[str, Any]]:
    """The problems an error carries, as JSON (file, line, field, value, message, hint)."""
    return [
        {
            "file": p.file,
            "line": p.row,
            "field": p.column,
            "value": p.value,
            "message": p.message,
            "hint": p.hint,
            "text": str(p),
        }
        for p in exc.problems
    ]


def parameter_error(
    where: str, name: str, exc: CorridorsError, *, status: int = 422
) -> ParameterError:
    """Attach a library error to the request parameter it came from."""
    if isinstance(exc, UnknownPlaceError):
        return ParameterError(where, name, str(exc), status=404, suggestions=exc.suggestions)
    if isinstance(exc, ProblemsError):
        return ParameterError(where, name, str(exc), status=status, problems=problems_of(exc))
    return ParameterError(where, name, str(exc), status=status)


def _answer(status: int, loc: list[str], msg: str, kind: str, **extra: Any) -> JSONResponse:
    return JSONResponse(
        status_code=status, content={"detail": [{"loc": loc, "msg": msg, "type": kind, **extra}]}
    )


def install_error_handlers(app: FastAPI) -> None:
    """Turn the library's errors into 4xx answers."""

    @app.exception_handler(ParameterError)
    async def _parameter(_request: Request, exc: ParameterError) -> JSONResponse:
        extra: dict[str, Any] = {}
        if exc.problems:
            extra["problems"] = exc.problems
        if exc.suggestions:
            extra["suggestions"] = list(exc.suggestions)
        return _answer(exc.status, exc.loc, str(exc), "value_error", **extra)

    @app.exception_handler(UnknownJobError)
    async def _job(_request: Request, exc: UnknownJobError) -> JSONResponse:
        return _answer(404, ["path", "job_id"], str(exc), "not_found")

    @app.exception_handler(StoreBusyError)
    async def _busy(_request: Request, exc: StoreBusyError) -> JSONResponse:
        return _answer(503, ["store"], str(exc), "busy")

    @app.exception_handler(StoreError)
    async def _store(_request: Request, exc: StoreError) -> JSONResponse:
        return _answer(404, ["path", "run_id"], str(exc), "not_found")

    @app.exception_handler(UnreachableError)
    async def _unreachable(_request: Request, exc: UnreachableError) -> JSONResponse:
        return _answer(422, ["query", "destination"], str(exc), "no_route")

    @app.exception_handler(CorridorsError)
    async def _library(_request: Request, exc: CorridorsError) -> JSONResponse:
        extra = {"problems": problems_of(exc)} if isinstance(exc, ProblemsError) else {}
        return _answer(422, ["body"], str(exc), "value_error", **extra)
