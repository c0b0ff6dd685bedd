"""Notifications from a Google workbook on the emulator: 3 alerts make 3 Slack messages and
1 email, a second run sends none, a destination that was down is served next time; the
record of what was sent lives in the spreadsheet itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sheets_sync
from sheets_sync.destinations import parse_destinations
from sheets_sync.monthly import refresh
from tests.conftest import write_csv
from tests.google_sheets.conftest import Emulator
from tests.receivers import HttpReceiver, SmtpReceiver, http_receiver, smtp_receiver
from tests.test_notify import LATER, ROWS, START

__all__ = ["http_receiver", "smtp_receiver"]


def test_alerts_of_a_google_workbook_are_sent_once(
        sheet: str, service_key_file: Path, emulator: Emulator, tmp_path: Path,
        http_receiver: HttpReceiver, smtp_receiver: SmtpReceiver) -> None:
    destinations = parse_destinations({
        "team-slack": {"type": "slack", "url": f"{http_receiver.url}/slack"},
        "analysts": {"type": "email", "host": smtp_receiver.host, "port": smtp_receiver.port,
                     "security": "none", "from": "benchmark@example.com",
                     "to": ["mia@example.com"]}}, "test", {})
    options = {"credentials": service_key_file, "notify": destinations}
    sheets_sync.push(sheet, [write_csv(tmp_path / "a.csv", ROWS)], today=START,
                     credentials=service_key_file)
    refresh(sheet, today=START, **options)
    rows = [dict(r) for r in ROWS]
    rows[0].update({"Followers": "65K", "Followers 30d Ago": "50K", "Avg Views": "400K",
                    "Avg Likes": "20K"})
    rows[1].update({"Avg Likes": "200"})
    sheets_sync.push(sheet, [write_csv(tmp_path / "b.csv", rows)], today=LATER,
                     credentials=service_key_file)

    http_receiver.down = True
    down = refresh(sheet, today=LATER, **options)
    assert down.alerts_raised == 3 and down.exit_code == 1
    assert [p.where for p in down.problems] == ["notification to team-slack (slack)"]
    assert len(smtp_receiver.messages) == 1 and http_receiver.posts == []

    http_receiver.down = False
    served = refresh(sheet, today=LATER + dt.timedelta(days=1), **options)
    assert served.exit_code == 0
    slack = http_receiver.to("/slack")
    assert len(slack) == 3 and len(smtp_receiver.messages) == 1
    assert all(f"{sheet}#gid=" in p.body["text"] for p in slack)
    again = refresh(sheet, today=LATER + dt.timedelta(days=2), **options)
    assert again.exit_code == 0 and len(http_receiver.posts) == 3
    assert len(smtp_receiver.messages) == 1
