"""The emulator driven by the real gspread and google-auth code, in-process (no sockets)."""

from __future__ import annotations

import json
from typing import Any

import gspread
import pytest

from sheets_emulator import EmulatorState, dispatch

from .helpers import PERSON, SERVICE_EMAIL, credentials, inprocess_client

RED = {"red": 1, "green": 0.8, "blue": 0.8}


def meta(spreadsheet: gspread.Spreadsheet, fields: str, **params: Any) -> dict[str, Any]:
    return spreadsheet.client.spreadsheets_get(spreadsheet.id, params={"fields": fields, **params})


def batch(spreadsheet: gspread.Spreadsheet, *requests: dict[str, Any]) -> list[dict[str, Any]]:
    return spreadsheet.batch_update({"requests": list(requests)})["replies"]


def admin(state: EmulatorState, method: str, path: str, body: Any = None) -> Any:
    payload = json.dumps(body).encode() if body is not None else b""
    status, _, data = dispatch(state, method, f"/_emulator/{path}", "", {}, payload)
    assert status == 200, data
    return json.loads(data)


def test_token_exchange_carries_the_delegated_person(gc: Any, state: EmulatorState) -> None:
    spreadsheet = gc.create("Benchmark")
    assert list(state.tokens.values()) == [PERSON]
    assert state.files[spreadsheet.id].owner == PERSON
    token_calls = [e for e in state.log if e.path == "/token"]
    assert len(token_calls) == 1 and token_calls[0].status == 200


@pytest.fixture
def robot(state: EmulatorState, private_key_pem: str) -> Any:
    """A gspread client signed in as the service account itself."""
    return inprocess_client(state, credentials(private_key_pem))


def _storage_refusal(exc: gspread.exceptions.APIError) -> dict[str, Any]:
    assert exc.response.status_code == 403
    return exc.response.json()["error"]


def test_a_service_account_cannot_create_a_file(robot: Any, state: EmulatorState) -> None:
    with pytest.raises(gspread.exceptions.APIError) as drive:
        robot.create("Benchmark")
    error = _storage_refusal(drive.value)
    assert error["message"] == "The user's Drive storage quota has been exceeded."
    assert error["errors"] == [{"message": error["message"], "domain": "usageLimits",
                                "reason": "storageQuotaExceeded"}]
    with pytest.raises(gspread.exceptions.APIError) as sheets:
        robot.http_client.request("post", "https://sheets.googleapis.com/v4/spreadsheets",
                                  json={"properties": {"title": "Benchmark"}})
    assert _storage_refusal(sheets.value)["status"] == "PERMISSION_DENIED"
    assert state.files == {}


def test_a_folder_shared_with_a_service_account_does_not_give_it_storage(
        robot: Any, state: EmulatorState) -> None:
    folder = admin(state, "POST", "files", {"owner": PERSON, "name": "Benchmarks",
                                            "mime_type": "application/vnd.google-apps.folder",
                                            "shared_with": [SERVICE_EMAIL]})
    with pytest.raises(gspread.exceptions.APIError) as refused:
        robot.create("Benchmark", folder_id=folder["id"])
    assert _storage_refusal(refused.value)["errors"][0]["reason"] == "storageQuotaExceeded"
    assert set(state.files) == {folder["id"]}


def test_a_service_account_creates_in_a_shared_drive(robot: Any, state: EmulatorState) -> None:
    folder = admin(state, "POST", "files", {"owner": PERSON, "name": "Team benchmarks",
                                            "mime_type": "application/vnd.google-apps.folder",
                                            "shared_drive": "0ATeamDrive",
                                            "shared_with": [SERVICE_EMAIL]})
    spreadsheet = robot.create("Benchmark", folder_id=folder["id"])
    created = state.files[spreadsheet.id]
    assert created.drive_id == "0ATeamDrive" and created.parents == [folder["id"]]
    spreadsheet.sheet1.update([["Handle"], ["@glow"]], "A1")
    assert spreadsheet.sheet1.get_all_values() == [["Handle"], ["@glow"]]
    listed = robot.http_client.request(
        "get", f"https://www.googleapis.com/drive/v3/files/{spreadsheet.id}",
        params={"supportsAllDrives": "true", "fields": "driveId,owners"}).json()
    assert listed == {"driveId": "0ATeamDrive"}


def test_a_shared_drive_folder_is_not_found_without_supports_all_drives(
        robot: Any, state: EmulatorState) -> None:
    folder = admin(state, "POST", "files", {"owner": PERSON, "name": "Team benchmarks",
                                            "mime_type": "application/vnd.google-apps.folder",
                                            "shared_drive": "0ATeamDrive",
                                            "shared_with": [SERVICE_EMAIL]})
    with pytest.raises(gspread.exceptions.APIError) as missing:
        robot.http_client.request(
            "post", "https://www.googleapis.com/drive/v3/files",
            json={"name": "Benchmark", "parents": [folder["id"]],
                  "mimeType": "application/vnd.google-apps.spreadsheet"})
    assert missing.value.response.status_code == 404
    assert missing.value.response.json()["error"]["message"] == f"File not found: {folder['id']}."


def test_create_add_sheets_write_and_read_back(gc: Any) -> None:
    spreadsheet = gc.create("Benchmark")
    direct = spreadsheet.add_worksheet("Direct", rows=20, cols=8)
    direct.update([["Handle", "Followers"], ["@glow", 1200], ["@lab", 950]], "A1")
    assert direct.get_all_values() == [["Handle", "Followers"], ["@glow", "1200"], ["@lab", "950"]]
    assert [ws.title for ws in spreadsheet.worksheets()] == ["Sheet1", "Direct"]
    assert spreadsheet.values_batch_get(["Direct!A2:A", "Direct!B1"])["valueRanges"] == [
        {"range": "Direct!A2:A20", "majorDimension": "ROWS", "values": [["@glow"], ["@lab"]]},
        {"range": "Direct!B1", "majorDimension": "ROWS", "values": [["Followers"]]},
    ]
    props = meta(spreadsheet, "sheets.properties(title,gridProperties)")["sheets"][1]["properties"]
    assert props == {"title": "Direct", "gridProperties": {"rowCount": 20, "columnCount": 8}}


def test_raw_keeps_formula_text_and_user_entered_evaluates(gc: Any) -> None:
    ws = gc.create("Formulas").sheet1
    ws.update([["=1+1"]], "A1", value_input_option="RAW")
    ws.update([["=1+1", '=A1&"!"', "=B1/0"]], "B1", value_input_option="USER_ENTERED")
    assert ws.get("A1:D1") == [["=1+1", "2", "=1+1!", "#DIV/0!"]]
    assert ws.get("A1:C1", value_render_option="UNFORMATTED_VALUE") == [["=1+1", 2, "=1+1!"]]
    assert ws.get("A1:B1", value_render_option="FORMULA") == [["=1+1", "=1+1"]]
    cells = meta(
        ws.spreadsheet,
        "sheets.data.rowData.values(userEnteredValue,effectiveValue)",
        ranges="Sheet1!A1:B1",
    )["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert cells == [
        {"userEnteredValue": {"stringValue": "=1+1"}, "effectiveValue": {"stringValue": "=1+1"}},
        {"userEnteredValue": {"formulaValue": "=1+1"}, "effectiveValue": {"numberValue": 2}},
    ]


def test_user_entered_input_is_parsed_as_sheets_does(gc: Any) -> None:
    ws = gc.create("Parsing").sheet1
    typed = ["5%", "1,234", "2020-01-01", "1/2/2020", "TRUE", "'007", "$5", "12.50", "text"]
    ws.update([typed], "A1", value_input_option="USER_ENTERED")
    assert ws.get("A1:I1") == [
        ["5%", "1,234", "2020-01-01", "1/2/2020", "TRUE", "007", "$5.00", "12.5", "text"]
    ]
    assert ws.get("A1:I1", value_render_option="UNFORMATTED_VALUE") == [
        [0.05, 1234, 43831, 43832, True, "007", 5, 12.5, "text"]
    ]
    assert ws.get(
        "C1:D1", value_render_option="UNFORMATTED_VALUE", date_time_render_option="FORMATTED_STRING"
    ) == [["2020-01-01", "1/2/2020"]]
    formats = meta(
        ws.spreadsheet,
        "sheets.data.rowData.values.userEnteredFormat.numberFormat",
        ranges="Sheet1!A1:C1",
    )["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert [f["userEnteredFormat"]["numberFormat"]["type"] for f in formats] == [
        "PERCENT",
        "NUMBER",
        "DATE",
    ]


def test_rules_protections_validation_and_metadata_round_trip(gc: Any) -> None:
    spreadsheet = gc.create("Rules")
    ws = spreadsheet.add_worksheet("Direct", rows=50, cols=10)
    sid = ws.id
    replies = batch(
        spreadsheet,
        {
            "addConditionalFormatRule": {
                "index": 0,
                "rule": {
                    "ranges": [
                        {
                            "sheetId": sid,
                            "startRowIndex": 1,
                            "endRowIndex": 50,
                            "startColumnIndex": 4,
                            "endColumnIndex": 5,
                        }
                    ],
                    "booleanRule": {
                        "condition": {
                            "type": "NUMBER_LESS",
                            "values": [{"userEnteredValue": "0.03"}],
                        },
                        "format": {"backgroundColor": RED},
                    },
                },
            }
        },
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": sid, "startRowIndex": 0, "endRowIndex": 1},
                    "description": "headers",
                    "warningOnly": True,
                }
            }
        },
        {
            "setDataValidation": {
                "range": {
                    "sheetId": sid,
                    "startRowIndex": 1,
                    "endRowIndex": 3,
                    "startColumnIndex": 2,
                    "endColumnIndex": 3,
                },
                "rule": {
                    "condition": {
                        "type": "ONE_OF_LIST",
                        "values": [{"userEnteredValue": "Nano"}, {"userEnteredValue": "Micro"}],
                    },
                    "strict": True,
                    "showCustomUi": True,
                },
            }
        },
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "sheets_sync.row",
                    "metadataValue": "@glow",
                    "location": {
                        "dimensionRange": {
                            "sheetId": sid,
                            "dimension": "ROWS",
                            "startIndex": 1,
                            "endIndex": 2,
                        }
                    },
                    "visibility": "DOCUMENT",
                }
            }
        },
        {
            "addNamedRange": {
                "namedRange": {
                    "name": "Handles",
                    "range": {"sheetId": sid, "startColumnIndex": 0, "endColumnIndex": 1},
                }
            }
        },
    )
    assert replies[0] == {} and replies[2] == {}
    protected = replies[1]["addProtectedRange"]["protectedRange"]
    assert isinstance(protected["protectedRangeId"], int)
    assert protected["description"] == "headers" and protected["warningOnly"] is True
    metadata = replies[3]["createDeveloperMetadata"]["developerMetadata"]
    assert metadata["location"] == {
        "locationType": "ROW",
        "dimensionRange": {"sheetId": sid, "dimension": "ROWS", "startIndex": 1, "endIndex": 2},
    }
    named = replies[4]["addNamedRange"]["namedRange"]
    assert named["name"] == "Handles" and isinstance(named["namedRangeId"], str)

    sheet = meta(spreadsheet, "sheets(properties.sheetId,conditionalFormats,protectedRanges)")
    direct = next(s for s in sheet["sheets"] if s["properties"]["sheetId"] == sid)
    assert direct["conditionalFormats"] == [
        {
            "ranges": [
                {
                    "sheetId": sid,
                    "startRowIndex": 1,
                    "endRowIndex": 50,
                    "startColumnIndex": 4,
                    "endColumnIndex": 5,
                }
            ],
            "booleanRule": {
                "condition": {"type": "NUMBER_LESS", "values": [{"userEnteredValue": "0.03"}]},
                "format": {
                    "backgroundColor": {"red": 1, "green": 0.8, "blue": 0.8},
                    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 0.8, "blue": 0.8}},
                },
            },
        }
    ]
    assert direct["protectedRanges"][0]["protectedRangeId"] == protected["protectedRangeId"]
    validation = meta(
        spreadsheet, "sheets.data.rowData.values.dataValidation", ranges="Direct!C2:C3"
    )["sheets"][0]["data"][0]["rowData"]
    assert validation[1]["values"][0]["dataValidation"] == {
        "condition": {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": "Nano"}, {"userEnteredValue": "Micro"}],
        },
        "strict": True,
        "showCustomUi": True,
    }
    found = spreadsheet.client.request(
        "post",
        f"https://sheets.googleapis.com/v4/spreadsheets/{spreadsheet.id}/developerMetadata:search",
        json={"dataFilters": [{"developerMetadataLookup": {"metadataKey": "sheets_sync.row"}}]},
    ).json()
    assert [m["developerMetadata"]["metadataValue"] for m in found["matchedDeveloperMetadata"]] == [
        "@glow"
    ]
    assert meta(spreadsheet, "namedRanges")["namedRanges"][0]["range"] == {
        "sheetId": sid,
        "startColumnIndex": 0,
        "endColumnIndex": 1,
    }


def test_a_batch_with_one_bad_request_changes_nothing(gc: Any, state: EmulatorState) -> None:
    spreadsheet = gc.create("Atomic")
    ws = spreadsheet.sheet1
    ws.update([["keep"]], "A1")
    before = json.dumps(admin(state, "GET", f"state/{spreadsheet.id}"), sort_keys=True)
    with pytest.raises(gspread.exceptions.APIError) as caught:
        batch(
            spreadsheet,
            {
                "updateCells": {
                    "rows": [{"values": [{"userEnteredValue": {"stringValue": "lost"}}]}],
                    "start": {"sheetId": 0},
                    "fields": "userEnteredValue",
                }
            },
            {"addSheet": {"properties": {"title": "Never"}}},
            {"deleteSheet": {"sheetId": 999}},
        )
    error = caught.value.response.json()["error"]
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == "Invalid requests[2].deleteSheet: No grid with id: 999"
    assert json.dumps(admin(state, "GET", f"state/{spreadsheet.id}"), sort_keys=True) == before
    assert ws.acell("A1").value == "keep"


def test_inserting_rows_and_columns_shifts_everything_anchored(gc: Any) -> None:
    spreadsheet = gc.create("Shift")
    ws = spreadsheet.sheet1
    ws.update([[1], [2], [3], [4], ["=SUM(A1:A4)"]], "A1", value_input_option="USER_ENTERED")
    protected_id = batch(
        spreadsheet,
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {
                        "sheetId": 0,
                        "startRowIndex": 2,
                        "endRowIndex": 4,
                        "startColumnIndex": 0,
                        "endColumnIndex": 2,
                    }
                }
            }
        },
        {
            "addConditionalFormatRule": {
                "rule": {
                    "ranges": [
                        {
                            "sheetId": 0,
                            "startRowIndex": 1,
                            "endRowIndex": 5,
                            "startColumnIndex": 0,
                            "endColumnIndex": 1,
                        }
                    ],
                    "booleanRule": {
                        "condition": {
                            "type": "NUMBER_GREATER",
                            "values": [{"userEnteredValue": "2"}],
                        },
                        "format": {"textFormat": {"bold": True}},
                    },
                }
            }
        },
        {
            "mergeCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 2,
                    "startColumnIndex": 2,
                    "endColumnIndex": 4,
                },
                "mergeType": "MERGE_ALL",
            }
        },
        {
            "updateCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 3,
                    "endRowIndex": 4,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "rows": [{"values": [{"note": "check"}]}],
                "fields": "note",
            }
        },
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "row",
                    "visibility": "DOCUMENT",
                    "location": {
                        "dimensionRange": {
                            "sheetId": 0,
                            "dimension": "ROWS",
                            "startIndex": 2,
                            "endIndex": 3,
                        }
                    },
                }
            }
        },
    )[0]["addProtectedRange"]["protectedRange"]["protectedRangeId"]
    batch(
        spreadsheet,
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 3}
            }
        },
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1}
            }
        },
    )
    sheet = meta(
        spreadsheet,
        "sheets(properties.gridProperties,protectedRanges.range,conditionalFormats.ranges,merges)",
    )["sheets"][0]
    assert sheet["properties"]["gridProperties"] == {"rowCount": 1002, "columnCount": 27}
    assert sheet["protectedRanges"][0]["range"] == {
        "startRowIndex": 4,
        "endRowIndex": 6,
        "startColumnIndex": 1,
        "endColumnIndex": 3,
    }
    assert sheet["conditionalFormats"][0]["ranges"] == [
        {"startRowIndex": 3, "endRowIndex": 7, "startColumnIndex": 1, "endColumnIndex": 2}
    ]
    assert sheet["merges"] == [
        {"startRowIndex": 3, "endRowIndex": 4, "startColumnIndex": 3, "endColumnIndex": 5}
    ]
    assert ws.get("B1:B7", value_render_option="FORMULA") == [
        [1],
        [],
        [],
        [2],
        [3],
        [4],
        ["=SUM(B1:B6)"],
    ]
    assert ws.get("B7") == [["10"]]
    assert ws.get_note("B6") == "check"
    located = spreadsheet.client.request(
        "post",
        f"https://sheets.googleapis.com/v4/spreadsheets/{spreadsheet.id}/developerMetadata:search",
        json={"dataFilters": [{"developerMetadataLookup": {"metadataKey": "row"}}]},
    ).json()["matchedDeveloperMetadata"][0]["developerMetadata"]["location"]
    assert located["dimensionRange"] == {"dimension": "ROWS", "startIndex": 4, "endIndex": 5}

    batch(
        spreadsheet,
        {
            "deleteDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 4, "endIndex": 6}
            }
        },
    )
    after = meta(spreadsheet, "sheets.protectedRanges")["sheets"][0]
    assert "protectedRanges" not in after, f"range {protected_id} was deleted with its rows"
    assert ws.get("B5", value_render_option="FORMULA") == [["=SUM(B1:B4)"]]


def test_sort_range_orders_numbers_then_text_then_blanks_and_is_stable(gc: Any) -> None:
    ws = gc.create("Sort").sheet1
    ws.update([["name", "score"], ["b", 5], ["a", ""], ["c", "x"], ["d", 2], ["e", 5]], "A1")
    ws.insert_note("A2", "b's note")
    batch(
        ws.spreadsheet,
        {
            "sortRange": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 6,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                },
                "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "ASCENDING"}],
            }
        },
    )
    assert ws.get("A2:B6") == [["d", "2"], ["b", "5"], ["e", "5"], ["c", "x"], ["a"]]
    assert ws.get_note("A3") == "b's note"
    batch(
        ws.spreadsheet,
        {
            "sortRange": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 6,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                },
                "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "DESCENDING"}],
            }
        },
    )
    assert ws.get("A2:A6") == [["c"], ["b"], ["e"], ["d"], ["a"]]


def test_update_cells_mask_clears_masked_fields_the_cell_lacks(gc: Any) -> None:
    ws = gc.create("Masks").sheet1
    ws.update([["old"]], "A1")
    ws.insert_note("A1", "a note")
    ws.format("A1", {"textFormat": {"bold": True}})
    batch(
        ws.spreadsheet,
        {
            "updateCells": {
                "rows": [{"values": [{"userEnteredValue": {"numberValue": 3}}]}],
                "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                "fields": "userEnteredValue,note",
            }
        },
    )
    cell = meta(
        ws.spreadsheet,
        "sheets.data.rowData.values(userEnteredValue,note,userEnteredFormat)",
        ranges="Sheet1!A1",
    )["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell == {
        "userEnteredValue": {"numberValue": 3},
        "userEnteredFormat": {"textFormat": {"bold": True}},
    }
    batch(
        ws.spreadsheet,
        {
            "repeatCell": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 2,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "cell": {
                    "userEnteredFormat": {"numberFormat": {"type": "PERCENT", "pattern": "0.0%"}}
                },
                "fields": "userEnteredFormat.numberFormat",
            }
        },
    )
    assert ws.get("A1") == [["300.0%"]]
    fmt = meta(ws.spreadsheet, "sheets.data.rowData.values.userEnteredFormat", ranges="Sheet1!A1")[
        "sheets"
    ][0]["data"][0]["rowData"][0]["values"][0]
    assert fmt["userEnteredFormat"]["textFormat"] == {"bold": True}


def test_append_finds_the_table_and_can_insert_rows(gc: Any) -> None:
    ws = gc.create("Append").sheet1
    ws.update([["h1", "h2"], ["a", "b"]], "A1")
    ws.update([["below"]], "A10")
    reply = ws.append_row(["c", "d"], table_range="A1")
    assert reply["tableRange"] == "Sheet1!A1:B2"
    assert reply["updates"]["updatedRange"] == "Sheet1!A3:B3"
    ws.append_row(["e", "f"], table_range="A1", insert_data_option="INSERT_ROWS")
    assert ws.get("A1:A11") == [["h1"], ["a"], ["c"], ["e"], [], [], [], [], [], [], ["below"]]
    assert ws.spreadsheet.worksheet("Sheet1").row_count == 1001


def test_duplicate_sheet_chart_and_conditional_format_replies(gc: Any) -> None:
    spreadsheet = gc.create("Replies")
    ws = spreadsheet.sheet1
    ws.update([["a", 1], ["b", 2]], "A1")
    rule = {
        "ranges": [{"sheetId": 0, "startColumnIndex": 1, "endColumnIndex": 2}],
        "booleanRule": {
            "condition": {"type": "NUMBER_GREATER", "values": [{"userEnteredValue": "1"}]},
            "format": {"textFormat": {"italic": True}},
        },
    }
    replies = batch(
        spreadsheet,
        {"addConditionalFormatRule": {"rule": rule}},
        {"duplicateSheet": {"sourceSheetId": 0, "newSheetName": "Backup"}},
        {
            "addChart": {
                "chart": {
                    "spec": {"title": "Growth", "basicChart": {"chartType": "LINE"}},
                    "position": {
                        "overlayPosition": {
                            "anchorCell": {"sheetId": 0, "rowIndex": 3, "columnIndex": 3}
                        }
                    },
                }
            }
        },
        {"deleteConditionalFormatRule": {"sheetId": 0, "index": 0}},
    )
    duplicated = replies[1]["duplicateSheet"]["properties"]
    assert duplicated["title"] == "Backup" and duplicated["index"] == 1
    chart = replies[2]["addChart"]["chart"]
    assert isinstance(chart["chartId"], int) and chart["spec"]["title"] == "Growth"
    assert replies[3] == {
        "deleteConditionalFormatRule": {
            "rule": {
                "ranges": [{"startColumnIndex": 1, "endColumnIndex": 2}],
                "booleanRule": rule["booleanRule"],
            }
        }
    }
    backup = spreadsheet.worksheet("Backup")
    assert backup.get_all_values() == [["a", "1"], ["b", "2"]]
    assert (
        len(meta(spreadsheet, "sheets.conditionalFormats")["sheets"][1]["conditionalFormats"]) == 1
    )


def test_drive_list_rename_copy_share_export_delete(gc: Any, state: EmulatorState) -> None:
    first = gc.create("Competitors 2026")
    gc.create("Other")
    assert [f["name"] for f in gc.list_spreadsheet_files("Competitors 2026")] == [
        "Competitors 2026"
    ]
    first.update_title("Benchmark")
    assert gc.open_by_key(first.id).title == "Benchmark"
    first.sheet1.update([["a", "b,c"], [1, 2]], "A1")
    assert first.export(gspread.utils.ExportFormat.CSV) == b'a,"b,c"\r\n1,2'
    copy = gc.copy(first.id, title="Backup", copy_permissions=False)
    assert copy.sheet1.get_all_values() == [["a", "b,c"], ["1", "2"]]
    first.share("teammate@example.com", perm_type="user", role="writer", notify=False)
    roles = {p.get("emailAddress"): p["role"] for p in first.list_permissions()}
    assert roles == {PERSON: "owner", "teammate@example.com": "writer"}
    first.remove_permissions("teammate@example.com")
    assert len(first.list_permissions()) == 1
    gc.del_spreadsheet(first.id)
    assert first.id not in state.spreadsheets
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        gc.open_by_key(first.id)


def test_a_spreadsheet_owned_by_someone_else_is_forbidden_until_shared(
    state: EmulatorState, private_key_pem: str
) -> None:
    seeded = admin(state, "POST", "files", {"name": "Private", "owner": "boss@example.com"})
    gc = inprocess_client(state, credentials(private_key_pem))
    with pytest.raises(PermissionError) as caught:
        gc.open_by_key(seeded["id"])
    cause = caught.value.__cause__
    assert isinstance(cause, gspread.exceptions.APIError)
    error = cause.response.json()["error"]
    assert (error["code"], error["status"]) == (403, "PERMISSION_DENIED")
    assert error["message"] == "The caller does not have permission"
    status, _, _ = dispatch(
        state,
        "GET",
        f"/v4/spreadsheets/{seeded['id']}",
        "",
        {"Authorization": "Bearer not-issued-by-the-emulator"},
        b"",
    )
    assert status == 200
    boss = admin(state, "POST", "tokens", {"identity": "boss@example.com"})["access_token"]
    body = json.dumps({"role": "writer", "type": "user", "emailAddress": SERVICE_EMAIL}).encode()
    status, _, _ = dispatch(
        state,
        "POST",
        f"/drive/v3/files/{seeded['id']}/permissions",
        "",
        {"Authorization": f"Bearer {boss}", "Content-Type": "application/json"},
        body,
    )
    assert status == 200
    assert gc.open_by_key(seeded["id"]).title == "Private"


def test_every_request_gspread_sends_passes_validation(gc: Any, state: EmulatorState) -> None:
    pytest.importorskip("googleapiclient")
    spreadsheet = gc.create("Valid")
    ws = spreadsheet.add_worksheet("Data", rows=10, cols=5)
    ws.update([["a", 1], ["b", 2]], "A1")
    ws.format("A1:B1", {"textFormat": {"bold": True}})
    ws.sort((2, "des"))
    ws.append_row(["c", 3])
    ws.batch_clear(["A3:B3"])
    spreadsheet.values_batch_get(["Data!A:A"])
    api = [e for e in state.log if e.path != "/token"]
    assert api and all(e.valid is True for e in api), [(e.path, e.valid) for e in api]
