"""The live suite: every test runs on the emulator, and on real Google when asked to.

`live` is parametrized with `emulator` and `google`.  The `google` run needs
SHEETS_SYNC_LIVE_CREDENTIALS plus either SHEETS_SYNC_LIVE_FOLDER (a folder in a shared
drive the service account may create files in: a service account owns no files in My
Drive) or SHEETS_SYNC_LIVE_OAUTH=1 (the spreadsheet is created by the person signed in
with --oauth; SHEETS_SYNC_LIVE_CREDENTIALS is then the OAuth client file, and a
service-account key there means the default client file or the cached login is used).
Without them it is skipped.  A Google run creates a fresh spreadsheet, deletes it at the
end, and records all its HTTP traffic as a cassette in SHEETS_SYNC_LIVE_RECORD_DIR
(default tests/live/cassettes), which tests/live/test_replay.py replays on the emulator.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests

from sheets_sync import init_google
from sheets_sync.backends import google_credentials
from sheets_sync.backends.google_http import EMULATOR_ENV, RetryingHTTPClient, RetryPolicy
from sheets_sync.backends.gsheets import GoogleSheetsBackend, spreadsheet_key
from tests.google_sheets.conftest import write_service_key

from .recording import recording

HERE = Path(__file__).resolve().parent
CREDENTIALS_ENV = "SHEETS_SYNC_LIVE_CREDENTIALS"
FOLDER_ENV = "SHEETS_SYNC_LIVE_FOLDER"
OAUTH_ENV = "SHEETS_SYNC_LIVE_OAUTH"
RECORD_DIR_ENV = "SHEETS_SYNC_LIVE_RECORD_DIR"
DEFAULT_RECORD_DIR = HERE / "cassettes"
SERVICE_EMAIL = "sheets-sync-live@example-project.iam.gserviceaccount.com"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "live: runs on the emulator, and on real Google when "
                   f"{CREDENTIALS_ENV} and {FOLDER_ENV} or {OAUTH_ENV}=1 are set")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "live" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.live)


def record_dir() -> Path:
    return Path(os.environ.get(RECORD_DIR_ENV) or DEFAULT_RECORD_DIR)


def cassette_name(node: pytest.Item) -> str:
    """LiveTest.<test name>.json; other parameters than the backend stay in the name."""
    name = getattr(node, "originalname", node.name)
    callspec = getattr(node, "callspec", None)
    if callspec is not None:
        rest = [part for part in callspec.id.split("-") if part != "google"]
        if rest:
            name += "[" + "-".join(rest) + "]"
    return f"LiveTest.{name}.json"


@dataclass
class LiveSheet:
    """A fresh spreadsheet made by `sheets-sync init --google`, with the credentials
    that reach it and a view of the HTTP requests sent since `mark()`."""

    backend: str  # "emulator" or "google"
    url: str
    credentials: Path | None
    oauth: bool
    spreadsheet: gspread.Spreadsheet
    sent: Callable[[], list[tuple[str, str]]]
    _start: int = field(default=0)

    @property
    def auth(self) -> dict[str, Any]:
        """Keyword arguments for the library's functions."""
        return {"credentials": self.credentials, "oauth": self.oauth}

    def mark(self) -> None:
        self._start = len(self.sent())

    def calls(self) -> list[tuple[str, str]]:
        """(method, path) of every request since `mark()`, token exchanges included."""
        return self.sent()[self._start:]

    def batch_updates(self) -> list[str]:
        return [path for method, path in self.calls()
                if method == "POST" and path.endswith(":batchUpdate")]


@dataclass
class _Emulator:
    url: str
    host_port: str

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        reply = requests.request(method, f"{self.url}/_emulator/{path}", json=body, timeout=30)
        reply.raise_for_status()
        return reply.json() if reply.content else None

    def log(self) -> list[dict[str, Any]]:
        return self.admin("GET", "log")["requests"]


@pytest.fixture(scope="session")
def live_emulator_server() -> Iterator[_Emulator]:
    pytest.importorskip("googleapiclient", reason="the emulator needs google-api-python-client "
                        "(pip install 'sheets-sync[emulator]')")
    from sheets_emulator import running_emulator

    with running_emulator() as running:
        yield _Emulator(running.url, running.host_port)


def shared_drive_folder(server: _Emulator) -> str:
    """On the emulator as on Google, a service account creates files only in a shared
    drive it is a member of (SHEETS_SYNC_LIVE_FOLDER on Google)."""
    folder = server.admin("POST", "files", {
        "owner": "analyst@example.com", "name": "sheets-sync live",
        "mime_type": "application/vnd.google-apps.folder", "shared_drive": "0ALiveTests",
        "shared_with": [SERVICE_EMAIL], "role": "organizer"})
    return str(folder["id"])


@pytest.fixture(scope="session")
def live_service_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A service-account key made here: the JWT exchange runs for real on the emulator."""
    return write_service_key(tmp_path_factory.mktemp("live-keys") / "service_account.json",
                             SERVICE_EMAIL)


def google_settings() -> tuple[Path, str | None, bool]:
    """(credentials, folder, oauth) for a Google run, or a skip naming what to set."""
    credentials = os.environ.get(CREDENTIALS_ENV, "").strip()
    folder = os.environ.get(FOLDER_ENV, "").strip() or None
    oauth = os.environ.get(OAUTH_ENV, "").strip().lower() in ("1", "true", "yes")
    if not credentials or not (folder or oauth):
        missing = [] if credentials else [f"{CREDENTIALS_ENV} (path of a service-account "
                                          "key JSON)"]
        if not (folder or oauth):
            missing.append(f"{FOLDER_ENV} (id of a shared-drive folder the service account "
                           f"may create files in) or {OAUTH_ENV}=1 (create as the person "
                           "signed in with --oauth)")
        pytest.skip("against real Google: set " + " and ".join(missing))
    path = Path(credentials).expanduser()
    if not path.is_file():
        pytest.fail(f"{CREDENTIALS_ENV}={credentials}: no such file")
    return path, folder, oauth


def _oauth_client_file(path: Path) -> Path | None:
    """With --oauth the tool takes the OAuth client file; a service-account key is no
    use there, so the default client file (or the cached login) is used instead."""
    try:
        kind = json.loads(path.read_text(encoding="utf-8")).get("type")
    except (OSError, ValueError, AttributeError):
        return path
    return None if kind == "service_account" else path


def _open(url: str, credentials: Path | None, oauth: bool) -> gspread.Client:
    key = spreadsheet_key(url)
    assert key is not None, url
    return GoogleSheetsBackend.from_credentials(
        key, google_credentials(credentials, oauth)).client


@pytest.fixture(params=["emulator", "google"])
def live(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveSheet]:
    title = f"sheets-sync live {request.node.name} {uuid.uuid4().hex[:8]}"
    with ExitStack() as stack:
        if request.param == "emulator":
            server: _Emulator = request.getfixturevalue("live_emulator_server")
            credentials: Path | None = request.getfixturevalue("live_service_key")
            server.admin("POST", "reset")
            monkeypatch.setenv(EMULATOR_ENV, server.host_port)
            monkeypatch.setattr(RetryingHTTPClient, "policy",
                                RetryPolicy(max_attempts=5, max_seconds=10, base_delay=0.01,
                                            max_delay=0.05))
            folder, oauth = shared_drive_folder(server), False

            def sent() -> list[tuple[str, str]]:
                return [(r["method"].upper(), r["path"]) for r in server.log()]
        else:
            credentials, folder, oauth = google_settings()
            if oauth:
                credentials = _oauth_client_file(credentials)
            monkeypatch.delenv(EMULATOR_ENV, raising=False)
            tape = stack.enter_context(recording(record_dir() / cassette_name(request.node)))
            sent = tape.calls
        monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)

        report = init_google(title=title, folder=folder, credentials=credentials, oauth=oauth)
        assert report.written, report
        client = _open(report.target, credentials, oauth)
        spreadsheet = client.open_by_key(spreadsheet_key(report.target) or "")
        try:
            yield LiveSheet(request.param, report.target, credentials, oauth, spreadsheet, sent)
        finally:
            client.del_spreadsheet(spreadsheet.id)
        if request.param == "emulator":
            rejected = [(r["method"], r["path"], r["status"]) for r in server.log()
                        if r.get("valid") is False]
            assert rejected == [], "requests that fail discovery validation"
