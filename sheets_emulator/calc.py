"""Effective values of cells (formulas evaluated) and their display text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .a1 import Rect
from .formula import evaluate
from .formula_values import ERROR_TYPES, FormulaError, Scalar
from .models import Cell, Sheet, Spreadsheet
from .numfmt import format_number, is_date_format, to_serial

_IN_PROGRESS = object()


def stored_scalar(value: dict[str, Any] | None) -> Scalar:
    if not value:
        return None
    if "numberValue" in value:
        return float(value["numberValue"])
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "errorValue" in value:
        error = value["errorValue"]
        code = _CODES_BY_TYPE.get(error.get("type", "ERROR"), "#ERROR!")
        return FormulaError(code, error.get("message", ""))
    return None


_CODES_BY_TYPE = {kind: code for code, kind in ERROR_TYPES.items()}


def scalar_json(value: Scalar) -> dict[str, Any] | None:
    """An effective value as ExtendedValue JSON."""
    if value is None:
        return None
    if isinstance(value, FormulaError):
        return {"errorValue": {"type": value.type, "message": value.message}}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        number = float(value)
        return {
            "numberValue": int(number) if number.is_integer() and abs(number) < 2**53 else number
        }
    return {"stringValue": value}


def number_format(cell: Cell | None) -> dict[str, Any] | None:
    if not cell:
        return None
    fmt = cell.get("userEnteredFormat") or {}
    return fmt.get("numberFormat")


class Calc:
    """Evaluates the cells of one spreadsheet, caching results for one reply."""

    def __init__(self, spreadsheet: Spreadsheet, today: dt.date | None = None) -> None:
        self.spreadsheet = spreadsheet
        self._cache: dict[tuple[int, int, int], Any] = {}
        self._today = today or dt.date.today()

    def value(self, sheet: Sheet, row: int, col: int) -> Scalar:
        cell = sheet.cell(row, col)
        if not cell:
            return None
        entered = cell.get("userEnteredValue")
        if not entered:
            return None
        if "formulaValue" not in entered:
            return stored_scalar(entered)
        key = (sheet.sheet_id, row, col)
        cached = self._cache.get(key)
        if cached is _IN_PROGRESS:
            return FormulaError("#REF!", "Circular dependency detected.")
        if cached is not None or key in self._cache:
            return cached
        self._cache[key] = _IN_PROGRESS
        result = evaluate(str(entered["formulaValue"]), _SheetResolver(self, sheet))
        self._cache[key] = result
        return result

    def formatted(self, sheet: Sheet, row: int, col: int) -> str | None:
        value = self.value(sheet, row, col)
        return display(value, number_format(sheet.cell(row, col)))

    def today_serial(self) -> float:
        return to_serial(dt.datetime.combine(self._today, dt.time()))


class _SheetResolver:
    def __init__(self, calc: Calc, host: Sheet) -> None:
        self.calc = calc
        self.host = host

    def _sheet(self, title: str | None) -> Sheet:
        if title is None:
            return self.host
        sheet = self.calc.spreadsheet.sheet_by_title(title)
        if sheet is None:
            raise LookupError(title)
        return sheet

    def cell(self, sheet: str | None, row: int, col: int) -> Scalar:
        try:
            target = self._sheet(sheet)
        except LookupError:
            return FormulaError("#REF!", f"Unresolved sheet name '{sheet}'.")
        if row >= target.row_count or col >= target.col_count:
            return FormulaError("#REF!", "Reference does not exist.")
        return self.calc.value(target, row, col)

    def grid(self, sheet: str | None, rect: Rect) -> list[list[Scalar]]:
        try:
            target = self._sheet(sheet)
        except LookupError:
            return [[FormulaError("#REF!", f"Unresolved sheet name '{sheet}'.")]]
        bounded = rect.clamp(target.row_count, target.col_count)
        assert bounded.start_row is not None and bounded.end_row is not None
        assert bounded.start_col is not None and bounded.end_col is not None
        end_row = min(bounded.end_row, target.row_count)
        end_col = min(bounded.end_col, target.col_count)
        return [
            [self.calc.value(target, r, c) for c in range(bounded.start_col, end_col)]
            for r in range(bounded.start_row, end_row)
        ]

    def named(self, name: str) -> tuple[str, Rect] | None:
        folded = name.casefold()
        for named in self.calc.spreadsheet.named_ranges:
            if str(named.get("name", "")).casefold() == folded:
                rng = named.get("range", {})
                sheet = self.calc.spreadsheet.sheet_by_id(int(rng.get("sheetId", 0)))
                if sheet is None:
                    return None
                return sheet.title, Rect(
                    rng.get("startRowIndex"),
                    rng.get("endRowIndex"),
                    rng.get("startColumnIndex"),
                    rng.get("endColumnIndex"),
                )
        return None

    def today(self) -> float:
        return self.calc.today_serial()


def display(value: Scalar, fmt: dict[str, Any] | None) -> str | None:
    """FORMATTED_VALUE text of an effective value."""
    if value is None:
        return None
    if isinstance(value, FormulaError):
        return value.code
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return format_number(float(value), fmt)
    return value


def render(
    calc: Calc, sheet: Sheet, row: int, col: int, value_option: str, datetime_option: str
) -> Any:
    """One cell as the values API returns it; None for an empty cell."""
    cell = sheet.cell(row, col)
    if not cell:
        return None
    entered = cell.get("userEnteredValue") or {}
    if value_option == "FORMULA" and "formulaValue" in entered:
        return entered["formulaValue"]
    value = calc.value(sheet, row, col)
    if value is None:
        return None
    fmt = number_format(cell)
    if value_option == "FORMATTED_VALUE":
        return display(value, fmt)
    if isinstance(value, FormulaError):
        return value.code
    if isinstance(value, (bool, str)):
        return value
    number = float(value)
    if datetime_option == "FORMATTED_STRING" and is_date_format(fmt):
        return format_number(number, fmt)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number
