"""A fleet of Google workbooks on the emulator (50 in the slow run, 8 in the default one):
paced under the configured quota (measured from the emulator's request log), killed halfway
and finished by a rerun with no duplicate snapshot or notification, and split over 4 shards
that cover it exactly once."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import sheets_sync
from sheets_sync.backends import google_credentials
from sheets_sync.backends.gsheets import GoogleSheetsBackend
from sheets_sync.fleet import REFRESHED, SKIPPED, refresh_fleet
from sheets_sync.fleet_config import Shard, load_fleet
from sheets_sync.history import one_month_after
from tests.conftest import write_csv
from tests.google_sheets.conftest import SERVICE_EMAIL, Emulator
from tests.receivers import HttpReceiver, http_receiver

__all__ = ["http_receiver"]
DAY = dt.date(2026, 5, 4)
PER_MINUTE = 600  # a low configured quota: 10 requests a second, reads and writes each
PER_SECOND = PER_MINUTE // 60


def _url(key: str) -> str:
    return f"https://docs.google.com/spreadsheets/d/{key}/edit"


def _seed(emulator: Emulator, folder: Path, key_file: Path, count: int) -> list[str]:
    """Spreadsheets a person owns and shares with the service account, each with two
    accounts, one of which grew 30% (an alert at the first refresh)."""
    keys = []
    for i in range(count):
        made = emulator.admin("POST", "files", {"owner": "mia@example.com",
                                                "name": f"Brand {i} benchmark",
                                                "shared_with": [SERVICE_EMAIL]})
        rows = [{"category": "direct", "Handle": f"@rival{i}", "Followers": "65K",
                 "Followers 30d Ago": "50K", "Avg Views": "100K", "Avg Likes": "5K"},
                {"category": "learning", "Handle": f"@teacher{i}", "Followers": "10K",
                 "Avg Views": "20K", "Avg Likes": "1K"}]
        sheets_sync.push(_url(made["id"]), [write_csv(folder / f"in{i}.csv", rows)], today=DAY,
                         credentials=key_file)
        keys.append(made["id"])
    return keys


def _fleet_file(folder: Path, keys: list[str], key_file: Path, hook: str) -> Path:
    lines = [f'credentials = "{key_file}"', 'notify = ["crm"]', "", "[quota]",
             *(f"{kind}s_per_minute_per_{scope} = {PER_MINUTE}"
               for kind in ("read", "write") for scope in ("user", "project")), "",
             "[destinations.crm]", 'type = "webhook"', f'url = "{hook}"', ""]
    for i, key in enumerate(keys):
        lines += ["[[workbooks]]", f'id = "brand-{i}"', f'name = "Brand {i}"',
                  f'sheet = "{_url(key)}"', ""]
    path = folder / "fleet.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _most_in_a_window(times: list[float], seconds: float) -> int:
    times = sorted(times)
    most, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= seconds:
            start += 1
        most = max(most, end - start + 1)
    return most


def _rates(log: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Most Sheets reads and writes in any 1 s and any 60 s window of the log."""
    sheets = [r for r in log if r["path"].startswith("/v4/spreadsheets")]
    out = {}
    for kind, chosen in (("read", [r for r in sheets if r["method"] == "GET"]),
                         ("write", [r for r in sheets if r["method"] != "GET"])):
        times = [r["received"] for r in chosen]
        out[kind] = (_most_in_a_window(times, 1.0), _most_in_a_window(times, 60.0))
    return out


def _history_rows(key: str, key_file: Path) -> list[list[Any]]:
    backend = GoogleSheetsBackend.from_credentials(key, google_credentials(key_file))
    tab = backend.read().find("History")
    assert tab is not None
    return [r for r in tab.rows[1:] if any(v not in (None, "") for v in r)]


def _kill_halfway(fleet_file: Path, emulator: Emulator, day: dt.date, total: int) -> list[str]:
    """`sheets-sync fleet refresh` in its own process, SIGKILLed once half the fleet is done."""
    env = {k: v for k, v in os.environ.items() if k != "GOOGLE_APPLICATION_CREDENTIALS"}
    env["SHEETS_SYNC_EMULATOR_HOST"] = emulator.host_port
    process = subprocess.Popen(
        [sys.executable, "-c", "from sheets_sync.cli import cli; cli()", "fleet", "refresh",
         str(fleet_file), "--date", day.isoformat()],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    lines = []
    assert process.stderr is not None
    for line in process.stderr:
        lines.append(line)
        if line.startswith(f"[{total // 2}/{total}]"):
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "".join(lines)
    return lines


@pytest.mark.parametrize("workbooks", [
    8, pytest.param(50, marks=pytest.mark.slow)])  # 50: about 4 minutes on a busy machine
def test_a_fleet_paced_killed_resumed_and_sharded(
        emulator: Emulator, service_key_file: Path, tmp_path: Path,
        http_receiver: HttpReceiver, workbooks: int) -> None:
    keys = _seed(emulator, tmp_path, service_key_file, workbooks)
    fleet_file = _fleet_file(tmp_path, keys, service_key_file, f"{http_receiver.url}/hook")

    emulator.clear_log()
    done_before_kill = _kill_halfway(fleet_file, emulator, DAY, workbooks)
    killed_log = emulator.log()
    emulator.clear_log()
    rerun = refresh_fleet(load_fleet(fleet_file), today=DAY)
    rerun_log = emulator.log()

    statuses = [o.status for o in rerun.outcomes]
    assert statuses.count(SKIPPED) >= workbooks // 2, statuses
    assert set(statuses) <= {SKIPPED, REFRESHED} and rerun.exit_code == 0
    assert len([line for line in done_before_kill if line.startswith("[")]) == workbooks // 2
    # no duplicate snapshot: one History row per account; no duplicate notification
    for key in keys:
        assert len(_history_rows(key, service_key_file)) == 2
    ids = [p.body["id"] for p in http_receiver.posts]
    assert len(ids) == workbooks and len(set(ids)) == workbooks
    assert {p.body["workbook"] for p in http_receiver.posts} == \
        {f"Brand {i}" for i in range(workbooks)}
    assert all("#gid=" in p.body["link"] and "&range=A2" in p.body["link"]
               for p in http_receiver.posts)

    # no request over the configured rate, in either run
    for log in (killed_log, rerun_log):
        for kind, (per_second, per_minute) in _rates(log).items():
            assert per_second <= PER_SECOND, (kind, per_second)
            assert per_minute <= PER_MINUTE, (kind, per_minute)
    assert rerun.waited > 0  # the pacing did hold requests back

    # next month, 4 shards: every workbook refreshed by exactly one of them
    fleet = load_fleet(fleet_file)
    month = one_month_after(DAY)
    by_shard = [refresh_fleet(fleet, today=month, shard=Shard(i, 4)) for i in range(4)]
    done = [o.id for report in by_shard for o in report.outcomes]
    assert sorted(done) == sorted(w.id for w in fleet.workbooks)
    assert all(o.status == REFRESHED for report in by_shard for o in report.outcomes)
    assert len({o.id for r in by_shard for o in r.outcomes}) == len(done)  # none twice
    for key in keys[:5]:
        assert len(_history_rows(key, service_key_file)) == 4
    assert len(http_receiver.posts) == workbooks  # the same alerts are not raised again


@pytest.mark.parametrize("count", [3])
def test_measured_requests_per_refresh(emulator: Emulator, service_key_file: Path,
                                       tmp_path: Path, http_receiver: HttpReceiver,
                                       count: int) -> None:
    """The numbers behind the README's worked example of how many workbooks a quota refreshes
    an hour: a refresh that raises and sends an alert, a quiet one, and a skipped one."""
    keys = _seed(emulator, tmp_path, service_key_file, count)
    fleet = load_fleet(_fleet_file(tmp_path, keys, service_key_file,
                                   f"{http_receiver.url}/hook"))
    first = refresh_fleet(fleet, today=DAY)
    # read (metadata, values, cell notes), write History and Alerts, read again for the
    # alert rows' links (metadata, values), record the sending
    assert [(o.reads, o.writes) for o in first.outcomes] == [(5, 2)] * count
    skipped = refresh_fleet(fleet, today=DAY + dt.timedelta(days=1))
    # read (metadata, values, cell notes): done this month, nothing pending to send
    assert [(o.reads, o.writes) for o in skipped.outcomes] == [(3, 0)] * count
    quiet = refresh_fleet(fleet, today=one_month_after(DAY))
    # read (metadata, values, cell notes), write History and Followers 30d Ago filled from
    # it; the write's reply shows where it landed
    assert [(o.reads, o.writes) for o in quiet.outcomes] == [(3, 1)] * count
