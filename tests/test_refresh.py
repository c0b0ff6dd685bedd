"""The monthly refresh, walked through a simulated year on the local workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import sheets_sync
from sheets_sync.cli import cli
from sheets_sync.history import one_month_after
from sheets_sync.monthly import refresh
from tests.conftest import row_of, table, write_csv

START = dt.date(2026, 1, 15)


def _push_month(book: Path, folder: Path, day: dt.date, month: int) -> None:
    rows = [{"category": "direct", "Handle": "@glowlab", "Followers": 50_000 + 5_000 * month,
             "Avg Views": 100_000, "Avg Likes": 5_000, "Avg Comments": 100, "Avg Shares": 100,
             "Avg Saves": 300},
            {"category": "learning", "Handle": "@snackwave", "Followers": 1_000_000 + month,
             "Avg Views": 900_000}]
    sheets_sync.push(book, [write_csv(folder / f"m{month}.csv", rows)], today=day)


@pytest.mark.slow  # a simulated year: twelve pushes and refreshes
def test_a_year_of_monthly_refreshes(tmp_path: Path) -> None:
    from sheets_sync.notes import add_note, list_notes

    book = tmp_path / "b.xlsx"
    day = START
    for month in range(12):
        _push_month(book, tmp_path, day, month)
        if month == 2:
            add_note(book, "Spring launch", handle="@glowlab", kind="product launch",
                     date=day, author="Mia")
            wb = load_workbook(book)
            wb["Context Notes"].append([dt.datetime(2026, 3, 20), "", "crisis",
                                        "Shipping delays", "Li"])
            wb.save(book)
        first = refresh(book, today=day)
        assert first.exit_code == 0, [str(p) for p in first.problems]
        again = refresh(book, today=day)  # a second run in the same month adds nothing
        assert again.cells_changed == 0 and not again.written
        if month >= 1:
            glow = row_of(book, "Direct", "glowlab")
            # filled from the snapshot a month ago: growth covers the last 30 days
            assert glow["Followers 30d Ago"] == 50_000 + 5_000 * (month - 1)
            expected = 5_000 / (50_000 + 5_000 * (month - 1))
            assert abs(glow["Follower Growth (30d)"] - expected) < 1e-9
        day = one_month_after(day)
    history = table(book, "History")
    assert len(history) == 24  # 12 snapshots for each of 2 accounts, no duplicate
    per_account = {h: [r for r in history if r["Handle"] == h] for h in ("@glowlab", "@snackwave")}
    assert all(len(rows) == 12 for rows in per_account.values())
    months = {(r["Snapshot Date"].year, r["Snapshot Date"].month) for r in per_account["@glowlab"]}
    assert len(months) == 12
    assert [n.text for n in list_notes(book)] == ["Spring launch", "Shipping delays"]
    alerts = table(book, "Alerts")
    assert len({(a["Kind"], a["Handle"], a["Before"], a["After"]) for a in alerts}) == len(alerts)
    comment = load_workbook(book)["Direct"]["D2"].comment
    assert comment is not None and "History snapshot of" in comment.text


def test_a_typed_value_wins_over_history(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    _push_month(book, tmp_path, START, 0)
    refresh(book, today=START)
    wb = load_workbook(book)
    wb["Direct"]["D2"] = 47_000  # typed by a person
    wb.save(book)
    later = one_month_after(START)
    _push_month(book, tmp_path, later, 1)
    refresh(book, today=later)
    assert row_of(book, "Direct", "glowlab")["Followers 30d Ago"] == 47_000


def test_if_due_acts_once_a_month(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    _push_month(book, tmp_path, START, 0)
    runner = CliRunner()
    result = runner.invoke(cli, ["refresh", "--sheet", str(book), "--if-due", "--date",
                                 "2026-01-15"])
    assert result.exit_code == 0, result.output
    assert len(table(book, "History")) == 2
    for daily in ("2026-01-16", "2026-02-01", "2026-02-14"):
        result = runner.invoke(cli, ["refresh", "--sheet", str(book), "--if-due", "--date",
                                     daily])
        assert result.exit_code == 0 and "not due" in result.output
    assert len(table(book, "History")) == 2
    runner.invoke(cli, ["refresh", "--sheet", str(book), "--if-due", "--date", "2026-02-15"])
    assert len(table(book, "History")) == 4


def test_a_refresh_killed_while_saving_leaves_no_half_file_and_no_duplicate(
        tmp_path: Path, monkeypatch) -> None:
    import pytest
    from openpyxl.workbook.workbook import Workbook

    book = tmp_path / "b.xlsx"
    _push_month(book, tmp_path, START, 0)
    before = book.read_bytes()
    real_save = Workbook.save

    def dies_halfway(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt  # the process is stopped mid-write

    monkeypatch.setattr(Workbook, "save", dies_halfway)
    with pytest.raises(KeyboardInterrupt):
        refresh(book, today=START)
    monkeypatch.setattr(Workbook, "save", real_save)
    assert book.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
    refresh(book, today=START)
    refresh(book, today=START)
    assert len(table(book, "History")) == 2


def test_alerts_are_raised_once(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    rows = [{"category": "direct", "Handle": "@glowlab", "Followers": "50K",
             "Followers 30d Ago": "49K", "Avg Views": "100K", "Avg Likes": "5K",
             "Avg Comments": "100", "Avg Shares": "100", "Avg Saves": "300"},
            {"category": "direct", "Handle": "@dewdrop", "Followers": "200K",
             "Followers 30d Ago": "198K", "Avg Views": "50K", "Avg Likes": "2K",
             "Avg Comments": "50", "Avg Shares": "40", "Avg Saves": "90"}]
    sheets_sync.push(book, [write_csv(tmp_path / "a.csv", rows)], today=START)
    refresh(book, today=START)
    assert table(book, "Alerts") == []
    later = one_month_after(START)
    rows[0].update({"Followers": "65K", "Followers 30d Ago": "50K", "Avg Views": "400K",
                    "Avg Likes": "20K"})
    rows[1].update({"Avg Likes": "200"})  # engagement drops below 3%
    sheets_sync.push(book, [write_csv(tmp_path / "b.csv", rows)], today=later)
    refresh(book, today=later)
    refresh(book, today=later + dt.timedelta(days=3))
    kinds = sorted((a["Handle"], a["Kind"]) for a in table(book, "Alerts"))
    assert kinds == [("@dewdrop", "engagement left the band"), ("@glowlab", "growth spike"),
                     ("@glowlab", "views per follower jump")]
    spike = next(a for a in table(book, "Alerts") if a["Kind"] == "growth spike")
    assert spike["Before"] == 50_000 and spike["After"] == 65_000
    assert "grew 30.0% in 30 days" in spike["Message"]
    assert {a["Status"] for a in table(book, "Alerts")} == {"open"}
    ws = load_workbook(book)["Alerts"]
    formats = {ws.cell(r, 4).value: (ws.cell(r, 6).number_format, ws.cell(r, 7).number_format)
               for r in range(2, ws.max_row + 1)}
    assert formats == {"growth spike": ("#,##0", "#,##0"),
                       "views per follower jump": ("0.00", "0.00"),
                       "engagement left the band": ("0.0%", "0.0%")}
    quiet = later + dt.timedelta(days=200)
    refresh(book, today=quiet)
    refresh(book, today=quiet + dt.timedelta(days=1))
    alerts = table(book, "Alerts")
    assert sum(a["Kind"] == "stale row" for a in alerts) == 2
    assert sum(a["Kind"] == "list not reviewed" for a in alerts) == 1


def test_history_never_overwrites_a_persons_value(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    _push_month(book, tmp_path, START, 0)
    refresh(book, today=START)
    later = one_month_after(START)
    _push_month(book, tmp_path, later, 1)
    refresh(book, today=later)
    assert row_of(book, "Direct", "glowlab")["Followers 30d Ago"] == 50_000  # filled
    wb = load_workbook(book)
    assert "History snapshot" in wb["Direct"]["D2"].comment.text
    wb["Direct"]["D2"] = 48_500  # typed over the filled value; the note stays
    wb.save(book)
    refresh(book, today=later + dt.timedelta(days=2))
    assert row_of(book, "Direct", "glowlab")["Followers 30d Ago"] == 48_500


def test_an_imported_value_equal_to_a_snapshot_is_still_a_persons(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    rows = [{"category": "direct", "Handle": "@flat", "Followers": "12900",
             "Followers 30d Ago": "12900", "Avg Views": "1000"}]
    sheets_sync.push(book, [write_csv(tmp_path / "f.csv", rows)], today=START)
    refresh(book, today=START)  # today's snapshot holds 12,900 too
    later = one_month_after(START)
    refresh(book, today=later)
    refresh(book, today=later + dt.timedelta(days=1))
    assert row_of(book, "Direct", "flat")["Followers 30d Ago"] == 12900


def test_alerts_written_as_text_by_an_older_version_are_not_raised_again(
        tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    rows = [{"category": "direct", "Handle": "@glowlab", "Followers": "65K",
             "Followers 30d Ago": "50K", "Avg Views": "100K", "Avg Likes": "5K"}]
    sheets_sync.push(book, [write_csv(tmp_path / "a.csv", rows)], today=START)
    refresh(book, today=START)
    wb = load_workbook(book)
    ws = wb["Alerts"]
    assert ws["F2"].value == 50_000
    ws["F2"], ws["G2"] = "50,000", "65,000"  # as text, the way older versions wrote it
    ws["J2"] = None  # no Status column yet
    wb.save(book)
    report = refresh(book, today=START + dt.timedelta(days=40))
    kinds = [a["Kind"] for a in table(book, "Alerts")]
    assert kinds.count("growth spike") == 1, kinds
    assert report.exit_code == 0
