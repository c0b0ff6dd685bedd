"""Resolving A1 ranges and GridRanges against a spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .a1 import (
    A1Error,
    Rect,
    format_range,
    index_to_col,
    is_cells,
    parse_cells,
    quote_title,
    split_sheet,
)
from .errors import ApiError, RequestError, invalid
from .models import Sheet, Spreadsheet


@dataclass(frozen=True)
class Target:
    sheet: Sheet
    rect: Rect

    def bounded(self) -> Rect:
        return self.rect.clamp(self.sheet.row_count, self.sheet.col_count)

    def echo(self) -> str:
        """The range as Google echoes it: clamped to the grid, title quoted only if needed."""
        return format_range(self.sheet.title, self.bounded())


def _named(spreadsheet: Spreadsheet, name: str) -> Target | None:
    folded = name.casefold()
    for named in spreadsheet.named_ranges:
        if str(named.get("name", "")).casefold() == folded:
            rng = named.get("range", {})
            sheet = spreadsheet.sheet_by_id(int(rng.get("sheetId", 0)))
            if sheet is not None:
                return Target(sheet, rect_of(rng))
    return None


def resolve(spreadsheet: Spreadsheet, text: str) -> Target:
    """An A1 range ("'My sheet'!A1:B2", "Sheet1", "A1:C", a named range) as a Target.

    Unquoted names are read as Google reads them
    (https://developers.google.com/workspace/sheets/api/guides/concepts):
    "A1 refers to cell A1 in the first visible sheet, 'A1' refers to all the cells in a
    sheet named A1"; "if there is a named range titled 'Sheet1', Sheet1 refers to the named
    range and 'Sheet1' refers to the sheet". So a cell-like name such as CRM26 is a cell of
    the first visible sheet even when a tab has that title (Google then answers "Range
    (query!CRM26) exceeds grid limits" when the grid is smaller,
    https://github.com/robin900/gspread-dataframe/issues/54), and an unquoted cell-like title
    before "!" is not taken as a sheet: "D001!" is rejected
    (https://github.com/urbancups/node-sheets/issues/5).
    """
    unable = invalid(f"Unable to parse range: {text}")
    try:
        ref = split_sheet(text)
    except A1Error:
        raise unable from None
    quoted = text.strip().startswith("'")
    if ref.sheet is not None:
        if not quoted and is_cells(ref.sheet):
            raise unable
        sheet = spreadsheet.sheet_by_title(ref.sheet)
        if sheet is None:
            raise unable
        if ref.cells is None:
            return Target(sheet, Rect())
        try:
            return Target(sheet, parse_cells(ref.cells))
        except A1Error:
            named = _named(spreadsheet, ref.cells)
            if named is None:
                raise unable from None
            return named
    cells = ref.cells or ""
    try:
        rect = parse_cells(cells)
    except A1Error:
        rect = None
    if rect is not None:
        visible = [s for s in spreadsheet.sheets if not s.properties.get("hidden")]
        return Target((visible or spreadsheet.sheets)[0], rect)
    named = _named(spreadsheet, cells)
    if named is not None:
        return named
    sheet = spreadsheet.sheet_by_title(cells)
    if sheet is None:
        raise unable
    return Target(sheet, Rect())


def grid_limit_error(sheet: Sheet, rect: Rect) -> ApiError:
    start_row = rect.start_row or 0
    start_col = rect.start_col or 0
    first = f"{index_to_col(start_col)}{start_row + 1}"
    end_row = rect.end_row if rect.end_row is not None else sheet.row_count
    end_col = rect.end_col if rect.end_col is not None else sheet.col_count
    text = first
    if (end_row - start_row, end_col - start_col) != (1, 1):
        text += f":{index_to_col(max(end_col, 1) - 1)}{end_row}"
    return invalid(
        f"Range ({quote_title(sheet.title)}!{text}) exceeds grid limits. "
        f"Max rows: {sheet.row_count}, max columns: {sheet.col_count}"
    )


def check_within_grid(target: Target) -> Rect:
    rect = target.bounded()
    assert rect.end_row is not None and rect.end_col is not None
    if rect.end_row > target.sheet.row_count or rect.end_col > target.sheet.col_count:
        raise grid_limit_error(target.sheet, target.rect)
    return rect


def rect_of(rng: dict[str, Any]) -> Rect:
    return Rect(
        rng.get("startRowIndex"),
        rng.get("endRowIndex"),
        rng.get("startColumnIndex"),
        rng.get("endColumnIndex"),
    )


def sheet_of(spreadsheet: Spreadsheet, sheet_id: Any) -> Sheet:
    sheet = spreadsheet.sheet_by_id(int(sheet_id or 0))
    if sheet is None:
        raise RequestError(f"No grid with id: {int(sheet_id or 0)}")
    return sheet


def grid_target(spreadsheet: Spreadsheet, rng: dict[str, Any] | None) -> tuple[Sheet, Rect]:
    """A request's GridRange: its sheet, and the range clamped to and checked against the grid."""
    rng = rng or {}
    sheet = sheet_of(spreadsheet, rng.get("sheetId", 0))
    rect = rect_of(rng)
    for key, value in rng.items():
        if key != "sheetId" and isinstance(value, int) and value < 0:
            raise RequestError(f"GridRange.{key}[{value}] must be greater than or equal to 0")
    bounded = rect.clamp(sheet.row_count, sheet.col_count)
    assert bounded.end_row is not None and bounded.end_col is not None
    assert bounded.start_row is not None and bounded.start_col is not None
    if bounded.end_row > sheet.row_count or bounded.end_col > sheet.col_count:
        raise RequestError(grid_limit_error(sheet, rect).message)
    if bounded.start_row > bounded.end_row or bounded.start_col > bounded.end_col:
        raise RequestError("Invalid range: start index is after end index.")
    return sheet, bounded


def grid_range_json(sheet_id: int, rect: Rect) -> dict[str, Any]:
    out: dict[str, Any] = {"sheetId": sheet_id}
    if rect.start_row is not None:
        out["startRowIndex"] = rect.start_row
    if rect.end_row is not None:
        out["endRowIndex"] = rect.end_row
    if rect.start_col is not None:
        out["startColumnIndex"] = rect.start_col
    if rect.end_col is not None:
        out["endColumnIndex"] = rect.end_col
    return out


def stored_grid_range(spreadsheet: Spreadsheet, rng: dict[str, Any] | None) -> dict[str, Any]:
    """A GridRange kept as sent (unbounded sides stay unbounded), after checking it."""
    sheet, _ = grid_target(spreadsheet, rng)
    return grid_range_json(sheet.sheet_id, rect_of(rng or {}))
