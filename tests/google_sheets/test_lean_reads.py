"""What a command reads of a Google spreadsheet: values, not the grid's cell objects, and
History and Alerts only when the command uses their rows."""

from __future__ import annotations

from pathlib import Path

import gspread

from tests.conftest import EXAMPLES
from tests.google_sheets.conftest import Emulator
from tests.google_sheets.test_push_google import grid_of, push
from tests.google_sheets.test_refresh_google import refresh


def _received(emulator: Emulator) -> int:
    return sum(c["response_bytes"] for c in emulator.api_calls())


def test_a_push_reads_the_same_however_long_history_grows(
        sheet: str, service_key_file: Path, emulator: Emulator,
        client: gspread.Spreadsheet) -> None:
    push(sheet, service_key_file, EXAMPLES)
    refresh(sheet, service_key_file, "2026-01-01")
    emulator.clear_log()
    push(sheet, service_key_file)
    after_one_month = _received(emulator)
    for day in ("2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"):
        refresh(sheet, service_key_file, day)
    assert len(grid_of(client, "History")) == 5 * 30
    emulator.clear_log()
    report = push(sheet, service_key_file)
    assert report["written"] is False
    # History grew by 120 rows (about 12 kB of values): the push reads its header only.
    assert abs(_received(emulator) - after_one_month) < 500, (_received(emulator),
                                                              after_one_month)
    queries = [c.get("query", "") for c in emulator.api_calls()]
    assert not any("includeGridData" in q for q in queries)
    assert any("History%27%211%3A1" in q or "History'!1:1" in q for q in queries), queries


def test_refresh_reads_history_whole(sheet: str, service_key_file: Path,
                                     emulator: Emulator, client: gspread.Spreadsheet) -> None:
    push(sheet, service_key_file, EXAMPLES)
    refresh(sheet, service_key_file, "2026-01-01")
    refresh(sheet, service_key_file, "2026-02-01")
    # The second month's rows were appended after the first's: History was read whole.
    rows = grid_of(client, "History")
    assert len(rows) == 2 * 30
    assert len({(r["Handle"], str(r["Snapshot Date"])[:7]) for r in rows}) == 60
