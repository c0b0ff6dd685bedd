"""Cell requests: updateCells, repeatCell, appendCells, sortRange, findReplace, paste, merges."""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

from .. import fieldmask, limits, protection
from ..a1 import Rect
from ..cellops import apply_cell, normalize_cell, normalize_validation, prepare_mask
from ..errors import RequestError
from ..formula_values import FormulaError, Scalar, compare
from ..models import Cell, Sheet
from ..ranges import grid_range_json, grid_target, sheet_of
from .context import BatchContext, require, update_mask
from .rules import check_condition


def _cell_mask(payload: dict[str, Any]) -> fieldmask.Mask:
    mask = update_mask(payload)
    return prepare_mask(mask)


def _bounds(rect: Rect) -> tuple[int, int, int, int]:
    assert rect.start_row is not None and rect.end_row is not None
    assert rect.start_col is not None and rect.end_col is not None
    return rect.start_row, rect.end_row, rect.start_col, rect.end_col


def update_cells(ctx: BatchContext, payload: dict[str, Any]) -> None:
    protection.check_request(ctx, "updateCells", payload)
    mask = _cell_mask(payload)
    rows = payload.get("rows") or []
    # 50,000 characters per cell: https://support.google.com/drive/answer/37603
    limits.check_rows(rows)
    if "range" in payload:
        sheet, rect = grid_target(ctx.spreadsheet, payload["range"])
        r0, r1, c0, c1 = _bounds(rect)
        for r in range(r0, r1):
            row = rows[r - r0] if r - r0 < len(rows) else {}
            values = row.get("values") or []
            for c in range(c0, c1):
                data = values[c - c0] if c - c0 < len(values) else {}
                apply_cell(sheet, r, c, normalize_cell(data or {}), mask)
        return
    start = payload.get("start")
    if start is None:
        raise RequestError("Either start or range must be specified.")
    sheet = sheet_of(ctx.spreadsheet, start.get("sheetId", 0))
    r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    height = len(rows)
    width = max((len(row.get("values") or []) for row in rows), default=0)
    if r0 + height > sheet.row_count or c0 + width > sheet.col_count:
        raise RequestError(
            f"Range exceeds grid limits. Max rows: {sheet.row_count}, "
            f"max columns: {sheet.col_count}"
        )
    for i, row in enumerate(rows):
        for j, data in enumerate(row.get("values") or []):
            apply_cell(sheet, r0 + i, c0 + j, normalize_cell(data or {}), mask)


def repeat_cell(ctx: BatchContext, payload: dict[str, Any]) -> None:
    protection.check_request(ctx, "repeatCell", payload)
    mask = _cell_mask(payload)
    sheet, rect = grid_target(ctx.spreadsheet, require(payload, "range"))
    # 50,000 characters per cell: https://support.google.com/drive/answer/37603
    limits.check_cell_data(payload.get("cell"))
    data = normalize_cell(payload.get("cell") or {})
    r0, r1, c0, c1 = _bounds(rect)
    for r in range(r0, r1):
        for c in range(c0, c1):
            apply_cell(sheet, r, c, data, mask)


def append_cells(ctx: BatchContext, payload: dict[str, Any]) -> None:
    protection.check_request(ctx, "appendCells", payload)
    mask = _cell_mask(payload)
    sheet = sheet_of(ctx.spreadsheet, payload.get("sheetId", 0))
    rows = payload.get("rows") or []
    # 50,000 characters per cell: https://support.google.com/drive/answer/37603
    limits.check_rows(rows)
    last = 0
    for r, cells in enumerate(sheet.rows):
        if any(cells):
            last = r + 1
    width = max((len(row.get("values") or []) for row in rows), default=0)
    needed_rows = last + len(rows)
    if needed_rows > sheet.row_count:
        sheet.resize(rows=needed_rows)
    if width > sheet.col_count:
        sheet.resize(cols=width)
    for i, row in enumerate(rows):
        for j, data in enumerate(row.get("values") or []):
            apply_cell(sheet, last + i, j, normalize_cell(data or {}), mask)


# ------------------------------------------------------------------ sorting


def _sort_key(value: Scalar) -> tuple[int, Any]:
    if isinstance(value, FormulaError):
        return 3, value.code
    return 0, value


def _compare_values(a: Scalar, b: Scalar) -> int:
    if isinstance(a, FormulaError) or isinstance(b, FormulaError):
        ka, kb = _sort_key(a), _sort_key(b)
        return (ka > kb) - (ka < kb)
    return compare(a, b)


def sort_range(ctx: BatchContext, payload: dict[str, Any]) -> None:
    protection.check_request(ctx, "sortRange", payload)
    sheet, rect = grid_target(ctx.spreadsheet, require(payload, "range"))
    r0, r1, c0, c1 = _bounds(rect)
    specs = payload.get("sortSpecs") or [{"dimensionIndex": c0, "sortOrder": "ASCENDING"}]
    calc = ctx.calc()
    rows = list(range(r0, r1))
    values = {r: {c: calc.value(sheet, r, c) for c in range(c0, c1)} for r in rows}
    for spec in reversed(specs):
        column = int(spec.get("dimensionIndex", 0))
        if not c0 <= column < c1:
            raise RequestError(f"Sort column {column} is outside the range.")
        descending = spec.get("sortOrder") == "DESCENDING"

        def cmp(a: int, b: int, column: int = column, descending: bool = descending) -> int:
            va, vb = values[a][column], values[b][column]
            blank_a = va is None or va == ""
            blank_b = vb is None or vb == ""
            if blank_a or blank_b:
                return int(blank_a) - int(blank_b)
            result = _compare_values(va, vb)
            return -result if descending else result

        rows.sort(key=functools.cmp_to_key(cmp))
    block = [[sheet.cell(r, c) for c in range(c0, c1)] for r in rows]
    for i, cells in enumerate(block):
        for j, cell in enumerate(cells):
            sheet.set_cell(r0 + i, c0 + j, cell)


# ------------------------------------------------------------------ find and replace


def find_replace(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    protection.check_request(ctx, "findReplace", payload)
    find = str(require(payload, "find"))
    replacement = str(payload.get("replacement", ""))
    flags = 0 if payload.get("matchCase") else re.IGNORECASE
    pattern = find if payload.get("searchByRegex") else re.escape(find)
    if payload.get("matchEntireCell"):
        pattern = f"^(?:{pattern})$"
    try:
        regex = re.compile(pattern, flags)
    except re.error as exc:
        raise RequestError(f"Invalid regular expression: {exc}") from None
    spreadsheet = ctx.spreadsheet
    if "range" in payload:
        sheet, rect = grid_target(spreadsheet, payload["range"])
        targets = [(sheet, rect)]
    elif "sheetId" in payload:
        sheet = sheet_of(spreadsheet, payload["sheetId"])
        targets = [(sheet, Rect(0, sheet.row_count, 0, sheet.col_count))]
    elif payload.get("allSheets"):
        targets = [(s, Rect(0, s.row_count, 0, s.col_count)) for s in spreadsheet.sheets]
    else:
        raise RequestError("One of range, sheetId or allSheets must be set.")
    counts = {"valuesChanged": 0, "formulasChanged": 0, "occurrencesChanged": 0}
    rows_changed: set[tuple[int, int]] = set()
    sheets_changed: set[int] = set()
    include_formulas = bool(payload.get("includeFormulas"))
    if payload.get("searchByRegex"):
        template = re.sub(r"\$(\d)", r"\\\1", replacement)
    else:
        template = replacement.replace("\\", "\\\\")
    for sheet, rect in targets:
        r0, r1, c0, c1 = _bounds(rect)
        for r in range(r0, min(r1, len(sheet.rows))):
            for c in range(c0, min(c1, len(sheet.rows[r]))):
                cell = sheet.cell(r, c)
                entered = (cell or {}).get("userEnteredValue") or {}
                if "stringValue" in entered:
                    key = "stringValue"
                elif "formulaValue" in entered and include_formulas:
                    key = "formulaValue"
                else:
                    continue
                text = str(entered[key])
                new_text, n = regex.subn(template, text)
                if n == 0 or new_text == text:
                    continue
                assert cell is not None
                sheet.set_cell(r, c, {**cell, "userEnteredValue": {key: new_text}})
                counts["formulasChanged" if key == "formulaValue" else "valuesChanged"] += 1
                counts["occurrencesChanged"] += n
                rows_changed.add((sheet.sheet_id, r))
                sheets_changed.add(sheet.sheet_id)
    reply = {k: v for k, v in counts.items() if v}
    if rows_changed:
        reply["rowsChanged"] = len(rows_changed)
        reply["sheetsChanged"] = len(sheets_changed)
    return reply


# ------------------------------------------------------------------ copy / cut


_PASTE_FIELDS = {
    "PASTE_NORMAL": None,
    "PASTE_VALUES": ("userEnteredValue",),
    "PASTE_FORMAT": ("userEnteredFormat",),
    "PASTE_NO_BORDERS": None,
    "PASTE_FORMULA": ("userEnteredValue",),
    "PASTE_DATA_VALIDATION": ("dataValidation",),
    "PASTE_CONDITIONAL_FORMATTING": (),
}


def _pasted(source: Cell | None, target: Cell | None, paste_type: str) -> Cell | None:
    fields = _PASTE_FIELDS.get(paste_type)
    if fields is None:
        cell = copy.deepcopy(source) if source else None
        if paste_type == "PASTE_NO_BORDERS" and cell and "userEnteredFormat" in cell:
            fmt = {k: v for k, v in cell["userEnteredFormat"].items() if k != "borders"}
            cell["userEnteredFormat"] = fmt
        return cell
    out = dict(target or {})
    for key in fields:
        if source and key in source:
            out[key] = copy.deepcopy(source[key])
        else:
            out.pop(key, None)
    return normalize_cell(out) or None


def copy_paste(ctx: BatchContext, payload: dict[str, Any]) -> None:
    protection.check_request(ctx, "copyPaste", payload)
    src_sheet, src = grid_target(ctx.spreadsheet, require(payload, "source"))
    dst_sheet, dst = grid_target(ctx.spreadsheet, require(payload, "destination"))
    paste_type = payload.get("pasteType", "PASTE_NORMAL")
    sr0, sr1, sc0, sc1 = _bounds(src)
    dr0, dr1, dc0, dc1 = _bounds(dst)
    block = [[src_sheet.cell(r, c) for c in range(sc0, sc1)] for r in range(sr0, sr1)]
    if payload.get("pasteOrientation") == "TRANSPOSE":
        block = [list(col) for col in zip(*block, strict=False)] if block else block
    height = len(block)
    width = len(block[0]) if block else 0
    if not height or not width:
        return
    out_h = dr1 - dr0 if (dr1 - dr0) >= height and (dr1 - dr0) % height == 0 else height
    out_w = dc1 - dc0 if (dc1 - dc0) >= width and (dc1 - dc0) % width == 0 else width
    if dr0 + out_h > dst_sheet.row_count or dc0 + out_w > dst_sheet.col_count:
        raise RequestError("The paste would exceed the grid limits.")
    for i in range(out_h):
        for j in range(out_w):
            source = block[i % height][j % width]
            target = dst_sheet.cell(dr0 + i, dc0 + j)
            dst_sheet.set_cell(dr0 + i, dc0 + j, _pasted(source, target, paste_type))


def cut_paste(ctx: BatchContext, payload: dict[str, Any]) -> None:
    protection.check_request(ctx, "cutPaste", payload)
    src_sheet, src = grid_target(ctx.spreadsheet, require(payload, "source"))
    dest = require(payload, "destination")
    dst_sheet = sheet_of(ctx.spreadsheet, dest.get("sheetId", 0))
    paste_type = payload.get("pasteType", "PASTE_NORMAL")
    sr0, sr1, sc0, sc1 = _bounds(src)
    dr0, dc0 = int(dest.get("rowIndex", 0)), int(dest.get("columnIndex", 0))
    if dr0 + (sr1 - sr0) > dst_sheet.row_count or dc0 + (sc1 - sc0) > dst_sheet.col_count:
        raise RequestError("The paste would exceed the grid limits.")
    block = [[src_sheet.cell(r, c) for c in range(sc0, sc1)] for r in range(sr0, sr1)]
    for r in range(sr0, sr1):
        for c in range(sc0, sc1):
            src_sheet.set_cell(r, c, None)
    for i, cells in enumerate(block):
        for j, cell in enumerate(cells):
            target = dst_sheet.cell(dr0 + i, dc0 + j)
            dst_sheet.set_cell(dr0 + i, dc0 + j, _pasted(cell, target, paste_type))


# ------------------------------------------------------------------ merges


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["startRowIndex"] < b["endRowIndex"]
        and b["startRowIndex"] < a["endRowIndex"]
        and a["startColumnIndex"] < b["endColumnIndex"]
        and b["startColumnIndex"] < a["endColumnIndex"]
    )


def _inside(inner: dict[str, Any], outer: dict[str, Any]) -> bool:
    return (
        outer["startRowIndex"] <= inner["startRowIndex"]
        and inner["endRowIndex"] <= outer["endRowIndex"]
        and outer["startColumnIndex"] <= inner["startColumnIndex"]
        and inner["endColumnIndex"] <= outer["endColumnIndex"]
    )


def _merge_block(sheet: Sheet, block: dict[str, Any]) -> None:
    for existing in sheet.merges:
        if _overlaps(existing, block) and not _inside(existing, block):
            raise RequestError("You can't merge cells that partially overlap an existing merge.")
    sheet.merges = [m for m in sheet.merges if not _inside(m, block)]
    r0, c0 = block["startRowIndex"], block["startColumnIndex"]
    for r in range(r0, block["endRowIndex"]):
        for c in range(c0, block["endColumnIndex"]):
            if (r, c) == (r0, c0):
                continue
            cell = sheet.cell(r, c)
            if cell and "userEnteredValue" in cell:
                rest = {k: v for k, v in cell.items() if k != "userEnteredValue"}
                sheet.set_cell(r, c, rest or None)
    sheet.merges.append(block)


def merge_cells(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, rect = grid_target(ctx.spreadsheet, require(payload, "range"))
    r0, r1, c0, c1 = _bounds(rect)
    kind = payload.get("mergeType", "MERGE_ALL")
    if kind == "MERGE_ALL":
        blocks = [(r0, r1, c0, c1)]
    elif kind == "MERGE_ROWS":
        blocks = [(r, r + 1, c0, c1) for r in range(r0, r1)]
    elif kind == "MERGE_COLUMNS":
        blocks = [(r0, r1, c, c + 1) for c in range(c0, c1)]
    else:
        raise RequestError(f"Unknown mergeType: {kind}")
    for b0, b1, b2, b3 in blocks:
        if (b1 - b0) * (b3 - b2) <= 1:
            if kind == "MERGE_ALL":
                raise RequestError("Must merge more than one cell.")
            continue
        block = grid_range_json(sheet.sheet_id, Rect(b0, b1, b2, b3))
        _merge_block(sheet, block)


def unmerge_cells(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, rect = grid_target(ctx.spreadsheet, require(payload, "range"))
    area = grid_range_json(sheet.sheet_id, rect)
    sheet.merges = [m for m in sheet.merges if not _overlaps(m, area)]


# ------------------------------------------------------------------ validation and borders


def set_data_validation(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, rect = grid_target(ctx.spreadsheet, require(payload, "range"))
    rule = payload.get("rule")
    if rule is not None and "condition" not in rule:
        raise RequestError("A data validation rule requires a condition.")
    if rule is not None:
        # ConditionType: the types "Supported by data validation" and their value counts,
        # https://developers.google.com/sheets/api/reference/rest/v4/other#ConditionType
        check_condition(rule.get("condition"), "data validation", "rule")
    stored = normalize_validation(rule) if rule else None
    r0, r1, c0, c1 = _bounds(rect)
    for r in range(r0, r1):
        for c in range(c0, c1):
            cell = dict(sheet.cell(r, c) or {})
            if stored is None:
                cell.pop("dataValidation", None)
            else:
                cell["dataValidation"] = copy.deepcopy(stored)
            sheet.set_cell(r, c, cell or None)


def update_borders(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, rect = grid_target(ctx.spreadsheet, require(payload, "range"))
    r0, r1, c0, c1 = _bounds(rect)
    for r in range(r0, r1):
        for c in range(c0, c1):
            sides = {}
            if "top" in payload and r == r0:
                sides["top"] = payload["top"]
            if "bottom" in payload and r == r1 - 1:
                sides["bottom"] = payload["bottom"]
            if "left" in payload and c == c0:
                sides["left"] = payload["left"]
            if "right" in payload and c == c1 - 1:
                sides["right"] = payload["right"]
            if "innerHorizontal" in payload:
                if r > r0:
                    sides["top"] = payload["innerHorizontal"]
                if r < r1 - 1:
                    sides["bottom"] = payload["innerHorizontal"]
            if "innerVertical" in payload:
                if c > c0:
                    sides["left"] = payload["innerVertical"]
                if c < c1 - 1:
                    sides["right"] = payload["innerVertical"]
            if not sides:
                continue
            cell = dict(sheet.cell(r, c) or {})
            fmt = dict(cell.get("userEnteredFormat") or {})
            borders = dict(fmt.get("borders") or {})
            for side, border in sides.items():
                if border.get("style") == "NONE":
                    borders.pop(side, None)
                else:
                    borders[side] = border
            if borders:
                fmt["borders"] = borders
            else:
                fmt.pop("borders", None)
            cell["userEnteredFormat"] = fmt
            sheet.set_cell(r, c, normalize_cell(cell))


HANDLERS = {
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "appendCells": append_cells,
    "sortRange": sort_range,
    "findReplace": find_replace,
    "copyPaste": copy_paste,
    "cutPaste": cut_paste,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
    "setDataValidation": set_data_validation,
    "updateBorders": update_borders,
}
