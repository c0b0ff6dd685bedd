"""GridData of spreadsheets.get: rows of CellData plus row and column metadata.

Only the members a `fields` mask asks for are computed: a read of a large,
formatted sheet would otherwise spend its time building effective formats that
the mask then throws away.  Replies are serialized right away, so members are
shared with the stored cells rather than copied.
"""

from __future__ import annotations

import copy
from typing import Any

from . import fieldmask
from .a1 import Rect
from .calc import Calc, display, number_format, scalar_json
from .formula_values import FormulaError
from .metadata import metadata_out
from .models import Sheet
from .resources import DEFAULT_COLUMN_PIXELS, DEFAULT_FORMAT, DEFAULT_ROW_PIXELS

_STORED = (
    "userEnteredValue",
    "userEnteredFormat",
    "hyperlink",
    "note",
    "textFormatRuns",
    "dataValidation",
    "pivotTable",
)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        under = out.get(key)
        out[key] = (
            _merge(under, value) if isinstance(value, dict) and isinstance(under, dict) else value
        )
    return out


def effective_format(cell: dict[str, Any], value: Any) -> dict[str, Any]:
    fmt = _merge(DEFAULT_FORMAT, cell.get("userEnteredFormat") or {})
    if "horizontalAlignment" not in fmt and value is not None:
        if isinstance(value, bool | FormulaError):
            fmt["horizontalAlignment"] = "CENTER"
        elif isinstance(value, int | float):
            fmt["horizontalAlignment"] = "RIGHT"
        else:
            fmt["horizontalAlignment"] = "LEFT"
    fmt.setdefault("hyperlinkDisplayType", "PLAIN_TEXT")
    return fmt


class _CellRenderer:
    def __init__(self, calc: Calc, mask: fieldmask.Mask | None) -> None:
        self.calc = calc
        self.wanted = {
            key: fieldmask.wants(mask, key)
            for key in (*_STORED, "effectiveValue", "formattedValue", "effectiveFormat")
        }
        self.needs_value = any(
            self.wanted[k] for k in ("effectiveValue", "formattedValue", "effectiveFormat")
        )

    def cell(self, sheet: Sheet, row: int, col: int) -> dict[str, Any]:
        cell = sheet.cell(row, col)
        if not cell:
            return {}
        wanted = self.wanted
        out: dict[str, Any] = {}
        entered = cell.get("userEnteredValue")
        value = self.calc.value(sheet, row, col) if entered and self.needs_value else None
        if entered:
            if wanted["userEnteredValue"]:
                out["userEnteredValue"] = entered
            if value is not None:
                if wanted["effectiveValue"]:
                    out["effectiveValue"] = scalar_json(value)
                if wanted["formattedValue"]:
                    text = display(value, number_format(cell))
                    if text is not None:
                        out["formattedValue"] = text
        if "userEnteredFormat" in cell and wanted["userEnteredFormat"]:
            out["userEnteredFormat"] = cell["userEnteredFormat"]
        if (entered or "userEnteredFormat" in cell) and wanted["effectiveFormat"]:
            out["effectiveFormat"] = effective_format(cell, value)
        for key in _STORED[2:]:
            if key in cell and wanted[key]:
                out[key] = cell[key]
        return out


def _dimension_meta(meta: dict[str, Any] | None, default_pixels: int) -> dict[str, Any]:
    out: dict[str, Any] = {"pixelSize": default_pixels}
    if meta:
        out.update(meta)
        for flag in ("hiddenByUser", "hiddenByFilter"):
            if not out.get(flag):
                out.pop(flag, None)
    return out


def _metadata_by_index(calc: Calc, sheet: Sheet, dimension: str) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for meta in calc.spreadsheet.developer_metadata:
        rng = meta.get("location", {}).get("dimensionRange")
        if (
            not rng
            or int(rng.get("sheetId", 0)) != sheet.sheet_id
            or rng.get("dimension") != dimension
        ):
            continue
        for index in range(rng.get("startIndex", 0), rng.get("endIndex", 0)):
            found.setdefault(index, []).append(metadata_out(meta))
    return found


def _dimension_list(
    calc: Calc, sheet: Sheet, dimension: str, indices: range, mask: fieldmask.Mask | None
) -> list[dict[str, Any]]:
    metas = sheet.row_meta if dimension == "ROWS" else sheet.col_meta
    pixels = DEFAULT_ROW_PIXELS if dimension == "ROWS" else DEFAULT_COLUMN_PIXELS
    attached = (
        _metadata_by_index(calc, sheet, dimension)
        if fieldmask.wants(mask, "developerMetadata")
        else {}
    )
    out = []
    for index in indices:
        meta = _dimension_meta(metas[index], pixels)
        if index in attached:
            meta["developerMetadata"] = copy.deepcopy(attached[index])
        out.append(meta)
    return out


def grid_data(
    calc: Calc, sheet: Sheet, rect: Rect, mask: fieldmask.Mask | None = None
) -> dict[str, Any]:
    """GridData of one rectangle; `mask` is the part of a fields mask below `data`."""
    bounded = rect.clamp(sheet.row_count, sheet.col_count)
    assert bounded.start_row is not None and bounded.end_row is not None
    assert bounded.start_col is not None and bounded.end_col is not None
    out: dict[str, Any] = {}
    if bounded.start_row:
        out["startRow"] = bounded.start_row
    if bounded.start_col:
        out["startColumn"] = bounded.start_col
    if fieldmask.wants(mask, "rowData"):
        renderer = _CellRenderer(calc, fieldmask.child(mask, "rowData", "values"))
        rows: list[dict[str, Any]] = []
        columns = range(bounded.start_col, bounded.end_col)
        for r in range(bounded.start_row, min(bounded.end_row, len(sheet.rows))):
            stored = sheet.rows[r]
            last = min(bounded.end_col, len(stored))
            while last > bounded.start_col and not stored[last - 1]:
                last -= 1
            values = [renderer.cell(sheet, r, c) for c in columns if c < last]
            rows.append({"values": values} if values else {})
        while rows and not rows[-1]:
            rows.pop()
        if rows:
            out["rowData"] = rows
    if fieldmask.wants(mask, "rowMetadata"):
        indices = range(bounded.start_row, bounded.end_row)
        rows_meta = _dimension_list(
            calc, sheet, "ROWS", indices, fieldmask.child(mask, "rowMetadata")
        )
        if rows_meta:
            out["rowMetadata"] = rows_meta
    if fieldmask.wants(mask, "columnMetadata"):
        indices = range(bounded.start_col, bounded.end_col)
        cols_meta = _dimension_list(
            calc, sheet, "COLUMNS", indices, fieldmask.child(mask, "columnMetadata")
        )
        if cols_meta:
            out["columnMetadata"] = cols_meta
    return out
