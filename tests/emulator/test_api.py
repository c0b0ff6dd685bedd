"""Sheets, Drive and OAuth methods called directly (in-process), for what gspread does not cover."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import requests

from sheets_emulator import EmulatorAdapter, EmulatorState

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE = "https://www.googleapis.com/drive/v3/files"


class Client:
    def __init__(self, state: EmulatorState, token: str = "test-token") -> None:
        self.http = EmulatorAdapter(state).mount_google(requests.Session())
        self.http.headers["Authorization"] = f"Bearer {token}"

    def __call__(self, method: str, url: str, body: Any = None, **params: Any) -> Any:
        reply = self.http.request(method, url, json=body, params=params)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def raw(self, method: str, url: str, body: Any = None, **params: Any) -> requests.Response:
        return self.http.request(method, url, json=body, params=params)

    def batch(self, sid: str, *requests_: dict[str, Any]) -> list[dict[str, Any]]:
        return self("POST", f"{SHEETS}/{sid}:batchUpdate", {"requests": list(requests_)})["replies"]

    def values(self, sid: str, rng: str, **params: Any) -> Any:
        return self("GET", f"{SHEETS}/{sid}/values/{rng}", **params).get("values")


@pytest.fixture
def api(state: EmulatorState) -> Client:
    return Client(state)


@pytest.fixture
def sid(api: Client) -> str:
    body = {
        "properties": {"title": "Made by Sheets"},
        "sheets": [
            {"properties": {"title": "Data", "gridProperties": {"rowCount": 20, "columnCount": 6}}}
        ],
    }
    return str(api("POST", SHEETS, body)["spreadsheetId"])


def test_spreadsheets_create_with_sheets(api: Client, sid: str, state: EmulatorState) -> None:
    got = api("GET", f"{SHEETS}/{sid}", fields="properties.title,sheets.properties")
    assert got == {
        "properties": {"title": "Made by Sheets"},
        "sheets": [
            {
                "properties": {
                    "sheetId": 0,
                    "title": "Data",
                    "index": 0,
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": 20, "columnCount": 6},
                }
            }
        ],
    }
    assert api("GET", f"{DRIVE}/{sid}")["name"] == "Made by Sheets"
    assert state.files[sid].mime_type == "application/vnd.google-apps.spreadsheet"


def test_values_batch_update_and_responses(api: Client, sid: str) -> None:
    reply = api(
        "POST",
        f"{SHEETS}/{sid}/values:batchUpdate",
        {
            "valueInputOption": "USER_ENTERED",
            "includeValuesInResponse": True,
            "data": [
                {"range": "Data!A1", "values": [["n", "=2*3"]]},
                {"range": "Data!A3:B3", "majorDimension": "COLUMNS", "values": [["x"], ["y"]]},
            ],
        },
    )
    assert reply["totalUpdatedCells"] == 4 and reply["totalUpdatedSheets"] == 1
    assert reply["responses"][0]["updatedData"] == {
        "range": "Data!A1:B1",
        "majorDimension": "ROWS",
        "values": [["n", "6"]],
    }
    assert api.values(sid, "Data") == [["n", "6"], [], ["x", "y"]]
    assert api.values(sid, "Data!A1:B3", majorDimension="COLUMNS") == [
        ["n", "", "x"],
        ["6", "", "y"],
    ]


def test_writes_outside_the_requested_range_or_the_grid_are_refused(api: Client, sid: str) -> None:
    too_many = api.raw(
        "PUT", f"{SHEETS}/{sid}/values/Data!A1:B1", {"values": [[1], [2]]}, valueInputOption="RAW"
    )
    assert too_many.status_code == 400
    assert "tried writing to row [2]" in too_many.json()["error"]["message"]
    off_grid = api.raw(
        "PUT", f"{SHEETS}/{sid}/values/Data!G1", {"values": [[1]]}, valueInputOption="RAW"
    )
    assert off_grid.status_code == 400
    assert off_grid.json()["error"]["message"] == (
        "Range (Data!G1) exceeds grid limits. Max rows: 20, max columns: 6"
    )
    missing_option = api.raw("PUT", f"{SHEETS}/{sid}/values/Data!A1", {"values": [[1]]})
    assert missing_option.status_code == 400


def test_move_dimension_and_update_conditional_format_rule(api: Client, sid: str) -> None:
    api(
        "PUT",
        f"{SHEETS}/{sid}/values/Data!A1:A4",
        {"values": [["a"], ["b"], ["c"], ["d"]]},
        valueInputOption="RAW",
    )
    rule = {
        "ranges": [{"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1}],
        "booleanRule": {
            "condition": {"type": "NOT_BLANK"},
            "format": {"textFormat": {"bold": True}},
        },
    }
    api.batch(
        sid,
        {"addConditionalFormatRule": {"rule": rule}},
        {
            "moveDimension": {
                "source": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1},
                "destinationIndex": 3,
            }
        },
    )
    assert api.values(sid, "Data!A1:A4") == [["b"], ["c"], ["a"], ["d"]]
    got = api("GET", f"{SHEETS}/{sid}", fields="sheets.conditionalFormats.ranges")
    assert got["sheets"][0]["conditionalFormats"][0]["ranges"] == [
        {"startRowIndex": 2, "endRowIndex": 3}
    ]
    new_rule = {**rule, "ranges": [{"sheetId": 0, "startColumnIndex": 1, "endColumnIndex": 2}]}
    reply = api.batch(
        sid, {"updateConditionalFormatRule": {"sheetId": 0, "index": 0, "rule": new_rule}}
    )
    assert reply[0]["updateConditionalFormatRule"]["newRule"]["ranges"] == [
        {"startColumnIndex": 1, "endColumnIndex": 2}
    ]
    assert reply[0]["updateConditionalFormatRule"]["oldRule"]["ranges"] == [
        {"startRowIndex": 2, "endRowIndex": 3}
    ]
    missing = api.raw(
        "POST",
        f"{SHEETS}/{sid}:batchUpdate",
        {"requests": [{"deleteConditionalFormatRule": {"sheetId": 0, "index": 5}}]},
    )
    assert missing.status_code == 400


def test_colour_and_its_style_twin_change_together(api: Client, sid: str) -> None:
    api.batch(
        sid,
        {
            "repeatCell": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "cell": {"userEnteredFormat": {"backgroundColor": {"red": 1}}},
                "fields": "userEnteredFormat.backgroundColor",
            }
        },
    )
    api.batch(
        sid,
        {
            "repeatCell": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "cell": {
                    "userEnteredFormat": {"backgroundColorStyle": {"rgbColor": {"blue": 0.5}}}
                },
                "fields": "userEnteredFormat.backgroundColorStyle",
            }
        },
    )
    got = api(
        "GET",
        f"{SHEETS}/{sid}",
        ranges="Data!A1",
        fields="sheets.data.rowData.values.userEnteredFormat",
    )
    fmt = got["sheets"][0]["data"][0]["rowData"][0]["values"][0]["userEnteredFormat"]
    assert fmt == {
        "backgroundColor": {"blue": 0.49803922},
        "backgroundColorStyle": {"rgbColor": {"blue": 0.49803922}},
    }


def test_values_by_data_filter_and_metadata_lookup(api: Client, sid: str) -> None:
    api(
        "PUT",
        f"{SHEETS}/{sid}/values/Data!A1:B2",
        {"values": [["h1", "h2"], ["v1", "v2"]]},
        valueInputOption="RAW",
    )
    api.batch(
        sid,
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "header",
                    "visibility": "DOCUMENT",
                    "location": {
                        "dimensionRange": {
                            "sheetId": 0,
                            "dimension": "ROWS",
                            "startIndex": 0,
                            "endIndex": 1,
                        }
                    },
                }
            }
        },
    )
    got = api(
        "POST",
        f"{SHEETS}/{sid}/values:batchGetByDataFilter",
        {
            "dataFilters": [
                {"developerMetadataLookup": {"metadataKey": "header"}},
                {"a1Range": "Data!B2"},
            ]
        },
    )
    assert [v["valueRange"] for v in got["valueRanges"]] == [
        {"range": "Data!A1:F1", "majorDimension": "ROWS", "values": [["h1", "h2"]]},
        {"range": "Data!B2", "majorDimension": "ROWS", "values": [["v2"]]},
    ]
    meta_id = api(
        "POST",
        f"{SHEETS}/{sid}/developerMetadata:search",
        {"dataFilters": [{"developerMetadataLookup": {"locationType": "ROW"}}]},
    )["matchedDeveloperMetadata"][0]["developerMetadata"]["metadataId"]
    assert api("GET", f"{SHEETS}/{sid}/developerMetadata/{meta_id}")["metadataKey"] == "header"
    reply = api.batch(
        sid,
        {
            "deleteDeveloperMetadata": {
                "dataFilter": {"developerMetadataLookup": {"metadataId": meta_id}}
            }
        },
    )
    assert (
        reply[0]["deleteDeveloperMetadata"]["deletedDeveloperMetadata"][0]["metadataId"] == meta_id
    )


def test_drive_list_pages_and_queries(api: Client) -> None:
    for n in range(5):
        api(
            "POST",
            DRIVE,
            {"name": f"Report {n}", "mimeType": "application/vnd.google-apps.spreadsheet"},
        )
    api("POST", DRIVE, {"name": "Folder", "mimeType": "application/vnd.google-apps.folder"})
    first = api(
        "GET",
        DRIVE,
        q="mimeType='application/vnd.google-apps.spreadsheet'",
        pageSize=3,
        orderBy="name desc",
        fields="nextPageToken,files(name)",
    )
    assert [f["name"] for f in first["files"]] == ["Report 4", "Report 3", "Report 2"]
    second = api(
        "GET",
        DRIVE,
        q="mimeType='application/vnd.google-apps.spreadsheet'",
        pageSize=3,
        orderBy="name desc",
        pageToken=first["nextPageToken"],
    )
    assert [f["name"] for f in second["files"]] == ["Report 1", "Report 0"]
    assert "nextPageToken" not in second
    bad = api.raw("GET", DRIVE, q="name = ")
    assert bad.status_code == 400 and bad.json()["error"]["errors"][0]["location"] == "q"


def test_token_endpoint_grants(state: EmulatorState) -> None:
    http = EmulatorAdapter(state).mount_google(requests.Session())
    url = "https://oauth2.googleapis.com/token"
    refreshed = http.post(
        url,
        data={
            "grant_type": "refresh_token",
            "client_id": "cid",
            "client_secret": "s",
            "refresh_token": "r",
        },
    ).json()
    assert refreshed["token_type"] == "Bearer" and refreshed["expires_in"] == 3599
    assert state.tokens[refreshed["access_token"]] == "user:cid"
    claims = (
        base64.urlsafe_b64encode(
            json.dumps({"iss": "a@b.iam.gserviceaccount.com", "scope": "x y"}).encode()
        )
        .decode()
        .rstrip("=")
    )
    assertion = f"e30.{claims}.c2ln"
    granted = http.post(
        url,
        data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion},
    ).json()
    assert granted["scope"] == "x y"
    assert state.tokens[granted["access_token"]] == "a@b.iam.gserviceaccount.com"
    bad = http.post(
        url,
        data={
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "assertion": "not-a-jwt",
        },
    )
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"


def test_compact_json_on_request(api: Client, sid: str) -> None:
    pretty = api.raw("GET", f"{SHEETS}/{sid}")
    compact = api.raw("GET", f"{SHEETS}/{sid}", prettyPrint="false")
    assert pretty.json() == compact.json()
    assert len(compact.content) < len(pretty.content) and b"\n" not in compact.content


def test_shrinking_the_grid_deletes_what_was_on_the_cut_rows(api: Client, sid: str) -> None:
    api(
        "PUT",
        f"{SHEETS}/{sid}/values/Data!A1:A3",
        {"values": [[1], [2], ["=A3*2"]]},
        valueInputOption="USER_ENTERED",
    )
    api(
        "PUT",
        f"{SHEETS}/{sid}/values/Data!B1",
        {"values": [["=SUM(A1:A15)"]]},
        valueInputOption="USER_ENTERED",
    )
    api.batch(
        sid,
        {
            "mergeCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 12,
                    "endRowIndex": 14,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                }
            }
        },
    )
    api.batch(
        sid,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"rowCount": 10}},
                "fields": "gridProperties.rowCount",
            }
        },
    )
    got = api("GET", f"{SHEETS}/{sid}", fields="sheets(properties.gridProperties,merges)")
    assert got["sheets"][0] == {
        "properties": {"gridProperties": {"rowCount": 10, "columnCount": 6}}
    }
    assert api.values(sid, "Data!A3:B3", valueRenderOption="FORMULA") == [["=A3*2"]]
    assert api.values(sid, "Data!B1", valueRenderOption="FORMULA") == [["=SUM(A1:A10)"]]


def test_find_replace_insert_range_and_dimension_properties(api: Client, sid: str) -> None:
    api(
        "PUT",
        f"{SHEETS}/{sid}/values/Data!A1:B2",
        {"values": [["cat", "dog"], ["Cat", "x"]]},
        valueInputOption="RAW",
    )
    replies = api.batch(
        sid,
        {"findReplace": {"find": "cat", "replacement": "lion", "allSheets": True}},
        {
            "insertRange": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": 1,
                    "endColumnIndex": 2,
                },
                "shiftDimension": "ROWS",
            }
        },
        {
            "updateDimensionProperties": {
                "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1, "endIndex": 2},
                "properties": {"pixelSize": 240, "hiddenByUser": True},
                "fields": "pixelSize,hiddenByUser",
            }
        },
        {"autoResizeDimensions": {"dimensions": {"sheetId": 0, "dimension": "COLUMNS"}}},
    )
    assert replies[0] == {
        "findReplace": {
            "valuesChanged": 2,
            "occurrencesChanged": 2,
            "rowsChanged": 2,
            "sheetsChanged": 1,
        }
    }
    assert api.values(sid, "Data!A1:B3") == [["lion"], ["lion", "dog"], ["", "x"]]
    got = api(
        "GET", f"{SHEETS}/{sid}", ranges="Data!B1", fields="sheets.data(columnMetadata,rowMetadata)"
    )
    assert got["sheets"][0]["data"][0] == {
        "rowMetadata": [{"pixelSize": 21}],
        "columnMetadata": [{"pixelSize": 240, "hiddenByUser": True}],
    }


def test_filter_views_banding_and_copy_to_another_spreadsheet(api: Client, sid: str) -> None:
    replies = api.batch(
        sid,
        {"addFilterView": {"filter": {"title": "Top", "range": {"sheetId": 0, "endRowIndex": 5}}}},
        {
            "addBanding": {
                "bandedRange": {
                    "range": {"sheetId": 0, "endRowIndex": 5},
                    "rowProperties": {"firstBandColor": {"red": 1}},
                }
            }
        },
        {"setBasicFilter": {"filter": {"range": {"sheetId": 0}}}},
    )
    view = replies[0]["addFilterView"]["filter"]
    assert view["title"] == "Top" and isinstance(view["filterViewId"], int)
    assert view["range"] == {
        "startRowIndex": 0,
        "endRowIndex": 5,
        "startColumnIndex": 0,
        "endColumnIndex": 6,
    }
    band = replies[1]["addBanding"]["bandedRange"]
    assert band["rowProperties"]["firstBandColorStyle"] == {"rgbColor": {"red": 1}}
    other = api(
        "POST", DRIVE, {"name": "Target", "mimeType": "application/vnd.google-apps.spreadsheet"}
    )
    copied = api(
        "POST", f"{SHEETS}/{sid}/sheets/0:copyTo", {"destinationSpreadsheetId": other["id"]}
    )
    assert copied["title"] == "Copy of Data" and copied["index"] == 1
    titles = api("GET", f"{SHEETS}/{other['id']}", fields="sheets.properties.title")
    assert titles == {
        "sheets": [{"properties": {"title": "Sheet1"}}, {"properties": {"title": "Copy of Data"}}]
    }


def test_requests_google_would_reject_get_its_400_and_are_logged_invalid(
    api: Client, sid: str, state: EmulatorState
) -> None:
    pytest.importorskip("googleapiclient")
    state.log.clear()
    bad_enum = api.raw(
        "PUT", f"{SHEETS}/{sid}/values/Data!A1", {"values": [[1]]}, valueInputOption="BOGUS"
    )
    unknown_field = api.raw(
        "POST",
        f"{SHEETS}/{sid}:batchUpdate",
        {"requests": [{"addSheet": {"properties": {"title": "T", "colour": "red"}}}]},
    )
    for reply in (bad_enum, unknown_field):
        assert reply.status_code == 400
        assert reply.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert [e.valid for e in state.log] == [False, False]
    assert api("GET", f"{SHEETS}/{sid}", fields="sheets.properties.title")["sheets"] == [
        {"properties": {"title": "Data"}}
    ]
