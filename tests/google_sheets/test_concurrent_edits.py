"""A teammate's edit lands between a push's read and its write (an emulator hook applies it
just before the push's batchUpdate). No value may stay on the wrong row."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import gspread
import pytest
from click.testing import CliRunner

from sheets_sync.backends.gsheets import spreadsheet_key
from sheets_sync.cli import cli
from tests.conftest import EXAMPLES, write_csv
from tests.google_sheets.conftest import Emulator
from tests.google_sheets.test_push_google import grid_of, push

CHANGES = [
    {"category": "direct", "Handle": "@glowpuff.skin", "Followers": "1.3M", "Notes": "new SKU"},
    {"category": "direct", "Handle": "dewdrop.teen", "Followers": "500K"},
    {"category": "direct", "Handle": "@zitzylab", "Avg Likes": "9K"},
]


def _hook(emulator: Emulator, sheet: str, requests: list[dict[str, Any]]) -> None:
    emulator.admin("POST", "hooks", {"spreadsheet_id": spreadsheet_key(sheet),
                                     "before": "batchUpdate", "requests": requests,
                                     "once": True})


def _direct(client: gspread.Spreadsheet) -> tuple[int, list[str]]:
    ws = client.worksheet("Direct")
    return ws.id, ws.row_values(1)


def _check(client: gspread.Spreadsheet, report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    rows = {r["Handle"]: r for r in grid_of(client, "Direct") if r.get("Handle")}
    glow, dew, zitzy = rows["@glowpuff.skin"], rows["dewdrop.teen"], rows["@zitzylab"]
    assert (glow["Followers"], glow["Notes"]) == (1300000, "new SKU")
    assert dew["Followers"] == 500000 and dew["Tier"] == "Mid"
    assert zitzy["Avg Likes"] == 9000
    assert len(rows) == 12
    for row in rows.values():  # every derived cell follows its own row's inputs
        views, followers = row["Avg Views"], row["Followers"]
        assert math.isclose(row["Views per Follower"], views / followers, rel_tol=1e-9)
        parts = [row[h] for h in ("Avg Likes", "Avg Comments", "Avg Shares", "Avg Saves")]
        assert math.isclose(row["Engagement Rate"], sum(parts) / views, rel_tol=1e-9)
    assert any("put right" in note for note in report["notes"])
    return rows


@pytest.fixture
def pushed(sheet: str, service_key_file: Path) -> str:
    push(sheet, service_key_file, EXAMPLES)
    return sheet


def test_rows_sorted_between_read_and_write(pushed: str, service_key_file: Path,
                                            emulator: Emulator, client: gspread.Spreadsheet,
                                            tmp_path: Path) -> None:
    sheet_id, header = _direct(client)
    _hook(emulator, pushed, [{"sortRange": {
        "range": {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": 13},
        "sortSpecs": [{"dimensionIndex": header.index("Followers"), "sortOrder": "ASCENDING"}],
    }}])
    report = push(pushed, service_key_file, write_csv(tmp_path / "c.csv", CHANGES))
    rows = _check(client, report)
    followers = [r["Followers"] for r in rows.values()]
    assert followers != sorted(followers, reverse=True)  # the teammate's order is still there


def test_column_moved_between_read_and_write(pushed: str, service_key_file: Path,
                                             emulator: Emulator, client: gspread.Spreadsheet,
                                             tmp_path: Path) -> None:
    sheet_id, header = _direct(client)
    col = header.index("Followers")
    _hook(emulator, pushed, [{"moveDimension": {
        "source": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col,
                   "endIndex": col + 1},
        "destinationIndex": 0}}])
    report = push(pushed, service_key_file, write_csv(tmp_path / "c.csv", CHANGES))
    _check(client, report)
    assert client.worksheet("Direct").row_values(1)[0] == "Followers"


def test_row_inserted_between_read_and_write(pushed: str, service_key_file: Path,
                                             emulator: Emulator, client: gspread.Spreadsheet,
                                             tmp_path: Path) -> None:
    sheet_id, _ = _direct(client)
    _hook(emulator, pushed, [{"insertDimension": {
        "range": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": 1, "endIndex": 2},
        "inheritFromBefore": False}}])
    report = push(pushed, service_key_file, write_csv(tmp_path / "c.csv", CHANGES))
    _check(client, report)
    values = client.worksheet("Direct").get_all_values()
    assert not any(values[1])  # the inserted row holds none of the push's values


def test_no_change_no_verification(pushed: str, service_key_file: Path,
                                   emulator: Emulator) -> None:
    emulator.clear_log()
    push(pushed, service_key_file, EXAMPLES)
    assert emulator.api_methods() == ["get", "values:batchGet"]


def test_renamed_tab_is_found_by_its_id(pushed: str, service_key_file: Path,
                                        client: gspread.Spreadsheet, tmp_path: Path) -> None:
    sheet_id, _ = _direct(client)
    client.batch_update({"requests": [{"updateSheetProperties": {
        "properties": {"sheetId": sheet_id, "title": "Rivals"}, "fields": "title"}}]})
    push(pushed, service_key_file, write_csv(tmp_path / "c.csv", CHANGES[:1]))
    titles = [ws.title for ws in client.worksheets()]
    assert "Rivals" in titles and "Direct" not in titles
    rows = {r["Handle"]: r for r in grid_of(client, "Rivals") if r.get("Handle")}
    assert rows["@glowpuff.skin"]["Followers"] == 1300000


def test_a_teammates_broken_formula_is_reported_and_kept(pushed: str, service_key_file: Path,
                                                         client: gspread.Spreadsheet) -> None:
    ws = client.worksheet("Direct")
    header = ws.row_values(1)
    cell = gspread.utils.rowcol_to_a1(2, header.index("Followers") + 1)
    ws.update_acell(cell, "=1/0")
    result = CliRunner().invoke(cli, ["validate", "--sheet", pushed, "--credentials",
                                      str(service_key_file)])
    assert result.exit_code == 1
    assert f"Direct!{cell} (Followers)" in result.output and "#DIV/0!" in result.output
    push_result = CliRunner().invoke(cli, ["push", "--sheet", pushed, "--credentials",
                                           str(service_key_file)])
    assert push_result.exit_code == 1
    assert ws.acell(cell, value_render_option="FORMULA").value == "=1/0"
    assert grid_of(client, "Direct")[0]["Tier"] in ("", None)


NEWCOMER = {"category": "direct", "Handle": "@newcomer.lab", "Followers": "42K",
            "Avg Views": "9K", "Avg Likes": "700"}


def _push_newcomer(pushed: str, key: Path, tmp_path: Path) -> dict[str, Any]:
    return push(pushed, key, write_csv(tmp_path / "n.csv", [*CHANGES, NEWCOMER]))


def _check_newcomer(client: gspread.Spreadsheet, before: dict[str, dict[str, Any]]) -> None:
    """Every account once, each with its own values, the newcomer inside the table."""
    values = client.worksheet("Direct").get_all_values(value_render_option="UNFORMATTED_VALUE")
    header = values[0]
    handles = [row[header.index("Handle")] for row in values[1:] if row[header.index("Handle")]]
    assert sorted(handles) == sorted([*before, "@newcomer.lab"])
    rows = {r["Handle"]: r for r in grid_of(client, "Direct") if r.get("Handle")}
    assert rows["@newcomer.lab"]["Followers"] == 42000
    for handle, old in before.items():
        if handle not in ("@glowpuff.skin", "dewdrop.teen", "@zitzylab"):
            assert rows[handle]["Followers"] == old["Followers"], handle


@pytest.mark.parametrize("edit", ["empty row at the top", "row deleted", "column moved",
                                  "row moved"])
def test_a_new_account_lands_whatever_the_structural_edit(
        edit: str, pushed: str, service_key_file: Path, emulator: Emulator,
        client: gspread.Spreadsheet, tmp_path: Path) -> None:
    sheet_id, header = _direct(client)
    before = {r["Handle"]: r for r in grid_of(client, "Direct") if r.get("Handle")}
    rows = {"sheetId": sheet_id, "dimension": "ROWS"}
    request = {
        "empty row at the top": {"insertDimension": {
            "range": {**rows, "startIndex": 1, "endIndex": 2}, "inheritFromBefore": False}},
        "row deleted": {"deleteDimension": {"range": {**rows, "startIndex": 5, "endIndex": 6}}},
        "column moved": {"moveDimension": {
            "source": {"sheetId": sheet_id, "dimension": "COLUMNS",
                       "startIndex": header.index("Followers"),
                       "endIndex": header.index("Followers") + 1}, "destinationIndex": 0}},
        "row moved": {"moveDimension": {"source": {**rows, "startIndex": 12, "endIndex": 13},
                                        "destinationIndex": 1}},
    }[edit]
    deleted = None
    if edit == "row deleted":
        deleted = client.worksheet("Direct").row_values(6)[header.index("Handle")]
    _hook(emulator, pushed, [request])
    _push_newcomer(pushed, service_key_file, tmp_path)
    if deleted is not None:
        # The teammate deleted that account while the push ran: a row deletion is theirs.
        before.pop(deleted)
    _check_newcomer(client, before)
