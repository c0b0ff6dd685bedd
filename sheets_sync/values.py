"""Reading one cell as the value its column expects: human numbers, percents, yes/no, choices.

Every parser returns the clean value or raises CellValueError with what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from .cell_text import handle_text
from .template import Column, ColumnType

EMPTY_MARKERS = frozenset(
    {"", "n/a", "na", "none", "null", "nil", "-", "--", "\u2014", "\u2013", "?", "#n/a"}
)

_SUFFIX = {"k": Decimal(1_000), "m": Decimal(1_000_000), "b": Decimal(1_000_000_000),
           "万": Decimal(10_000), "亿": Decimal(100_000_000),
           "萬": Decimal(10_000), "億": Decimal(100_000_000)}  # traditional (Big5) spellings
_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)\s*([kmb万亿萬億]?)\s*(%?)$", re.IGNORECASE)
_ERROR_VALUE = re.compile(r"^#(?:REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|N/A|ERROR!|SPILL!|CALC!)$",
                          re.IGNORECASE)
_YES = frozenset({"yes", "y", "true", "1", "x", "✓", "✔", "是", "有"})
_NO = frozenset({"no", "n", "false", "0", "否", "无", "没有"})

Value = str | int | float | dt.date | None

# Google Sheets and Excel keep 15 significant digits ("Number precision: 15 digits",
# https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3;
# Sheets stores IEEE doubles the same way): from 10^15 up a whole number is no longer kept
# digit for digit, and no follower or view count comes near it. Such a cell is refused.
MAX_NUMBER = Decimal(10) ** 15
SIGNIFICANT_DIGITS = 15


class CellValueError(ValueError):
    """A cell that cannot be read as its column's type; the message says what was expected."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def expectation(column: Column) -> str:
    return _expected(column.type, column.choices)


def _expected(kind: ColumnType, choices: tuple[str, ...]) -> str:
    match kind:
        case ColumnType.INTEGER:
            return "a whole number >= 0, like 12500, 12,500, 12.5K or 1.2M"
        case ColumnType.NUMBER:
            return "a number >= 0, like 830, 1,234.5, 12.5K or 1.2M"
        case ColumnType.PERCENT:
            return "a percent from 0% to 100%, like 45.6% or 0.456"
        case ColumnType.ENUM | ColumnType.YESNO:
            return "one of " + ", ".join(choices)
        case ColumnType.DATE:
            return "a date like 2026-03-31"
        case _:
            return "text"


def is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and raw.strip().casefold() in EMPTY_MARKERS


def _decimal(raw: Any, allow_percent_sign: bool) -> tuple[Decimal, bool]:
    """Parse '12.5K', '1,234', '45.6%', ' 300 ' -> (Decimal, had_percent_sign)."""
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise ValueError
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw), False
    if not isinstance(raw, str):
        raise ValueError
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?\s*[kmb万亿萬億]?%?", text, re.IGNORECASE):
        text = text.replace(",", "")
    match = _NUMBER.match(text)
    if not match:
        raise ValueError
    sign, digits, suffix, percent = match.groups()
    if percent and not allow_percent_sign:
        raise ValueError
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise ValueError from None
    if suffix:
        number *= _SUFFIX[suffix.lower()]
    if sign == "-":
        number = -number
    return number, bool(percent)


def parse_value(raw: Any, column: Column) -> Value:
    """The clean value of one cell for its column; None for an empty cell.

    Raises CellValueError when the content is not what the column expects.
    """
    if isinstance(raw, str):
        return _parse_text(raw, column.type, column.choices)
    return _parse(raw, column.type, column.choices)


@lru_cache(maxsize=65536)
def _parse_text(raw: str, kind: ColumnType, choices: tuple[str, ...]) -> Value:
    # Exports repeat the same strings (yes, ugc, 12.5K) thousands of times.
    return _parse(raw, kind, choices)


def _parse(raw: Any, kind: ColumnType, choices: tuple[str, ...]) -> Value:
    if is_empty(raw):
        return None
    if isinstance(raw, str) and _ERROR_VALUE.match(raw.strip()) and kind is not ColumnType.TEXT:
        raise CellValueError(_expected(kind, choices) + f" (found the error value {raw.strip()})")
    if kind is ColumnType.TEXT:
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat()
        return str(raw).strip() if isinstance(raw, str) else str(raw)
    if kind.is_numeric:
        if isinstance(raw, dt.date):
            raise CellValueError(_expected(kind, choices) + " (found a date)")
        try:
            number, had_percent = _decimal(raw, allow_percent_sign=kind is ColumnType.PERCENT)
        except ValueError:
            raise CellValueError(_expected(kind, choices)) from None
        if number < 0:
            raise CellValueError(_expected(kind, choices) + " (found a negative number)")
        if number >= MAX_NUMBER:
            raise CellValueError(_expected(kind, choices) + " (found a number of "
                                 f"{_whole_digits(number):,} digits; a spreadsheet keeps "
                                 f"{SIGNIFICANT_DIGITS} significant digits, so it must be "
                                 "below 1,000,000,000,000,000)")
        if kind is ColumnType.PERCENT:
            # '45.6%' and '45.6' both mean 45.6%; '0.456' is already a fraction.
            fraction = number / 100 if had_percent or number > 1 else number
            if fraction > 1:
                raise CellValueError(_expected(kind, choices))
            return float(fraction)
        if kind is ColumnType.INTEGER:
            whole = number.to_integral_value()
            scaled = isinstance(raw, str) and re.search(r"[kmb万亿萬億]\s*$", raw.strip(), re.I)
            if whole != number and not scaled:
                raise CellValueError(_expected(kind, choices) + " (found a fraction)")
            return int(whole)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind in (ColumnType.ENUM, ColumnType.YESNO):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = str(raw).strip().casefold()
        choice = _choices(choices).get(normalize_choice(text))
        if choice is not None:
            return choice
        if kind is ColumnType.YESNO:
            if text in _YES:
                return choices[0]
            if text in _NO:
                return choices[1]
        raise CellValueError(_expected(kind, choices))
    if kind is ColumnType.DATE:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            try:
                return serial_to_date(raw)
            except (OverflowError, ValueError):
                raise CellValueError(_expected(kind, choices) + " (found a number that is "
                                     "no date)") from None
        try:
            return dt.date.fromisoformat(str(raw).strip()[:10])
        except ValueError:
            raise CellValueError(_expected(kind, choices)) from None
    raise CellValueError(_expected(kind, choices))  # pragma: no cover - every type is handled above


def _whole_digits(number: Decimal) -> int:
    return number.adjusted() + 1


@lru_cache(maxsize=256)
def _choices(choices: tuple[str, ...]) -> dict[str, str]:
    return {normalize_choice(choice): choice for choice in choices}


SPREADSHEET_EPOCH = dt.date(1899, 12, 30)


def serial_to_date(serial: float) -> dt.date:
    """A spreadsheet date serial (days since 1899-12-30, as Sheets and Excel count) -> date."""
    return SPREADSHEET_EPOCH + dt.timedelta(days=int(serial))


def normalize_choice(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def normalize_handle(raw: Any) -> str:
    """The identity of a handle: '@GlowLab ', 'glowlab', a full-width '\uff20GlowLab' and
    'glow\u200blab' are the same account. Every place that compares handles (the import,
    the sheet's rows, the push's memory, the Summary) goes through here, so a handle
    matches itself however a backend stores it."""
    return handle_text(raw).lstrip("@").strip().casefold()


_USERNAME = re.compile(r"[a-z0-9_.]+")


def handle_identity(raw: Any) -> str | None:
    """The identity of a handle cell, or None when the cell holds no handle.

    Placeholders such as 'N/A' or '-' are no handle; 'none' is a valid username.
    """
    if raw is None:
        return None
    identity = normalize_handle(raw)
    if not identity or (is_empty(raw) and not _USERNAME.fullmatch(identity)):
        return None
    return identity


def values_equal(a: Value, b: Value) -> bool:
    """Equality of clean values, tolerant of float round-off and int/float/date-time spelling."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)
    if isinstance(a, dt.datetime):
        a = a.date()
    if isinstance(b, dt.datetime):
        b = b.date()
    return type(a) is type(b) and a == b


def clean_value(value: Any) -> Value:
    """A computed value as a cell takes it: numpy scalars unwrapped, NaN and None empty."""
    if value is None:
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# Text a spreadsheet program would run as a formula when it opens a CSV (OWASP, "CSV
# Injection": https://owasp.org/www-community/attacks/CSV_Injection).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula_text(text: str) -> str:
    """`=HYPERLINK(...)` -> `'=HYPERLINK(...)`: shown as text, never run."""
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def unescape_formula_text(text: str) -> str:
    """The inverse, so a pulled CSV pushes back unchanged."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_LEADS) else text
