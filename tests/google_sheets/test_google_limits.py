"""Google's limits that reject a whole write, held back before anything is sent."""

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
from tests.google_sheets.conftest import Emulator, run_cli
from tests.google_sheets.test_push_google import grid_of


def test_an_over_long_cell_is_named_and_the_rest_lands(sheet: str, service_key_file: Path,
                                                       client: gspread.Spreadsheet,
                                                       emulator: Emulator,
                                                       tmp_path: Path) -> None:
    with EXAMPLES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["Notes"] = "x" * 60_000
    source = tmp_path / "long.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result, report = run_cli("push", "--sheet", sheet, "--credentials", str(service_key_file),
                             str(source))
    assert result.exit_code == 1
    (problem,) = [p for p in report["problems"] if "60,000 characters" in p["message"]]
    handle = rows[0]["Handle"]
    assert problem["where"] == f"Direct (new row for {handle}) (Notes)"
    assert "long.csv row 2" in problem["message"]
    landed = {r["Handle"] for tab in ("Direct", "Indirect", "Learning")
              for r in grid_of(client, tab)}
    assert len(landed) == 29 and handle not in landed  # the other 29 accounts went in

    rows[0]["Notes"] = "x" * 100  # shortened in the file: the next push brings the account
    with source.open("w", newline="", encoding="utf-8") as handle_:
        writer = csv.DictWriter(handle_, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result, report = run_cli("push", "--sheet", sheet, "--credentials", str(service_key_file),
                             str(source))
    assert result.exit_code == 0, result.output
    first = next(r for r in grid_of(client, "Direct") if r["Handle"] == handle)
    assert first["Notes"] == "x" * 100


@pytest.mark.parametrize("failing_batch", [2, 4])
def test_a_push_stopped_between_batches_is_finished_by_the_next(
        failing_batch: int, sheet: str, service_key_file: Path, client: gspread.Spreadsheet,
        emulator: Emulator) -> None:
    key = spreadsheet_key(sheet) or ""
    backend = GoogleSheetsBackend.from_credentials(key, google_credentials(service_key_file),
                                                   max_batch_bytes=25_000)
    http = backend.client.http_client
    send = http.request
    calls = []

    def request(method: str, endpoint: str, **options: Any) -> Any:
        if not endpoint.endswith(":batchUpdate"):
            return send(method, endpoint, **options)
        calls.append(1)
        if len(calls) == failing_batch:
            # A request Google rejects (400): the whole batchUpdate is refused, atomically.
            body = json.loads(options.pop("data"))
            body["requests"].append({"deleteSheet": {"sheetId": 999999999}})
            options["data"] = json.dumps(body).encode()
        return send(method, endpoint, **options)

    http.request = request  # type: ignore[method-assign]
    with pytest.raises(SheetsSyncError) as stopped:
        sheets_sync.push(backend, [EXAMPLES])
    assert f"{failing_batch - 1} of " in str(stopped.value)
    assert "the next push finishes the rest" in str(stopped.value)
    assert len(calls) == failing_batch  # nothing was sent after the refused batch

    finished = sheets_sync.push(sheet, [EXAMPLES], credentials=service_key_file)
    assert finished.exit_code == 0, [str(p) for p in finished.problems]
    handles = [r["Handle"] for tab in ("Direct", "Indirect", "Learning")
               for r in grid_of(client, tab)]
    assert len(handles) == len(set(handles)) == 30
    assert all(r["Engagement Rate"] != "" for r in grid_of(client, "Direct")
               if r["Avg Saves"] != "")
    again = sheets_sync.push(sheet, [EXAMPLES], credentials=service_key_file)
    assert not again.written and again.cells_changed == 0
