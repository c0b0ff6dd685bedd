"""values.batchUpdate totals count distinct rows, columns and cells; a property cleared by a
field mask is absent from replies, never {}.

Sources: https://googleapis.dev/dotnet/Google.Apis.Sheets.v4/latest/api/Google.Apis.Sheets.v4.Data.BatchUpdateValuesResponse.html
("the total number of columns where at least one cell in the column was updated"),
https://developers.google.com/workspace/sheets/api/guides/field-masks.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from sheets_emulator import EmulatorAdapter, EmulatorState

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


class Client:
    def __init__(self, state: EmulatorState) -> None:
        self.http = EmulatorAdapter(state).mount_google(requests.Session())
        self.http.headers["Authorization"] = "Bearer test-token"

    def __call__(self, method: str, url: str, body: Any = None, **params: Any) -> Any:
        reply = self.http.request(method, url, json=body, params=params)
        assert reply.status_code == 200, reply.text
        return reply.json()


@pytest.fixture
def api(state: EmulatorState) -> Client:
    return Client(state)


@pytest.fixture
def sid(api: Client) -> str:
    body = {
        "properties": {"title": "Replies"},
        "sheets": [{"properties": {"title": "Data"}}, {"properties": {"title": "More"}}],
    }
    return str(api("POST", SHEETS, body)["spreadsheetId"])


def test_batch_update_totals_count_distinct_rows_and_columns(api: Client, sid: str) -> None:
    body = {
        "valueInputOption": "RAW",
        "data": [
            {"range": "Data!A1:B2", "values": [["a", "b"], ["c", "d"]]},
            {"range": "Data!B2:C3", "values": [["e", "f"], ["g", "h"]]},
            {"range": "More!A1", "values": [["x"]]},
        ],
    }
    got = api("POST", f"{SHEETS}/{sid}/values:batchUpdate", body)
    assert [r["updatedCells"] for r in got["responses"]] == [4, 4, 1]
    assert got["totalUpdatedSheets"] == 2
    assert got["totalUpdatedRows"] == 4  # Data rows 1-3, More row 1
    assert got["totalUpdatedColumns"] == 4  # Data columns A-C, More column A
    assert got["totalUpdatedCells"] == 8  # Data!B2 written twice counts once


def test_a_property_cleared_by_a_mask_is_absent(api: Client, sid: str) -> None:
    meta = api("GET", f"{SHEETS}/{sid}", fields="sheets.properties.sheetId")
    sheet_id = meta["sheets"][0]["properties"]["sheetId"]
    cell_range = {
        "sheetId": sheet_id,
        "startRowIndex": 0,
        "endRowIndex": 1,
        "startColumnIndex": 0,
        "endColumnIndex": 1,
    }
    bold = {
        "repeatCell": {
            "range": cell_range,
            "cell": {
                "userEnteredFormat": {"textFormat": {"bold": True}},
                "userEnteredValue": {"stringValue": "v"},
            },
            "fields": "userEnteredFormat.textFormat.bold,userEnteredValue",
        }
    }
    clear = {
        "repeatCell": {
            "range": cell_range,
            "cell": {"userEnteredFormat": {"textFormat": {}}},
            "fields": "userEnteredFormat",
        }
    }
    api("POST", f"{SHEETS}/{sid}:batchUpdate", {"requests": [bold]})
    api("POST", f"{SHEETS}/{sid}:batchUpdate", {"requests": [clear]})
    got = api(
        "GET",
        f"{SHEETS}/{sid}",
        ranges="Data!A1",
        includeGridData="true",
        fields="sheets.data.rowData.values(userEnteredFormat,userEnteredValue)",
    )
    cell = got["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell == {"userEnteredValue": {"stringValue": "v"}}
