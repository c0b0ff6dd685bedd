"""With Google's bounded echo of rule and protection ranges (endRowIndex/endColumnIndex
filled with the grid size), a repeated push still sends no write and adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gspread

from tests.conftest import EXAMPLES
from tests.google_sheets.conftest import Emulator
from tests.google_sheets.test_push_google import push, sheet_json


def _counts(client: gspread.Spreadsheet) -> dict[str, tuple[int, int]]:
    meta: dict[str, Any] = sheet_json(
        client, "sheets(properties.title,conditionalFormats,protectedRanges)"
    )
    return {
        s["properties"]["title"]: (
            len(s.get("conditionalFormats", [])),
            len(s.get("protectedRanges", [])),
        )
        for s in meta["sheets"]
    }


def test_bounded_echo_repeated_push_sends_no_batch_update(
    sheet: str, service_key_file: Path, emulator: Emulator, client: gspread.Spreadsheet
) -> None:
    emulator.admin("POST", "echo", {"ranges": "bounded"})
    push(sheet, service_key_file, EXAMPLES)
    before = _counts(client)
    assert any(rules or protections for rules, protections in before.values())
    meta = sheet_json(client, "sheets(conditionalFormats.ranges,protectedRanges.range)")
    echoed = [
        rng
        for s in meta["sheets"]
        for rule in s.get("conditionalFormats", [])
        for rng in rule["ranges"]
    ]
    assert echoed and all("endRowIndex" in r and "endColumnIndex" in r for r in echoed)
    emulator.clear_log()
    report = push(sheet, service_key_file, EXAMPLES)
    assert report["written"] is False and report["cells_changed"] == 0
    calls = emulator.api_calls()
    assert [c for c in calls if c["path"].endswith(":batchUpdate")] == []
    push(sheet, service_key_file, EXAMPLES)
    assert _counts(client) == before
