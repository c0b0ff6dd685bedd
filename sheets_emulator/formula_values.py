"""Values inside formulas: errors, ranges, coercions and Sheets' ordering of mixed types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .a1 import Rect
from .numfmt import general

ERROR_TYPES = {
    "#ERROR!": "ERROR",
    "#NULL!": "NULL_VALUE",
    "#DIV/0!": "DIVIDE_BY_ZERO",
    "#VALUE!": "VALUE",
    "#REF!": "REF",
    "#NAME?": "NAME",
    "#NUM!": "NUM",
    "#N/A": "N_A",
}


@dataclass(frozen=True)
class FormulaError:
    code: str
    message: str = ""

    @property
    def type(self) -> str:
        return ERROR_TYPES.get(self.code, "ERROR")


Scalar = float | str | bool | FormulaError | None


class Resolver(Protocol):
    """What a formula needs from the spreadsheet around it."""

    def cell(self, sheet: str | None, row: int, col: int) -> Scalar: ...

    def grid(self, sheet: str | None, rect: Rect) -> list[list[Scalar]]: ...

    def named(self, name: str) -> tuple[str, Rect] | None: ...

    def today(self) -> float: ...


class Failure(Exception):
    """Raised inside evaluation; evaluate() turns it into its FormulaError."""

    def __init__(self, error: FormulaError) -> None:
        super().__init__(error.code)
        self.error = error


@dataclass
class RangeValue:
    rows: list[list[Scalar]]

    def flat(self) -> list[Scalar]:
        return [v for row in self.rows for v in row]


def raise_if_error(value: Any) -> None:
    if isinstance(value, FormulaError):
        raise Failure(value)


def to_number(value: Any) -> float:
    if isinstance(value, RangeValue):
        value = value.rows[0][0] if value.rows and value.rows[0] else None
    raise_if_error(value)
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    try:
        if text.endswith("%"):
            return float(text[:-1].replace(",", "")) / 100
        return float(text.replace(",", ""))
    except ValueError:
        raise Failure(
            FormulaError("#VALUE!", f"Function expects number values. But '{value}' is a text.")
        ) from None


def to_text(value: Any) -> str:
    if isinstance(value, RangeValue):
        value = value.rows[0][0] if value.rows and value.rows[0] else None
    raise_if_error(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float | int):
        return general(float(value))
    return str(value)


def to_bool(value: Any) -> bool:
    if isinstance(value, RangeValue):
        value = value.rows[0][0] if value.rows and value.rows[0] else None
    raise_if_error(value)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    upper = str(value).strip().upper()
    if upper in ("TRUE", "FALSE"):
        return upper == "TRUE"
    raise Failure(
        FormulaError("#VALUE!", f"Function expects boolean values. But '{value}' is a text.")
    )


def scalar_of(value: Any) -> Scalar:
    if isinstance(value, RangeValue):
        return value.rows[0][0] if value.rows and value.rows[0] else None
    return value


def _rank(value: Scalar) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        return 3
    if isinstance(value, int | float):
        return 1
    return 2


def _blank_like(other: Scalar) -> Scalar:
    if isinstance(other, bool):
        return False
    if isinstance(other, str):
        return ""
    return 0.0


def compare(left: Scalar, right: Scalar) -> int:
    """Sheets' ordering: numbers < text < booleans; blank equals 0, "" and FALSE."""
    if left is None and right is None:
        return 0
    if left is None:
        left = _blank_like(right)
    if right is None:
        right = _blank_like(left)
    rl, rr = _rank(left), _rank(right)
    if rl != rr:
        return -1 if rl < rr else 1
    if isinstance(left, str) and isinstance(right, str):
        a, b = left.lower(), right.lower()
    else:
        a, b = left, right  # type: ignore[assignment]
    if a == b:
        return 0
    return -1 if a < b else 1  # type: ignore[operator]


def arity(name: str, args: list[Any], low: int, high: int) -> None:
    if not low <= len(args) <= high:
        raise Failure(
            FormulaError(
                "#N/A",
                f"Wrong number of arguments to {name}. "
                f"Expected {low} arguments, but got {len(args)}.",
            )
        )
