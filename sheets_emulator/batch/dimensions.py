"""Row and column requests: insert, delete, move, append, properties, ranges and groups."""

from __future__ import annotations

import copy
from typing import Any

from .. import fieldmask, limits
from ..errors import RequestError
from ..models import Sheet
from ..normalize import dimension_range_out
from ..ranges import grid_target, sheet_of
from ..structure import delete_dimension, insert_dimension, move_dimension
from .context import BatchContext, require, update_mask

DIMENSIONS = ("ROWS", "COLUMNS")
_NOUN = {"ROWS": "row", "COLUMNS": "column"}


def _size(sheet: Sheet, dimension: str) -> int:
    return sheet.row_count if dimension == "ROWS" else sheet.col_count


def _dimension_range(ctx: BatchContext, rng: dict[str, Any]) -> tuple[Sheet, str, int, int]:
    sheet = sheet_of(ctx.spreadsheet, rng.get("sheetId", 0))
    dimension = rng.get("dimension")
    if dimension not in DIMENSIONS:
        raise RequestError("dimension must be ROWS or COLUMNS.")
    size = _size(sheet, dimension)
    start = int(rng.get("startIndex", 0))
    end = int(rng.get("endIndex", size))
    if start < 0 or end < 0:
        raise RequestError("Index must be greater than or equal to 0.")
    if start >= end:
        raise RequestError(
            f"Invalid dimension range: startIndex[{start}] must be less than endIndex[{end}]."
        )
    return sheet, dimension, start, end


def _check_growth(ctx: BatchContext, sheet: Sheet, dimension: str, length: int) -> None:
    # 10,000,000 cells per spreadsheet and 18,278 columns, checked before the grid grows:
    # https://support.google.com/drive/answer/37603
    rows, cols = sheet.row_count, sheet.col_count
    if dimension == "ROWS":
        rows += length
    else:
        cols += length
    limits.check_grid_size(ctx.spreadsheet, rows, cols, ignore=sheet)


def insert_dim(ctx: BatchContext, payload: dict[str, Any]) -> None:
    rng = require(payload, "range")
    sheet, dimension, start, end = _dimension_range(ctx, rng)
    size = _size(sheet, dimension)
    if start > size:
        raise RequestError(
            f"Cannot insert {_NOUN[dimension]}s starting at index {start}: "
            f"the sheet has only {size}."
        )
    before = bool(payload.get("inheritFromBefore"))
    if before and start == 0:
        raise RequestError("Cannot inherit from before the first row or column (startIndex is 0).")
    inherit = start - 1 if before else (start if start < size else None)
    _check_growth(ctx, sheet, dimension, end - start)
    insert_dimension(ctx.spreadsheet, sheet, dimension, start, end - start, inherit)


def delete_dim(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, dimension, start, end = _dimension_range(ctx, require(payload, "range"))
    size = _size(sheet, dimension)
    noun = _NOUN[dimension]
    if end > size:
        raise RequestError(
            f"Cannot delete a {noun} that doesn't exist. Tried to delete {noun} index {end - 1} "
            f"but there are only {size} {noun}s."
        )
    if start == 0 and end == size:
        raise RequestError(f"You can't delete all the {noun}s on the sheet.")
    delete_dimension(ctx.spreadsheet, sheet, dimension, start, end)


def move_dim(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, dimension, start, end = _dimension_range(ctx, require(payload, "source"))
    size = _size(sheet, dimension)
    dest = int(require(payload, "destinationIndex"))
    if end > size or dest > size or dest < 0:
        raise RequestError("moveDimension indices are outside the grid.")
    if start < dest < end:
        raise RequestError("destinationIndex must not be inside the source range.")
    if dest in (start, end):
        return
    move_dimension(ctx.spreadsheet, sheet, dimension, start, end, dest)


def append_dim(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet = sheet_of(ctx.spreadsheet, payload.get("sheetId", 0))
    dimension = payload.get("dimension")
    if dimension not in DIMENSIONS:
        raise RequestError("dimension must be ROWS or COLUMNS.")
    length = int(require(payload, "length"))
    if length < 1:
        raise RequestError("length must be greater than 0.")
    _check_growth(ctx, sheet, dimension, length)
    if dimension == "ROWS":
        sheet.resize(rows=sheet.row_count + length)
    else:
        sheet.resize(cols=sheet.col_count + length)


def update_dimension_properties(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, dimension, start, end = _dimension_range(ctx, require(payload, "range"))
    if end > _size(sheet, dimension):
        raise RequestError(f"Range exceeds the number of {_NOUN[dimension]}s of the sheet.")
    mask = update_mask(payload)
    props = payload.get("properties") or {}
    metas = sheet.row_meta if dimension == "ROWS" else sheet.col_meta
    for i in range(start, end):
        updated = fieldmask.apply(metas[i], props, mask)
        updated.pop("developerMetadata", None)
        if not updated.get("hiddenByUser"):
            updated.pop("hiddenByUser", None)
        metas[i] = updated or None


def auto_resize(ctx: BatchContext, payload: dict[str, Any]) -> None:
    rng = payload.get("dimensions") or payload.get("dataSourceSheetDimensions")
    if rng is None:
        raise RequestError("dimensions is required.")
    if "dimensions" in payload:
        _dimension_range(ctx, rng)


def _shift_cells(
    sheet: Sheet, r0: int, r1: int, c0: int, c1: int, shift: str, insert: bool
) -> None:
    if shift == "ROWS":
        height = r1 - r0
        for c in range(c0, c1):
            column = [sheet.cell(r, c) for r in range(sheet.row_count)]
            if insert:
                column[r0:r0] = [None] * height
                column = column[: sheet.row_count]
            else:
                del column[r0:r1]
                column.extend([None] * height)
            for r, cell in enumerate(column):
                sheet.set_cell(r, c, cell)
    elif shift == "COLUMNS":
        width = c1 - c0
        for r in range(r0, min(r1, len(sheet.rows))):
            cells = [sheet.cell(r, c) for c in range(sheet.col_count)]
            if insert:
                cells[c0:c0] = [None] * width
                cells = cells[: sheet.col_count]
            else:
                del cells[c0:c1]
                cells.extend([None] * width)
            for c, cell in enumerate(cells):
                sheet.set_cell(r, c, cell)
    else:
        raise RequestError("shiftDimension must be ROWS or COLUMNS.")


def insert_range(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, rect = grid_target(ctx.spreadsheet, require(payload, "range"))
    assert rect.start_row is not None and rect.end_row is not None
    assert rect.start_col is not None and rect.end_col is not None
    shift = require(payload, "shiftDimension")
    if shift == "ROWS":
        sheet.resize(rows=sheet.row_count + rect.height)
    else:
        sheet.resize(cols=sheet.col_count + rect.width)
    _shift_cells(sheet, rect.start_row, rect.end_row, rect.start_col, rect.end_col, shift, True)


def delete_range(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, rect = grid_target(ctx.spreadsheet, require(payload, "range"))
    assert rect.start_row is not None and rect.end_row is not None
    assert rect.start_col is not None and rect.end_col is not None
    shift = require(payload, "shiftDimension")
    _shift_cells(sheet, rect.start_row, rect.end_row, rect.start_col, rect.end_col, shift, False)


def _groups(sheet: Sheet, dimension: str) -> list[dict[str, Any]]:
    return sheet.row_groups if dimension == "ROWS" else sheet.column_groups


def _groups_reply(sheet: Sheet, dimension: str) -> dict[str, Any]:
    groups = [
        {
            "range": dimension_range_out(g["range"]),
            "depth": g["depth"],
            **({"collapsed": True} if g.get("collapsed") else {}),
        }
        for g in _groups(sheet, dimension)
    ]
    return {"dimensionGroups": groups} if groups else {}


def add_group(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    rng = require(payload, "range")
    sheet, dimension, start, end = _dimension_range(ctx, rng)
    groups = _groups(sheet, dimension)
    containing = [
        g["depth"]
        for g in groups
        if g["range"]["startIndex"] <= start and end <= g["range"]["endIndex"]
    ]
    depth = 1 + max(containing, default=0)
    groups.append(
        {
            "range": {
                "sheetId": sheet.sheet_id,
                "dimension": dimension,
                "startIndex": start,
                "endIndex": end,
            },
            "depth": depth,
        }
    )
    groups.sort(key=lambda g: (g["depth"], g["range"]["startIndex"]))
    key = "rowGroupControlAfter" if dimension == "ROWS" else "columnGroupControlAfter"
    sheet.grid.setdefault(key, True)
    return _groups_reply(sheet, dimension)


def delete_group(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    rng = require(payload, "range")
    sheet, dimension, start, end = _dimension_range(ctx, rng)
    groups = _groups(sheet, dimension)
    matching = [
        g for g in groups if g["range"]["startIndex"] == start and g["range"]["endIndex"] == end
    ]
    if not matching:
        raise RequestError("No group exists over the specified range.")
    groups.remove(max(matching, key=lambda g: g["depth"]))
    return _groups_reply(sheet, dimension)


def update_group(ctx: BatchContext, payload: dict[str, Any]) -> None:
    group = require(payload, "dimensionGroup")
    sheet, dimension, start, end = _dimension_range(ctx, group.get("range") or {})
    for existing in _groups(sheet, dimension):
        rng = existing["range"]
        if (
            rng["startIndex"] == start
            and rng["endIndex"] == end
            and existing["depth"] == group.get("depth", existing["depth"])
        ):
            text = payload.get("fields") or "collapsed"
            updated = fieldmask.apply(existing, copy.deepcopy(group), fieldmask.parse(str(text)))
            existing["collapsed"] = bool(updated.get("collapsed"))
            return
    raise RequestError("No group exists over the specified range.")


HANDLERS = {
    "insertDimension": insert_dim,
    "deleteDimension": delete_dim,
    "moveDimension": move_dim,
    "appendDimension": append_dim,
    "updateDimensionProperties": update_dimension_properties,
    "autoResizeDimensions": auto_resize,
    "insertRange": insert_range,
    "deleteRange": delete_range,
    "addDimensionGroup": add_group,
    "deleteDimensionGroup": delete_group,
    "updateDimensionGroup": update_group,
}
