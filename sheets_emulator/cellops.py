"""Writing cells: CellData with field masks, and plain values from the values API."""

from __future__ import annotations

import copy
from typing import Any

from . import fieldmask
from .cellvalues import parse_raw, parse_user_entered
from .errors import RequestError
from .models import Cell, Sheet
from .normalize import colors

CELL_FIELDS = frozenset(
    {
        "userEnteredValue",
        "userEnteredFormat",
        "note",
        "dataValidation",
        "hyperlink",
        "textFormatRuns",
        "pivotTable",
        "dataSourceTable",
        "dataSourceFormula",
        "effectiveValue",
        "formattedValue",
        "effectiveFormat",
        "chipRuns",
    }
)
_OUTPUT_ONLY = ("effectiveValue", "formattedValue", "effectiveFormat", "hyperlink")


def normalize_validation(rule: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(rule)
    if not out.get("showCustomUi"):
        out.pop("showCustomUi", None)
    if not out.get("strict"):
        out.pop("strict", None)
    condition = out.get("condition", {})
    if "values" in condition:
        condition["values"] = [
            {k: str(v) if k == "userEnteredValue" else v for k, v in item.items()}
            for item in condition["values"]
        ]
    return out


def normalize_cell(cell: Cell) -> Cell:
    """Clean a stored cell: formats with 8-bit colours, empty members dropped."""
    out: Cell = {}
    for key, value in cell.items():
        if key in _OUTPUT_ONLY:
            continue
        if key == "userEnteredFormat":
            value = colors(value)
            if not value:
                continue
        elif key == "dataValidation":
            value = normalize_validation(value)
        elif key == "note" and value == "":
            continue
        elif key == "userEnteredValue":
            value = _entered(value)
            if value is None:
                continue
        out[key] = value
    return out


def _entered(value: dict[str, Any]) -> dict[str, Any] | None:
    if not value:
        return None
    if "formulaValue" in value:
        formula = str(value["formulaValue"])
        if not formula.startswith("="):
            return {"stringValue": formula}
        return {"formulaValue": formula}
    if "numberValue" in value:
        number = float(value["numberValue"])
        return {
            "numberValue": int(number) if number.is_integer() and abs(number) < 2**53 else number
        }
    if "stringValue" in value:
        return {"stringValue": str(value["stringValue"])}
    if "boolValue" in value:
        return {"boolValue": bool(value["boolValue"])}
    if "errorValue" in value:
        return {"errorValue": value["errorValue"]}
    return None


def check_mask(mask: fieldmask.Mask, kind: str = "fields") -> None:
    for name in mask:
        if name != "*" and name not in CELL_FIELDS:
            raise RequestError(f"Invalid field mask: {kind} contains unknown field '{name}'.")


def prepare_mask(mask: fieldmask.Mask) -> fieldmask.Mask:
    """A CellData mask checked and widened to keep colour twins in step."""
    check_mask(mask)
    return fieldmask.with_color_twins(mask)


def apply_cell(sheet: Sheet, row: int, col: int, prepared: Cell, mask: fieldmask.Mask) -> None:
    """Write the masked members of a normalized CellData (see normalize_cell, prepare_mask).

    Masked members the data lacks are cleared, as Google does.
    """
    updated = fieldmask.apply(sheet.cell(row, col), prepared, mask, share=True)
    fmt = updated.get("userEnteredFormat")
    if fmt is not None and not fmt:
        del updated["userEnteredFormat"]
    sheet.set_cell(row, col, updated or None)


def write_value(sheet: Sheet, row: int, col: int, value: Any, input_option: str) -> None:
    """Write one value from the values API (RAW or USER_ENTERED); formats and notes stay."""
    current = dict(sheet.cell(row, col) or {})
    if input_option == "RAW":
        entered, implied = parse_raw(value), None
    else:
        entered, implied = parse_user_entered(value)
    if entered is None:
        current.pop("userEnteredValue", None)
    else:
        current["userEnteredValue"] = entered
    if implied is not None:
        fmt = dict(current.get("userEnteredFormat") or {})
        fmt["numberFormat"] = implied
        current["userEnteredFormat"] = fmt
    sheet.set_cell(row, col, current or None)


def clear_values(sheet: Sheet, start_row: int, end_row: int, start_col: int, end_col: int) -> None:
    for r in range(start_row, min(end_row, len(sheet.rows))):
        cells = sheet.rows[r]
        for c in range(start_col, min(end_col, len(cells))):
            cell = cells[c]
            if cell and "userEnteredValue" in cell:
                rest = {k: v for k, v in cell.items() if k != "userEnteredValue"}
                cells[c] = rest or None
