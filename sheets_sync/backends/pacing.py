"""Pacing Google Sheets requests under the per-minute quotas, shared by every workbook that
one process refreshes.

Google's published limits (https://developers.google.com/sheets/api/limits): read requests
and write requests are counted apart, each 300 a minute per project and 60 a minute per
user per project. A GET is a read; anything else (batchUpdate, values updates) a write.
Each quota is kept as a sliding one-minute window and, so a minute's allowance never goes
out in one burst, a one-second window of a sixtieth of it (rounded up): 60 a minute is one
request a second.

`pacing(pacer)` installs a pacer for the process; the Google backend's HTTP session then
waits for a token before each Sheets request (see google_http.authorized_session).
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
from pyrate_limiter import Duration, InMemoryBucket, Limiter, Rate
from requests.adapters import BaseAdapter

from ..errors import ConfigError

SHEETS_HOST = "https://sheets.googleapis.com"
READ, WRITE = "read", "write"


@dataclass(frozen=True)
class Quota:
    """Requests a minute; Google's defaults."""

    reads_per_minute_per_user: int = 60
    writes_per_minute_per_user: int = 60
    reads_per_minute_per_project: int = 300
    writes_per_minute_per_project: int = 300

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"quota {name} must be a whole number of requests a minute "
                                  f"of at least 1, got {value!r}")

    def shared(self, machines: int) -> Quota:
        """One machine's part when `machines` share the project (shards of one fleet)."""
        return Quota(*(max(1, v // machines) for v in vars(self).values()))

    def per_minute(self, scope: str, kind: str) -> int:
        return int(getattr(self, f"{kind}s_per_minute_per_{scope}"))


# Windows are kept 5% longer than Google's, so a request delayed on the way never lands in
# the window before the one it was paced for.
MARGIN = 1.05


def _limiter(per_minute: int) -> Limiter:
    return Limiter(InMemoryBucket([
        Rate(math.ceil(per_minute / 60), int(Duration.SECOND * MARGIN)),
        Rate(per_minute, int(Duration.MINUTE * MARGIN))]))


@dataclass
class Pacer:
    """Token buckets per project and per user, reads and writes apart; counts what went."""

    quota: Quota = field(default_factory=Quota)
    workbook: str = ""  # whose requests are being counted now
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    waited: float = 0.0  # seconds spent waiting for a token
    _limiters: dict[tuple[str, str], Limiter] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _get(self, scope: str, kind: str) -> Limiter:
        with self._lock:
            limiter = self._limiters.get((scope, kind))
            if limiter is None:
                name = "project" if scope == "project" else "user"
                limiter = _limiter(self.quota.per_minute(name, kind))
                self._limiters[(scope, kind)] = limiter
            return limiter

    def acquire(self, kind: str, user: str) -> None:
        """Wait until the project and this user may send one more request of `kind`."""
        started = time.monotonic()
        self._get("project", kind).try_acquire("project")
        self._get(f"user:{user}", kind).try_acquire(user)
        self.waited += time.monotonic() - started
        counts = self.counts.setdefault(self.workbook, {READ: 0, WRITE: 0})
        counts[kind] += 1

    def close(self) -> None:
        for limiter in self._limiters.values():
            limiter.close()
        self._limiters.clear()


_active: Pacer | None = None


def active_pacer() -> Pacer | None:
    return _active


@contextlib.contextmanager
def pacing(pacer: Pacer) -> Iterator[Pacer]:
    """Pace every Google backend made while this is held."""
    global _active
    previous, _active = _active, pacer
    try:
        yield pacer
    finally:
        _active = previous
        pacer.close()


class PacedAdapter(BaseAdapter):
    """Takes a token from the pacer before each Sheets request, then sends it on."""

    def __init__(self, inner: BaseAdapter, pacer: Pacer, user: str) -> None:
        super().__init__()
        self.inner, self.pacer, self.user = inner, pacer, user

    def send(self, request: requests.PreparedRequest, *args: Any,
             **kwargs: Any) -> requests.Response:
        if (request.url or "").startswith(SHEETS_HOST):
            self.pacer.acquire(READ if (request.method or "GET").upper() == "GET" else WRITE,
                               self.user)
        return self.inner.send(request, *args, **kwargs)

    def close(self) -> None:
        self.inner.close()
