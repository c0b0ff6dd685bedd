"""The formula evaluator, number formats and how typed input becomes cell values."""

from __future__ import annotations

import pytest

from sheets_emulator.a1 import Rect
from sheets_emulator.cellvalues import parse_raw, parse_user_entered
from sheets_emulator.formula import evaluate
from sheets_emulator.formula_refs import shift_references
from sheets_emulator.formula_values import FormulaError, Scalar
from sheets_emulator.numfmt import format_number, general


class Grid:
    """A tiny spreadsheet: {(sheet, row, col): value}, Sheet1 by default."""

    def __init__(self, cells: dict[tuple[str, int, int], Scalar]) -> None:
        self.cells = cells

    def cell(self, sheet: str | None, row: int, col: int) -> Scalar:
        name = sheet or "Sheet1"
        if name not in {s for s, _, _ in self.cells}:
            return FormulaError("#REF!", "no sheet")
        return self.cells.get((name, row, col))

    def grid(self, sheet: str | None, rect: Rect) -> list[list[Scalar]]:
        bounded = rect.clamp(10, 5)
        assert bounded.start_row is not None and bounded.end_row is not None
        assert bounded.start_col is not None and bounded.end_col is not None
        return [
            [self.cell(sheet, r, c) for c in range(bounded.start_col, bounded.end_col)]
            for r in range(bounded.start_row, bounded.end_row)
        ]

    def named(self, name: str) -> tuple[str, Rect] | None:
        return ("Sheet1", Rect(0, 3, 0, 1)) if name.lower() == "scores" else None

    def today(self) -> float:
        return 46000.0


GRID = Grid(
    {
        ("Sheet1", 0, 0): 1.0,
        ("Sheet1", 1, 0): 2.0,
        ("Sheet1", 2, 0): "x",
        ("Sheet1", 0, 1): "3",
        ("Other sheet", 0, 0): 10.0,
    }
)


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        ("=1+2*3", 7.0),
        ("=(1+2)*3", 9.0),
        ("=2^3^2", 64.0),
        ("=-2^2", 4.0),
        ("=50%", 0.5),
        ('="a"&1&TRUE', "a1TRUE"),
        ("=A1+B1", 4.0),
        ("=$A$1*10", 10.0),
        ("='Other sheet'!A1+1", 11.0),
        ("=SUM(A1:A3)", 3.0),
        ("=SUM(A:A)", 3.0),
        ("=AVERAGE(A1:A2)", 1.5),
        ("=MIN(A1:A3,-1)", -1.0),
        ("=MAX(A1:A3)", 2.0),
        ("=COUNT(A1:B3)", 2.0),
        ('=IF(A1>0,"pos","neg")', "pos"),
        ("=IF(FALSE,1)", False),
        ("=AND(TRUE,A1)", True),
        ("=OR(FALSE,0)", False),
        ("=NOT(A1)", False),
        ("=ISNUMBER(A1)", True),
        ("=ISNUMBER(B1)", False),
        ("=ISBLANK(C1)", True),
        ('=LEN("hello")', 5.0),
        ("=ABS(-3)", 3.0),
        ("=ROUND(2.5)", 3.0),
        ("=ROUND(1.005,2)", 1.01),
        ("=TODAY()", 46000.0),
        ("=SUM(scores)", 3.0),
        ('="B"<"a"', False),
        ('=1<"a"', True),
        ("=C1=0", True),
        ('=IFERROR(1/0,"none")', "none"),
    ],
)
def test_formula_values(formula: str, value: Scalar) -> None:
    assert evaluate(formula, GRID) == value


@pytest.mark.parametrize(
    ("formula", "code"),
    [
        ("=1/0", "#DIV/0!"),
        ("=A3+1", "#VALUE!"),
        ("=NOSUCH(1)", "#NAME?"),
        ("=nothing", "#NAME?"),
        ("=Missing!A1", "#REF!"),
        ("=1+", "#ERROR!"),
        ("=SUM(1/0)", "#DIV/0!"),
        ("=AVERAGE(A3)", "#DIV/0!"),
    ],
)
def test_formula_errors(formula: str, code: str) -> None:
    result = evaluate(formula, GRID)
    assert isinstance(result, FormulaError) and result.code == code


def test_references_follow_inserted_and_deleted_rows() -> None:
    formula = "=SUM(A1:A10)+B5+$C$7+Other!A5"
    assert shift_references(formula, "S", "S", "ROWS", 4, 2) == "=SUM(A1:A12)+B7+$C$9+Other!A5"
    assert shift_references(formula, "S", "S", "ROWS", 4, -1) == "=SUM(A1:A9)+#REF!+$C$6+Other!A5"
    assert shift_references("=A1+D1", "S", "S", "COLUMNS", 1, 1) == "=A1+E1"
    assert shift_references("=S!B2", "T", "S", "ROWS", 0, 1) == "=S!B3"


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (1234.5, {"type": "NUMBER", "pattern": "#,##0"}, "1,235"),
        (1234.5, {"type": "NUMBER", "pattern": "#,##0.00"}, "1,234.50"),
        (0.0512, {"type": "PERCENT", "pattern": "0.0%"}, "5.1%"),
        (0.05, {"type": "PERCENT"}, "5.00%"),
        (3.14159, {"type": "NUMBER", "pattern": "0.00"}, "3.14"),
        (-3, {"type": "NUMBER", "pattern": "0.00;(0.00)"}, "(3.00)"),
        (43831, {"type": "DATE", "pattern": "yyyy-mm-dd"}, "2020-01-01"),
        (43832, {"type": "DATE", "pattern": "M/d/yyyy"}, "1/2/2020"),
        (43832, {"type": "DATE"}, "1/2/2020"),
        (43832.75, {"type": "DATE_TIME"}, "1/2/2020 18:00:00"),
        (0.5, {"type": "TIME"}, "12:00:00 PM"),
        (5, {"type": "CURRENCY"}, "$5.00"),
        (12345.678, {"type": "SCIENTIFIC"}, "1.23E+04"),
        (1.5, None, "1.5"),
    ],
)
def test_number_formats(value: float, fmt: dict[str, str] | None, text: str) -> None:
    assert format_number(value, fmt) == text


def test_general_format() -> None:
    assert [general(v) for v in (2.0, 0.12, 1 / 3, 2 / 3, 100 / 3, 1e15, -2.5)] == [
        "2",
        "0.12",
        "0.3333333333",
        "0.6666666667",
        "33.33333333",
        "1E+15",
        "-2.5",
    ]


@pytest.mark.parametrize(
    ("typed", "stored", "number_format"),
    [
        ("12", {"numberValue": 12}, None),
        ("-1.5e3", {"numberValue": -1500}, None),
        ("1,234", {"numberValue": 1234}, {"type": "NUMBER", "pattern": "#,##0"}),
        ("5%", {"numberValue": 0.05}, {"type": "PERCENT", "pattern": "0%"}),
        ("4.5%", {"numberValue": 0.045}, {"type": "PERCENT", "pattern": "0.00%"}),
        ("$1,200.50", {"numberValue": 1200.5}, {"type": "CURRENCY", "pattern": '"$"#,##0.00'}),
        ("2020-01-01", {"numberValue": 43831}, {"type": "DATE", "pattern": "yyyy-mm-dd"}),
        ("1/2/2020", {"numberValue": 43832}, {"type": "DATE", "pattern": "M/d/yyyy"}),
        ("true", {"boolValue": True}, None),
        ("'=1+1", {"stringValue": "=1+1"}, None),
        ("=1+1", {"formulaValue": "=1+1"}, None),
        ("12.5K", {"stringValue": "12.5K"}, None),
        ("2020-02-30", {"stringValue": "2020-02-30"}, None),
    ],
)
def test_user_entered_input(typed: str, stored: dict[str, object], number_format: object) -> None:
    assert parse_user_entered(typed) == (stored, number_format)


def test_raw_input_is_stored_as_given() -> None:
    assert parse_raw("=1+1") == {"stringValue": "=1+1"}
    assert parse_raw("5%") == {"stringValue": "5%"}
    assert parse_raw(3.0) == {"numberValue": 3}
    assert parse_raw(False) == {"boolValue": False}
    assert parse_raw("") is None
