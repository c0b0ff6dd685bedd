"""validate and plan say how many of Google's 10,000,000 cells the workbook uses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

import sheets_sync
from sheets_sync.backends import open_backend
from sheets_sync.budget import GOOGLE_CELL_LIMIT, cell_budget
from sheets_sync.workbook import WorkbookGrid
from tests.conftest import EXAMPLES


def test_validate_and_plan_report_the_cell_budget(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=dt.date(2026, 3, 1))
    wb = load_workbook(book)
    used = sum(ws.max_row * ws.max_column for ws in wb.worksheets)
    history_width = wb["History"].max_column
    for report in (sheets_sync.validate(book), sheets_sync.plan(book)):
        (line,) = [n for n in report.notes if "cells a Google spreadsheet may hold" in n]
        assert f"uses {used:,} of the 10,000,000" in line
        assert f"about {30 * history_width:,} a month (30 accounts x {history_width} columns)" \
            in line
        months = (GOOGLE_CELL_LIMIT - used) // (30 * history_width)
        assert f"about {months // 12:,} years away" in line


def test_a_full_workbook_is_told_to_archive(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=dt.date(2026, 3, 1))
    bench = sheets_sync.load_benchmark(open_backend(book), sheets_sync.load_template())
    bench.grid = WorkbookGrid(bench.grid.tabs, cells_used=GOOGLE_CELL_LIMIT)
    assert "it is full" in cell_budget(bench)
