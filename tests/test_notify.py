"""New alerts reach people: Slack, email and a JSON webhook, each alert once per destination,
a destination that is down reported and served on the next run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import sheets_sync
from sheets_sync.cli import cli
from sheets_sync.config import resolve_settings
from sheets_sync.errors import ConfigError
from sheets_sync.history import one_month_after
from sheets_sync.monthly import refresh
from sheets_sync.sync_state import STATE_TAB
from tests.conftest import table, write_csv
from tests.receivers import HttpReceiver, SmtpReceiver, http_receiver, smtp_receiver

__all__ = ["http_receiver", "smtp_receiver"]  # fixtures used below
START = dt.date(2026, 1, 15)
LATER = one_month_after(START)
ROWS = [{"category": "direct", "Handle": "@glowlab", "Followers": "50K",
         "Followers 30d Ago": "49K", "Avg Views": "100K", "Avg Likes": "5K",
         "Avg Comments": "100", "Avg Shares": "100", "Avg Saves": "300"},
        {"category": "direct", "Handle": "@dewdrop", "Followers": "200K",
         "Followers 30d Ago": "198K", "Avg Views": "50K", "Avg Likes": "2K",
         "Avg Comments": "50", "Avg Shares": "40", "Avg Saves": "90"}]


def _config(folder: Path, http: HttpReceiver, smtp: SmtpReceiver) -> None:
    (folder / "sheets-sync.toml").write_text(f'''
sheet = "b.xlsx"

[destinations.team-slack]
type = "slack"
url_env = "TEST_SLACK_URL"

[destinations.analysts]
type = "email"
host = "{smtp.host}"
port = {smtp.port}
security = "none"
from = "benchmark@example.com"
to = ["mia@example.com", "li@example.com"]

[destinations.crm]
type = "webhook"
url = "{http.url}/hook"
''', encoding="utf-8")


def _cli(folder: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, http_receiver: HttpReceiver,
             smtp_receiver: SmtpReceiver) -> Path:
    """A workbook whose next refresh (on LATER) raises 3 alerts; the first one ran."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEST_SLACK_URL", f"{http_receiver.url}/slack")
    _config(tmp_path, http_receiver, smtp_receiver)
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [write_csv(tmp_path / "a.csv", ROWS)], today=START)
    code, _ = _cli(tmp_path, "refresh", "--date", START.isoformat())
    assert code == 0
    rows = [dict(r) for r in ROWS]
    rows[0].update({"Followers": "65K", "Followers 30d Ago": "50K", "Avg Views": "400K",
                    "Avg Likes": "20K"})
    rows[1].update({"Avg Likes": "200"})  # engagement drops below 3%
    sheets_sync.push(book, [write_csv(tmp_path / "b.csv", rows)], today=LATER)
    return book


def test_three_alerts_make_three_slack_messages_and_one_email_once(
        workbook: Path, http_receiver: HttpReceiver, smtp_receiver: SmtpReceiver) -> None:
    code, report = _cli(workbook.parent, "refresh", "--date", LATER.isoformat())
    assert code == 0, report["problems"]
    slack = http_receiver.to("/slack")
    assert len(slack) == 3
    assert len(smtp_receiver.messages) == 1
    assert len(http_receiver.to("/hook")) == 3
    spike = next(p.body for p in http_receiver.to("/hook") if p.body["kind"] == "growth spike")
    assert spike["handle"] == "@glowlab" and spike["workbook"] == "b.xlsx"
    assert (spike["before"], spike["after"]) == (50_000, 65_000)
    assert (spike["before_text"], spike["after_text"]) == ("50,000", "65,000")
    rows = table(workbook, "Alerts")
    row = next(i for i, r in enumerate(rows, start=2) if r["Kind"] == "growth spike")
    assert spike["link"].endswith(f"Alerts!A{row}")
    text = next(p.body["text"] for p in slack if "growth spike" in p.body["text"])
    assert "@glowlab" in text and "50,000 -> 65,000" in text and "b.xlsx" in text
    mail = smtp_receiver.messages[0]
    assert mail["To"] == "mia@example.com, li@example.com"
    assert mail["Subject"] == "3 new alert(s) in b.xlsx"
    body = mail.get_payload()
    assert all(kind in body for kind in ("growth spike", "views per follower jump",
                                         "engagement left the band"))
    assert {n["destination"]: n["sent"] for n in report["notifications"]} == {
        "team-slack (slack)": 3, "analysts (email)": 3, "crm (webhook)": 3}

    code, again = _cli(workbook.parent, "refresh", "--date",
                       (LATER + dt.timedelta(days=2)).isoformat())
    assert code == 0
    assert len(http_receiver.posts) == 6 and len(smtp_receiver.messages) == 1
    assert all(n["pending"] == 0 for n in again["notifications"])


def test_a_destination_that_is_down_is_reported_and_served_next_time(
        workbook: Path, http_receiver: HttpReceiver, smtp_receiver: SmtpReceiver) -> None:
    http_receiver.down = True  # Slack and the webhook answer 503
    code, report = _cli(workbook.parent, "refresh", "--date", LATER.isoformat())
    assert code == 1
    failed = {p["where"] for p in report["problems"]}
    assert failed == {"notification to team-slack (slack)", "notification to crm (webhook)"}
    assert all("sent on the next run" in p["message"] for p in report["problems"])
    assert len(table(workbook, "Alerts")) == 3  # the refresh itself was done
    assert len(smtp_receiver.messages) == 1  # email was up

    http_receiver.down = False
    code, report = _cli(workbook.parent, "refresh", "--date",
                        (LATER + dt.timedelta(days=1)).isoformat())
    assert code == 0, report["problems"]
    assert len(http_receiver.to("/slack")) == 3 and len(http_receiver.to("/hook")) == 3
    assert len(smtp_receiver.messages) == 1  # not sent twice
    ids = [p.body["id"] for p in http_receiver.to("/hook")]
    assert len(set(ids)) == 3
    assert [p.headers["Idempotency-Key"] for p in http_receiver.to("/hook")] == ids


def test_alerts_marked_seen_or_done_are_not_sent(
        workbook: Path, http_receiver: HttpReceiver, smtp_receiver: SmtpReceiver) -> None:
    http_receiver.down = True
    _cli(workbook.parent, "refresh", "--date", LATER.isoformat())
    wb = load_workbook(workbook)
    ws = wb["Alerts"]
    status_col = [c.value for c in ws[1]].index("Status") + 1
    ws.cell(2, status_col).value = "done"
    ws.cell(3, status_col).value = "Seen"
    wb.save(workbook)
    http_receiver.down = False
    _cli(workbook.parent, "refresh", "--date", (LATER + dt.timedelta(days=1)).isoformat())
    assert len(http_receiver.to("/slack")) == 1
    assert table(workbook, "Alerts")[1]["Status"] == "Seen"  # a teammate's word is kept


def test_a_new_destination_gets_only_alerts_from_its_first_day(
        tmp_path: Path, http_receiver: HttpReceiver) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [write_csv(tmp_path / "a.csv", ROWS)], today=START)
    refresh(book, today=START)
    rows = [dict(ROWS[0], Followers="65K", **{"Followers 30d Ago": "50K"})]
    sheets_sync.push(book, [write_csv(tmp_path / "b.csv", rows)], today=LATER)
    refresh(book, today=LATER)  # no destination yet: one alert raised
    assert len(table(book, "Alerts")) == 1
    hook = resolve_settings(folder=_folder_with(tmp_path, http_receiver)).destinations
    report = refresh(book, today=LATER + dt.timedelta(days=3), notify=hook)
    assert http_receiver.posts == [] and report.exit_code == 0
    state = [r for r in load_workbook(book)[STATE_TAB].iter_rows(values_only=True)
             if r[0] == "notify"]
    assert state == [("notify", "crm", None, (LATER + dt.timedelta(days=3)).isoformat())]


def _folder_with(tmp_path: Path, http: HttpReceiver) -> Path:
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "sheets-sync.toml").write_text(
        f'[destinations.crm]\ntype = "webhook"\nurl = "{http.url}/hook"\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize(("table_text", "expected"), [
    ('[destinations.x]\ntype = "pager"\n', "type must be one of slack, email, webhook"),
    ('[destinations.x]\ntype = "slack"\n', "url_env"),
    ('[destinations.x]\ntype = "slack"\nurl_env = "NOT_SET_ANYWHERE"\n',
     "NOT_SET_ANYWHERE is not set"),
    ('[destinations.x]\ntype = "email"\nhost = "smtp"\nfrom = "a@b.c"\n', "to: Field required"),
    ('[destinations.x]\ntype = "email"\nhost = "smtp"\nfrom = "a@b.c"\nto = ["d@e.f"]\n'
     'port = "x"\n', "port"),
])
def test_a_bad_destination_is_named(tmp_path: Path, table_text: str, expected: str) -> None:
    (tmp_path / "sheets-sync.toml").write_text(table_text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        resolve_settings(folder=tmp_path, environ={})
    assert "[destinations.x]" in str(caught.value) and str(tmp_path) in str(caught.value)
    assert expected in str(caught.value)


def test_push_sends_what_is_pending_only_with_notify(
        workbook: Path, http_receiver: HttpReceiver, smtp_receiver: SmtpReceiver) -> None:
    http_receiver.down = True
    _cli(workbook.parent, "refresh", "--date", LATER.isoformat())
    http_receiver.down = False
    code, _ = _cli(workbook.parent, "push", "--date", LATER.isoformat())
    assert code == 0 and http_receiver.posts == []
    code, report = _cli(workbook.parent, "push", "--notify", "--date", LATER.isoformat())
    assert code == 0, report["problems"]
    assert len(http_receiver.to("/slack")) == 3 and len(http_receiver.to("/hook")) == 3
    assert len(smtp_receiver.messages) == 1
    _cli(workbook.parent, "push", "--notify", "--date", LATER.isoformat())
    assert len(http_receiver.posts) == 6
