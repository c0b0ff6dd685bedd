"""addSheet, deleteSheet, duplicateSheet, updateSheetProperties, updateSpreadsheetProperties."""

from __future__ import annotations

import copy
from typing import Any

from .. import fieldmask, limits
from ..errors import RequestError
from ..formula_refs import rename_sheet_references
from ..models import Sheet, Spreadsheet
from ..normalize import colors, sheet_properties
from ..ranges import sheet_of
from ..resources import build_sheet, check_title, insert_sheet
from ..structure import delete_dimension
from .context import BatchContext, require, update_mask

SHEET_FIELDS = frozenset(
    {
        "sheetId",
        "title",
        "index",
        "sheetType",
        "gridProperties",
        "hidden",
        "tabColor",
        "tabColorStyle",
        "rightToLeft",
        "dataSourceSheetProperties",
        "*",
    }
)
SPREADSHEET_FIELDS = frozenset(
    {
        "title",
        "locale",
        "autoRecalc",
        "timeZone",
        "defaultFormat",
        "iterativeCalculationSettings",
        "spreadsheetTheme",
        "importFunctionsExternalUrlAccessAllowed",
        "*",
    }
)


def _mask(payload: dict[str, Any], allowed: frozenset[str]) -> fieldmask.Mask:
    mask = update_mask(payload)
    for name in mask:
        if name not in allowed:
            raise RequestError(f"Invalid field mask: unknown field '{name}'.")
    return mask


def add_sheet(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    props = payload.get("properties") or {}
    sheet = build_sheet(ctx.state, ctx.spreadsheet, props)
    # 10,000,000 cells per spreadsheet, 18,278 columns: https://support.google.com/drive/answer/37603
    limits.check_grid_size(ctx.spreadsheet, sheet.row_count, sheet.col_count)
    insert_sheet(ctx.spreadsheet, sheet, props.get("index"))
    if sheet.properties.get("hidden") and all(
        s.properties.get("hidden") for s in ctx.spreadsheet.sheets
    ):
        raise RequestError("You can't hide all the sheets in a document.")
    return {"properties": sheet_properties(copy.deepcopy(sheet.properties))}


def delete_sheet(ctx: BatchContext, payload: dict[str, Any]) -> None:
    spreadsheet = ctx.spreadsheet
    sheet = sheet_of(spreadsheet, require(payload, "sheetId"))
    if len(spreadsheet.sheets) == 1:
        raise RequestError("You can't remove all the sheets in a document.")
    spreadsheet.sheets.remove(sheet)
    if all(s.properties.get("hidden") for s in spreadsheet.sheets):
        spreadsheet.sheets[0].properties.pop("hidden", None)
    spreadsheet.reindex()
    spreadsheet.named_ranges = [
        n
        for n in spreadsheet.named_ranges
        if int(n.get("range", {}).get("sheetId", 0)) != sheet.sheet_id
    ]
    spreadsheet.developer_metadata = [
        m for m in spreadsheet.developer_metadata if _meta_sheet(m) != sheet.sheet_id
    ]


def _meta_sheet(meta: dict[str, Any]) -> int | None:
    location = meta.get("location", {})
    if "sheetId" in location:
        return int(location["sheetId"])
    if "dimensionRange" in location:
        return int(location["dimensionRange"].get("sheetId", 0))
    return None


def copy_title(spreadsheet: Spreadsheet, title: str) -> str:
    base = f"Copy of {title}"
    candidate, n = base, 2
    taken = {s.title.casefold() for s in spreadsheet.sheets}
    while candidate.casefold() in taken:
        candidate = f"{base} {n}"
        n += 1
    return candidate


def copy_sheet_into(
    ctx: BatchContext, source: Sheet, target: Spreadsheet, props: dict[str, Any]
) -> Sheet:
    """A copy of `source` (cells, formats, rules) added to `target` with the given properties."""
    new = source.clone()
    new.properties = props
    for pr in new.protected_ranges:
        pr["protectedRangeId"] = ctx.state.new_int_id(target.used_ids() | {0})
    for item, key in (
        [(b, "bandedRangeId") for b in new.banded_ranges]
        + [(f, "filterViewId") for f in new.filter_views]
        + [(c, "chartId") for c in new.charts]
    ):
        item[key] = ctx.state.new_int_id(target.used_ids() | {0})
    _retarget_ranges(new, source.sheet_id, new.sheet_id)
    return new


def _retarget_ranges(sheet: Sheet, old_id: int, new_id: int) -> None:
    def fix(value: Any) -> Any:
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            out = {k: fix(v) for k, v in value.items()}
            if out.get("sheetId") == old_id and len(out) > 1:
                out["sheetId"] = new_id
            return out
        return value

    for attr in (
        "merges",
        "conditional_formats",
        "protected_ranges",
        "filter_views",
        "banded_ranges",
        "charts",
        "row_groups",
        "column_groups",
    ):
        setattr(sheet, attr, fix(getattr(sheet, attr)))
    if sheet.basic_filter is not None:
        sheet.basic_filter = fix(sheet.basic_filter)


def duplicate_sheet(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    spreadsheet = ctx.spreadsheet
    source = sheet_of(spreadsheet, require(payload, "sourceSheetId"))
    title = payload.get("newSheetName") or copy_title(spreadsheet, source.title)
    template = build_sheet(
        ctx.state,
        spreadsheet,
        {"sheetId": payload.get("newSheetId"), "title": title, "gridProperties": dict(source.grid)},
    )
    props = copy.deepcopy(source.properties)
    props.update(sheetId=template.sheet_id, title=template.title)
    props.pop("hidden", None)
    # 10,000,000 cells per spreadsheet: https://support.google.com/drive/answer/37603
    limits.check_grid_size(spreadsheet, source.row_count, source.col_count)
    new = copy_sheet_into(ctx, source, spreadsheet, props)
    index = payload.get("insertSheetIndex")
    insert_sheet(spreadsheet, new, index if index is not None else source.properties["index"] + 1)
    return {"properties": sheet_properties(copy.deepcopy(new.properties))}


def _move_sheet(spreadsheet: Spreadsheet, sheet: Sheet, index: int) -> None:
    old = spreadsheet.sheets.index(sheet)
    spreadsheet.sheets.remove(sheet)
    position = index if index <= old else index - 1
    spreadsheet.sheets.insert(max(0, min(position, len(spreadsheet.sheets))), sheet)
    spreadsheet.reindex()


def _resize(spreadsheet: Spreadsheet, sheet: Sheet, rows: int, cols: int) -> None:
    """Grow the grid, or shrink it as deleting the trailing rows/columns would."""
    if rows < sheet.row_count:
        delete_dimension(spreadsheet, sheet, "ROWS", rows, sheet.row_count)
    else:
        sheet.resize(rows=rows)
    if cols < sheet.col_count:
        delete_dimension(spreadsheet, sheet, "COLUMNS", cols, sheet.col_count)
    else:
        sheet.resize(cols=cols)


def update_sheet_properties(ctx: BatchContext, payload: dict[str, Any]) -> None:
    spreadsheet = ctx.spreadsheet
    requested = payload.get("properties") or {}
    sheet = sheet_of(spreadsheet, requested.get("sheetId", 0))
    mask = _mask(payload, SHEET_FIELDS)
    old = sheet.properties
    new = fieldmask.apply(old, requested, mask)
    new["sheetId"] = old["sheetId"]
    new["sheetType"] = old.get("sheetType", "GRID")
    new.setdefault("gridProperties", {})
    new["gridProperties"].setdefault("rowCount", sheet.row_count)
    new["gridProperties"].setdefault("columnCount", sheet.col_count)
    title = str(new.get("title", ""))
    if title != sheet.title:
        check_title(spreadsheet, title, ignore=sheet)
        for host in spreadsheet.sheets:
            for cells in host.rows:
                for c, cell in enumerate(cells):
                    formula = ((cell or {}).get("userEnteredValue") or {}).get("formulaValue")
                    if formula:
                        renamed = rename_sheet_references(formula, sheet.title, title)
                        if renamed != formula:
                            cells[c] = {**cell, "userEnteredValue": {"formulaValue": renamed}}
    grid = new["gridProperties"]
    rows, cols = int(grid["rowCount"]), int(grid["columnCount"])
    if rows < 1 or cols < 1:
        raise RequestError("Sheets must have at least one row and one column.")
    # 10,000,000 cells per spreadsheet, 18,278 columns: https://support.google.com/drive/answer/37603
    limits.check_grid_size(spreadsheet, rows, cols, ignore=sheet)
    if int(grid.get("frozenRowCount", 0)) >= rows and grid.get("frozenRowCount"):
        raise RequestError("You can't freeze all visible rows on the sheet.")
    if int(grid.get("frozenColumnCount", 0)) >= cols and grid.get("frozenColumnCount"):
        raise RequestError("You can't freeze all visible columns on the sheet.")
    index = new.pop("index", old.get("index", 0))
    new["index"] = old.get("index", 0)
    grid.update(rowCount=sheet.row_count, columnCount=sheet.col_count)
    sheet.properties = sheet_properties(colors(new))
    _resize(spreadsheet, sheet, rows, cols)
    if index != old.get("index") and "index" in requested:
        _move_sheet(spreadsheet, sheet, int(index))
    if all(s.properties.get("hidden") for s in spreadsheet.sheets):
        raise RequestError("You can't hide all the sheets in a document.")


def update_spreadsheet_properties(ctx: BatchContext, payload: dict[str, Any]) -> None:
    mask = _mask(payload, SPREADSHEET_FIELDS)
    requested = payload.get("properties") or {}
    updated = fieldmask.apply(ctx.spreadsheet.properties, requested, mask)
    for key in ("defaultFormat", "spreadsheetTheme"):
        updated.pop(key, None)
    if not str(updated.get("title", "")).strip():
        updated["title"] = ctx.spreadsheet.title
    for key, default in (("locale", "en_US"), ("autoRecalc", "ON_CHANGE"), ("timeZone", "Etc/GMT")):
        updated.setdefault(key, default)
    ctx.spreadsheet.properties = updated


HANDLERS = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "duplicateSheet": duplicate_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
}
