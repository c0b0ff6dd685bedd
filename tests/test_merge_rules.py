"""Each rule of the three-way merge, pinned on the local workbook.

The base is what the last push left; "the sheet changed" means a teammate edited the
cell since then, "the file changed" means the pushed file differs from the base.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import sheets_sync
from sheets_sync.cli import cli
from tests.conftest import TODAY, row_of, table, write_csv

ROWS = [
    {"category": "direct", "Handle": "@glowlab", "Followers": "50K", "Avg Views": "100K",
     "Avg Likes": "5K", "Avg Comments": "100", "Avg Shares": "100", "Avg Saves": "300",
     "Notes": "first"},
    {"category": "direct", "Handle": "@dewdrop", "Followers": "200K", "Avg Views": "80K",
     "Avg Likes": "3K", "Avg Comments": "50", "Avg Shares": "40", "Avg Saves": "90"},
    {"category": "learning", "Handle": "@snackwave", "Followers": "1.5M", "Avg Views": "900K",
     "Avg Likes": "70K", "Avg Comments": "900", "Avg Shares": "2K", "Avg Saves": "1K"},
]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "b.xlsx"
    report = sheets_sync.push(path, [write_csv(tmp_path / "base.csv", ROWS)], today=TODAY)
    assert report.exit_code == 0
    return path


def set_cell(path: Path, tab: str, handle: str, header: str, value: object) -> None:
    wb = load_workbook(path)
    ws = wb[tab]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if str(row[headers.index("Handle")].value).lstrip("@") == handle:
            row[headers.index(header)].value = value
    wb.save(path)


def file_with(tmp_path: Path, name: str, **changes: str) -> Path:
    rows = [dict(ROWS[0], **changes), *ROWS[1:]]
    return write_csv(tmp_path / name, rows)


def test_only_the_sheet_changed_the_sheet_wins(tmp_path: Path, book: Path) -> None:
    set_cell(book, "Direct", "glowlab", "Followers", 61000)
    stale = write_csv(tmp_path / "stale.csv", ROWS)  # the very file pushed before
    report = sheets_sync.push(book, [stale], today=TODAY)
    assert report.conflicts == [] and report.exit_code == 0
    assert row_of(book, "Direct", "glowlab")["Followers"] == 61000


def test_only_the_file_changed_the_file_wins(tmp_path: Path, book: Path) -> None:
    report = sheets_sync.push(book, [file_with(tmp_path, "new.csv", Followers="70K")],
                              today=TODAY)
    assert report.conflicts == []
    assert row_of(book, "Direct", "glowlab")["Followers"] == 70000


def test_both_changed_differently_is_a_conflict_until_settled(tmp_path: Path,
                                                             book: Path) -> None:
    set_cell(book, "Direct", "glowlab", "Followers", 61000)
    newer = file_with(tmp_path, "newer.csv", Followers="70K")
    report = sheets_sync.push(book, [newer], today=TODAY)
    assert report.exit_code == 1
    [conflict] = report.conflicts
    assert (conflict.tab, conflict.cell, conflict.column) == ("Direct", "C2", "Followers")
    assert (conflict.sheet_value, conflict.file_value) == (61000, 70000)
    assert row_of(book, "Direct", "glowlab")["Followers"] == 61000
    again = sheets_sync.push(book, [newer], today=TODAY)
    assert len(again.conflicts) == 1  # still open: nothing was decided
    settled = sheets_sync.push(book, [newer], today=TODAY, prefer="file")
    assert settled.conflicts == [] and settled.exit_code == 0
    assert row_of(book, "Direct", "glowlab")["Followers"] == 70000


def test_prefer_sheet_keeps_the_sheet_and_settles(tmp_path: Path, book: Path) -> None:
    set_cell(book, "Direct", "glowlab", "Followers", 61000)
    newer = file_with(tmp_path, "newer.csv", Followers="70K")
    kept = sheets_sync.push(book, [newer], today=TODAY, prefer="sheet")
    assert kept.conflicts == [] and kept.exit_code == 0
    assert row_of(book, "Direct", "glowlab")["Followers"] == 61000
    assert sheets_sync.push(book, [newer], today=TODAY).conflicts == []
    assert row_of(book, "Direct", "glowlab")["Followers"] == 61000
    # The teammate's value is now the agreed one: newer data from the file wins.
    newest = file_with(tmp_path, "newest.csv", Followers="80K")
    assert sheets_sync.push(book, [newest], today=TODAY).conflicts == []
    assert row_of(book, "Direct", "glowlab")["Followers"] == 80000


def test_both_changed_to_the_same_value_is_no_conflict(tmp_path: Path, book: Path) -> None:
    set_cell(book, "Direct", "glowlab", "Followers", 70000)
    report = sheets_sync.push(book, [file_with(tmp_path, "same.csv", Followers="70K")],
                              today=TODAY)
    assert report.conflicts == []
    assert sum(t.input_cells_changed for t in report.tabs) == 0


def test_empty_file_cell_never_blanks(tmp_path: Path, book: Path) -> None:
    sheets_sync.push(book, [file_with(tmp_path, "blank.csv", Notes="")], today=TODAY)
    assert row_of(book, "Direct", "glowlab")["Notes"] == "first"


def test_a_deleted_row_stays_deleted_unless_restored(tmp_path: Path, book: Path) -> None:
    wb = load_workbook(book)
    wb["Direct"].delete_rows(3)  # @dewdrop
    wb.save(book)
    old = write_csv(tmp_path / "old.csv", ROWS)
    report = sheets_sync.push(book, [old], today=TODAY)
    assert [r["Handle"] for r in table(book, "Direct")] == ["@glowlab"]
    assert any("was deleted from the sheet" in p.message for p in report.problems)
    again = sheets_sync.push(book, [old], today=TODAY)
    assert again.cells_changed == 0
    sheets_sync.push(book, [old], today=TODAY, restore=True)
    assert [r["Handle"] for r in table(book, "Direct")] == ["@glowlab", "@dewdrop"]


def test_the_same_push_twice_is_a_no_op_also_after_edits(tmp_path: Path, book: Path) -> None:
    set_cell(book, "Direct", "dewdrop", "Notes", "typed by Mia")
    source = file_with(tmp_path, "x.csv", Followers="55K")
    sheets_sync.push(book, [source], today=TODAY)
    before = book.read_bytes()
    report = sheets_sync.push(book, [source], today=TODAY + dt.timedelta(days=3))
    assert report.cells_changed == 0 and not report.written
    assert book.read_bytes() == before


def test_a_teammate_edit_moves_last_changed(book: Path) -> None:
    set_cell(book, "Learning", "snackwave", "Notes", "new launch")
    later = TODAY + dt.timedelta(days=10)
    sheets_sync.push(book, [], today=later)
    assert row_of(book, "Learning", "snackwave")["Last Changed"].date() == later
    assert row_of(book, "Direct", "glowlab")["Last Changed"].date() == TODAY


def test_sorted_rows_and_moved_columns_keep_their_identity(tmp_path: Path, book: Path) -> None:
    wb = load_workbook(book)
    ws = wb["Direct"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header, body = rows[0], rows[1:]
    body.reverse()
    order = [header.index("Notes"), *[i for i in range(len(header)) if header[i] != "Notes"]]
    for r, row in enumerate([header, *body], start=1):
        for c, source in enumerate(order, start=1):
            ws.cell(row=r, column=c).value = row[source]
    wb.save(book)
    sheets_sync.push(book, [file_with(tmp_path, "m.csv", Followers="52K", Notes="moved")],
                     today=TODAY)
    glow = row_of(book, "Direct", "glowlab")
    assert glow["Followers"] == 52000 and glow["Notes"] == "moved"
    assert row_of(book, "Direct", "dewdrop")["Followers"] == 200000
    assert load_workbook(book)["Direct"]["A1"].value == "Notes"


def test_a_renamed_tab_is_still_found(tmp_path: Path, book: Path) -> None:
    wb = load_workbook(book)
    wb["Direct"].title = "Rivals"
    wb.save(book)
    report = sheets_sync.push(book, [file_with(tmp_path, "r.csv", Followers="58K")],
                              today=TODAY)
    names = load_workbook(book).sheetnames
    assert "Direct" not in names and "Rivals" in names
    assert row_of(book, "Rivals", "glowlab")["Followers"] == 58000
    assert any("renamed" in p.message for p in report.problems)


def test_a_renamed_header_is_recreated_and_nothing_is_lost(tmp_path: Path, book: Path) -> None:
    wb = load_workbook(book)
    ws = wb["Direct"]
    header = [c.value for c in ws[1]]
    ws.cell(row=1, column=header.index("Followers") + 1).value = "Fans"
    wb.save(book)
    report = sheets_sync.push(book, [write_csv(tmp_path / "same.csv", ROWS)], today=TODAY)
    glow = row_of(book, "Direct", "glowlab")
    assert glow["Fans"] == 50000  # the teammate's column keeps its values
    assert glow["Followers"] == 50000  # the column is back, at the end, filled from the file
    assert [c.value for c in load_workbook(book)["Direct"][1]][-1] == "Followers"
    assert any("not found" in p.message for p in report.problems)
    assert glow["Tier"] == "Micro"


def test_a_duplicate_header_names_both_cells(book: Path) -> None:
    wb = load_workbook(book)
    ws = wb["Direct"]
    ws.cell(row=1, column=ws.max_column + 1).value = "followers"
    wb.save(book)
    report = sheets_sync.validate(book)
    message = next(str(p) for p in report.errors if "duplicate header" in p.message)
    assert "Direct!C1" in message and f"Direct!{ws.cell(row=1, column=ws.max_column).coordinate}" \
        in message


def test_a_deleted_tab_is_recreated(tmp_path: Path, book: Path) -> None:
    wb = load_workbook(book)
    del wb["Learning"]
    wb.save(book)
    report = sheets_sync.push(book, [], today=TODAY)
    assert "Learning" in load_workbook(book).sheetnames
    assert any(t.tab == "Learning" and t.created for t in report.tabs)


def test_conflicts_on_the_command_line(tmp_path: Path, book: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    set_cell(book, "Direct", "glowlab", "Followers", 61000)
    newer = file_with(tmp_path, "newer.csv", Followers="70K")
    runner = CliRunner()
    result = runner.invoke(cli, ["push", "--sheet", str(book), str(newer)])
    assert result.exit_code == 1
    assert "conflict: Direct!C2 (Followers): the sheet has 61000" in result.output
    assert "--prefer file" in result.output
    result = runner.invoke(cli, ["push", "--sheet", str(book), str(newer), "--prefer", "file"])
    assert result.exit_code == 0


def test_a_save_by_someone_else_during_the_push_is_not_overwritten(
        tmp_path: Path, book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sheets_sync.backends.xlsx import XlsxBackend

    real_read = XlsxBackend.read
    reads = []

    def read_then_teammate_saves(self: XlsxBackend, *scope: object) -> object:
        grid = real_read(self, *scope)
        reads.append(1)
        if len(reads) == 1:  # between this push's read and its write
            set_cell(book, "Direct", "dewdrop", "Notes", "typed meanwhile")
        return grid

    monkeypatch.setattr(XlsxBackend, "read", read_then_teammate_saves)
    report = sheets_sync.push(book, [file_with(tmp_path, "w.csv", Followers="51K")],
                              today=TODAY)
    assert len(reads) == 2
    assert any("saved by someone else" in note for note in report.notes)
    assert row_of(book, "Direct", "dewdrop")["Notes"] == "typed meanwhile"
    assert row_of(book, "Direct", "glowlab")["Followers"] == 51000


def test_bad_cells_typed_by_teammates_are_reported_and_kept(book: Path) -> None:
    wb = load_workbook(book)
    ws = wb["Direct"]
    headers = [c.value for c in ws[1]]

    def cell(row: int, header: str) -> object:
        return ws.cell(row=row, column=headers.index(header) + 1)

    cell(2, "Followers").value = "abc"
    cell(2, "Avg Likes").value = "12k"  # a clear human format: understood
    cell(3, "Followers").value = "5%"
    cell(3, "Avg Views").value = -10
    cell(3, "Avg Saves").value = dt.datetime(2026, 1, 5)
    cell(3, "Notes").value = "x" * 30_000
    wb.save(book)
    report = sheets_sync.validate(book)
    where = {p.where for p in report.errors}
    assert where == {"Direct!C2 (Followers)", "Direct!C3 (Followers)", "Direct!E3 (Avg Views)",
                     "Direct!I3 (Avg Saves)"}
    assert "found a date" in next(str(p) for p in report.errors if "I3" in p.where)
    pushed = sheets_sync.push(book, [], today=TODAY)
    assert pushed.exit_code == 1
    glow = row_of(book, "Direct", "glowlab")
    assert glow["Followers"] == "abc" and glow["Avg Likes"] == "12k"
    assert glow["Tier"] is None and glow["Engagement Rate"] is None
    dew = row_of(book, "Direct", "dewdrop")
    assert len(dew["Notes"]) == 30_000 and dew["Avg Views"] == -10


def test_teammates_formats_comments_filters_and_tabs_are_untouched(tmp_path: Path,
                                                                  book: Path) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    wb = load_workbook(book)
    ws = wb["Direct"]
    ws["B2"].fill = PatternFill(start_color="FFFF0000", end_color="FFFF0000", fill_type="solid")
    ws["C3"].comment = Comment("checked by Mia", "Mia")
    ws.auto_filter.ref = "A1:C3"
    ws["A6"] = "Notes for the team, under the table"
    wb.create_sheet("Mia's scratch")["A1"] = "=SUM(1,2)"
    wb.save(book)
    sheets_sync.push(book, [file_with(tmp_path, "t.csv", Followers="52K")], today=TODAY)
    wb = load_workbook(book)
    ws = wb["Direct"]
    assert ws["B2"].fill.start_color.rgb == "FFFF0000"
    assert ws["C3"].comment.text == "checked by Mia"
    assert ws.auto_filter.ref == "A1:C3"
    assert ws["A6"].value == "Notes for the team, under the table"
    assert wb["Mia's scratch"]["A1"].value == "=SUM(1,2)"
    assert row_of(book, "Direct", "glowlab")["Followers"] == 52000


def test_a_note_longer_than_an_xlsx_cell_is_not_cut(tmp_path: Path, book: Path) -> None:
    report = sheets_sync.push(book, [file_with(tmp_path, "long.csv", Notes="y" * 50_000)],
                              today=TODAY)
    assert row_of(book, "Direct", "glowlab")["Notes"] == "first"
    assert report.exit_code == 1
    (problem,) = [p for p in report.problems if "32,767" in p.message]
    assert problem.where.startswith("Direct!") and problem.where.endswith(" (Notes)")
    assert "50,000 characters" in problem.message
    # the memory of the push did not take the held row as written: a shorter text lands
    sheets_sync.push(book, [file_with(tmp_path, "short.csv", Notes="y" * 100)], today=TODAY)
    assert row_of(book, "Direct", "glowlab")["Notes"] == "y" * 100
