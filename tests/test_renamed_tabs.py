"""A teammate renames a category tab: every command still finds it (local workbook).

The title `Q3` reads like a cell reference, the hardest case for A1 notation."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

import sheets_sync
from sheets_sync.addon.state import benchmark_state
from sheets_sync.backends import open_backend
from tests.conftest import row_of, write_csv

DAY0 = dt.date(2026, 3, 1)
DAY1 = DAY0 + dt.timedelta(days=30)


def two_direct_accounts(folder: Path, name: str, followers: tuple[int, int]) -> Path:
    """@glowlab and @dewdrop in Direct, with these follower counts."""
    return write_csv(folder / name, [
        {"category": "direct", "Handle": "@glowlab", "Followers": followers[0],
         "Avg Views": 100_000, "Avg Likes": 5_000, "Avg Comments": 100, "Avg Shares": 100,
         "Avg Saves": 300},
        {"category": "direct", "Handle": "@dewdrop", "Followers": followers[1],
         "Avg Views": 40_000, "Avg Likes": 1_000, "Avg Comments": 50, "Avg Shares": 20,
         "Avg Saves": 30},
    ])


def _renamed_book(tmp_path: Path) -> Path:
    book = tmp_path / "benchmark.xlsx"
    sheets_sync.push(book, [two_direct_accounts(tmp_path, "m0.csv", (50_000, 20_000))], today=DAY0)
    assert sheets_sync.refresh(book, today=DAY0).exit_code == 0
    wb = load_workbook(book)
    wb["Direct"].title = "Q3"
    wb.save(book)
    return book


def test_refresh_fills_growth_from_history_in_a_renamed_tab(tmp_path: Path) -> None:
    book = _renamed_book(tmp_path)
    sheets_sync.push(book, [two_direct_accounts(tmp_path, "m1.csv", (55_000, 21_000))], today=DAY1)
    report = sheets_sync.refresh(book, today=DAY1)
    assert report.exit_code == 0, [str(p) for p in report.problems]
    glow = row_of(book, "Q3", "glowlab")
    assert glow["Followers 30d Ago"] == 50_000
    assert abs(glow["Follower Growth (30d)"] - 0.1) < 1e-12
    assert row_of(book, "Q3", "dewdrop")["Followers 30d Ago"] == 20_000
    assert "Direct" not in load_workbook(book).sheetnames  # no second Direct tab


def test_pull_exports_a_renamed_tab(tmp_path: Path) -> None:
    book = _renamed_book(tmp_path)
    paths = sheets_sync.pull(book, tmp_path / "out")
    assert tmp_path / "out" / "direct.csv" in paths
    with (tmp_path / "out" / "direct.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["handle"] for r in rows) == ["'@dewdrop", "'@glowlab"]  # @ escaped


def test_validate_reads_a_renamed_tab(tmp_path: Path) -> None:
    book = _renamed_book(tmp_path)
    wb = load_workbook(book)
    sheet = wb["Q3"]
    followers = [c.value for c in sheet[1]].index("Followers") + 1
    sheet.cell(2, followers, "abc")
    wb.save(book)
    report = sheets_sync.validate(book, today=DAY0)
    cells = [p.where for p in report.problems if p.severity == "error"]
    letter = sheet.cell(2, followers).column_letter
    assert cells == [f"'Q3'!{letter}2 (Followers)"]


def test_the_side_panel_card_counts_a_renamed_tab(tmp_path: Path) -> None:
    book = _renamed_book(tmp_path)
    state = benchmark_state(open_backend(book), sheets_sync.load_template(), DAY0)
    assert state.accounts["Q3"] == 2
    assert state.total_accounts == 2
    assert state.last_snapshot == DAY0


def test_note_add_and_list_with_a_renamed_tab(tmp_path: Path) -> None:
    book = _renamed_book(tmp_path)
    tabs_before = load_workbook(book).sheetnames
    report = sheets_sync.add_note(book, "Spring launch", handle="@glowlab",
                                  kind="product launch", date=DAY0, author="Mia")
    assert report.exit_code == 0
    again = sheets_sync.add_note(book, "Spring launch", handle="@glowlab",
                                 kind="product launch", date=DAY0, author="Mia")
    assert not again.written
    assert [n.text for n in sheets_sync.list_notes(book)] == ["Spring launch"]
    assert load_workbook(book).sheetnames == tabs_before
