"""``formcoach serve`` from the command line: where it listens, the token, a taken port."""

from __future__ import annotations

import socket

import uvicorn
from click.testing import CliRunner

from formcoach.cli import main


def _serve(monkeypatch, *args):
    served = {}

    def run(self, sockets=None):
        served["socket"] = sockets[0].getsockname()
        served["app"] = self.config.app
        sockets[0].close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    result = CliRunner().invoke(main, ["serve", *args])
    return result, served


def test_serve_binds_this_machine_by_default_without_a_token(monkeypatch, tmp_path):
    result, served = _serve(monkeypatch, "--port", "0", "--db", str(tmp_path / "f.db"))
    assert result.exit_code == 0, result.output
    host, port = served["socket"]
    assert host == "127.0.0.1" and f"formcoach is at http://127.0.0.1:{port}/\n" in result.output
    assert "token" not in result.output


def test_another_host_gets_a_generated_token(monkeypatch, tmp_path):
    result, served = _serve(
        monkeypatch, "--host", "0.0.0.0", "--port", "0", "--db", str(tmp_path / "f.db")
    )
    assert result.exit_code == 0, result.output
    assert served["socket"][0] == "0.0.0.0"
    url = next(line for line in result.output.splitlines() if "formcoach is at" in line)
    token = url.split("?token=")[1]
    assert len(token) >= 20 and "needs that token" in result.output
    given, _ = _serve(monkeypatch, "--host", "0.0.0.0", "--port", "0", "--token", "mine")
    assert "?token=mine" in given.output


def test_a_taken_port_is_a_clear_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main, ["serve", "--port", str(port), "--db", str(tmp_path / "f.db")]
        )
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "--port" in result.output
    assert "Traceback" not in result.output
