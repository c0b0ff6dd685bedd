"""HTTP for the Google backend: timeouts, bounded retries, and the local emulator.

gspread's BackOffHTTPClient never stops retrying; this client gives up after a
bounded number of attempts and seconds and then says so. The budget outlasts a
per-minute quota: Sheets quotas are counted per minute ("Read/Write requests per
minute per user", https://developers.google.com/sheets/api/limits), and Google asks for
truncated exponential backoff up to 64 seconds, so the waits before giving up add up to
more than a minute. SHEETS_SYNC_RETRY_SECONDS and SHEETS_SYNC_HTTP_TIMEOUT change it.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession, Request
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from requests.adapters import HTTPAdapter

from ..errors import SheetsSyncError, WriteOutcomeUnknown
from .pacing import SHEETS_HOST, PacedAdapter, active_pacer

EMULATOR_ENV = "SHEETS_SYNC_EMULATOR_HOST"
GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com",
                "https://oauth2.googleapis.com")
RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})


RETRY_SECONDS_ENV = "SHEETS_SYNC_RETRY_SECONDS"
TIMEOUT_ENV = "SHEETS_SYNC_HTTP_TIMEOUT"
CONNECT_TIMEOUT = 10.0  # seconds to reach Google
READ_TIMEOUT = 120.0  # seconds for an answer: a large batchUpdate can take a while


@dataclass(frozen=True)
class RetryPolicy:
    # Waits of at least 0.5+1+2+4+8+16+16+16+16 = 79.5 s before the tenth attempt fails.
    max_attempts: int = 10
    max_seconds: float = 180.0
    base_delay: float = 1.0
    max_delay: float = 32.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Exponential backoff with equal jitter (half fixed, half random, so the waits
        surely add up); a server's Retry-After wins when longer."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** attempt)
        backoff = ceiling / 2 + rng.uniform(0, ceiling / 2)
        return max(backoff, retry_after or 0.0)

    @classmethod
    def from_env(cls) -> RetryPolicy:
        seconds = _env_seconds(RETRY_SECONDS_ENV)
        return cls() if seconds is None else cls(max_seconds=seconds)


def _env_seconds(name: str) -> float | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        raise SheetsSyncError(f"{name}={value!r} is not a number of seconds") from None
    if seconds <= 0:
        raise SheetsSyncError(f"{name}={value!r} must be more than 0 seconds")
    return seconds


def http_timeout() -> tuple[float, float]:
    """(connect, read) seconds for every request; a server that never answers ends."""
    read = _env_seconds(TIMEOUT_ENV)
    return (CONNECT_TIMEOUT, READ_TIMEOUT if read is None else read)


def retry_after_seconds(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _is_write(method: str) -> bool:
    return method.upper() != "GET"


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTP client with bounded retries of 429, 5xx and dropped connections.

    A write whose reply is a 5xx or a dropped connection may have been applied, so it
    is not blindly re-sent: WriteOutcomeUnknown lets the caller re-read and re-plan.
    """

    policy: RetryPolicy | None = None  # None: RetryPolicy.from_env()
    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def __init__(self, auth: Credentials, session: requests.Session | None = None) -> None:
        super().__init__(auth, session)
        self._rng = random.Random()
        self.timeout = http_timeout()
        self._policy = self.policy or RetryPolicy.from_env()

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                return super().request(method, endpoint, *args, **kwargs)
            except APIError as exc:
                status = exc.response.status_code
                retry_after = retry_after_seconds(exc.response)
                if status not in RETRYABLE:
                    raise
                if status != 429 and _is_write(method):
                    raise WriteOutcomeUnknown(
                        f"Google answered {status} to a write; it may have been applied") from exc
                self._wait_or_give_up(attempt, started, retry_after, f"HTTP {status}", exc)
            except (requests.ConnectionError, requests.Timeout) as exc:
                what = ("no answer within the timeout" if isinstance(exc, requests.Timeout)
                        else "a dropped connection")
                if _is_write(method):
                    raise WriteOutcomeUnknown(
                        f"{what} during a write; it may have been applied") from exc
                self._wait_or_give_up(attempt, started, None, what, exc)

    def _wait_or_give_up(self, attempt: int, started: float, retry_after: float | None,
                         what: str, exc: Exception) -> None:
        policy = self._policy
        delay = policy.delay(attempt - 1, retry_after, self._rng)
        elapsed = time.monotonic() - started
        if attempt >= policy.max_attempts or elapsed + delay > policy.max_seconds:
            emulator = emulator_host()
            if emulator and isinstance(exc, requests.ConnectionError):
                raise SheetsSyncError(
                    f"the emulator at {emulator} ({EMULATOR_ENV}) does not answer",
                    hint="start it with `sheets-sync emulator` (and keep it running), or "
                         f"unset {EMULATOR_ENV} to use Google",
                ) from exc
            raise SheetsSyncError(
                f"Google Sheets kept answering with {what} after {attempt} attempts over "
                f"{elapsed:.0f} s",
                hint="the API is rate-limited or unavailable; wait a minute and run the "
                     "command again (nothing is lost: a push can always be repeated); "
                     f"{RETRY_SECONDS_ENV} sets how long to keep trying",
            ) from exc
        self.sleep(delay)


class RedirectAdapter(HTTPAdapter):
    """Sends requests for Google's hosts to the emulator at http://HOST:PORT instead."""

    def __init__(self, emulator: str) -> None:
        super().__init__()
        self.base = "http://" + emulator.removeprefix("http://").rstrip("/")

    def send(self, request: requests.PreparedRequest, *args: Any,
             **kwargs: Any) -> requests.Response:
        url = request.url or ""
        for host in GOOGLE_HOSTS:
            if url.startswith(host):
                request.url = self.base + url[len(host):]
                break
        return super().send(request, *args, **kwargs)


def emulator_host() -> str | None:
    return os.environ.get(EMULATOR_ENV) or None


def authorized_session(credentials: Credentials,
                       adapter: requests.adapters.BaseAdapter | None = None) -> AuthorizedSession:
    """A google-auth session; with an adapter (the emulator's), every Google host goes to it.

    The token refresh goes through the same adapter, so a service-account key's
    JWT exchange reaches the emulator's /token too. While a fleet paces requests
    (backends.pacing), Sheets requests wait for the quota first.
    """
    if adapter is None and (host := emulator_host()):
        adapter = RedirectAdapter(host)
    if adapter is None:
        session = AuthorizedSession(credentials)
    else:
        token_session = requests.Session()
        session = AuthorizedSession(credentials, auth_request=Request(token_session))
        for target in (session, token_session):
            for host in GOOGLE_HOSTS:
                target.mount(host, adapter)
    pacer = active_pacer()
    if pacer is not None:
        inner = session.get_adapter(SHEETS_HOST)
        session.mount(SHEETS_HOST, PacedAdapter(inner, pacer, _user_of(credentials)))
    return session


def _user_of(credentials: Credentials) -> str:
    """Whose per-user quota a request counts against."""
    return str(getattr(credentials, "service_account_email", None) or "signed-in user")
