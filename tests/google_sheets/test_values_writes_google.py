"""Big writes send new rows' values by spreadsheets.values.batchUpdate, with the same result
as the all-batchUpdate path, and a push stopped between its requests is finished by the next."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import gspread
import pytest

import sheets_sync
from sheets_sync.backends import google_credentials
from sheets_sync.backends.gsheets import GoogleSheetsBackend, spreadsheet_key
from sheets_sync.errors import SheetsSyncError
from tests.conftest import EXAMPLES
from tests.google_sheets.conftest import Emulator, run_cli, shared_spreadsheet
from tests.google_sheets.test_push_google import grid_of

CELL_FIELDS = ("sheets(properties.title,data.rowData.values(userEnteredValue,"
               "userEnteredFormat.numberFormat,note))")


def accounts_with_formula_text(tmp_path: Path) -> Path:
    with EXAMPLES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["Notes"] = "=SUM(A1:A3) is how they pitch it"
    rows[1]["Notes"] = ""
    source = tmp_path / "accounts.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return source


def laid_out(emulator: Emulator, service_key_file: Path) -> str:
    result, report = run_cli("push", "--sheet", shared_spreadsheet(emulator),
                             "--credentials", str(service_key_file))
    assert result.exit_code == 0, result.output
    return spreadsheet_key(report["target"]) or ""


def backend(key: str, service_key_file: Path, **options: Any) -> GoogleSheetsBackend:
    return GoogleSheetsBackend.from_credentials(key, google_credentials(service_key_file),
                                                **options)


def cells(spreadsheet: gspread.Spreadsheet) -> dict[str, list[Any]]:
    """Every tab's entered values, number formats and notes, cell by cell."""
    reply = spreadsheet.client.spreadsheets_get(spreadsheet.id, params={
        "includeGridData": "true", "fields": CELL_FIELDS})
    found = {}
    for sheet in reply["sheets"]:
        title = sheet["properties"]["title"]
        if title.startswith("_sheets_sync_version"):
            continue
        found[title] = [row.get("values", []) for block in sheet.get("data", [])
                        for row in block.get("rowData", [])]
    return found


def test_a_big_first_push_lays_out_what_the_batch_update_path_does(
        emulator: Emulator, service_key_file: Path, tmp_path: Path) -> None:
    source = accounts_with_formula_text(tmp_path)
    old_key = laid_out(emulator, service_key_file)
    new_key = laid_out(emulator, service_key_file)

    emulator.clear_log()
    sheets_sync.push(backend(old_key, service_key_file, values_threshold_cells=10**9), [source])
    assert not any(r["path"].endswith("values:batchUpdate") for r in emulator.api_calls())
    emulator.clear_log()
    sheets_sync.push(backend(new_key, service_key_file, values_threshold_cells=1), [source])
    log = emulator.api_calls()
    assert sum(r["path"].endswith("/values:batchUpdate") for r in log) == 1
    assert sum(r["path"].endswith(f"{new_key}:batchUpdate") for r in log) == 1

    gc = backend(old_key, service_key_file).client
    old, new = cells(gc.open_by_key(old_key)), cells(gc.open_by_key(new_key))
    assert old.keys() == new.keys()
    compared = [title for title in old if title != "_sheets_sync"]  # it holds the tab ids
    assert {"Direct", "Indirect", "Learning"} <= set(compared)
    for title in compared:
        assert new[title] == old[title], title
    direct = grid_of(gc.open_by_key(new_key), "Direct")
    assert len(direct) > 5 and direct == grid_of(gc.open_by_key(old_key), "Direct")
    notes = {r["Handle"]: r["Notes"] for tab in ("Direct", "Indirect", "Learning")
             for r in grid_of(gc.open_by_key(new_key), tab)}
    assert "=SUM(A1:A3) is how they pitch it" in notes.values()  # text, not a formula
    assert "" in notes.values()  # the blank stays blank


@pytest.mark.parametrize("failing_call", [1, 2])
def test_a_push_stopped_between_its_requests_is_finished_by_the_next(
        failing_call: int, emulator: Emulator, service_key_file: Path) -> None:
    key = laid_out(emulator, service_key_file)
    stopped_backend = backend(key, service_key_file, values_threshold_cells=1)
    http = stopped_backend.client.http_client
    send = http.request
    calls: list[str] = []

    def request(method: str, endpoint: str, **options: Any) -> Any:
        if not endpoint.endswith(":batchUpdate"):
            return send(method, endpoint, **options)
        calls.append(endpoint)
        if len(calls) == failing_call:
            # A range Google rejects (400): the whole call is refused.
            body = json.loads(options.pop("data"))
            if "requests" in body:
                body["requests"].append({"deleteSheet": {"sheetId": 999999999}})
            else:
                body["data"].append({"range": "'No such tab'!A1", "values": [[1]]})
            options["data"] = json.dumps(body).encode()
        return send(method, endpoint, **options)

    http.request = request  # type: ignore[method-assign]
    with pytest.raises(SheetsSyncError) as stopped:
        sheets_sync.push(stopped_backend, [EXAMPLES])
    assert len(calls) == failing_call
    if failing_call == 2:
        assert calls[-1].endswith("values:batchUpdate")
        assert "1 of 2" in str(stopped.value) and "the next push finishes the rest" in str(
            stopped.value)

    finished = sheets_sync.push(backend(key, service_key_file, values_threshold_cells=1),
                                [EXAMPLES])
    assert finished.exit_code == 0, [str(p) for p in finished.problems]
    gc = backend(key, service_key_file).client.open_by_key(key)
    handles = [r["Handle"] for tab in ("Direct", "Indirect", "Learning")
               for r in grid_of(gc, tab)]
    assert len(handles) == len(set(handles)) == 30
    assert all(r["Engagement Rate"] != "" for r in grid_of(gc, "Direct") if r["Avg Saves"] != "")
    emulator.clear_log()
    again = sheets_sync.push(backend(key, service_key_file), [EXAMPLES])
    assert again.exit_code == 0
    assert not any(r["path"].endswith("batchUpdate") for r in emulator.api_calls())
