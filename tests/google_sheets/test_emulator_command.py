"""`sheets-sync emulator` as a person runs it: a server on loopback, used through the env var."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from sheets_sync.cli import cli
from tests.conftest import EXAMPLES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_emulator_command_serves_the_cli(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from sheets_sync.cli import cli; cli()", "emulator",
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                page = requests.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except requests.ConnectionError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "the emulator did not start"
                time.sleep(0.1)
        assert page.status_code == 200 and "<html" in page.text.lower()
        monkeypatch.setenv("SHEETS_SYNC_EMULATOR_HOST", f"127.0.0.1:{port}")
        monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
        monkeypatch.setattr("sheets_sync.backends.google_auth.GSPREAD_DEFAULT_KEY",
                            tmp_path / "none.json")
        runner = CliRunner()
        created = runner.invoke(cli, ["init", "--google", "--title", "Demo"])
        assert created.exit_code == 0, created.output
        url = next(w for w in created.output.split() if w.startswith("https://docs.google"))
        pushed = runner.invoke(cli, ["push", "--sheet", url, str(EXAMPLES)])
        assert pushed.exit_code == 0, pushed.output
        assert "Demo" in requests.get(f"http://127.0.0.1:{port}/", timeout=5).text
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_an_emulator_that_is_not_running_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from sheets_sync.backends.google_http import RetryingHTTPClient, RetryPolicy

    monkeypatch.setenv("SHEETS_SYNC_EMULATOR_HOST", f"127.0.0.1:{free_port()}")
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setattr(RetryingHTTPClient, "policy",
                        RetryPolicy(max_attempts=2, max_seconds=2, base_delay=0.01,
                                    max_delay=0.02))
    result = CliRunner().invoke(cli, ["plan", "--sheet", "https://docs.google.com/"
                                      "spreadsheets/d/1abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG/"
                                      "edit", str(EXAMPLES)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "(SHEETS_SYNC_EMULATOR_HOST) does not answer" in text
    assert "sheets-sync emulator" in text and "Traceback" not in text
