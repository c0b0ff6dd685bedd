"""The monthly refresh on Google Sheets (the emulator): retried and repeated runs add no
duplicate History row."""

from __future__ import annotations

from pathlib import Path

import gspread
import pytest

from tests.conftest import EXAMPLES
from tests.google_sheets.conftest import Emulator, run_cli
from tests.google_sheets.test_push_google import grid_of


def refresh(sheet: str, key: Path, day: str) -> dict:
    result, report = run_cli("refresh", "--sheet", sheet, "--credentials", str(key),
                             "--date", day)
    assert result.exit_code == 0, result.output
    return report


def test_refresh_with_a_lost_reply_and_a_repeat(sheet: str, service_key_file: Path,
                                                emulator: Emulator,
                                                client: gspread.Spreadsheet) -> None:
    run_cli("push", "--sheet", sheet, "--credentials", str(service_key_file), "--date",
            "2026-03-01", str(EXAMPLES))
    emulator.admin("POST", "faults", {"lost_reply": True, "count": 1})
    first = refresh(sheet, service_key_file, "2026-03-01")
    assert any("got no reply" in note for note in first["notes"])
    assert len(grid_of(client, "History")) == 30
    emulator.clear_log()
    refresh(sheet, service_key_file, "2026-03-20")  # same month: nothing to add
    # metadata, values, the category tabs' cell notes (what History filled); no write
    assert emulator.api_methods() == ["get", "values:batchGet", "get"]
    refresh(sheet, service_key_file, "2026-04-01")
    assert len(grid_of(client, "History")) == 60
    rows = grid_of(client, "Direct")
    # imported values (a person's) win; the empty one is filled from History, with a note
    assert rows[0]["Followers 30d Ago"] == 1150000
    empty = next(i for i, r in enumerate(rows) if r["Handle"] == "@teenzyme")
    assert rows[empty]["Followers 30d Ago"] == rows[empty]["Followers"]
    col = list(rows[0]).index("Followers 30d Ago")
    meta = client.client.spreadsheets_get(client.id, params={
        "ranges": f"Direct!A{empty + 2}:AJ{empty + 2}",
        "fields": "sheets.data.rowData.values.note"})
    note = meta["sheets"][0]["data"][0]["rowData"][0]["values"][col].get("note", "")
    assert "History snapshot of 2026-03-01" in note


def test_if_due_reads_once_when_not_due_and_twice_when_due(sheet: str, service_key_file: Path,
                                                           emulator: Emulator) -> None:
    run_cli("push", "--sheet", sheet, "--credentials", str(service_key_file), "--date",
            "2026-03-01", str(EXAMPLES))
    refresh(sheet, service_key_file, "2026-03-01")
    emulator.clear_log()
    _, report = run_cli("refresh", "--sheet", sheet, "--credentials",
                        str(service_key_file), "--date", "2026-03-15", "--if-due")
    assert "not due" in report["notes"][0] and "2026-04-01" in report["notes"][0]
    calls = emulator.api_calls()
    assert [c["method"] for c in calls] == ["GET"]
    # The spreadsheet's snapshot marker answers alone: no grid is read.
    assert "includeGridData" not in calls[0].get("query", "")
    assert calls[0]["response_bytes"] < 1_000
    emulator.clear_log()
    run_cli("refresh", "--sheet", sheet, "--credentials", str(service_key_file), "--date",
            "2026-04-01", "--if-due")
    assert emulator.api_methods() == ["get", "get", "values:batchGet", "get", "batchUpdate"]


@pytest.mark.slow  # a simulated year: twelve pushes and refreshes through the emulator
def test_a_year_of_monthly_refreshes_on_google(sheet: str, service_key_file: Path,
                                               client: gspread.Spreadsheet,
                                               tmp_path: Path) -> None:
    import datetime as dt

    from sheets_sync.history import one_month_after
    from tests.conftest import write_csv

    day = dt.date(2026, 1, 15)
    for month in range(12):
        rows = [{"category": "direct", "Handle": "@glowlab", "Followers": 50_000 + 5_000 * month,
                 "Avg Views": 100_000, "Avg Likes": 5_000, "Avg Comments": 100,
                 "Avg Shares": 100, "Avg Saves": 300},
                {"category": "learning", "Handle": "@snackwave", "Followers": 1_000_000 + month,
                 "Avg Views": 900_000}]
        run_cli("push", "--sheet", sheet, "--credentials", str(service_key_file), "--date",
                day.isoformat(), str(write_csv(tmp_path / f"m{month}.csv", rows)))
        refresh(sheet, service_key_file, day.isoformat())
        refresh(sheet, service_key_file, day.isoformat())
        if month:
            glow = next(r for r in grid_of(client, "Direct") if r["Handle"] == "@glowlab")
            assert glow["Followers 30d Ago"] == 50_000 + 5_000 * (month - 1)
        day = one_month_after(day)
    history = grid_of(client, "History")
    assert len(history) == 24
    assert sum(r["Handle"] == "@glowlab" for r in history) == 12
