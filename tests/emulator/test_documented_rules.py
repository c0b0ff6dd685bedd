"""Requests Google refuses by its documented limits and request-shape rules, refused alike.

Each row names the rule, the request sent, Google's status and a fragment of its message, and
the page that documents the rule. Where a row has a `valid` request (the same request within
the rule) it must be accepted, so the row tells a rule apart from a request refused for some
other reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import requests

from sheets_emulator import EmulatorAdapter, EmulatorState

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"

LIMITS_HELP = "https://support.google.com/drive/answer/37603"
PAYLOAD_ISSUE = "https://github.com/jlolling/talendcomp_tGoogleSheet/issues/1"
REF = "https://developers.google.com/sheets/api/reference/rest/v4"
SHEETS_REF = f"{REF}/spreadsheets/sheets"
REQUEST_REF = f"{REF}/spreadsheets/request"
CONDITION_TYPE = f"{REF}/other#ConditionType"
CHARTS_REF = f"{REF}/spreadsheets/charts"
METADATA_REF = f"{REF}/spreadsheets.developerMetadata"
VALUES_BATCH_REF = f"{REF}/spreadsheets.values/batchUpdate"
CELL_TEXT_ISSUE = "https://github.com/freelabz/secator/issues/96"
CELL_COUNT_ISSUE = "https://github.com/jennybc/googlesheets/issues/400"

LONG = "x" * 50_001
LONGEST = "x" * 50_000


def grid(r0: int, r1: int, c0: int, c1: int) -> dict[str, int]:
    return {
        "sheetId": 0,
        "startRowIndex": r0,
        "endRowIndex": r1,
        "startColumnIndex": c0,
        "endColumnIndex": c1,
    }


def add_sheet(**props: Any) -> dict[str, Any]:
    return {"addSheet": {"properties": props}}


def cf_rule(rule: dict[str, Any]) -> dict[str, Any]:
    return {"addConditionalFormatRule": {"rule": rule, "index": 0}}


def boolean_rule(kind: str, values: list[str], fmt: dict[str, Any] | None = None) -> dict[str, Any]:
    condition: dict[str, Any] = {"type": kind}
    if values:
        condition["values"] = [{"userEnteredValue": v} for v in values]
    return cf_rule(
        {
            "ranges": [grid(0, 5, 0, 1)],
            "booleanRule": {
                "condition": condition,
                "format": fmt or {"textFormat": {"bold": True}},
            },
        }
    )


def validation(kind: str, values: list[str]) -> dict[str, Any]:
    condition: dict[str, Any] = {"type": kind}
    if values:
        condition["values"] = [{"userEnteredValue": v} for v in values]
    return {"setDataValidation": {"range": grid(0, 5, 1, 2), "rule": {"condition": condition}}}


def chart(domains: list[list[dict[str, int]]], series: list[list[dict[str, int]]], **extra: Any):
    basic: dict[str, Any] = {
        "chartType": "COLUMN",
        "domains": [{"domain": {"sourceRange": {"sources": d}}} for d in domains],
        "series": [{"series": {"sourceRange": {"sources": s}}} for s in series],
    }
    basic.update(extra)
    return {"addChart": {"chart": {"spec": {"basicChart": basic}}}}


def metadata(**spec: Any) -> dict[str, Any]:
    body = {"metadataKey": "k", "visibility": "DOCUMENT", "location": {"spreadsheet": True}}
    body.update(spec)
    return {"createDeveloperMetadata": {"developerMetadata": body}}


def protect(**spec: Any) -> dict[str, Any]:
    return {"addProtectedRange": {"protectedRange": spec}}


def cells(value: str) -> dict[str, Any]:
    return {"values": [{"userEnteredValue": {"stringValue": value}}]}


def values_put(text: str) -> tuple[str, str, dict[str, Any]]:
    return ("PUT", "/values/Data!A1?valueInputOption=RAW", {"values": [[text]]})


def values_batch(*ranges: tuple[str, Any]) -> tuple[str, str, dict[str, Any]]:
    return ("POST", "/values:batchUpdate", {
        "valueInputOption": "RAW",
        "data": [{"range": where, "values": [[value]]} for where, value in ranges]})


def values_append(text: str) -> tuple[str, str, dict[str, Any]]:
    return ("POST", "/values/Data!A1:append?valueInputOption=RAW", {"values": [[text]]})


@dataclass(frozen=True)
class Rule:
    name: str
    request: Any  # a batchUpdate request, or (method, path, body) for the values methods
    status: int
    message: str
    source: str
    valid: Any = None


COL_A = grid(0, 5, 0, 1)
COL_B = grid(0, 5, 1, 2)
COL_C = grid(0, 5, 2, 3)

RULES = [
    # ---- sheets: ids and titles
    Rule(
        "sheet-id-not-negative",
        add_sheet(sheetId=-1),
        400,
        "Invalid sheetId: -1",
        f"{SHEETS_REF}#SheetProperties",
        add_sheet(sheetId=5),
    ),
    Rule(
        "sheet-id-unique",
        add_sheet(sheetId=0),
        400,
        "A sheet with this ID already exists",
        f"{SHEETS_REF}#SheetProperties",
    ),
    Rule(
        "sheet-title-not-empty",
        add_sheet(title="  "),
        400,
        "must not be empty",
        f"{SHEETS_REF}#SheetProperties",
    ),
    Rule(
        "sheet-title-unique",
        add_sheet(title="data"),
        400,
        "already exists",
        f"{SHEETS_REF}#SheetProperties",
        add_sheet(title="Data 2"),
    ),
    Rule(
        "last-sheet-not-deleted",
        {"deleteSheet": {"sheetId": 0}},
        400,
        "You can't remove all the sheets",
        f"{REQUEST_REF}#DeleteSheetRequest",
    ),
    # ---- GridRange and DimensionRange
    Rule(
        "grid-range-end-not-before-start",
        {
            "repeatCell": {
                "range": grid(5, 2, 0, 1),
                "cell": cells("a")["values"][0],
                "fields": "userEnteredValue",
            }
        },
        400,
        "start index is after end index",
        f"{REF}/spreadsheets/other#GridRange",
    ),
    Rule(
        "grid-range-within-grid",
        {
            "repeatCell": {
                "range": grid(0, 50, 0, 1),
                "cell": cells("a")["values"][0],
                "fields": "userEnteredValue",
            }
        },
        400,
        "exceeds grid limits",
        f"{REF}/spreadsheets/other#GridRange",
        {
            "repeatCell": {
                "range": grid(0, 20, 0, 1),
                "cell": cells("a")["values"][0],
                "fields": "userEnteredValue",
            }
        },
    ),
    Rule(
        "grid-range-not-negative",
        {"repeatCell": {"range": grid(-1, 2, 0, 1), "cell": {}, "fields": "userEnteredValue"}},
        400,
        "must be greater than or equal to 0",
        f"{REF}/spreadsheets/other#GridRange",
    ),
    Rule(
        "dimension-range-not-empty",
        {
            "deleteDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 3, "endIndex": 3}
            }
        },
        400,
        "must be less than endIndex",
        f"{REF}/spreadsheets/other#DimensionRange",
    ),
    Rule(
        "merge-more-than-one-cell",
        {"mergeCells": {"range": grid(0, 1, 0, 1), "mergeType": "MERGE_ALL"}},
        400,
        "Must merge more than one cell",
        f"{REQUEST_REF}#MergeCellsRequest",
        {"mergeCells": {"range": grid(0, 1, 0, 2), "mergeType": "MERGE_ALL"}},
    ),
    # ---- named ranges
    Rule(
        "named-range-name-valid",
        {"addNamedRange": {"namedRange": {"name": "A1", "range": COL_A}}},
        400,
        "Invalid name",
        f"{REF}/spreadsheets#NamedRange",
        {"addNamedRange": {"namedRange": {"name": "Totals", "range": COL_A}}},
    ),
    Rule(
        "named-range-name-unique",
        {"addNamedRange": {"namedRange": {"name": "named", "range": COL_A}}},
        400,
        "already exists",
        f"{REF}/spreadsheets#NamedRange",
    ),
    # ---- 50,000 characters a cell
    Rule(
        "cell-text-update-cells",
        {
            "updateCells": {
                "start": {"sheetId": 0},
                "rows": [cells(LONG)],
                "fields": "userEnteredValue",
            }
        },
        400,
        "more than the maximum of 50000 characters in a single cell",
        LIMITS_HELP,
        {
            "updateCells": {
                "start": {"sheetId": 0},
                "rows": [cells(LONGEST)],
                "fields": "userEnteredValue",
            }
        },
    ),
    Rule(
        "cell-text-repeat-cell",
        {
            "repeatCell": {
                "range": grid(0, 1, 0, 1),
                "cell": cells(LONG)["values"][0],
                "fields": "userEnteredValue",
            }
        },
        400,
        "more than the maximum of 50000 characters in a single cell",
        CELL_TEXT_ISSUE,
    ),
    Rule(
        "cell-text-append-cells",
        {"appendCells": {"sheetId": 0, "rows": [cells(LONG)], "fields": "userEnteredValue"}},
        400,
        "more than the maximum of 50000 characters in a single cell",
        LIMITS_HELP,
    ),
    Rule(
        "cell-text-values-update",
        values_put(LONG),
        400,
        "Your input contains more than the maximum of 50000 characters in a single cell.",
        CELL_TEXT_ISSUE,
        values_put(LONGEST),
    ),
    Rule(
        "cell-text-values-batch-update",
        values_batch(("Data!A1", "short"), ("Data!B2", LONG)),
        400,
        "Your input contains more than the maximum of 50000 characters in a single cell.",
        CELL_TEXT_ISSUE,
        values_batch(("Data!A1", "short"), ("Data!B2", LONGEST)),
    ),
    Rule(
        "values-batch-update-beyond-the-grid",
        values_batch(("Data!A1", 1), ("Data!A21", 2)),
        400,
        "exceeds grid limits",
        VALUES_BATCH_REF,
        values_batch(("Data!A1", 1), ("Data!A20", 2)),
    ),
    Rule(
        "cell-text-values-append",
        values_append(LONG),
        400,
        "Your input contains more than the maximum of 50000 characters in a single cell.",
        CELL_TEXT_ISSUE,
    ),
    # ---- 10,000,000 cells, 18,278 columns
    Rule(
        "cells-add-sheet",
        add_sheet(gridProperties={"rowCount": 400_000, "columnCount": 26}),
        400,
        "above the limit of 10000000 cells",
        LIMITS_HELP,
        add_sheet(gridProperties={"rowCount": 300_000, "columnCount": 26}),
    ),
    Rule(
        "cells-append-dimension",
        {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 2_000_000}},
        400,
        "above the limit of 10000000 cells",
        CELL_COUNT_ISSUE,
        {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 1_000_000}},
    ),
    Rule(
        "cells-insert-dimension",
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 2_000_000}
            }
        },
        400,
        "above the limit of 10000000 cells",
        LIMITS_HELP,
    ),
    Rule(
        "cells-update-sheet-properties",
        {
            "updateSheetProperties": {
                "properties": {
                    "sheetId": 0,
                    "gridProperties": {"rowCount": 2_000_000, "columnCount": 6},
                },
                "fields": "gridProperties",
            }
        },
        400,
        "above the limit of 10000000 cells",
        CELL_COUNT_ISSUE,
    ),
    Rule(
        "cells-duplicate-sheet",
        [
            {
                "updateSheetProperties": {
                    "properties": {
                        "sheetId": 0,
                        "gridProperties": {"rowCount": 1_000_000, "columnCount": 6},
                    },
                    "fields": "gridProperties",
                }
            },
            {"duplicateSheet": {"sourceSheetId": 0}},
            {"duplicateSheet": {"sourceSheetId": 0}},
        ],
        400,
        "above the limit of 10000000 cells",
        LIMITS_HELP,
    ),
    Rule(
        "columns-add-sheet",
        add_sheet(gridProperties={"rowCount": 1, "columnCount": 18_279}),
        400,
        "above the limit of 18278",
        LIMITS_HELP,
        add_sheet(gridProperties={"rowCount": 1, "columnCount": 18_278}),
    ),
    Rule(
        "columns-append-dimension",
        {"appendDimension": {"sheetId": 0, "dimension": "COLUMNS", "length": 18_273}},
        400,
        "above the limit of 18278",
        LIMITS_HELP,
        {"appendDimension": {"sheetId": 0, "dimension": "COLUMNS", "length": 18_272}},
    ),
    # ---- 10 MB requests
    Rule(
        "request-body-10mb",
        [
            {
                "updateCells": {
                    "start": {"sheetId": 0, "rowIndex": r},
                    "rows": [cells(LONGEST)],
                    "fields": "userEnteredValue",
                }
            }
            for r in range(20)
        ]
        + [
            {
                "updateCells": {
                    "start": {"sheetId": 0, "columnIndex": c},
                    "rows": [cells(LONGEST)],
                    "fields": "userEnteredValue",
                }
            }
            for c in range(1, 6)
        ]
        + [
            {
                "updateCells": {
                    "start": {"sheetId": 0, "rowIndex": r, "columnIndex": 1},
                    "rows": [cells(LONGEST)] * 1,
                    "fields": "userEnteredValue",
                }
            }
            for r in range(1, 20)
        ]
        * 10,
        400,
        "Request payload size exceeds the limit: 10485760 bytes.",
        PAYLOAD_ISSUE,
    ),
    Rule(
        "request-bytes-values-append",
        ("POST", "/values/Data!A1:append?valueInputOption=RAW", {"values": [[LONGEST] * 6] * 36}),
        400,
        "Request payload size exceeds the limit: 10485760 bytes.",
        PAYLOAD_ISSUE,
        ("POST", "/values/Data!A1:append?valueInputOption=RAW", {"values": [[LONGEST] * 6] * 30}),
    ),
    # ---- conditional formats
    Rule(
        "cf-ranges-required",
        cf_rule({"ranges": [], "booleanRule": {"condition": {"type": "NOT_BLANK"}}}),
        400,
        "must have at least one range",
        f"{SHEETS_REF}#ConditionalFormatRule",
    ),
    Rule(
        "cf-one-rule-not-both",
        cf_rule(
            {
                "ranges": [COL_A],
                "booleanRule": {"condition": {"type": "NOT_BLANK"}},
                "gradientRule": {"minpoint": {"type": "MIN"}, "maxpoint": {"type": "MAX"}},
            }
        ),
        400,
        "exactly one of booleanRule or gradientRule",
        f"{SHEETS_REF}#ConditionalFormatRule",
    ),
    Rule(
        "cf-one-rule-not-none",
        cf_rule({"ranges": [COL_A]}),
        400,
        "exactly one of booleanRule or gradientRule",
        f"{SHEETS_REF}#ConditionalFormatRule",
        cf_rule(
            {
                "ranges": [COL_A],
                "gradientRule": {"minpoint": {"type": "MIN"}, "maxpoint": {"type": "MAX"}},
            }
        ),
    ),
    Rule(
        "cf-ranges-same-sheet",
        [
            add_sheet(sheetId=9, title="Other"),
            cf_rule(
                {
                    "ranges": [COL_A, {"sheetId": 9}],
                    "booleanRule": {"condition": {"type": "NOT_BLANK"}},
                }
            ),
        ],
        400,
        "must be on the same sheet",
        f"{SHEETS_REF}#ConditionalFormatRule",
    ),
    Rule(
        "cf-type-required",
        cf_rule({"ranges": [COL_A], "booleanRule": {"condition": {}}}),
        400,
        "condition.type is required",
        CONDITION_TYPE,
    ),
    Rule(
        "cf-type-supported",
        boolean_rule("TEXT_IS_EMAIL", []),
        400,
        "not supported by conditional formatting",
        CONDITION_TYPE,
        boolean_rule("TEXT_CONTAINS", ["x"]),
    ),
    Rule(
        "cf-date-on-or-before-not-supported",
        boolean_rule("DATE_ON_OR_BEFORE", ["1/1/2020"]),
        400,
        "not supported by conditional formatting",
        CONDITION_TYPE,
    ),
    Rule(
        "cf-between-two-values",
        boolean_rule("NUMBER_BETWEEN", ["1"]),
        400,
        "requires exactly two values",
        CONDITION_TYPE,
        boolean_rule("NUMBER_BETWEEN", ["1", "9"]),
    ),
    Rule(
        "cf-greater-one-value",
        boolean_rule("NUMBER_GREATER", ["1", "2"]),
        400,
        "requires exactly one value",
        CONDITION_TYPE,
    ),
    Rule(
        "cf-blank-no-values",
        boolean_rule("BLANK", ["1"]),
        400,
        "requires no values",
        CONDITION_TYPE,
        boolean_rule("BLANK", []),
    ),
    Rule(
        "cf-format-no-font-size",
        boolean_rule("NOT_BLANK", [], {"textFormat": {"bold": True, "fontSize": 14}}),
        400,
        "not textFormat.fontSize",
        f"{SHEETS_REF}#BooleanRule",
        boolean_rule(
            "NOT_BLANK",
            [],
            {
                "textFormat": {
                    "italic": True,
                    "strikethrough": True,
                    "foregroundColor": {"red": 1},
                },
                "backgroundColor": {"green": 1},
            },
        ),
    ),
    Rule(
        "cf-format-no-number-format",
        boolean_rule("NOT_BLANK", [], {"numberFormat": {"type": "PERCENT"}}),
        400,
        "not numberFormat",
        "https://developers.google.com/sheets/samples/conditional-formatting",
    ),
    # ---- data validation
    Rule(
        "dv-type-supported",
        validation("TEXT_STARTS_WITH", ["a"]),
        400,
        "not supported by data validation",
        CONDITION_TYPE,
        validation("TEXT_CONTAINS", ["a"]),
    ),
    Rule(
        "dv-blank-not-supported",
        validation("NOT_BLANK", []),
        400,
        "not supported by data validation",
        CONDITION_TYPE,
    ),
    Rule(
        "dv-one-of-list-needs-values",
        validation("ONE_OF_LIST", []),
        400,
        "requires at least one value",
        CONDITION_TYPE,
        validation("ONE_OF_LIST", ["a", "b"]),
    ),
    Rule(
        "dv-one-of-list-no-formulas",
        validation("ONE_OF_LIST", ["a", "=B1"]),
        400,
        "formulas are not supported",
        CONDITION_TYPE,
    ),
    Rule(
        "dv-boolean-at-most-two",
        validation("BOOLEAN", ["y", "n", "m"]),
        400,
        "requires between 0 and 2 values",
        CONDITION_TYPE,
        validation("BOOLEAN", ["y", "n"]),
    ),
    Rule(
        "dv-date-between-two",
        validation("DATE_BETWEEN", ["1/1/2020"]),
        400,
        "requires exactly two values",
        CONDITION_TYPE,
    ),
    Rule(
        "dv-condition-required",
        {"setDataValidation": {"range": COL_B, "rule": {}}},
        400,
        "requires a condition",
        f"{REF}/spreadsheets/other#DataValidationRule",
    ),
    # ---- charts
    Rule(
        "chart-single-domain",
        chart([[COL_A], [COL_C]], [[COL_B]]),
        400,
        "Only a single domain is supported",
        f"{CHARTS_REF}#BasicChartSpec",
        chart([[COL_A]], [[COL_B]]),
    ),
    Rule(
        "chart-source-one-wide",
        chart([[COL_A]], [[grid(0, 5, 1, 3)]]),
        400,
        "exactly one dimension must have a length of 1",
        f"{CHARTS_REF}#ChartSourceRange",
    ),
    Rule(
        "chart-sources-same-dimension",
        chart([], [[grid(0, 5, 1, 2), grid(0, 1, 2, 5)]]),
        400,
        "same dimension with length 1",
        f"{CHARTS_REF}#ChartSourceRange",
    ),
    Rule(
        "chart-same-number-of-sources",
        chart([[grid(0, 2, 0, 1), grid(2, 5, 0, 1)]], [[COL_B]]),
        400,
        "same number of source ranges",
        f"{CHARTS_REF}#ChartSourceRange",
        chart([[grid(0, 2, 0, 1), grid(2, 5, 0, 1)]], [[grid(0, 2, 1, 2), grid(2, 5, 1, 2)]]),
    ),
    Rule(
        "chart-3d-only-bar-column-combo",
        chart([[COL_A]], [[COL_B]], chartType="LINE", threeDimensional=True),
        400,
        "threeDimensional is not supported",
        f"{CHARTS_REF}#BasicChartSpec",
        chart([[COL_A]], [[COL_B]], chartType="BAR", threeDimensional=True),
    ),
    Rule(
        "chart-series-type-only-combo",
        {
            "addChart": {
                "chart": {
                    "spec": {
                        "basicChart": {
                            "chartType": "LINE",
                            "series": [
                                {"type": "AREA", "series": {"sourceRange": {"sources": [COL_B]}}}
                            ],
                        }
                    }
                }
            }
        },
        400,
        "only be set on a COMBO chart",
        f"{CHARTS_REF}#BasicChartSeries",
    ),
    # ---- developer metadata
    Rule(
        "dm-visibility-required",
        metadata(visibility=None),
        400,
        "visibility must be specified",
        f"{METADATA_REF}#DeveloperMetadata",
    ),
    Rule(
        "dm-id-unique",
        metadata(metadataId=77),
        400,
        "already exists",
        f"{METADATA_REF}#DeveloperMetadata",
        metadata(metadataId=78),
    ),
    Rule(
        "dm-id-positive",
        metadata(metadataId=0),
        400,
        "must be positive",
        f"{METADATA_REF}#DeveloperMetadata",
    ),
    Rule(
        "dm-location-one-kind",
        metadata(location={"spreadsheet": True, "sheetId": 0}),
        400,
        "exactly one of spreadsheet, sheetId or dimensionRange",
        f"{METADATA_REF}#DeveloperMetadataLocation",
        metadata(location={"sheetId": 0}),
    ),
    Rule(
        "dm-location-required",
        metadata(location={}),
        400,
        "exactly one of spreadsheet, sheetId or dimensionRange",
        f"{METADATA_REF}#DeveloperMetadataLocation",
    ),
    Rule(
        "dm-dimension-range-single",
        metadata(
            location={
                "dimensionRange": {
                    "sheetId": 0,
                    "dimension": "ROWS",
                    "startIndex": 0,
                    "endIndex": 3,
                }
            }
        ),
        400,
        "single row or column",
        f"{METADATA_REF}#DeveloperMetadataLocation",
        metadata(
            location={
                "dimensionRange": {
                    "sheetId": 0,
                    "dimension": "ROWS",
                    "startIndex": 2,
                    "endIndex": 3,
                }
            }
        ),
    ),
    # ---- protected ranges
    Rule(
        "pr-range-or-named-range",
        protect(range=COL_A, namedRangeId="nr1"),
        400,
        "Only one of range, namedRangeId or tableId",
        f"{SHEETS_REF}#ProtectedRange",
        protect(namedRangeId="nr1"),
    ),
    Rule(
        "pr-needs-a-target",
        protect(description="nothing"),
        400,
        "needs a range or a namedRangeId",
        f"{SHEETS_REF}#ProtectedRange",
    ),
    Rule(
        "pr-no-editors-when-warning-only",
        protect(range=COL_A, warningOnly=True, editors={"users": ["a@example.com"]}),
        400,
        "Editors cannot be set on a warning-only",
        f"{SHEETS_REF}#ProtectedRange",
        protect(range=COL_A, warningOnly=True),
    ),
    Rule(
        "pr-unprotected-only-on-sheet",
        protect(range=COL_A, unprotectedRanges=[COL_B]),
        400,
        "only supported on protected sheets",
        f"{SHEETS_REF}#ProtectedRange",
        protect(range={"sheetId": 0}, unprotectedRanges=[COL_B]),
    ),
]


class Client:
    def __init__(self, state: EmulatorState) -> None:
        self.http = EmulatorAdapter(state).mount_google(requests.Session())
        self.http.headers["Authorization"] = "Bearer test-token"

    def send(self, sid: str, request: Any) -> requests.Response:
        if isinstance(request, tuple):
            method, path, body = request
            return self.http.request(method, f"{SHEETS}/{sid}{path}", json=body)
        batch = request if isinstance(request, list) else [request]
        return self.http.post(f"{SHEETS}/{sid}:batchUpdate", json={"requests": batch})


@pytest.fixture
def client(state: EmulatorState) -> Client:
    return Client(state)


@pytest.fixture
def sid(client: Client) -> str:
    body = {
        "properties": {"title": "Rules"},
        "sheets": [
            {
                "properties": {
                    "sheetId": 0,
                    "title": "Data",
                    "gridProperties": {"rowCount": 20, "columnCount": 6},
                }
            }
        ],
    }
    reply = client.http.post(SHEETS, json=body)
    assert reply.status_code == 200, reply.text
    spreadsheet_id = str(reply.json()["spreadsheetId"])
    setup = [
        {
            "addNamedRange": {
                "namedRange": {"namedRangeId": "nr1", "name": "Named", "range": grid(0, 2, 0, 2)}
            }
        },
        metadata(metadataId=77),
    ]
    reply = client.send(spreadsheet_id, setup)
    assert reply.status_code == 200, reply.text
    return spreadsheet_id


def _drop_none(request: Any) -> Any:
    if isinstance(request, dict):
        return {k: _drop_none(v) for k, v in request.items() if v is not None}
    if isinstance(request, list):
        return [_drop_none(v) for v in request]
    if isinstance(request, tuple):
        return tuple(_drop_none(v) for v in request)
    return request


def test_the_table_has_a_row_per_rule() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert len(RULES) >= 39
    assert all(rule.source.startswith("https://") for rule in RULES)


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
def test_google_refuses_and_so_does_the_emulator(client: Client, sid: str, rule: Rule) -> None:
    reply = client.send(sid, _drop_none(rule.request))
    assert reply.status_code == rule.status, reply.text[:500]
    error = reply.json()["error"]
    assert error["code"] == rule.status
    assert error["status"] == "INVALID_ARGUMENT"
    assert rule.message in error["message"], error["message"][:500]


VALID = [rule for rule in RULES if rule.valid is not None]


@pytest.mark.parametrize("rule", VALID, ids=[rule.name for rule in VALID])
def test_the_request_within_the_rule_is_accepted(client: Client, sid: str, rule: Rule) -> None:
    reply = client.send(sid, _drop_none(rule.valid))
    assert reply.status_code == 200, reply.text[:500]


def test_a_values_batch_update_with_one_bad_range_applies_none(client: Client,
                                                               sid: str) -> None:
    # The call is refused whole (VALUES_BATCH_REF): the good range before the bad one stays
    # unwritten.
    reply = client.send(sid, values_batch(("Data!A1", "kept out"), ("Data!A21", 2)))
    assert reply.status_code == 400
    read = client.http.get(f"{SHEETS}/{sid}/values/Data!A1")
    assert read.status_code == 200 and "values" not in read.json()
    reply = client.send(sid, values_batch(("Data!A1", "written"), ("Data!A20", 2)))
    assert reply.status_code == 200
    assert client.http.get(f"{SHEETS}/{sid}/values/Data!A1").json()["values"] == [["written"]]


def test_a_whole_column_is_one_column_wide(client: Client, sid: str) -> None:
    column = {"sheetId": 0, "startRowIndex": 0, "startColumnIndex": 1, "endColumnIndex": 2}
    domain = {"sheetId": 0, "startRowIndex": 0, "startColumnIndex": 0, "endColumnIndex": 1}
    reply = client.send(sid, chart([[domain]], [[column]], chartType="SCATTER"))
    assert reply.status_code == 200, reply.text[:500]
    wide = {"sheetId": 0, "startColumnIndex": 1, "endColumnIndex": 3}
    reply = client.send(sid, chart([[domain]], [[wide]], chartType="SCATTER"))
    assert reply.status_code == 400
