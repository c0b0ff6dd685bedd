"""Credentials: every bad key gets a message naming the file and what to do, never its secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sheets_sync.backends import google_credentials
from sheets_sync.backends.google_auth import service_account_credentials
from sheets_sync.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_missing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHEETS_SYNC_EMULATOR_HOST", raising=False)
    with pytest.raises(ConfigError, match="does not exist") as exc:
        google_credentials(tmp_path / "nope.json")
    assert "service-account key" in str(exc.value.hint)


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    path.write_text("-----BEGIN PRIVATE KEY-----\nsecret\n")
    with pytest.raises(ConfigError, match="is not JSON") as exc:
        service_account_credentials(path)
    assert "secret" not in str(exc.value)


def test_wrong_shape_names_the_missing_fields(tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    path.write_text(json.dumps({"type": "service_account", "client_email": "a@b.c"}))
    with pytest.raises(ConfigError, match="missing private_key, token_uri"):
        service_account_credentials(path)


def test_oauth_client_file_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "client.json"
    path.write_text(json.dumps({"installed": {"client_id": "x", "client_secret": "s"}}))
    with pytest.raises(ConfigError, match="OAuth client file") as exc:
        service_account_credentials(path)
    assert "--oauth" in str(exc.value.hint)


def test_example_key_has_the_right_shape_but_a_fake_private_key() -> None:
    example = ROOT / "credentials.example.json"
    data = json.loads(example.read_text())
    assert data["type"] == "service_account"
    with pytest.raises(ConfigError, match=r"private key .* cannot be loaded") as exc:
        service_account_credentials(example)
    assert "BEGIN PRIVATE KEY" not in str(exc.value)


def test_no_credentials_anywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.delenv("SHEETS_SYNC_EMULATOR_HOST", raising=False)
    monkeypatch.setattr("sheets_sync.backends.google_auth.GSPREAD_DEFAULT_KEY",
                        tmp_path / "absent.json")
    with pytest.raises(ConfigError, match="no Google credentials"):
        google_credentials()


def test_a_cached_oauth_login_is_used_without_a_browser(tmp_path: Path) -> None:
    from sheets_sync.backends.google_auth import SCOPES, oauth_login, save_login

    cache = tmp_path / "login" / "authorized_user.json"
    save_login(json.dumps({"type": "authorized_user", "client_id": "id.apps",
                           "client_secret": "s", "refresh_token": "r"}), cache)
    assert cache.stat().st_mode & 0o777 == 0o600
    assert cache.parent.stat().st_mode & 0o777 == 0o700
    creds = oauth_login(token_cache=cache)
    assert creds.refresh_token == "r"
    assert set(creds.scopes) == set(SCOPES)


def test_a_cached_login_others_can_read_is_refused(tmp_path: Path) -> None:
    from sheets_sync.backends.google_auth import oauth_login

    cache = tmp_path / "authorized_user.json"
    cache.write_text(json.dumps({"type": "authorized_user", "client_id": "id.apps",
                                 "client_secret": "s", "refresh_token": "r"}))
    cache.chmod(0o644)
    with pytest.raises(ConfigError, match="can be read by other users") as refused:
        oauth_login(token_cache=cache)
    assert f"chmod 600 {cache}" in (refused.value.hint or "")


def test_retry_after_is_honoured_and_backoff_is_bounded() -> None:
    import random

    from sheets_sync.backends.google_http import RetryPolicy

    policy = RetryPolicy(base_delay=1, max_delay=8)
    rng = random.Random(1)
    assert policy.delay(0, 30.0, rng) == 30.0
    delays = [policy.delay(attempt, None, rng) for attempt in range(10) for _ in range(20)]
    assert max(delays) <= 8 and min(delays) >= 0
    assert len({round(d, 3) for d in delays}) > 100  # jittered, not a fixed schedule


def test_the_default_retry_budget_outlasts_a_per_minute_quota() -> None:
    import random

    from sheets_sync.backends.google_http import RetryPolicy

    policy = RetryPolicy()
    rng = random.Random(7)
    for _ in range(50):
        waits = [policy.delay(attempt, None, rng) for attempt in range(policy.max_attempts - 1)]
        assert sum(waits) > 60 and sum(waits) < policy.max_seconds


def test_a_server_that_never_answers_ends_in_a_clear_message(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import socket
    import threading
    import time

    from google.oauth2.credentials import Credentials

    from sheets_sync.backends.google_http import RetryingHTTPClient, RetryPolicy
    from sheets_sync.backends.gsheets import GoogleSheetsBackend
    from sheets_sync.errors import SheetsSyncError

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    accepted: list[socket.socket] = []

    def accept() -> None:  # takes connections, never answers
        while True:
            try:
                accepted.append(silent.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    monkeypatch.setenv("SHEETS_SYNC_EMULATOR_HOST", f"127.0.0.1:{silent.getsockname()[1]}")
    monkeypatch.setenv("SHEETS_SYNC_HTTP_TIMEOUT", "0.3")
    monkeypatch.setattr(RetryingHTTPClient, "policy",
                        RetryPolicy(max_attempts=3, max_seconds=5, base_delay=0.01,
                                    max_delay=0.02))
    backend = GoogleSheetsBackend.from_credentials("k" * 44, Credentials(token="t"))
    started = time.monotonic()
    try:
        with pytest.raises(SheetsSyncError, match="no answer within the timeout after 3"):
            backend.read()
    finally:
        silent.close()
        for conn in accepted:
            conn.close()
    assert time.monotonic() - started < 5
