"""The fleet's pacer: per-project and per-user token buckets, reads and writes apart."""

from __future__ import annotations

import time

import pytest

from sheets_sync.backends.pacing import READ, WRITE, Pacer, Quota
from sheets_sync.errors import ConfigError


def _times(pacer: Pacer, calls: list[tuple[str, str]]) -> list[float]:
    started = time.monotonic()
    out = []
    for kind, user in calls:
        pacer.acquire(kind, user)
        out.append(time.monotonic() - started)
    return out


def test_reads_and_writes_are_counted_apart() -> None:
    pacer = Pacer(Quota(120, 120, 600, 600))  # 2 a second per user
    try:
        times = _times(pacer, [(READ, "a"), (READ, "a"), (WRITE, "a"), (WRITE, "a")])
        assert times[-1] < 0.5  # writes do not wait for the reads' quota
        third = _times(pacer, [(READ, "a")])[0]
        assert third >= 0.9  # the third read in a second waits for the next one
    finally:
        pacer.close()
    assert pacer.counts[""] == {READ: 3, WRITE: 2}


def test_the_project_quota_binds_across_users() -> None:
    pacer = Pacer(Quota(600, 600, 120, 120))  # 10 a second per user, 2 per project
    try:
        times = _times(pacer, [(READ, "a"), (READ, "b"), (READ, "c")])
        assert times[1] < 0.5 and times[2] >= 0.9
    finally:
        pacer.close()


def test_shards_share_the_quota_and_a_bad_quota_is_refused() -> None:
    assert Quota().shared(4) == Quota(15, 15, 75, 75)
    assert Quota(60, 60, 300, 300).shared(100) == Quota(1, 1, 3, 3)
    with pytest.raises(ConfigError, match="reads_per_minute_per_user"):
        Quota(0, 60, 300, 300)
