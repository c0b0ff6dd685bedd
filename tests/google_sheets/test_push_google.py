"""The CLI end to end on Google Sheets (the emulator): init, push, read back through gspread."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import gspread
import requests
from click.testing import CliRunner

from sheets_sync.backends.gsheets import spreadsheet_key
from sheets_sync.cli import cli
from tests.conftest import EXAMPLES, write_csv
from tests.google_sheets.conftest import SERVICE_EMAIL, Emulator

CATEGORY_TABS = ("Direct", "Indirect", "Learning")


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code in (0, 1), result.output
    return result, json.loads(result.stdout)


def push(sheet: str, key: Path, *files: Path | str) -> dict[str, Any]:
    result, report = run("push", "--sheet", sheet, "--credentials", str(key),
                         *map(str, files))
    assert result.exit_code == 0, result.output
    return report


def grid_of(spreadsheet: gspread.Spreadsheet, title: str) -> list[dict[str, Any]]:
    rows = spreadsheet.worksheet(title).get_all_values(value_render_option="UNFORMATTED_VALUE")
    header = rows[0]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(row)]


def sheet_json(spreadsheet: gspread.Spreadsheet, fields: str) -> dict[str, Any]:
    return spreadsheet.client.spreadsheets_get(spreadsheet.id, params={
        "fields": fields})


def test_init_push_and_read_back(sheet: str, service_key_file: Path,
                                 client: gspread.Spreadsheet, emulator: Emulator) -> None:
    assert sheet.startswith("https://docs.google.com/spreadsheets/d/")
    emulator.clear_log()
    report = push(sheet, service_key_file, EXAMPLES)
    assert report["written"] is True
    # a metadata read, a values read, one atomic write whose reply shows where it landed
    assert emulator.api_methods() == ["get", "values:batchGet", "batchUpdate"]
    assert "includeGridData" not in emulator.api_calls()[0].get("query", "")

    shared = {p.get("emailAddress") for p in client.list_permissions()}
    assert "teammate@example.com" in shared
    titles = [ws.title for ws in client.worksheets()]
    assert titles[:7] == ["Direct", "Indirect", "Learning", "Summary", "Context Notes",
                          "History", "Alerts"]
    direct = grid_of(client, "Direct")
    glow = next(r for r in direct if r["Handle"] == "@glowpuff.skin")
    assert glow["Followers"] == 1200000
    assert glow["Tier"] == "Macro"
    assert math.isclose(glow["Engagement Rate"], (16000 + 420 + 1100 + 2300) / 380000,
                        abs_tol=1e-9)
    assert len(direct) == 12


def test_formats_rules_protections_and_dropdowns(sheet: str, service_key_file: Path,
                                                 client: gspread.Spreadsheet) -> None:
    push(sheet, service_key_file, EXAMPLES)
    meta = sheet_json(client, "sheets(properties(title,gridProperties),conditionalFormats,"
                              "protectedRanges,data.rowData.values(userEnteredFormat.numberFormat,"
                              "dataValidation))")
    direct = next(s for s in meta["sheets"] if s["properties"]["title"] == "Direct")
    grid = direct["properties"]["gridProperties"]
    assert grid["frozenRowCount"] == 1 and grid["frozenColumnCount"] == 1
    header = [c for c in grid_header(client, "Direct")]
    er_col = header.index("Engagement Rate")
    formulas = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
                for r in direct["conditionalFormats"]]
    letter = gspread.utils.rowcol_to_a1(1, er_col + 1)[:-1]
    assert f"=AND(ISNUMBER({letter}2),{letter}2<0.03)" in formulas
    assert f"=AND(ISNUMBER({letter}2),{letter}2>0.09)" in formulas
    protected = {p["range"]["startColumnIndex"] for p in direct["protectedRanges"]
                 if p.get("warningOnly")}
    derived_cols = {header.index(h) for h in ("Tier", "Engagement Rate", "Last Changed")}
    assert derived_cols <= protected
    assert header.index("Followers") not in protected
    row2 = direct["data"][0]["rowData"][1]["values"]
    assert row2[header.index("Followers")]["userEnteredFormat"]["numberFormat"] == {
        "type": "NUMBER", "pattern": "#,##0"}
    assert row2[er_col]["userEnteredFormat"]["numberFormat"]["type"] == "PERCENT"
    choices = row2[header.index("Content Style")]["dataValidation"]["condition"]["values"]
    assert [v["userEnteredValue"] for v in choices] == ["educational", "entertainment",
                                                         "polished", "ugc"]


def grid_header(spreadsheet: gspread.Spreadsheet, title: str) -> list[str]:
    return spreadsheet.worksheet(title).row_values(1)


def test_repeated_push_sends_no_write(sheet: str, service_key_file: Path,
                                      emulator: Emulator) -> None:
    push(sheet, service_key_file, EXAMPLES)
    emulator.clear_log()
    report = push(sheet, service_key_file, EXAMPLES)
    assert report["written"] is False and report["cells_changed"] == 0
    assert emulator.api_methods() == ["get", "values:batchGet"]


def test_teammate_edits_survive_and_derived_cells_follow(
        sheet: str, service_key_file: Path, client: gspread.Spreadsheet, tmp_path: Path) -> None:
    push(sheet, service_key_file, EXAMPLES)
    ws = client.worksheet("Direct")
    header = ws.row_values(1)
    followers_col = header.index("Followers") + 1
    notes_col = header.index("Notes") + 1
    ws.update_cell(2, followers_col, 600000)  # @glowpuff.skin: 1.2M -> 600K
    ws.update_cell(3, notes_col, "asked for a collab")
    ws.add_cols(1)
    ws.update_cell(1, len(header) + 1, "Owner")
    ws.update_cell(2, len(header) + 1, "Mia")
    client.batch_update({"requests": [{"sortRange": {
        "range": {"sheetId": ws.id, "startRowIndex": 1, "endRowIndex": 13},
        "sortSpecs": [{"dimensionIndex": header.index("Handle"), "sortOrder": "DESCENDING"}],
    }}]})
    change = write_csv(tmp_path / "more.csv", [
        {"category": "direct", "Handle": "dewdrop.teen", "Avg Likes": "12K", "Notes": ""}])
    push(sheet, service_key_file, change)
    rows = {r["Handle"]: r for r in grid_of(client, "Direct")}
    glow = rows["@glowpuff.skin"]
    assert glow["Followers"] == 600000
    assert glow["Owner"] == "Mia"
    assert glow["Tier"] == "Mid"
    assert rows["dewdrop.teen"]["Notes"] == "asked for a collab"
    assert rows["dewdrop.teen"]["Avg Likes"] == 12000
    handles = list(rows)
    assert handles == sorted(handles, key=str.casefold, reverse=True)  # the sort is kept


def test_text_is_written_as_text(sheet: str, service_key_file: Path,
                                 client: gspread.Spreadsheet, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "odd.csv", [
        {"category": "direct", "Handle": "=1+1", "Notes": "+1 555 0100", "Followers": "5K"}])
    push(sheet, service_key_file, source)
    ws = client.worksheet("Direct")
    assert ws.acell("A2", value_render_option="FORMULA").value == "=1+1"
    assert ws.acell("A2", value_render_option="UNFORMATTED_VALUE").value == "=1+1"


def test_every_request_is_checked_against_discovery(sheet: str, service_key_file: Path,
                                                    emulator: Emulator, tmp_path: Path) -> None:
    """The `emulator` fixture fails any test that sent an invalid request; here: that the
    check really runs, and rejects what Google would."""
    push(sheet, service_key_file, EXAMPLES)
    push(sheet, service_key_file, write_csv(tmp_path / "x.csv", [
        {"category": "learning", "Handle": "@newcomer", "Followers": "1.5M"}]))
    api = [r for r in emulator.log() if r["path"] != "/token"]
    assert api and all(r["valid"] is True for r in api)
    key = spreadsheet_key(sheet)
    bad = requests.post(f"{emulator.url}/v4/spreadsheets/{key}:batchUpdate",
                        json={"requests": [{"addSheet": {"properties": {"titel": "x"}}}]},
                        headers={"Authorization": "Bearer x"}, timeout=10)
    assert bad.status_code == 400
    assert bad.json()["error"]["status"] == "INVALID_ARGUMENT"
    emulator.clear_log()


def test_dates_are_dates_and_no_secret_is_printed(sheet: str, service_key_file: Path,
                                                  client: gspread.Spreadsheet) -> None:
    result, _ = run("push", "--sheet", sheet, "--credentials", str(service_key_file),
                    "--date", "2026-03-31", str(EXAMPLES))
    cell = client.worksheet("Direct").acell("AJ2")
    assert client.worksheet("Direct").acell("AJ1").value == "Last Changed"
    assert cell.value == "2026-03-31"
    assert client.worksheet("Direct").acell(
        "AJ2", value_render_option="UNFORMATTED_VALUE").numeric_value == 46112
    key_text = service_key_file.read_text()
    secret = json.loads(key_text)["private_key"].splitlines()[1]
    assert secret not in result.output
    assert "Bearer" not in result.output and "access_token" not in result.output


def test_retries_429_and_re_plans_after_a_lost_reply(sheet: str, service_key_file: Path,
                                                      emulator: Emulator, tmp_path: Path,
                                                      client: gspread.Spreadsheet) -> None:
    emulator.admin("POST", "faults", {"status": 429, "count": 2, "retry_after": 0})
    push(sheet, service_key_file, EXAMPLES)
    statuses = [r["status"] for r in emulator.api_calls()]
    assert statuses.count(429) == 2 and statuses[-1] == 200
    emulator.admin("POST", "faults", {"lost_reply": True, "count": 1})
    newcomer = write_csv(tmp_path / "n.csv", [
        {"category": "direct", "Handle": "@newcomer", "Followers": "15K"}])
    report = push(sheet, service_key_file, newcomer)
    assert any("got no reply" in note for note in report["notes"])
    handles = [r["Handle"] for r in grid_of(client, "Direct")]
    assert handles.count("@newcomer") == 1 and len(handles) == 13


def test_retries_are_bounded(sheet: str, service_key_file: Path, emulator: Emulator) -> None:
    emulator.admin("POST", "faults", {"status": 503, "count": 50})
    result = CliRunner().invoke(cli, ["push", "--sheet", sheet, "--credentials",
                                      str(service_key_file), str(EXAMPLES)])
    assert result.exit_code == 2
    assert "after 5 attempts" in result.output
    assert len([r for r in emulator.api_calls() if r["status"] == 503]) == 5
    emulator.admin("DELETE", "faults")


def test_lost_reply_on_first_push_leaves_no_duplicate(sheet: str, service_key_file: Path,
                                                      emulator: Emulator,
                                                      client: gspread.Spreadsheet) -> None:
    emulator.admin("POST", "faults", {"lost_reply": True, "count": 1})
    report = push(sheet, service_key_file, EXAMPLES)
    assert any("got no reply" in note for note in report["notes"])
    assert len(grid_of(client, "Direct")) == 12
    titles = [ws.title for ws in client.worksheets()]
    assert titles.count("Direct") == 1


def test_spreadsheet_not_shared_names_the_service_account(emulator: Emulator,
                                                          service_key_file: Path) -> None:
    file_id = emulator.admin("POST", "files", {"name": "Someone else's",
                                               "owner": "boss@example.com"})["id"]
    result = CliRunner().invoke(cli, ["push", "--sheet", file_id, "--credentials",
                                      str(service_key_file)])
    assert result.exit_code == 2
    assert f"not shared with {SERVICE_EMAIL}" in result.output
    assert "Share" in result.output
    assert "PRIVATE KEY" not in result.output


def test_missing_spreadsheet(emulator: Emulator, service_key_file: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--sheet", "x" * 44, "--credentials",
                                      str(service_key_file)])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_summary_charts_are_added_once(sheet: str, service_key_file: Path,
                                       client: gspread.Spreadsheet, tmp_path: Path) -> None:
    push(sheet, service_key_file, EXAMPLES)
    push(sheet, service_key_file, write_csv(tmp_path / "c.csv", [
        {"category": "direct", "Handle": "@glowpuff.skin", "Followers": "1.4M"}]))
    meta = sheet_json(client, "sheets(properties.title,charts(spec(title,basicChart.chartType)))")
    summary = next(s for s in meta["sheets"] if s["properties"]["title"] == "Summary")
    titles = sorted(c["spec"]["title"] for c in summary["charts"])
    assert titles == sorted(f"Engagement rate vs views per follower: {t}"
                            for t in ("Direct", "Indirect", "Learning"))
    assert {c["spec"]["basicChart"]["chartType"] for c in summary["charts"]} == {"SCATTER"}


def test_a_changed_number_is_sent_without_formats_and_keeps_its_look(
        sheet: str, service_key_file: Path, client: gspread.Spreadsheet,
        emulator: Emulator, tmp_path: Path, monkeypatch: Any) -> None:
    from sheets_sync.backends.gsheets import GoogleSheetsBackend

    push(sheet, service_key_file, EXAMPLES)
    sent: list[list[dict[str, Any]]] = []
    send = GoogleSheetsBackend._send

    def spy(self: GoogleSheetsBackend, requests: list[dict[str, Any]], **rest: Any) -> None:
        sent.append(requests)
        send(self, requests, **rest)

    monkeypatch.setattr(GoogleSheetsBackend, "_send", spy)
    change = write_csv(tmp_path / "followers.csv", [
        {"category": "direct", "Handle": "@glowpuff.skin", "Followers": "1.3M"},
        {"category": "direct", "Handle": "@newface", "Followers": "20K"}])
    push(sheet, service_key_file, change)
    (requests,) = sent
    header = grid_header(client, "Direct")
    followers = header.index("Followers")
    formatted_rows = {r["repeatCell"]["range"]["startRowIndex"] for r in requests
                      if "repeatCell" in r
                      and r["repeatCell"]["range"].get("startColumnIndex") == followers}
    rows = grid_of(client, "Direct")
    glow_row = 1 + next(i for i, r in enumerate(rows) if r["Handle"] == "@glowpuff.skin")
    new_row = 1 + next(i for i, r in enumerate(rows) if r["Handle"] == "@newface")
    assert glow_row not in formatted_rows  # its format is already there
    assert new_row in formatted_rows  # a new account's row gets its formats
    meta = sheet_json(client, "sheets(properties.title,"
                              "data.rowData.values(userEnteredFormat.numberFormat))")
    direct = next(s for s in meta["sheets"] if s["properties"]["title"] == "Direct")
    grid = direct["data"][0]["rowData"]
    for row in (glow_row, new_row):
        assert grid[row]["values"][followers]["userEnteredFormat"]["numberFormat"] == {
            "type": "NUMBER", "pattern": "#,##0"}
    assert rows[glow_row - 1]["Followers"] == 1300000
