"""Push semantics on the local workbook: every rule of the merge, checked in the saved file."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

import sheets_sync
from tests.conftest import TODAY, row_of, sheet_values, summary_of, table, write_csv

BASE = [
    {"category": "direct", "Handle": "@glowlab", "Name": "Glow Lab", "Followers": "52.5K",
     "Followers 30d Ago": "50,000", "Avg Views": "120K", "Avg Likes": "6.1K",
     "Avg Comments": "310", "Avg Shares": "450", "Avg Saves": "800", "Posts (30d)": "24",
     "Content Style": "UGC", "Notes": ""},
    {"category": "indirect", "Handle": "tintedteen", "Name": "Tinted Teen", "Followers": "1.2M",
     "Followers 30d Ago": "1.1M", "Avg Views": "500K", "Avg Likes": "8K", "Avg Comments": "1K",
     "Avg Shares": "500", "Avg Saves": "300", "Posts (30d)": "30", "Content Style": "polished",
     "Notes": "big on lives"},
    {"category": "learning", "Handle": "@snackwave", "Name": "Snack Wave", "Followers": "99,999",
     "Followers 30d Ago": "", "Avg Views": "500K", "Avg Likes": "60K", "Avg Comments": "2K",
     "Avg Shares": "3K", "Avg Saves": "1K", "Posts (30d)": "12", "Content Style": "entertainment",
     "Notes": ""},
]


@pytest.fixture
def base_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "in.csv", BASE)


@pytest.fixture
def book(tmp_path: Path, base_csv: Path) -> Path:
    path = tmp_path / "benchmark.xlsx"
    report = sheets_sync.push(path, [base_csv], today=TODAY)
    assert report.exit_code == 0, [str(p) for p in report.problems]
    return path


def edit(path: Path, tab: str, handle: str, header: str, value: object) -> None:
    wb = load_workbook(path)
    ws = wb[tab]
    headers = [c.value for c in ws[1]]
    col = headers.index(header) + 1
    for row in ws.iter_rows(min_row=2):
        if str(row[headers.index("Handle")].value).lstrip("@").lower() == handle:
            ws.cell(row=row[0].row, column=col).value = value
            break
    else:
        raise AssertionError(f"{handle} not in {tab}")
    wb.save(path)


def test_first_push_builds_every_tab_with_derived_values(book: Path) -> None:
    values = sheet_values(book)
    assert list(values) == ["Direct", "Indirect", "Learning", "Summary", "Context Notes",
                            "History", "Alerts", "_sheets_sync"]
    glow = row_of(book, "Direct", "glowlab")
    assert glow["Followers"] == 52500
    assert glow["Tier"] == "Micro"
    assert math.isclose(glow["Follower Growth (30d)"], 0.05, abs_tol=1e-9)
    assert math.isclose(glow["Views per Follower"], 120000 / 52500, abs_tol=1e-9)
    assert math.isclose(glow["Engagement Rate"], (6100 + 310 + 450 + 800) / 120000, abs_tol=1e-9)
    assert glow["ER Band"] == "in band"
    assert glow["Profile"] == "https://www.tiktok.com/@glowlab"
    assert glow["Last Changed"].date() == TODAY
    snack = row_of(book, "Learning", "snackwave")
    assert snack["Follower Growth (30d)"] is None  # no 30-day value: empty, not an error
    assert snack["ER Band"] == "high"
    assert row_of(book, "Indirect", "tintedteen")["Tier"] == "Macro"


def test_same_push_twice_changes_no_cell(book: Path, base_csv: Path) -> None:
    before = sheet_values(book)
    stamp = book.stat().st_mtime_ns
    report = sheets_sync.push(book, [base_csv], today=TODAY.replace(day=28))
    assert report.cells_changed == 0
    assert report.written is False
    assert book.stat().st_mtime_ns == stamp
    assert sheet_values(book) == before


def test_typed_note_and_teammate_column_survive(book: Path, base_csv: Path) -> None:
    edit(book, "Direct", "glowlab", "Notes", "launching SPF line in May")
    wb = load_workbook(book)
    ws = wb["Direct"]
    ws.cell(row=1, column=ws.max_column + 1).value = "Owner"
    ws.cell(row=2, column=ws.max_column).value = "Mia"
    wb.save(book)
    report = sheets_sync.push(book, [base_csv], today=TODAY)
    assert report.exit_code == 0
    glow = row_of(book, "Direct", "glowlab")
    assert glow["Notes"] == "launching SPF line in May"
    assert glow["Owner"] == "Mia"


def test_file_value_replaces_sheet_value_but_blank_never_erases(tmp_path: Path, book: Path) -> None:
    edit(book, "Direct", "glowlab", "Avg Views", 100000)
    changed = [dict(BASE[0], **{"Avg Likes": "7K", "Avg Views": ""})]
    report = sheets_sync.push(book, [write_csv(tmp_path / "b.csv", changed)], today=TODAY)
    glow = row_of(book, "Direct", "glowlab")
    assert glow["Avg Likes"] == 7000
    assert glow["Avg Views"] == 100000  # blank in the file: the typed value stays
    assert math.isclose(glow["Engagement Rate"], (7000 + 310 + 450 + 800) / 100000)
    direct = next(t for t in report.tabs if t.tab == "Direct")
    assert [(c.cell, c.before, c.after) for c in direct.changes] == [("F2", 6100, 7000)]


def test_rows_only_edited_in_the_workbook_are_recomputed(book: Path) -> None:
    edit(book, "Indirect", "tintedteen", "Followers", 900000)
    report = sheets_sync.push(book, [], today=TODAY)
    assert report.exit_code == 0
    tinted = row_of(book, "Indirect", "tintedteen")
    assert tinted["Tier"] == "Mid"
    assert math.isclose(tinted["Follower Growth (30d)"], (900000 - 1100000) / 1100000)


def test_rows_missing_from_the_file_stay(tmp_path: Path, book: Path) -> None:
    sheets_sync.push(book, [write_csv(tmp_path / "one.csv", BASE[:1])], today=TODAY)
    assert row_of(book, "Learning", "snackwave")["Name"] == "Snack Wave"


def test_reordered_columns_still_work(tmp_path: Path, book: Path) -> None:
    wb = load_workbook(book)
    ws = wb["Direct"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    order = list(reversed(range(len(rows[0]))))
    for r, row in enumerate(rows, start=1):
        for c, source in enumerate(order, start=1):
            ws.cell(row=r, column=c).value = row[source]
    wb.save(book)
    changed = [dict(BASE[0], **{"Followers": "60K"})]
    sheets_sync.push(book, [write_csv(tmp_path / "c.csv", changed)], today=TODAY)
    glow = row_of(book, "Direct", "glowlab")
    assert glow["Followers"] == 60000
    assert math.isclose(glow["Follower Growth (30d)"], 0.2)
    header = [c.value for c in load_workbook(book)["Direct"][1]]
    assert header[-1] == "Handle"  # nothing was moved back
    rules = {r.formula[0] for cf in load_workbook(book)["Direct"].conditional_formatting
             for r in cf.rules}
    er_letter = get_column_letter(header.index("Engagement Rate") + 1)
    assert f"AND(ISNUMBER({er_letter}2),{er_letter}2<0.03)" in rules


def test_formula_like_handle_is_stored_as_text(tmp_path: Path) -> None:
    rows = [dict(BASE[0], Handle="=1+1", Notes="+49 call me"), dict(BASE[1], Handle="@x")]
    path = tmp_path / "t.xlsx"
    sheets_sync.push(path, [write_csv(tmp_path / "f.csv", rows)], today=TODAY)
    ws = load_workbook(path)["Direct"]
    cell = ws["A2"]
    assert cell.value == "=1+1"
    assert cell.data_type == "s"
    assert [c.value for c in ws[1]].index("Notes") >= 0
    again = sheets_sync.push(path, [write_csv(tmp_path / "f.csv", rows)], today=TODAY)
    assert again.cells_changed == 0


def test_engagement_rules_at_the_band(book: Path) -> None:
    ws = load_workbook(book)["Direct"]
    header = [c.value for c in ws[1]]
    letter = get_column_letter(header.index("Engagement Rate") + 1)
    rules = [(str(cf.sqref), r.formula[0]) for cf in ws.conditional_formatting for r in cf.rules]
    assert (f"{letter}2:{letter}1048576", f"AND(ISNUMBER({letter}2),{letter}2<0.03)") in rules
    assert (f"{letter}2:{letter}1048576", f"AND(ISNUMBER({letter}2),{letter}2>0.09)") in rules
    assert ws.freeze_panes == "B2"
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"educational,entertainment,polished,ugc"' in lists
    assert ws.cell(row=1, column=header.index("Engagement Rate") + 1).comment is not None


def test_teammate_rules_are_kept_and_ours_not_piled_up(book: Path, base_csv: Path) -> None:
    from openpyxl.formatting.rule import FormulaRule

    wb = load_workbook(book)
    wb["Direct"].conditional_formatting.add("B2:B50", FormulaRule(formula=['LEN(B2)>20']))
    wb.save(book)
    edit(book, "Direct", "glowlab", "Followers", 53000)
    sheets_sync.push(book, [base_csv], today=TODAY)
    formulas = [r.formula[0] for cf in load_workbook(book)["Direct"].conditional_formatting
                for r in cf.rules]
    assert "LEN(B2)>20" in formulas
    assert len(formulas) == 5


def test_strict_writes_nothing_when_a_cell_is_bad(tmp_path: Path, book: Path) -> None:
    bad = [dict(BASE[0], Followers="lots", Name="Renamed")]
    before = sheet_values(book)
    report = sheets_sync.push(book, [write_csv(tmp_path / "bad.csv", bad)], strict=True)
    assert report.exit_code == 1
    assert sheet_values(book) == before
    lenient = sheets_sync.push(book, [write_csv(tmp_path / "bad.csv", bad)], today=TODAY)
    assert lenient.exit_code == 1
    assert "bad.csv row 2, column D (Followers)" in str(lenient.problems[0])
    assert row_of(book, "Direct", "glowlab")["Name"] == "Renamed"


def test_handle_in_two_tabs_is_an_error_naming_both(tmp_path: Path, book: Path) -> None:
    wb = load_workbook(book)
    wb["Learning"].cell(row=3, column=1).value = "GlowLab"
    wb.save(book)
    report = sheets_sync.validate(book)
    assert report.exit_code == 1
    message = str(report.errors[0])
    assert "Direct!A2" in message and "Learning!A3" in message


def test_unreadable_sheet_cell_is_kept_and_reported(book: Path) -> None:
    edit(book, "Direct", "glowlab", "Followers", "lots")
    report = sheets_sync.push(book, [], today=TODAY)
    assert report.exit_code == 1
    assert any(p.where == "Direct!C2 (Followers)" for p in report.errors)
    glow = row_of(book, "Direct", "glowlab")
    assert glow["Followers"] == "lots"
    assert glow["Tier"] is None and glow["Engagement Rate"] is None


def test_human_format_typed_in_the_sheet_is_understood(book: Path) -> None:
    edit(book, "Direct", "glowlab", "Followers", "60k")
    report = sheets_sync.push(book, [], today=TODAY)
    assert report.exit_code == 0
    glow = row_of(book, "Direct", "glowlab")
    assert glow["Followers"] == "60k"  # the typed cell is left as typed
    assert math.isclose(glow["Follower Growth (30d)"], 0.2)


def test_teammate_formula_in_an_input_cell_is_never_overwritten(tmp_path: Path, book: Path) -> None:
    edit(book, "Direct", "glowlab", "Avg Likes", "=1000*6")
    wb = load_workbook(book)
    assert wb["Direct"]["F2"].data_type == "f"
    changed = [dict(BASE[0], **{"Avg Likes": "9K"})]
    report = sheets_sync.push(book, [write_csv(tmp_path / "d.csv", changed)], today=TODAY)
    assert load_workbook(book)["Direct"]["F2"].value == "=1000*6"
    assert any(p.severity == "warning" and "formula" in p.message for p in report.problems)


def test_summary_counts_and_medians(book: Path) -> None:
    rows = {r["Category"]: r for r in summary_of(book)}
    assert rows["Direct"]["Accounts"] == 1
    assert rows["All"]["Accounts"] == 3
    assert (rows["All"]["Micro"], rows["All"]["Mid"], rows["All"]["Macro"]) == (2, 0, 1)
    glow_er = (6100 + 310 + 450 + 800) / 120000
    tinted_er = (8000 + 1000 + 500 + 300) / 500000
    snack_er = (60000 + 2000 + 3000 + 1000) / 500000
    assert math.isclose(rows["All"]["Median Engagement Rate"],
                        sorted([glow_er, tinted_er, snack_er])[1])


def test_plan_writes_nothing_and_lists_changes(tmp_path: Path, book: Path) -> None:
    before = sheet_values(book)
    changed = [dict(BASE[0], **{"Followers": "70K"})]
    report = sheets_sync.plan(book, [write_csv(tmp_path / "p.csv", changed)], today=TODAY)
    assert sheet_values(book) == before
    direct = next(t for t in report.tabs if t.tab == "Direct")
    assert [(c.cell, c.after) for c in direct.changes] == [("C2", 70000)]
    assert direct.derived_cells_changed == 2  # growth and views per follower; tier stays Micro


def test_pull_round_trips(tmp_path: Path, book: Path) -> None:
    files = sheets_sync.pull(book, tmp_path / "out")
    names = sorted(p.name for p in files)
    assert "direct.csv" in names and "summary.csv" in names
    copy = tmp_path / "copy.xlsx"
    sheets_sync.push(copy, [tmp_path / "out" / n for n in ("direct.csv", "indirect.csv",
                                                          "learning.csv")], today=TODAY)
    for tab in ("Direct", "Indirect", "Learning"):
        assert table(copy, tab) == table(book, tab)


def test_new_rows_never_overwrite_what_a_teammate_keeps_below_the_table(
        tmp_path: Path, book: Path) -> None:
    wb = load_workbook(book)
    wb["Direct"]["A4"] = "Ideas for next quarter"
    wb["Direct"]["B5"] = "try duets"
    wb.save(book)
    new = [dict(BASE[0], Handle="@first"), dict(BASE[0], Handle="@second")]
    report = sheets_sync.push(book, [write_csv(tmp_path / "n.csv", new)], today=TODAY)
    ws = load_workbook(book)["Direct"]
    assert (ws["A4"].value, ws["B5"].value) == ("Ideas for next quarter", "try duets")
    assert ws["A3"].value is None  # the gap stays: both new rows were refused
    assert sum("no room for a new row" in p.message for p in report.errors) == 2

    wb = load_workbook(book)
    wb["Direct"]["A4"] = None
    wb["Direct"]["A6"] = "Ideas for next quarter"
    wb.save(book)
    report = sheets_sync.push(book, [write_csv(tmp_path / "n.csv", new)], today=TODAY)
    ws = load_workbook(book)["Direct"]
    assert ws["A3"].value == "@first"
    assert ws["A4"].value is None and ws["B5"].value == "try duets"
    assert sum("no room for a new row" in p.message for p in report.errors) == 1


def test_an_empty_row_inside_the_table_is_skipped(tmp_path: Path, base_csv: Path) -> None:
    path = tmp_path / "benchmark.xlsx"
    two = [BASE[0], dict(BASE[0], Handle="@second", Name="Second")]
    sheets_sync.push(path, [write_csv(tmp_path / "two.csv", two)], today=TODAY)
    wb = load_workbook(path)
    wb["Direct"].insert_rows(2)  # a teammate's empty row above the first account
    wb["Direct"].insert_rows(4)  # and one between the two accounts
    wb.save(path)
    changed = [dict(BASE[0], Followers="60K"), dict(BASE[0], Handle="@third", Name="Third")]
    report = sheets_sync.push(path, [write_csv(tmp_path / "c.csv", changed)], today=TODAY)
    assert report.exit_code == 0, [str(p) for p in report.problems]
    assert not any("deleted" in note for note in report.notes)
    ws = load_workbook(path)["Direct"]
    handles = [ws.cell(row=r, column=1).value for r in range(1, 8)]
    assert handles == ["Handle", None, "@glowlab", None, "@second", "@third", None]
    assert row_of(path, "Direct", "glowlab")["Followers"] == 60000
