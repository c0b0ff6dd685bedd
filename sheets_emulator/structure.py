"""Inserting, deleting and moving rows or columns, and shifting everything anchored to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .formula_refs import shift_references
from .models import Cell, Sheet, Spreadsheet

GRID_KEYS = {
    "ROWS": ("startRowIndex", "endRowIndex"),
    "COLUMNS": ("startColumnIndex", "endColumnIndex"),
}
INHERITED = ("userEnteredFormat", "dataValidation")

IndexMap = Callable[[int | None, int | None], tuple[int | None, int | None] | None]


def span_shifter(at: int, count: int) -> IndexMap:
    """Maps a half-open span through an insertion (count > 0) or deletion (count < 0) at `at`."""

    def shift(start: int | None, end: int | None) -> tuple[int | None, int | None] | None:
        if count > 0:
            new_start = start + count if start is not None and start >= at else start
            new_end = end + count if end is not None and end > at else end
        else:
            stop = at - count
            new_start = start
            if start is not None and start >= at:
                new_start = at if start < stop else start + count
            new_end = end
            if end is not None and end > at:
                new_end = at if end <= stop else end + count
        if new_start is not None and new_end is not None and new_end <= new_start:
            return None
        return new_start, new_end

    return shift


def span_mover(order: list[int]) -> IndexMap:
    new_pos = {old: new for new, old in enumerate(order)}

    def shift(start: int | None, end: int | None) -> tuple[int | None, int | None] | None:
        if start is None or end is None or end <= start:
            return start, end
        moved = [new_pos.get(i, i) for i in range(start, end)]
        return min(moved), max(moved) + 1

    return shift


def _shift_grid_range(
    rng: dict[str, Any], sheet_id: int, dimension: str, shift: IndexMap
) -> dict[str, Any] | None:
    if int(rng.get("sheetId", 0)) != sheet_id:
        return rng
    lo_key, hi_key = GRID_KEYS[dimension]
    result = shift(rng.get(lo_key), rng.get(hi_key))
    if result is None:
        return None
    out = dict(rng)
    for key, value in zip((lo_key, hi_key), result, strict=True):
        if value is not None:
            out[key] = value
    return out


def _shift_dimension_range(
    rng: dict[str, Any], sheet_id: int, dimension: str, shift: IndexMap
) -> dict[str, Any] | None:
    if int(rng.get("sheetId", 0)) != sheet_id or rng.get("dimension") != dimension:
        return rng
    result = shift(rng.get("startIndex"), rng.get("endIndex"))
    if result is None:
        return None
    out = dict(rng)
    if result[0] is not None:
        out["startIndex"] = result[0]
    if result[1] is not None:
        out["endIndex"] = result[1]
    return out


def _walk_ranges(value: Any, fix: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Any:
    """Apply `fix` to every GridRange-looking dict inside a chart or other object."""
    if isinstance(value, list):
        out = [_walk_ranges(v, fix) for v in value]
        return [v for v in out if v is not None]
    if not isinstance(value, dict):
        return value
    if "sheetId" in value and any(
        k in value for k in ("startRowIndex", "startColumnIndex", "endRowIndex", "endColumnIndex")
    ):
        return fix(value)
    return {k: _walk_ranges(v, fix) for k, v in value.items()}


def shift_anchored(spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, shift: IndexMap) -> None:
    """Shift merges, rules, protections, filters, named ranges and metadata of one sheet."""
    sid = sheet.sheet_id

    def fix(rng: dict[str, Any]) -> dict[str, Any] | None:
        return _shift_grid_range(rng, sid, dimension, shift)

    sheet.merges = [m for m in (fix(m) for m in sheet.merges) if m is not None]
    rules = []
    for rule in sheet.conditional_formats:
        ranges = [r for r in (fix(r) for r in rule.get("ranges", [])) if r is not None]
        if ranges:
            rules.append({**rule, "ranges": ranges})
    sheet.conditional_formats = rules
    protected = []
    for pr in sheet.protected_ranges:
        if "range" in pr:
            rng = fix(pr["range"])
            if rng is None:
                continue
            pr = {**pr, "range": rng}
        if "unprotectedRanges" in pr:
            pr["unprotectedRanges"] = [r for r in (fix(r) for r in pr["unprotectedRanges"]) if r]
        protected.append(pr)
    sheet.protected_ranges = protected
    if sheet.basic_filter is not None:
        rng = fix(sheet.basic_filter.get("range", {"sheetId": sid}))
        sheet.basic_filter = None if rng is None else {**sheet.basic_filter, "range": rng}
    for attr in ("filter_views", "banded_ranges"):
        kept = []
        for item in getattr(sheet, attr):
            rng = fix(item.get("range", {"sheetId": sid}))
            if rng is not None:
                kept.append({**item, "range": rng})
        setattr(sheet, attr, kept)
    sheet.charts = [_walk_ranges(c, lambda r: fix(r) or r) for c in sheet.charts]
    groups_attr = "row_groups" if dimension == "ROWS" else "column_groups"
    groups = []
    for group in getattr(sheet, groups_attr):
        rng = _shift_dimension_range(group["range"], sid, dimension, shift)
        if rng is not None:
            groups.append({**group, "range": rng})
    setattr(sheet, groups_attr, groups)
    named = []
    for nr in spreadsheet.named_ranges:
        rng = fix(nr.get("range", {}))
        if rng is not None:
            named.append({**nr, "range": rng})
    spreadsheet.named_ranges = named
    metadata = []
    for meta in spreadsheet.developer_metadata:
        location = meta.get("location", {})
        if "dimensionRange" in location:
            rng = _shift_dimension_range(location["dimensionRange"], sid, dimension, shift)
            if rng is None:
                continue
            meta = {**meta, "location": {**location, "dimensionRange": rng}}
        metadata.append(meta)
    spreadsheet.developer_metadata = metadata


def _rewrite_formulas(
    spreadsheet: Spreadsheet, target: Sheet, dimension: str, start: int, count: int
) -> None:
    for host in spreadsheet.sheets:
        for cells in host.rows:
            for c, cell in enumerate(cells):
                if not cell:
                    continue
                entered = cell.get("userEnteredValue") or {}
                formula = entered.get("formulaValue")
                if not formula:
                    continue
                new = shift_references(formula, host.title, target.title, dimension, start, count)
                if new != formula:
                    cells[c] = {**cell, "userEnteredValue": {"formulaValue": new}}


def _inherited(cell: Cell | None) -> Cell | None:
    if not cell:
        return None
    kept = {k: cell[k] for k in INHERITED if k in cell}
    return kept or None


def insert_dimension(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    dimension: str,
    start: int,
    count: int,
    inherit_from: int | None,
) -> None:
    """Insert `count` empty rows/columns before `start`, formats taken from `inherit_from`."""
    if dimension == "ROWS":
        if start < len(sheet.rows) or inherit_from is not None:
            source = (
                sheet.rows[inherit_from]
                if inherit_from is not None and inherit_from < len(sheet.rows)
                else []
            )
            template = [_inherited(c) for c in source]
            while template and template[-1] is None:
                template.pop()
            while len(sheet.rows) < start:
                sheet.rows.append([])
            sheet.rows[start:start] = [list(template) for _ in range(count)]
        meta = sheet.row_meta[inherit_from] if inherit_from is not None else None
        sheet.row_meta[start:start] = [meta] * count
        sheet.grid["rowCount"] = sheet.row_count + count
        frozen_key = "frozenRowCount"
    else:
        for cells in sheet.rows:
            fill = (
                _inherited(cells[inherit_from])
                if inherit_from is not None and inherit_from < len(cells)
                else None
            )
            if start < len(cells):
                cells[start:start] = [fill] * count
            elif fill is not None:
                cells.extend([None] * (start - len(cells)))
                cells.extend([fill] * count)
        meta = sheet.col_meta[inherit_from] if inherit_from is not None else None
        sheet.col_meta[start:start] = [meta] * count
        sheet.grid["columnCount"] = sheet.col_count + count
        frozen_key = "frozenColumnCount"
    frozen = int(sheet.grid.get(frozen_key, 0))
    if start < frozen:
        sheet.grid[frozen_key] = frozen + count
    shift_anchored(spreadsheet, sheet, dimension, span_shifter(start, count))
    _rewrite_formulas(spreadsheet, sheet, dimension, start, count)


def delete_dimension(
    spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int
) -> None:
    count = end - start
    if dimension == "ROWS":
        del sheet.rows[start:end]
        del sheet.row_meta[start:end]
        sheet.grid["rowCount"] = sheet.row_count - count
        frozen_key = "frozenRowCount"
    else:
        for cells in sheet.rows:
            del cells[start:end]
        del sheet.col_meta[start:end]
        sheet.grid["columnCount"] = sheet.col_count - count
        frozen_key = "frozenColumnCount"
    frozen = int(sheet.grid.get(frozen_key, 0))
    if start < frozen:
        sheet.grid[frozen_key] = frozen - (min(end, frozen) - start)
    shift_anchored(spreadsheet, sheet, dimension, span_shifter(start, -count))
    _rewrite_formulas(spreadsheet, sheet, dimension, start, -count)


def move_order(size: int, start: int, end: int, dest: int) -> list[int]:
    """Old indices in their new order after moving [start, end) before old index `dest`."""
    indices = list(range(size))
    block = indices[start:end]
    rest = indices[:start] + indices[end:]
    position = dest if dest <= start else dest - (end - start)
    return rest[:position] + block + rest[position:]


def move_dimension(
    spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int, dest: int
) -> None:
    if dimension == "ROWS":
        size = sheet.row_count
        order = move_order(size, start, end, dest)
        padded = sheet.rows + [[] for _ in range(size - len(sheet.rows))]
        sheet.rows = [padded[i] for i in order]
        while sheet.rows and not any(sheet.rows[-1]):
            sheet.rows.pop()
        sheet.row_meta = [sheet.row_meta[i] for i in order]
    else:
        size = sheet.col_count
        order = move_order(size, start, end, dest)
        new_rows = []
        for cells in sheet.rows:
            padded = cells + [None] * (size - len(cells))
            moved = [padded[i] for i in order]
            while moved and moved[-1] is None:
                moved.pop()
            new_rows.append(moved)
        sheet.rows = new_rows
        sheet.col_meta = [sheet.col_meta[i] for i in order]
    shift_anchored(spreadsheet, sheet, dimension, span_mover(order))
