"""The Google backend end to end: the real gspread and google-auth code, over HTTP, against
the project's emulator started on a free loopback port."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

pytest.importorskip("googleapiclient", reason="the emulator needs google-api-python-client "
                    "(pip install 'sheets-sync[emulator]')")
import gspread
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sheets_emulator import running_emulator
from sheets_sync.backends import google_credentials
from sheets_sync.backends.google_http import RetryingHTTPClient, RetryPolicy
from sheets_sync.backends.gsheets import GoogleSheetsBackend, spreadsheet_key

SERVICE_EMAIL = "sheets-sync-test@example-project.iam.gserviceaccount.com"
PERSON = "analyst@example.com"
TEAMMATE = "teammate@example.com"


@dataclass
class Emulator:
    url: str
    host_port: str

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        reply = requests.request(method, f"{self.url}/_emulator/{path}", json=body, timeout=30)
        reply.raise_for_status()
        return reply.json() if reply.content else None

    def log(self) -> list[dict[str, Any]]:
        return self.admin("GET", "log")["requests"]

    def clear_log(self) -> None:
        self.admin("DELETE", "log")

    def api_calls(self) -> list[dict[str, Any]]:
        """Sheets and Drive traffic, without the token exchange."""
        return [r for r in self.log() if not r["path"].startswith("/token")]

    def api_methods(self) -> list[str]:
        """Each call as its Sheets method: `get`, `values:batchGet`, `batchUpdate`, ..."""
        names = []
        for call in self.api_calls():
            tail = call["path"].rsplit("/", 1)[-1]
            names.append(tail.split(":", 1)[1] if ":" in tail and "/values" not in call["path"]
                         else tail if ":" in tail else call["method"].lower())
        return names


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[Emulator]:
    with running_emulator() as running:
        yield Emulator(running.url, running.host_port)


@pytest.fixture
def emulator(emulator_server: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """A fresh emulator; afterwards, every request the test sent must have passed validation
    against Google's discovery documents."""
    emulator_server.admin("POST", "reset")
    monkeypatch.setenv("SHEETS_SYNC_EMULATOR_HOST", emulator_server.host_port)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    # Retries in tests wait milliseconds, not seconds.
    monkeypatch.setattr(RetryingHTTPClient, "policy",
                        RetryPolicy(max_attempts=5, max_seconds=10, base_delay=0.01,
                                    max_delay=0.05))
    yield emulator_server
    rejected = [(r["method"], r["path"], r["status"]) for r in emulator_server.log()
                if r.get("valid") is False]
    assert rejected == [], "requests that fail discovery validation"


def write_service_key(path: Path, email: str) -> Path:
    """A service-account key made here: the JWT exchange runs for real against /token."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    key = {
        "type": "service_account", "project_id": "example-project",
        "private_key_id": "0" * 40, "private_key": pem, "client_email": email,
        "client_id": "1" * 21, "token_uri": "https://oauth2.googleapis.com/token",
    }
    path.write_text(json.dumps(key))
    return path


@pytest.fixture(scope="session")
def service_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_service_key(tmp_path_factory.mktemp("keys") / "service_account.json",
                             SERVICE_EMAIL)


def run_cli(*args: str) -> tuple[Any, Any]:
    """The CLI with --json: its result and its parsed report."""
    from click.testing import CliRunner

    from sheets_sync.cli import cli

    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code in (0, 1), result.output
    return result, json.loads(result.stdout)


def shared_spreadsheet(emulator: Emulator, title: str = "TikTok competitor benchmark") -> str:
    """What a person does for the service account, which owns no Drive files: create the
    spreadsheet in Google Sheets and share it with the service account (and a teammate)."""
    seeded = emulator.admin("POST", "files", {"owner": PERSON, "name": title,
                                              "shared_with": [SERVICE_EMAIL, TEAMMATE]})
    return f"https://docs.google.com/spreadsheets/d/{seeded['id']}/edit"


@pytest.fixture
def sheet(emulator: Emulator, service_key_file: Path) -> str:
    """A shared spreadsheet laid out by a first push as the service account."""
    url = shared_spreadsheet(emulator)
    result, report = run_cli("push", "--sheet", url, "--credentials", str(service_key_file))
    assert result.exit_code == 0, result.output
    return report["target"]


@pytest.fixture
def client(sheet: str, service_key_file: Path) -> gspread.Spreadsheet:
    backend = GoogleSheetsBackend.from_credentials(spreadsheet_key(sheet),
                                                   google_credentials(service_key_file))
    return backend.client.open_by_key(spreadsheet_key(sheet))


