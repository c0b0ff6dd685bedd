"""Google's documented size limits for spreadsheets and requests, one place each."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .errors import ApiError, RequestError

# Google Sheets size limits, https://support.google.com/drive/answer/37603 :
# "Up to 10 million cells or 18,278 columns (column ZZZ) for spreadsheets" and
# "each cell can contain up to 50,000 characters".
CELL_TEXT_LIMIT = 50_000
SPREADSHEET_CELL_LIMIT = 10_000_000
COLUMN_LIMIT = 18_278
# Google's front end refuses a body over 10,485,760 bytes with 400 INVALID_ARGUMENT
# "Request payload size exceeds the limit: 10485760 bytes." as quoted in
# https://github.com/jlolling/talendcomp_tGoogleSheet/issues/1 and
# https://github.com/SCRT-HQ/PSGSuite/issues/62 (the limit is not on
# https://developers.google.com/sheets/api/limits , which only advises small requests).
REQUEST_BYTES_LIMIT = 10_485_760

# Wording Google sends, as quoted in https://github.com/freelabz/secator/issues/96 .
CELL_TEXT_MESSAGE = (
    f"Your input contains more than the maximum of {CELL_TEXT_LIMIT} characters in a single cell."
)
# Wording as quoted in https://github.com/jennybc/googlesheets/issues/400 (then 5000000).
CELL_COUNT_MESSAGE = (
    "This action would increase the number of cells in the workbook above the limit of "
    f"{SPREADSHEET_CELL_LIMIT} cells."
)
COLUMN_MESSAGE = (
    "This action would increase the number of columns in the sheet above the limit of "
    f"{COLUMN_LIMIT}."
)
REQUEST_BYTES_MESSAGE = f"Request payload size exceeds the limit: {REQUEST_BYTES_LIMIT} bytes."


def text_too_long(value: Any) -> bool:
    return isinstance(value, str) and len(value) > CELL_TEXT_LIMIT


def check_values(rows: Iterable[Iterable[Any]]) -> None:
    """values.update/append/batchUpdate: any cell over 50,000 characters is refused."""
    for row in rows:
        for value in row:
            if text_too_long(value):
                raise ApiError(400, CELL_TEXT_MESSAGE)


def check_cell_data(cell: dict[str, Any] | None) -> None:
    """A CellData of updateCells/repeatCell/appendCells: its entered text within the limit."""
    entered = (cell or {}).get("userEnteredValue") or {}
    for key in ("stringValue", "formulaValue"):
        if text_too_long(entered.get(key)):
            raise RequestError(CELL_TEXT_MESSAGE)
    if text_too_long((cell or {}).get("note")):
        raise RequestError(CELL_TEXT_MESSAGE)


def check_rows(rows: Iterable[dict[str, Any]] | None) -> None:
    for row in rows or []:
        for cell in (row or {}).get("values") or []:
            check_cell_data(cell)


def check_grid(spreadsheet: Any) -> None:
    """After a structural change: columns per sheet and cells per spreadsheet within limits."""
    total = 0
    for sheet in spreadsheet.sheets:
        if sheet.col_count > COLUMN_LIMIT:
            raise RequestError(COLUMN_MESSAGE)
        total += sheet.row_count * sheet.col_count
    if total > SPREADSHEET_CELL_LIMIT:
        raise RequestError(CELL_COUNT_MESSAGE)


def check_grid_size(spreadsheet: Any, rows: int, cols: int, ignore: Any = None) -> None:
    """Before a sheet is given `rows` x `cols` (or added with that size)."""
    if cols > COLUMN_LIMIT:
        raise RequestError(COLUMN_MESSAGE)
    total = rows * cols + sum(
        s.row_count * s.col_count for s in spreadsheet.sheets if s is not ignore
    )
    if total > SPREADSHEET_CELL_LIMIT:
        raise RequestError(CELL_COUNT_MESSAGE)


def check_request_size(body: Any) -> None:
    """A JSON body over 10,485,760 bytes is refused before it is looked at."""
    size = len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())
    if size > REQUEST_BYTES_LIMIT:
        raise ApiError(400, REQUEST_BYTES_MESSAGE)
