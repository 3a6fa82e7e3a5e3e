"""``corridors serve``: listens on the loopback by default, warns for another interface."""

from __future__ import annotations

import json
import socket
import urllib.request

import pytest


@pytest.mark.slow
def test_serve_answers_the_api_on_the_loopback(dashboard):
    url = dashboard
    assert url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(f"{url}/api/places?q=Baku", timeout=10) as r:
        hits = json.load(r)
    assert hits[0]["node_id"] == "alat"
    with urllib.request.urlopen(f"{url}/", timeout=10) as r:
        assert b"corridors" in r.read()


def test_port_in_use_is_a_usage_error(run_cli, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        res = run_cli("serve", "--port", str(port), "--no-browser", "--store", str(tmp_path / "x"))
    assert res.code == 2
    assert "--port" in res.err
    assert not (tmp_path / "x").exists()


def test_another_interface_gets_a_warning(run_cli, tmp_path):
    with socket.socket() as s:
        s.bind(("0.0.0.0", 0))
        s.listen()
        port = s.getsockname()[1]
        res = run_cli("serve", "--host", "0.0.0.0", "--port", str(port), "--no-browser")
    assert "warning: listening on 0.0.0.0" in res.err
    assert res.code == 2


def test_port_out_of_range(run_cli):
    res = run_cli("serve", "--port", "70000", "--no-browser")
    assert res.code == 2
    assert "--port" in res.err
