"""``corridors serve``: the local web dashboard."""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path

import typer

from corridors.scenarios.store import DEFAULT_STORE

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def _check_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            msg = f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port"
            raise typer.BadParameter(msg, param_hint="--port") from exc


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command."""

    @app.command("serve")
    def serve_cmd(
        port: int = typer.Option(8765, "--port", min=1, max=65535, help="TCP port."),
        host: str = typer.Option(
            "127.0.0.1",
            "--host",
            help="Interface to listen on (default: this machine only).",
        ),
        no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser."),
        store: Path = typer.Option(Path(DEFAULT_STORE), "--store", help="DuckDB results store."),
        workers: int | None = typer.Option(
            None, "--workers", min=1, max=64, help="Jobs running at once (half the cores)."
        ),
    ) -> None:
        """Open the dashboard: compare corridors on a map, run scenarios, share views."""
        try:
            import uvicorn  # noqa: PLC0415 - only this command needs the web extra

            from corridors.web.app import create_app  # noqa: PLC0415
        except ModuleNotFoundError as exc:
            typer.secho(
                f"error: the dashboard needs {exc.name}; pip install 'corridors[web]'",
                err=True,
            )
            raise typer.Exit(1) from exc
        if host not in LOOPBACK:
            typer.secho(
                f"warning: listening on {host}: anyone who can reach this machine can use "
                "the dashboard and run scenarios on it",
                err=True,
                fg=typer.colors.YELLOW,
            )
        _check_free(host, port)
        web = create_app(store=store, workers=workers)
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{port}/"
        typer.echo(f"corridors dashboard on {url} (Ctrl-C stops it)", err=True)
        if not no_browser:
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        uvicorn.run(web, host=host, port=port, log_level="warning")
