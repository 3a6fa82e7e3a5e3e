"""Fixtures of the dashboard tests: one application per module, with its own store."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")

from fastapi import FastAPI
from fastapi.testclient import TestClient

from corridors.web.app import create_app


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The dashboard application on an empty store in a temporary folder."""
    store: Path = tmp_path_factory.mktemp("store") / "runs.duckdb"
    app = create_app(store=store, workers=1)
    yield app
    app.state.jobs.shutdown()


@pytest.fixture(scope="module")
def client(web_app: FastAPI) -> Iterator[TestClient]:
    """A test client of :func:`web_app` (raises on server errors)."""
    with TestClient(web_app) as c:
        yield c


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(store: Path, *, timeout: float = 60.0) -> Iterator[str]:
    """Run ``corridors serve --no-browser`` until the block ends; yield its URL."""
    port = free_port()
    cmd = [
        sys.executable,
        "-c",
        "from corridors.cli.app import main; main()",
        "serve",
        "--port",
        str(port),
        "--no-browser",
        "--store",
        str(store),
        "--workers",
        "1",
    ]
    log = store.with_suffix(".log")
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"corridors serve exited: {log.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/api/network", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[str]:
    """``corridors serve`` running on a free loopback port with a fresh store; its URL."""
    with serve(tmp_path / "runs.duckdb") as url:
        yield url


@pytest.fixture
def port_nobody_uses() -> Callable[[], int]:
    """A function that returns a free TCP port."""
    return free_port
