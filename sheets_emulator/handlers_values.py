"""Sheets v4 spreadsheets.values methods."""

from __future__ import annotations

import json
from collections import deque
from typing import Any

from . import limits
from .a1 import Rect, format_cells, format_range, index_to_col, quote_title
from .calc import Calc, render
from .cellops import clear_values, write_value
from .context import Call, Reply
from .errors import invalid, invalid_payload
from .metadata import find
from .models import Sheet, Spreadsheet
from .protection import check_write
from .ranges import Target, check_within_grid, grid_limit_error, rect_of, resolve
from .store import commit, fire_hooks, open_spreadsheet
from .structure import insert_dimension

VALUE_RENDER = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATETIME_RENDER = ("SERIAL_NUMBER", "FORMATTED_STRING")
INPUT_OPTIONS = ("RAW", "USER_ENTERED")
DIMENSIONS = ("ROWS", "COLUMNS")


def _choice(value: str | None, allowed: tuple[str, ...], default: str, name: str) -> str:
    if value is None or value == "":
        return default
    if value not in allowed:
        raise invalid(
            f"Invalid value at '{name}' "
            f'(type.googleapis.com/google.apps.sheets.v4.{name}), "{value}"'
        )
    return value


def _bounds(rect: Rect) -> tuple[int, int, int, int]:
    assert rect.start_row is not None and rect.end_row is not None
    assert rect.start_col is not None and rect.end_col is not None
    return rect.start_row, rect.end_row, rect.start_col, rect.end_col


def _trim(matrix: list[list[Any]]) -> list[list[Any]]:
    out = []
    for line in matrix:
        while line and line[-1] is None:
            line.pop()
        out.append(["" if v is None else v for v in line])
    while out and not out[-1]:
        out.pop()
    return out


def value_range(
    calc: Calc, target: Target, major: str, value_option: str, datetime_option: str
) -> dict[str, Any]:
    rect = check_within_grid(target)
    r0, r1, c0, c1 = _bounds(rect)
    sheet = target.sheet
    used_rows = min(r1, len(sheet.rows))
    if major == "COLUMNS":
        matrix = [
            [render(calc, sheet, r, c, value_option, datetime_option) for r in range(r0, used_rows)]
            for c in range(c0, c1)
        ]
    else:
        matrix = [
            [render(calc, sheet, r, c, value_option, datetime_option) for c in range(c0, c1)]
            for r in range(r0, used_rows)
        ]
    out: dict[str, Any] = {"range": format_range(sheet.title, rect), "majorDimension": major}
    values = _trim(matrix)
    if values:
        out["values"] = values
    return out


def _read_options(call: Call) -> tuple[str, str, str]:
    major = _choice(call.arg("majorDimension"), DIMENSIONS, "ROWS", "Dimension")
    value_option = _choice(
        call.arg("valueRenderOption"), VALUE_RENDER, "FORMATTED_VALUE", "ValueRenderOption"
    )
    datetime_option = _choice(
        call.arg("dateTimeRenderOption"), DATETIME_RENDER, "SERIAL_NUMBER", "DateTimeRenderOption"
    )
    return major, value_option, datetime_option


def get(call: Call) -> Reply:
    spreadsheet = open_spreadsheet(call, call.params["spreadsheetId"], write=False)
    major, value_option, datetime_option = _read_options(call)
    target = resolve(spreadsheet, call.params["range"])
    return Reply(body=value_range(Calc(spreadsheet), target, major, value_option, datetime_option))


def batch_get(call: Call) -> Reply:
    spreadsheet = open_spreadsheet(call, call.params["spreadsheetId"], write=False)
    major, value_option, datetime_option = _read_options(call)
    calc = Calc(spreadsheet)
    ranges = [
        value_range(calc, resolve(spreadsheet, text), major, value_option, datetime_option)
        for text in call.args("ranges")
    ]
    body: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    if ranges:
        body["valueRanges"] = ranges
    return Reply(body=body)


# ------------------------------------------------------------------ writing


def _rows_of(values: Any, major: str, field: str) -> list[list[Any]]:
    if values is None:
        return []
    if not isinstance(values, list):
        message = (
            f"Invalid value at '{field}' (type.googleapis.com/google.protobuf.ListValue), "
            f"{_json_text(values)}"
        )
        raise invalid_payload(message, field)
    rows = []
    for i, row in enumerate(values):
        if not isinstance(row, list):
            message = (
                f"Invalid value at '{field}[{i}]' (type.googleapis.com/google.protobuf.ListValue), "
                f"{_json_text(row)}"
            )
            raise invalid_payload(message, f"{field}[{i}]")
        for j, item in enumerate(row):
            if isinstance(item, list | dict):
                raise invalid(
                    f"Invalid values[{i}][{j}]: list_value or struct_value is not supported"
                )
        rows.append(row)
    # 50,000 characters a cell: https://support.google.com/drive/answer/37603
    limits.check_values(rows)
    if major == "COLUMNS":
        height = max((len(col) for col in rows), default=0)
        rows = [[col[r] if r < len(col) else None for col in rows] for r in range(height)]
    return rows


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    start_row: int,
    start_col: int,
    rows: list[list[Any]],
    input_option: str,
    touched: set[tuple[int, int, int]] | None = None,
) -> tuple[dict[str, Any], Rect]:
    """Write a block of values; returns the UpdateValuesResponse and the written block.

    `touched` collects (sheetId, row, column) of every cell written.
    """
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    touched_rows, touched_cols, cells = set(), set(), 0
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue
            write_value(sheet, start_row + i, start_col + j, value, input_option)
            touched_rows.add(i)
            touched_cols.add(j)
            cells += 1
            if touched is not None:
                touched.add((sheet.sheet_id, start_row + i, start_col + j))
    rect = Rect(start_row, start_row + max(height, 1), start_col, start_col + max(width, 1))
    out: dict[str, Any] = {
        "spreadsheetId": spreadsheet.id,
        "updatedRange": format_range(sheet.title, rect),
    }
    if cells:
        out.update(
            updatedRows=len(touched_rows), updatedColumns=len(touched_cols), updatedCells=cells
        )
    return out, rect


def _check_fits(target: Target, rows: list[list[Any]], range_text: str) -> tuple[int, int]:
    rect = target.rect
    start_row, start_col = rect.start_row or 0, rect.start_col or 0
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    single = (
        rect.height == 1
        and rect.width == 1
        and rect.end_row is not None
        and rect.end_col is not None
    )
    if not single:
        if rect.end_row is not None and start_row + height > rect.end_row:
            raise invalid(
                f"Requested writing within range [{range_text}], "
                f"but tried writing to row [{start_row + height}]"
            )
        if rect.end_col is not None and start_col + width > rect.end_col:
            raise invalid(
                f"Requested writing within range [{range_text}], but tried writing to column "
                f"[{index_to_col(start_col + width - 1)}]"
            )
    return start_row, start_col


def _response_data(
    call_body: dict[str, Any], calc: Calc, sheet: Sheet, rect: Rect
) -> dict[str, Any]:
    value_option = _choice(
        call_body.get("responseValueRenderOption"),
        VALUE_RENDER,
        "FORMATTED_VALUE",
        "ValueRenderOption",
    )
    datetime_option = _choice(
        call_body.get("responseDateTimeRenderOption"),
        DATETIME_RENDER,
        "SERIAL_NUMBER",
        "DateTimeRenderOption",
    )
    return value_range(calc, Target(sheet, rect), "ROWS", value_option, datetime_option)


def _input_option(value: str | None) -> str:
    if not value:
        raise invalid("'valueInputOption' is required but not specified")
    return _choice(value, INPUT_OPTIONS, "RAW", "ValueInputOption")


def _update_one(
    work: Spreadsheet,
    range_text: str,
    value_range_body: dict[str, Any],
    input_option: str,
    field: str,
    touched: set[tuple[int, int, int]] | None = None,
) -> tuple[dict[str, Any], Sheet, Rect]:
    major = _choice(value_range_body.get("majorDimension"), DIMENSIONS, "ROWS", "Dimension")
    rows = _rows_of(value_range_body.get("values"), major, field)
    target = resolve(work, range_text)
    start_row, start_col = _check_fits(target, rows, range_text)
    sheet = target.sheet
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    if start_row + height > sheet.row_count or start_col + width > sheet.col_count:
        raise grid_limit_error(
            sheet, Rect(start_row, start_row + max(height, 1), start_col, start_col + max(width, 1))
        )
    result, rect = _write(work, sheet, start_row, start_col, rows, input_option, touched)
    return result, sheet, rect


def update(call: Call) -> Reply:
    spreadsheet_id = call.params["spreadsheetId"]
    open_spreadsheet(call, spreadsheet_id, write=True)
    input_option = _input_option(call.arg("valueInputOption"))
    body = call.json_body()
    fire_hooks(call.state, spreadsheet_id, "spreadsheets.values.update")
    work = call.state.spreadsheets[spreadsheet_id].clone()
    result, sheet, rect = _update_one(work, call.params["range"], body, input_option, "data.values")
    check_write(call.state, work, call.identity, sheet, rect)
    commit(call.state, work)
    if call.flag("includeValuesInResponse"):
        options = {
            "responseValueRenderOption": call.arg("responseValueRenderOption"),
            "responseDateTimeRenderOption": call.arg("responseDateTimeRenderOption"),
        }
        result["updatedData"] = _response_data(options, Calc(work), sheet, rect)
    return Reply(body=result)


def batch_update(call: Call) -> Reply:
    spreadsheet_id = call.params["spreadsheetId"]
    open_spreadsheet(call, spreadsheet_id, write=True)
    body = call.json_body()
    input_option = _input_option(body.get("valueInputOption"))
    fire_hooks(call.state, spreadsheet_id, "spreadsheets.values.batchUpdate")
    # Every range is checked and written on a copy, committed only when all passed: Google
    # refuses the whole call with 400 when one range is bad and applies none of it
    # (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate).
    work = call.state.spreadsheets[spreadsheet_id].clone()
    responses: list[dict[str, Any]] = []
    touched: set[tuple[int, int, int]] = set()
    written = []
    for i, item in enumerate(body.get("data") or []):
        if "range" not in item:
            raise invalid(f"data[{i}].range is required.")
        result, sheet, rect = _update_one(
            work, str(item["range"]), item, input_option, f"data[{i}].values", touched
        )
        check_write(call.state, work, call.identity, sheet, rect)
        responses.append(result)
        written.append((sheet, rect, result))
    # The totals count distinct rows, columns and cells "where at least one cell ... was
    # updated", not a sum over the ranges: two ranges writing the same column count it once
    # (https://googleapis.dev/dotnet/Google.Apis.Sheets.v4/latest/api/Google.Apis.Sheets.v4.Data.BatchUpdateValuesResponse.html).
    totals = {
        "totalUpdatedRows": len({(sheet_id, r) for sheet_id, r, _ in touched}),
        "totalUpdatedColumns": len({(sheet_id, c) for sheet_id, _, c in touched}),
        "totalUpdatedCells": len(touched),
    }
    sheets = {sheet_id for sheet_id, _, _ in touched}
    commit(call.state, work)
    if body.get("includeValuesInResponse"):
        calc = Calc(work)
        for sheet, rect, result in written:
            result["updatedData"] = _response_data(body, calc, sheet, rect)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet_id}
    out.update({k: v for k, v in totals.items() if v})
    if sheets:
        out["totalUpdatedSheets"] = len(sheets)
    if responses:
        out["responses"] = responses
    return Reply(body=out)


# ------------------------------------------------------------------ append


def find_table(sheet: Sheet, rect: Rect) -> Rect | None:
    """The table an append goes after, as Google finds it.

    Tables are blocks of side-by-side non-empty cells; among those touching the
    input range, the one holding the last cell (bottom-most, then right-most) wins.
    """
    filled = {
        (r, c)
        for r, cells in enumerate(sheet.rows)
        for c, cell in enumerate(cells)
        if cell and cell.get("userEnteredValue")
    }
    seen: set[tuple[int, int]] = set()
    best: tuple[tuple[int, int], Rect] | None = None
    for start in sorted(filled):
        if start in seen:
            continue
        component = []
        queue = deque([start])
        seen.add(start)
        while queue:
            r, c = queue.popleft()
            component.append((r, c))
            for nxt in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if nxt in filled and nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        if not any(rect.contains(r, c) for r, c in component):
            continue
        last = max(component)
        rows = [r for r, _ in component]
        cols = [c for _, c in component]
        box = Rect(min(rows), max(rows) + 1, min(cols), max(cols) + 1)
        if best is None or last > best[0]:
            best = (last, box)
    return None if best is None else best[1]


def append(call: Call) -> Reply:
    spreadsheet_id = call.params["spreadsheetId"]
    open_spreadsheet(call, spreadsheet_id, write=True)
    input_option = _input_option(call.arg("valueInputOption"))
    insert_option = _choice(
        call.arg("insertDataOption"), ("OVERWRITE", "INSERT_ROWS"), "OVERWRITE", "InsertDataOption"
    )
    body = call.json_body()
    fire_hooks(call.state, spreadsheet_id, "spreadsheets.values.append")
    work = call.state.spreadsheets[spreadsheet_id].clone()
    major = _choice(body.get("majorDimension"), DIMENSIONS, "ROWS", "Dimension")
    rows = _rows_of(body.get("values"), major, "data.values")
    target = resolve(work, call.params["range"])
    sheet = target.sheet
    check_within_grid(target)
    table = find_table(sheet, target.bounded())
    if table is not None:
        start_row, start_col = _bounds(table)[1], _bounds(table)[2]
    else:
        start_row, start_col = target.rect.start_row or 0, target.rect.start_col or 0
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    if insert_option == "INSERT_ROWS" and height:
        if start_row < sheet.row_count:
            insert_dimension(work, sheet, "ROWS", start_row, height, None)
        else:
            sheet.resize(rows=start_row + height)
    if start_row + height > sheet.row_count:
        sheet.resize(rows=start_row + height)
    if start_col + width > sheet.col_count:
        sheet.resize(cols=start_col + width)
    updates, rect = _write(work, sheet, start_row, start_col, rows, input_option)
    check_write(call.state, work, call.identity, sheet, rect)
    commit(call.state, work)
    if call.flag("includeValuesInResponse"):
        options = {
            "responseValueRenderOption": call.arg("responseValueRenderOption"),
            "responseDateTimeRenderOption": call.arg("responseDateTimeRenderOption"),
        }
        updates["updatedData"] = _response_data(options, Calc(work), sheet, rect)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet_id}
    if table is not None:
        out["tableRange"] = f"{quote_title(sheet.title)}!{format_cells(table)}"
    out["updates"] = updates
    return Reply(body=out)


# ------------------------------------------------------------------ clear


def clear(call: Call) -> Reply:
    spreadsheet_id = call.params["spreadsheetId"]
    open_spreadsheet(call, spreadsheet_id, write=True)
    fire_hooks(call.state, spreadsheet_id, "spreadsheets.values.clear")
    work = call.state.spreadsheets[spreadsheet_id].clone()
    target = resolve(work, call.params["range"])
    rect = check_within_grid(target)
    check_write(call.state, work, call.identity, target.sheet, rect)
    clear_values(target.sheet, *_bounds(rect))
    commit(call.state, work)
    return Reply(body={"spreadsheetId": spreadsheet_id, "clearedRange": target.echo()})


def batch_clear(call: Call) -> Reply:
    spreadsheet_id = call.params["spreadsheetId"]
    open_spreadsheet(call, spreadsheet_id, write=True)
    body = call.json_body()
    fire_hooks(call.state, spreadsheet_id, "spreadsheets.values.batchClear")
    work = call.state.spreadsheets[spreadsheet_id].clone()
    cleared = []
    for text in body.get("ranges") or []:
        target = resolve(work, str(text))
        rect = check_within_grid(target)
        check_write(call.state, work, call.identity, target.sheet, rect)
        clear_values(target.sheet, *_bounds(rect))
        cleared.append(target.echo())
    commit(call.state, work)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet_id}
    if cleared:
        out["clearedRanges"] = cleared
    return Reply(body=out)


# ------------------------------------------------------------------ data filters


def filter_targets(spreadsheet: Spreadsheet, data_filter: dict[str, Any]) -> list[Target]:
    if "a1Range" in data_filter:
        return [resolve(spreadsheet, str(data_filter["a1Range"]))]
    if "gridRange" in data_filter:
        rng = data_filter["gridRange"]
        sheet = spreadsheet.sheet_by_id(int(rng.get("sheetId", 0)))
        if sheet is None:
            raise invalid(f"No grid with id: {rng.get('sheetId', 0)}")
        return [Target(sheet, rect_of(rng))]
    targets = []
    for meta in find(spreadsheet, data_filter):
        location = meta.get("location", {})
        if "dimensionRange" in location:
            rng = location["dimensionRange"]
            sheet = spreadsheet.sheet_by_id(int(rng.get("sheetId", 0)))
            if sheet is None:
                continue
            if rng["dimension"] == "ROWS":
                targets.append(Target(sheet, Rect(rng["startIndex"], rng["endIndex"], None, None)))
            else:
                targets.append(Target(sheet, Rect(None, None, rng["startIndex"], rng["endIndex"])))
        elif "sheetId" in location:
            sheet = spreadsheet.sheet_by_id(int(location["sheetId"]))
            if sheet is not None:
                targets.append(Target(sheet, Rect()))
    return targets


def batch_get_by_filter(call: Call) -> Reply:
    spreadsheet = open_spreadsheet(call, call.params["spreadsheetId"], write=False)
    body = call.json_body()
    major = _choice(body.get("majorDimension"), DIMENSIONS, "ROWS", "Dimension")
    value_option = _choice(
        body.get("valueRenderOption"), VALUE_RENDER, "FORMATTED_VALUE", "ValueRenderOption"
    )
    datetime_option = _choice(
        body.get("dateTimeRenderOption"), DATETIME_RENDER, "SERIAL_NUMBER", "DateTimeRenderOption"
    )
    calc = Calc(spreadsheet)
    matched = []
    for data_filter in body.get("dataFilters") or []:
        for target in filter_targets(spreadsheet, data_filter):
            matched.append(
                {
                    "valueRange": value_range(calc, target, major, value_option, datetime_option),
                    "dataFilters": [data_filter],
                }
            )
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    if matched:
        out["valueRanges"] = matched
    return Reply(body=out)


def batch_clear_by_filter(call: Call) -> Reply:
    spreadsheet_id = call.params["spreadsheetId"]
    open_spreadsheet(call, spreadsheet_id, write=True)
    work = call.state.spreadsheets[spreadsheet_id].clone()
    cleared = []
    for data_filter in call.json_body().get("dataFilters") or []:
        for target in filter_targets(work, data_filter):
            rect = check_within_grid(target)
            clear_values(target.sheet, *_bounds(rect))
            cleared.append(target.echo())
    commit(call.state, work)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet_id}
    if cleared:
        out["clearedRanges"] = cleared
    return Reply(body=out)
