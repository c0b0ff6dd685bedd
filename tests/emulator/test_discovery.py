"""The emulator's request checks against Google's Sheets v4 / Drive v3 discovery documents."""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip(
    "googleapiclient",
    reason="google-api-python-client carries the discovery documents; "
    "pip install 'sheets-sync[emulator]' to test the emulator",
)

from sheets_emulator import discovery
from sheets_emulator.discovery import (
    DiscoveryUnavailableError,
    DiscoveryValidator,
    MethodMatch,
    Violation,
)

RECORDINGS = Path(__file__).resolve().parents[3] / "shared" / "sheets-api-recordings"
SKIP_NO_RECORDINGS = pytest.mark.skip(
    reason=f"no recorded Google traffic at {RECORDINGS} (only the project workspace has it)"
)
ID = "1aBcD_eFg-123"
GRID = {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 100, "startColumnIndex": 3,
        "endColumnIndex": 4}


@pytest.fixture(scope="module")
def validator() -> DiscoveryValidator:
    return DiscoveryValidator()


def check(
    validator: DiscoveryValidator, verb: str, url: str, body: object | None = None
) -> list[Violation]:
    """Match a path (query string allowed) and validate it; fail when nothing matches."""
    parts = urlsplit(url)
    match = validator.match(verb, parts.path)
    assert match is not None, f"{verb} {parts.path} matched no method"
    return validator.validate(match, parse_qs(parts.query, keep_blank_values=True), body)


def batch_update(validator: DiscoveryValidator, *requests: object) -> list[Violation]:
    return check(validator, "POST", f"/v4/spreadsheets/{ID}:batchUpdate",
                 {"requests": list(requests)})


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("verb", "path", "method_id", "params"),
    [
        ("POST", f"/v4/spreadsheets/{ID}:batchUpdate", "sheets.spreadsheets.batchUpdate",
         {"spreadsheetId": ID}),
        ("GET", f"/v4/spreadsheets/{ID}", "sheets.spreadsheets.get", {"spreadsheetId": ID}),
        ("POST", "/v4/spreadsheets", "sheets.spreadsheets.create", {}),
        ("POST", f"/v4/spreadsheets/{ID}/values/Sheet1%21A1%3AB2:append",
         "sheets.spreadsheets.values.append", {"spreadsheetId": ID, "range": "Sheet1!A1:B2"}),
        ("POST", f"/v4/spreadsheets/{ID}/values/Sheet1!A1:B2:append",
         "sheets.spreadsheets.values.append", {"spreadsheetId": ID, "range": "Sheet1!A1:B2"}),
        ("GET", f"/v4/spreadsheets/{ID}/values/%27My%20Tab%27%21A1%3AZ1000",
         "sheets.spreadsheets.values.get", {"spreadsheetId": ID, "range": "'My Tab'!A1:Z1000"}),
        ("GET", f"/v4/spreadsheets/{ID}/values/'My Tab'!A:A",
         "sheets.spreadsheets.values.get", {"spreadsheetId": ID, "range": "'My Tab'!A:A"}),
        ("GET", f"/v4/spreadsheets/{ID}/values/%27Sheet1%27",
         "sheets.spreadsheets.values.get", {"spreadsheetId": ID, "range": "'Sheet1'"}),
        ("PUT", f"/v4/spreadsheets/{ID}/values/%27Q1%2FQ2%27%21A1",
         "sheets.spreadsheets.values.update", {"spreadsheetId": ID, "range": "'Q1/Q2'!A1"}),
        ("PUT", f"/v4/spreadsheets/{ID}/values/'Q1/Q2'!A1",
         "sheets.spreadsheets.values.update", {"spreadsheetId": ID, "range": "'Q1/Q2'!A1"}),
        ("POST", f"/v4/spreadsheets/{ID}/values/%F0%9F%8C%B5%20tab%21A1:clear",
         "sheets.spreadsheets.values.clear", {"spreadsheetId": ID, "range": "\U0001f335 tab!A1"}),
        ("POST", f"/v4/spreadsheets/{ID}/values/'a:b'!A1:B2:clear",
         "sheets.spreadsheets.values.clear", {"spreadsheetId": ID, "range": "'a:b'!A1:B2"}),
        ("GET", f"/v4/spreadsheets/{ID}/values:batchGet", "sheets.spreadsheets.values.batchGet",
         {"spreadsheetId": ID}),
        ("POST", f"/v4/spreadsheets/{ID}/values:batchUpdate",
         "sheets.spreadsheets.values.batchUpdate", {"spreadsheetId": ID}),
        ("POST", f"/v4/spreadsheets/{ID}/values:batchClear",
         "sheets.spreadsheets.values.batchClear", {"spreadsheetId": ID}),
        ("POST", f"/v4/spreadsheets/{ID}/sheets/0:copyTo", "sheets.spreadsheets.sheets.copyTo",
         {"spreadsheetId": ID, "sheetId": "0"}),
        ("GET", f"/v4/spreadsheets/{ID}/developerMetadata/7",
         "sheets.spreadsheets.developerMetadata.get", {"spreadsheetId": ID, "metadataId": "7"}),
        ("POST", f"/v4/spreadsheets/{ID}/developerMetadata:search",
         "sheets.spreadsheets.developerMetadata.search", {"spreadsheetId": ID}),
        ("POST", "/drive/v3/files", "drive.files.create", {}),
        ("GET", "/drive/v3/files", "drive.files.list", {}),
        ("POST", "/upload/drive/v3/files", "drive.files.create", {}),
        ("POST", "/resumable/upload/drive/v3/files", "drive.files.create", {}),
        ("PATCH", f"/upload/drive/v3/files/{ID}", "drive.files.update", {"fileId": ID}),
        ("GET", f"/drive/v3/files/{ID}", "drive.files.get", {"fileId": ID}),
        ("PATCH", f"/drive/v3/files/{ID}", "drive.files.update", {"fileId": ID}),
        ("DELETE", f"/drive/v3/files/{ID}", "drive.files.delete", {"fileId": ID}),
        ("POST", f"/drive/v3/files/{ID}/copy", "drive.files.copy", {"fileId": ID}),
        ("GET", f"/drive/v3/files/{ID}/export", "drive.files.export", {"fileId": ID}),
        ("GET", "/drive/v3/files/generateIds", "drive.files.generateIds", {}),
        ("POST", f"/drive/v3/files/{ID}/permissions", "drive.permissions.create", {"fileId": ID}),
        ("GET", f"/drive/v3/files/{ID}/permissions", "drive.permissions.list", {"fileId": ID}),
        ("DELETE", f"/drive/v3/files/{ID}/permissions/anyoneWithLink",
         "drive.permissions.delete", {"fileId": ID, "permissionId": "anyoneWithLink"}),
        ("GET", f"/drive/v3/files/{ID}/comments", "drive.comments.list", {"fileId": ID}),
        ("post", f"/v4/spreadsheets/{ID}:batchUpdate", "sheets.spreadsheets.batchUpdate",
         {"spreadsheetId": ID}),
    ],
)
def test_match(
    validator: DiscoveryValidator, verb: str, path: str, method_id: str, params: dict[str, str]
) -> None:
    found = validator.match(verb, path)
    assert found == MethodMatch(method_id.split(".")[0], method_id, params)


@pytest.mark.parametrize(
    ("verb", "path"),
    [
        ("DELETE", f"/v4/spreadsheets/{ID}"),
        ("GET", f"/v4/spreadsheets/{ID}:batchUpdate/extra"),
        ("GET", f"/v4/spreadsheets/{ID}/values"),
        ("GET", f"/v4/spreadsheets/{ID}/values/"),
        ("POST", f"/v4/spreadsheets/{ID}/values/A1:frobnicate"),
        ("GET", "/drive/v3/files/x/unknown"),
        ("GET", "/v3/files"),
        ("GET", "/"),
    ],
)
def test_no_match(validator: DiscoveryValidator, verb: str, path: str) -> None:
    assert validator.match(verb, path) is None


def test_match_ignores_a_query_string(validator: DiscoveryValidator) -> None:
    found = validator.match("GET", f"/v4/spreadsheets/{ID}?includeGridData=false")
    assert found is not None
    assert found.path_params == {"spreadsheetId": ID}


# --------------------------------------------------------------------------- valid requests

VALID_SHEETS_REQUESTS: dict[str, dict[str, Any]] = {
    "addSheet": {"addSheet": {"properties": {
        "title": "Benchmark", "index": 1, "sheetType": "GRID",
        "gridProperties": {"rowCount": 200, "columnCount": 30, "frozenRowCount": 2},
        "tabColorStyle": {"rgbColor": {"red": 1, "green": 0.5, "blue": 0}},
    }}},
    "updateCells": {"updateCells": {
        "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
        "rows": [{"values": [
            {"userEnteredValue": {"stringValue": "@handle"}},
            {"userEnteredValue": {"numberValue": 12.5}},
            {"userEnteredValue": {"formulaValue": "=B1*2"}},
            {"userEnteredValue": {"boolValue": False}},
            {},
        ]}],
        "fields": "userEnteredValue",
    }},
    "repeatCell": {"repeatCell": {
        "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
        "cell": {"userEnteredFormat": {
            "textFormat": {"bold": True, "fontSize": 11,
                           "foregroundColorStyle": {"themeColor": "TEXT"}},
            "wrapStrategy": "WRAP", "horizontalAlignment": "CENTER",
            "verticalAlignment": "MIDDLE", "numberFormat": {"type": "NUMBER", "pattern": "#,##0"},
        }},
        "fields": "userEnteredFormat(textFormat,wrapStrategy,horizontalAlignment)",
    }},
    "addConditionalFormatRule": {"addConditionalFormatRule": {"index": 0, "rule": {
        "ranges": [GRID],
        "booleanRule": {
            "condition": {"type": "CUSTOM_FORMULA",
                          "values": [{"userEnteredValue": "=$D2>1000"}]},
            "format": {"backgroundColor": {"red": 0.85, "green": 0.95, "blue": 0.85}},
        },
    }}},
    "addProtectedRange": {"addProtectedRange": {"protectedRange": {
        "range": GRID, "description": "computed columns", "warningOnly": True,
    }}},
    "setDataValidation": {"setDataValidation": {"range": GRID, "rule": {
        "condition": {"type": "ONE_OF_LIST",
                      "values": [{"userEnteredValue": "yes"}, {"userEnteredValue": "no"}]},
        "inputMessage": "yes or no", "strict": True, "showCustomUi": True,
    }}},
    "updateDimensionProperties": {"updateDimensionProperties": {
        "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
        "properties": {"pixelSize": 180}, "fields": "pixelSize",
    }},
    "updateSheetProperties": {"updateSheetProperties": {
        "properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 1}},
        "fields": "gridProperties.frozenRowCount",
    }},
    "createDeveloperMetadata": {"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": "sheets-sync.layout", "metadataValue": "v1",
        "location": {"sheetId": 0}, "visibility": "DOCUMENT",
    }}},
    "snake_case names": {"update_sheet_properties": {
        "properties": {"sheet_id": 0, "grid_properties": {"frozen_row_count": 1}},
        "fields": "gridProperties.frozenRowCount",
    }},
    "numbers as Google also reads them": {"updateCells": {
        "start": {"sheetId": "0", "rowIndex": 2.0, "columnIndex": 1},
        "rows": {"values": {"userEnteredValue": {"numberValue": "1e3"}}},
        "fields": "*",
    }},
}


@pytest.mark.parametrize("request_body", VALID_SHEETS_REQUESTS.values(),
                         ids=list(VALID_SHEETS_REQUESTS))
def test_valid_batch_update_requests(validator: DiscoveryValidator, request_body: dict) -> None:
    assert batch_update(validator, request_body) == []


@pytest.mark.parametrize(
    ("verb", "url", "body"),
    [
        ("PUT", f"/v4/spreadsheets/{ID}/values/Sheet1%21A1?valueInputOption=RAW",
         {"range": "Sheet1!A1", "majorDimension": "ROWS", "values": [["a", 1, 2.5, True, None]]}),
        ("POST", f"/v4/spreadsheets/{ID}/values/Sheet1:append?valueInputOption=USER_ENTERED"
         "&insertDataOption=INSERT_ROWS&includeValuesInResponse=False",
         {"values": [["=A1", "x"], []]}),
        ("POST", f"/v4/spreadsheets/{ID}/values:batchUpdate",
         {"valueInputOption": "RAW", "data": [{"range": "A1:B1", "values": [[1, 2]]}],
          "includeValuesInResponse": False}),
        ("POST", f"/v4/spreadsheets/{ID}/values:batchClear", {"ranges": ["A1:B2", "'T'!C3"]}),
        ("POST", f"/v4/spreadsheets/{ID}/values/A1:clear", None),
        ("POST", f"/v4/spreadsheets/{ID}/values/A1:clear", {}),
        ("GET", f"/v4/spreadsheets/{ID}/values:batchGet?ranges=A1%3AB2&ranges=%27T%27%21C3"
         "&majorDimension=COLUMNS&valueRenderOption=UNFORMATTED_VALUE"
         "&dateTimeRenderOption=SERIAL_NUMBER", None),
        ("GET", f"/v4/spreadsheets/{ID}?includeGridData=false&ranges=A1&ranges=B2"
         "&fields=sheets.properties&prettyPrint=false&alt=json&%24.xgafv=2", None),
        ("GET", f"/v4/spreadsheets/{ID}/values/A1?valueRenderOption=FORMULA", {"ignored": 1}),
        ("POST", "/v4/spreadsheets", {"properties": {"title": "Bench", "locale": "en_US"},
                                      "sheets": [{"properties": {"title": "Sheet1"}}]}),
        ("POST", "/drive/v3/files?supportsAllDrives=True",
         {"name": "TikTok benchmark", "mimeType": "application/vnd.google-apps.spreadsheet"}),
        ("POST", "/drive/v3/files", {"name": "x", "parents": ["folder1"], "size": "12",
                                     "appProperties": {"tool": "sheets-sync"}}),
        ("POST", f"/drive/v3/files/{ID}/permissions?sendNotificationEmail=false"
         "&supportsAllDrives=true",
         {"type": "user", "role": "writer", "emailAddress": "analyst@example.com"}),
        ("GET", "/drive/v3/files?q=mimeType%3D%27application%2Fvnd.google-apps.spreadsheet%27"
         "&pageSize=1000&includeItemsFromAllDrives=True&supportsAllDrives=True"
         "&corpora=allDrives&fields=files(id,name)", None),
        ("GET", f"/drive/v3/files/{ID}/export?mimeType=text%2Fcsv", None),
        ("DELETE", f"/drive/v3/files/{ID}?supportsAllDrives=True", None),
        ("POST", "/upload/drive/v3/files?uploadType=multipart", "--boundary\r\n{...}"),
        ("POST", "/upload/drive/v3/files?uploadType=media", b"\x00\x01binary"),
        ("PATCH", f"/upload/drive/v3/files/{ID}?uploadType=media", "plain text content"),
    ],
)
def test_valid_requests(validator: DiscoveryValidator, verb: str, url: str, body: object) -> None:
    assert check(validator, verb, url, body) == []


def test_json_null_means_unset(validator: DiscoveryValidator) -> None:
    assert batch_update(validator, {
        "addProtectedRange": {"protectedRange": {
            "range": {"sheetId": 0, "startRowIndex": None, "endRowIndex": None},
            "description": None, "warningOnly": True, "requestingUserCanEdit": False,
            "editors": None,
        }},
    }, None, {"updateCells": None}) == []
    assert check(validator, "PUT", f"/v4/spreadsheets/{ID}/values/A1?valueInputOption=RAW",
                 {"values": [["a", None]], "majorDimension": None, "range": None}) == []


# gspread's own request builders, captured without a network: every request it sends for
# the operations below must pass.

META = {
    "spreadsheetId": ID,
    "properties": {"title": "T"},
    "sheets": [{"properties": {"sheetId": 0, "title": "Sheet1", "index": 0,
                               "gridProperties": {"rowCount": 1000, "columnCount": 26}}}],
}
VALUES = {"range": "Sheet1!A1:B2", "majorDimension": "ROWS", "values": [["a", "b"]]}


class _CapturingSession:
    """A requests-like session that records each prepared request and answers plausibly."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        import requests

        prepared = requests.Request(
            method.upper(), url, params=kwargs.get("params"), json=kwargs.get("json"),
            data=kwargs.get("data"), headers=kwargs.get("headers"),
        ).prepare()
        self.sent.append(prepared)
        path = urlsplit(prepared.url).path
        if path.endswith(":batchUpdate") and "/values" not in path:
            count = len((kwargs.get("json") or {}).get("requests", []))
            reply: dict[str, Any] = {"spreadsheetId": ID, "replies": [{
                "addSheet": {"properties": {"sheetId": 5, "title": "New", "index": 1,
                                            "gridProperties": {"rowCount": 10,
                                                               "columnCount": 5}}},
            }] * count}
        elif "/values" in path:
            reply = {**VALUES, "spreadsheetId": ID, "valueRanges": [VALUES],
                     "updates": {"updatedRange": "Sheet1!A3:B3"}}
        elif path.startswith("/drive/"):
            reply = {"id": ID, "name": "T", "files": []}
        else:
            reply = META
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(reply).encode()
        response.headers["Content-Type"] = "application/json"
        return response


def test_requests_exactly_as_gspread_sends_them(validator: DiscoveryValidator) -> None:
    gspread = pytest.importorskip("gspread")
    utils = gspread.utils
    session = _CapturingSession()
    client = gspread.Client(None, session=session)  # type: ignore[arg-type]
    book = client.open_by_key(ID)
    ws = book.sheet1
    ws.update([[1, "x", None, 2.5]], "A1:D1", value_input_option=utils.ValueInputOption.raw)
    ws.update_acell("B2", "=SUM(A1:A3)")
    ws.append_row(["a", 1, None])
    ws.append_rows([["a"], ["b"]], table_range="A1")
    ws.batch_update([{"range": "A1:B1", "values": [[1, 2]]}])
    ws.format("A1:B2", {"backgroundColor": {"red": 1.0}, "textFormat": {"bold": True},
                        "horizontalAlignment": "CENTER"})
    ws.batch_format([{"range": "A1", "format": {"wrapStrategy": "WRAP"}}])
    ws.freeze(rows=1, cols=2)
    ws.resize(rows=50, cols=8)
    ws.update_title("Q1/Q2 'data'")
    ws.update_tab_color("#ff0000")
    ws.update_index(0)
    ws.columns_auto_resize(0, 3)
    ws.insert_row(["a", "b"], 2)
    ws.insert_cols([["a", "b"]], 2)
    ws.delete_rows(2, 3)
    ws.delete_columns(2)
    ws.add_protected_range("A1:B2", editor_users_emails=["a@example.com"], description="keep")
    ws.add_protected_range("A1:B2", warning_only=True)
    ws.delete_protected_range("1")
    ws.add_validation("A1:A9", utils.ValidationConditionType.one_of_list, ["yes", "no"],
                      showCustomUi=True, strict=True)
    ws.batch_clear(["A1:B2", "C3"])
    ws.clear()
    ws.sort((1, "asc"), (2, "des"), range="A2:C9")
    ws.merge_cells("A1:B2")
    ws.unmerge_cells("A1:B2")
    ws.update_notes({"A1": "note"})
    ws.clear_notes(["A1"])
    ws.define_named_range("A1:B2", "named")
    ws.delete_named_range("id1")
    ws.hide_columns(1, 2)
    ws.unhide_rows(1, 2)
    ws.hide_gridlines()
    ws.add_dimension_group_rows(1, 3)
    ws.set_basic_filter("A1:C5")
    ws.clear_basic_filter()
    ws.copy_range("A1:B2", "C1")
    ws.cut_range("A1:B2", "C1")
    ws.get("A1:B2", value_render_option=utils.ValueRenderOption.unformatted,
           date_time_render_option=utils.DateTimeOption.serial_number, major_dimension="COLUMNS")
    ws.batch_get(["A1:B2", "C3"])
    ws.get_all_values()
    book.add_worksheet("New", rows=10, cols=5)
    book.update_locale("en_US")
    book.update_timezone("Europe/Paris")
    book.share("a@example.com", perm_type="user", role="writer", notify=False)
    client.create("Bench")
    client.list_spreadsheet_files()
    client.export(ID, utils.ExportFormat.CSV)
    client.del_spreadsheet(ID)

    failures = []
    for prepared in session.sent:
        parts = urlsplit(prepared.url)
        found = validator.match(prepared.method, parts.path)
        body = json.loads(prepared.body) if prepared.body else None
        problems = (validator.validate(found, parse_qs(parts.query, keep_blank_values=True), body)
                    if found else "no method")
        if problems:
            failures.append((prepared.method, prepared.url, body, problems))
    assert len(session.sent) > 50
    assert failures == []


# --------------------------------------------------------------------------- violations


def test_unknown_field(validator: DiscoveryValidator) -> None:
    found = batch_update(validator, {"addSheet": {"properties": {"title": "x"}, "foo": 1}})
    assert found == [Violation(
        "requests[0].add_sheet",
        "Invalid JSON payload received. Unknown name \"foo\" at 'requests[0].add_sheet': "
        "Cannot find field.",
    )]


def test_unknown_field_at_the_root_and_in_a_later_request(validator: DiscoveryValidator) -> None:
    found = check(validator, "POST", f"/v4/spreadsheets/{ID}:batchUpdate",
                  {"requests": [{"addSheet": {}}, {"frobnicate": {}}], "valueInputOption": "RAW"})
    assert [v.description for v in found] == [
        "Invalid JSON payload received. Unknown name \"frobnicate\" at 'requests[1]': "
        "Cannot find field.",
        'Invalid JSON payload received. Unknown name "valueInputOption": Cannot find field.',
    ]
    assert [v.field for v in found] == ["requests[1]", ""]


@pytest.mark.parametrize(
    ("start", "shown"),
    [("abc", '"abc"'), (2**31, "2147483648"), (-(2**31) - 1, "-2147483649"), (1.5, "1.5"),
     (True, "true"), ("1 ", '"1 "')],
)
def test_bad_int32(validator: DiscoveryValidator, start: object, shown: str) -> None:
    found = batch_update(validator, {"updateCells": {"start": {"rowIndex": start}}})
    field = "requests[0].update_cells.start.row_index"
    assert found == [Violation(field, f"Invalid value at '{field}' (TYPE_INT32), {shown}")]


def test_int32_bounds_are_accepted(validator: DiscoveryValidator) -> None:
    assert batch_update(validator, {"updateCells": {"start": {"rowIndex": 2**31 - 1}}},
                        {"updateCells": {"start": {"rowIndex": -(2**31)}}}) == []


def test_bad_enum(validator: DiscoveryValidator) -> None:
    found = batch_update(validator, {"addConditionalFormatRule": {"rule": {"booleanRule": {
        "condition": {"type": "BAD"}}}}})
    field = "requests[0].add_conditional_format_rule.rule.boolean_rule.condition.type"
    assert found == [Violation(
        field,
        f"Invalid value at '{field}' (type.googleapis.com/google.apps.sheets.v4.ConditionType), "
        '"BAD"',
    )]


def test_enum_names_are_case_sensitive(validator: DiscoveryValidator) -> None:
    found = batch_update(validator, {"repeatCell": {
        "cell": {"userEnteredFormat": {"horizontalAlignment": "center"}}, "fields": "*"}})
    assert [v.field for v in found] == [
        "requests[0].repeat_cell.cell.user_entered_format.horizontal_alignment"
    ]


@pytest.mark.parametrize(
    ("request_body", "description"),
    [
        ({"addSheet": {"properties": {"title": 5}}},
         "Invalid value at 'requests[0].add_sheet.properties.title' (TYPE_STRING), 5"),
        ({"addSheet": {"properties": {"hidden": "maybe"}}},
         "Invalid value at 'requests[0].add_sheet.properties.hidden' (TYPE_BOOL), \"maybe\""),
        ({"addSheet": {"properties": {"title": {"text": "x"}}}},
         "Invalid value at 'requests[0].add_sheet.properties' (title), "
         "Starting an object on a scalar field"),
        ({"addSheet": {"properties": [{"title": "x"}]}},
         "Invalid JSON payload received. Unknown name \"properties\" at 'requests[0].add_sheet': "
         "Proto field is not repeating, cannot start list."),
        ("repeatCell",
         "Invalid value at 'requests[0]' "
         "(type.googleapis.com/google.apps.sheets.v4.BatchUpdateSpreadsheetRequest.Request), "
         "\"repeatCell\""),
        ({"repeatCell": {"fields": 5}},
         "Invalid value at 'requests[0].repeat_cell.fields' "
         "(type.googleapis.com/google.protobuf.FieldMask), Field 'fields', "
         "Invalid data type for field mask, value is 5"),
        ({"updateCells": {"rows": [{"values": [{"userEnteredValue": {"numberValue": "x"}}]}]}},
         "Invalid value at "
         "'requests[0].update_cells.rows[0].values[0].user_entered_value.number_value' "
         "(TYPE_DOUBLE), \"x\""),
    ],
)
def test_wrong_types(validator: DiscoveryValidator, request_body: object, description: str
                     ) -> None:
    assert [v.description for v in batch_update(validator, request_body)] == [description]


def test_values_must_be_a_list_of_lists(validator: DiscoveryValidator) -> None:
    url = f"/v4/spreadsheets/{ID}/values/%27Sheet1%27%21A1?valueInputOption=RAW"
    assert check(validator, "PUT", url, {"values": "X", "majorDimension": None}) == [Violation(
        "data.values",
        "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), \"X\"",
    )]
    assert [v.field for v in check(validator, "PUT", url, {"values": [["a"], "b"]})] == [
        "data.values[1]"
    ]


def test_timestamps_and_the_body_field(validator: DiscoveryValidator) -> None:
    body = {"dataSourceSchedules": [{"nextRun": {"startTime": "2026-11-25T08:00:00.5Z",
                                                 "endTime": "yesterday"}}]}
    field = "spreadsheet.data_source_schedules[0].next_run.end_time"
    assert check(validator, "POST", "/v4/spreadsheets", body) == [Violation(
        field,
        f"Invalid value at '{field}' (type.googleapis.com/google.protobuf.Timestamp), "
        "Field 'end_time', Invalid time format: yesterday",
    )]


def test_int64_accepts_numbers_and_decimal_strings(validator: DiscoveryValidator) -> None:
    assert check(validator, "POST", "/drive/v3/files", {"size": 12}) == []
    assert check(validator, "POST", "/drive/v3/files", {"size": "9007199254740993"}) == []
    assert check(validator, "POST", "/drive/v3/files", {"size": "12kB"}) == [
        Violation("size", "Invalid value at 'size' (TYPE_INT64), \"12kB\"")
    ]


@pytest.mark.parametrize("body", [[{"requests": []}], "requests", 42])
def test_a_body_that_is_not_an_object(validator: DiscoveryValidator, body: object) -> None:
    found = check(validator, "POST", f"/v4/spreadsheets/{ID}:batchUpdate", body)
    assert found == [Violation(
        "", 'Invalid JSON payload received. Unknown name "": Root element must be a message.'
    )]


def test_unknown_query_parameter(validator: DiscoveryValidator) -> None:
    assert check(validator, "GET", f"/v4/spreadsheets/{ID}?foo=1&fields=sheets") == [Violation(
        "foo",
        'Invalid JSON payload received. Unknown name "foo": Cannot bind query parameter. '
        "Field 'foo' could not be found in request message.",
    )]


def test_upload_metadata_is_checked_when_it_is_json(validator: DiscoveryValidator) -> None:
    found = check(validator, "POST", "/upload/drive/v3/files?uploadType=multipart",
                  {"name": 5, "mimeType": "text/csv"})
    assert found == [Violation("name", "Invalid value at 'name' (TYPE_STRING), 5")]


def test_drive_ignores_unknown_query_parameters_and_fields(validator: DiscoveryValidator) -> None:
    assert check(validator, "GET", f"/drive/v3/files/{ID}?includeItemsFromAllDrives=True") == []
    url = f"/drive/v3/files/{ID}/permissions?supportsAllDrives=maybe"
    assert check(validator, "POST", url, {"type": "anyone", "role": "reader", "withLink": False}
                 ) == [Violation("supports_all_drives",
                                 "Invalid value at 'supports_all_drives' (TYPE_BOOL), \"maybe\"")]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"/v4/spreadsheets/{ID}?includeGridData=maybe",
         Violation("include_grid_data",
                   "Invalid value at 'include_grid_data' (TYPE_BOOL), \"maybe\"")),
        (f"/v4/spreadsheets/{ID}/values/A1?valueRenderOption=NOPE",
         Violation("value_render_option",
                   "Invalid value at 'value_render_option' "
                   "(type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), \"NOPE\"")),
        (f"/v4/spreadsheets/{ID}/values/A1?majorDimension=DIAGONAL",
         Violation("major_dimension",
                   "Invalid value at 'major_dimension' "
                   "(type.googleapis.com/google.apps.sheets.v4.Dimension), \"DIAGONAL\"")),
        ("/drive/v3/files?pageSize=ten",
         Violation("page_size", "Invalid value at 'page_size' (TYPE_INT32), \"ten\"")),
    ],
)
def test_bad_query_values(validator: DiscoveryValidator, url: str, expected: Violation) -> None:
    assert check(validator, "GET", url) == [expected]


@pytest.mark.parametrize("value", ["true", "false", "True", "False", "1", "0"])
def test_boolean_query_values(validator: DiscoveryValidator, value: str) -> None:
    assert check(validator, "GET", f"/v4/spreadsheets/{ID}?includeGridData={value}") == []


def test_value_input_option_names_its_type(validator: DiscoveryValidator) -> None:
    url = f"/v4/spreadsheets/{ID}/values/A1?valueInputOption=Text"
    assert check(validator, "PUT", url, {"values": [[1]]})[0].description == (
        "Invalid value at 'value_input_option' "
        "(type.googleapis.com/google.apps.sheets.v4.ValueInputOption), \"Text\""
    )


def test_repeated_query_parameters(validator: DiscoveryValidator) -> None:
    assert check(validator, "GET", f"/v4/spreadsheets/{ID}/values:batchGet?ranges=A1&ranges=B2"
                 ) == []
    found = check(validator, "GET", f"/v4/spreadsheets/{ID}?includeGridData=true"
                  "&includeGridData=false")
    assert [v.field for v in found] == ["include_grid_data"]


def test_path_parameters_are_typed(validator: DiscoveryValidator) -> None:
    found = check(validator, "POST", f"/v4/spreadsheets/{ID}/sheets/first:copyTo",
                  {"destinationSpreadsheetId": "other"})
    assert found == [Violation("sheet_id", "Invalid value at 'sheet_id' (TYPE_INT32), \"first\"")]


def test_error_body(validator: DiscoveryValidator) -> None:
    violations = [Violation("a", "first"), Violation("b.c", "second")]
    assert validator.error_body(violations) == {"error": {
        "code": 400,
        "message": "first\nsecond",
        "status": "INVALID_ARGUMENT",
        "details": [{
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": "a", "description": "first"},
                                {"field": "b.c", "description": "second"}],
        }],
    }}


# --------------------------------------------------------------------------- loading, speed


def test_documents_are_loaded_once(validator: DiscoveryValidator) -> None:
    start = time.perf_counter()
    for _ in range(100):
        DiscoveryValidator()
    assert time.perf_counter() - start < 0.05


def test_missing_client_library_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "googleapiclient" else real_find_spec(name, *args)

    monkeypatch.setattr(discovery, "_COMPILED", None)
    monkeypatch.setattr(discovery.importlib.util, "find_spec", find_spec)
    with pytest.raises(DiscoveryUnavailableError) as caught:
        DiscoveryValidator()
    assert "pip install 'sheets-sync[emulator]'" in str(caught.value)
    assert isinstance(caught.value, ImportError)


def big_batch_update(rows: int = 4000, columns: int = 12) -> dict[str, Any]:
    """About 5 MB of updateCells, shaped like a full benchmark push."""
    cells: list[dict[str, Any]] = []
    for c in range(columns):
        if c % 3 == 0:
            cells.append({"userEnteredValue": {"numberValue": 1234.5 + c},
                          "userEnteredFormat": {"numberFormat": {"type": "NUMBER",
                                                                 "pattern": "#,##0"},
                                                "backgroundColor": {"red": 0.9, "blue": 1}}})
        elif c % 3 == 1:
            cells.append({"userEnteredValue": {"stringValue": f"competitor handle {c} text"},
                          "note": None})
        else:
            cells.append({"userEnteredValue": {"formulaValue": f"=A{c + 1}*2"}})
    return {"requests": [{"updateCells": {
        "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
        "rows": [{"values": [dict(cell) for cell in cells]} for _ in range(rows)],
        "fields": "userEnteredValue,userEnteredFormat,note",
    }}]}


def test_a_large_batch_update_validates_quickly(validator: DiscoveryValidator) -> None:
    body = big_batch_update()
    assert len(json.dumps(body)) > 4_500_000
    match = validator.match("POST", f"/v4/spreadsheets/{ID}:batchUpdate")
    assert match is not None
    start = time.perf_counter()
    assert validator.validate(match, {}, body) == []
    assert time.perf_counter() - start < 1.0


# --------------------------------------------------------------------------- recorded traffic


def _recordings() -> list[Any]:
    if not RECORDINGS.is_dir():
        return [pytest.param(None, marks=SKIP_NO_RECORDINGS, id="no-recordings")]
    return [pytest.param(path, id=path.stem) for path in sorted(RECORDINGS.glob("*.json"))]


def _interactions(path: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(item["request"], item["response"]) for item in data.get("interactions", [])]


@pytest.mark.parametrize("path", _recordings())
def test_requests_google_accepted_pass(validator: DiscoveryValidator, path: Path) -> None:
    """Every request Google answered below 400 matches a method and has no violation."""
    checked, failures = 0, []
    for request, response in _interactions(path):
        if response["status"]["code"] >= 400:
            continue
        parts = urlsplit(request["uri"])
        found = validator.match(request["method"], parts.path)
        body = json.loads(request["body"]) if request.get("body") else None
        problems = (validator.validate(found, parse_qs(parts.query, keep_blank_values=True), body)
                    if found else "no method")
        checked += 1
        if problems:
            failures.append((request["method"], request["uri"], problems))
    assert checked > 0
    assert failures == []


@pytest.mark.parametrize("path", _recordings())
def test_recorded_invalid_argument_replies_are_reproduced(
    validator: DiscoveryValidator, path: Path
) -> None:
    """Where Google's 400 names field violations, the validator finds the same ones."""
    for request, response in _interactions(path):
        if response["status"]["code"] != 400:
            continue
        reply = json.loads(response["body"]["string"] or "{}").get("error", {})
        details = [d for d in reply.get("details", [])
                   if d.get("@type") == "type.googleapis.com/google.rpc.BadRequest"]
        if not details:
            continue
        parts = urlsplit(request["uri"])
        found = validator.match(request["method"], parts.path)
        assert found is not None
        body = json.loads(request["body"]) if request.get("body") else None
        violations = validator.validate(found, parse_qs(parts.query, keep_blank_values=True),
                                        body)
        assert validator.error_body(violations)["error"] == {
            "code": 400, "message": reply["message"], "status": "INVALID_ARGUMENT",
            "details": details,
        }
