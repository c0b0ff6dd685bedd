"""Checking a write after it landed, and putting right what a concurrent edit displaced.

The Sheets API writes cells by position. If a teammate sorts rows, inserts a row or
moves a column between a push's read and its write, values can land on the wrong
account. After writing, the push reads the sheet again and compares by identity
(handle and column header), not by position: every value it meant to write must
sit in its account's cell, and any cell of another account that now holds one of
its values gets back the value it had before. Derived cells are then recomputed by
an ordinary re-plan.
"""

from __future__ import annotations

from typing import Any

from .layout import TableLayout, is_blank, locate_table
from .planner import same_cell
from .template import Template
from .values import handle_identity
from .workbook import TabGrid, TabWrite, WorkbookGrid, WritePlan


def _find(workbook: WorkbookGrid, write: TabWrite) -> TabGrid | None:
    if write.tab_id is not None:
        found = next((t for t in workbook.tabs if t.tab_id == write.tab_id), None)
        if found is not None:
            return found
    return workbook.find(write.title)


def checked_tabs(plan: WritePlan) -> list[TabWrite]:
    """The writes a check looks at: category tabs with cells written."""
    return [w for w in plan.tabs if w.is_category and w.cells]


def landed_as_planned(before: WorkbookGrid, plan: WritePlan, after: WorkbookGrid) -> bool:
    """Whether the header row and the handle column of every checked tab read after the
    write are what the read and the write together make them. If so, no row moved and no
    column moved in between, so every value sits on the account and column it was meant
    for; if not, the whole tabs are read and compared (`repair_plan`). `after` needs the
    header rows and the handle columns only."""
    for write in checked_tabs(plan):
        after_tab = _find(after, write)
        before_tab = _find(before, write) or (TabGrid(write.title, []) if write.create else None)
        if after_tab is None or before_tab is None:
            return False
        handle_col = write.layout["handle"]
        expected_header = {c: v for c, v in enumerate(before_tab.header) if not is_blank(v)}
        if write.create:
            expected_header.update({col: column.header for column in write.columns
                                    if (col := write.layout.get(column.key)) is not None})
        expected_header.update({c: v for c, v in write.header_cells.items()})
        expected_header.update({c: v for (r, c), v in write.cells.items() if r == 0})
        if expected_header != {c: v for c, v in enumerate(after_tab.header) if not is_blank(v)}:
            return False
        expected = {r: handle_identity(before_tab.cell(r, handle_col))
                    for r in range(1, len(before_tab.rows))}
        expected.update({r: handle_identity(v) for (r, c), v in write.cells.items()
                         if c == handle_col and r > 0})
        found = {r: handle_identity(after_tab.cell(r, handle_col))
                 for r in range(1, len(after_tab.rows))}
        if {r: h for r, h in expected.items() if h} != {r: h for r, h in found.items() if h}:
            return False
    return True


def repair_plan(before: WorkbookGrid, plan: WritePlan, after: WorkbookGrid,
                template: Template) -> WritePlan:
    """The cell writes that undo displaced values; empty when every write landed right."""
    repairs = []
    for write in plan.tabs:
        if not write.is_category or not write.cells:
            continue
        after_tab = _find(after, write)
        if after_tab is None:
            continue
        fix, layout = _tab_repairs(_find(before, write), write, after_tab, template)
        if fix:
            repairs.append(TabWrite(write.key, after_tab.title, write.columns, layout.columns,
                                    len(layout.data_rows), cells=fix, is_category=True))
    return WritePlan(repairs)


def _tab_repairs(before_tab: TabGrid | None, write: TabWrite, after_tab: TabGrid,
                 template: Template) -> tuple[dict[tuple[int, int], Any], TableLayout]:
    """The fixes, and the table as the write found it (across the rows a teammate emptied)."""
    key_at = {col: key for key, col in write.layout.items()}
    handle_col = write.layout["handle"]

    def intended_handle(row: int) -> str | None:
        if (row, handle_col) in write.cells:
            return handle_identity(write.cells[(row, handle_col)])
        return handle_identity(before_tab.cell(row, handle_col)) if before_tab else None

    intended: dict[tuple[str, str], Any] = {}
    for (row, col), value in write.cells.items():
        handle, key = intended_handle(row), key_at.get(col)
        if row > 0 and handle and key:
            intended[(handle, key)] = value

    before_rows: dict[str, int] = {}
    if before_tab is not None:
        for r in range(1, len(before_tab.rows)):
            if (h := handle_identity(before_tab.cell(r, handle_col))):
                before_rows.setdefault(h, r)
    known = set(before_rows) | {h for h, _ in intended}
    after_layout = locate_table(after_tab, after_tab.title, template.columns, known)
    after_key_at = {col: key for key, col in after_layout.columns.items()}
    after_handle_col = after_layout.columns.get("handle")
    if after_handle_col is None:
        return {}, after_layout
    after_rows = {h: r for r in after_layout.data_rows
                  if (h := handle_identity(after_tab.cell(r, after_handle_col)))}

    fix: dict[tuple[int, int], Any] = {}
    for (row, col), value in write.cells.items():
        handle, key = intended_handle(row), key_at.get(col)
        if row == 0 or not handle or not key:
            continue
        there_handle = handle_identity(after_tab.cell(row, after_handle_col))
        there_key = after_key_at.get(col)
        displaced = (there_handle, there_key) != (handle, key)
        if displaced and there_key and same_cell(after_tab.cell(row, col), value) and \
                not same_cell(intended.get((there_handle, there_key), _MISSING), value):
            # A row without a handle is one a teammate inserted: it held nothing of ours.
            before_row = before_rows.get(there_handle) if there_handle else None
            before_col = write.layout.get(there_key)
            original = (before_tab.cell(before_row, before_col)
                        if before_tab is not None and before_row is not None
                        and before_col is not None else None)
            fix[(row, col)] = original
    if before_tab is not None:
        _place_new_rows(before_tab, write, after_tab, after_layout, before_rows, after_rows,
                        fix)
    for (handle, key), value in intended.items():
        row, col = after_rows.get(handle), after_layout.columns.get(key)
        if row is not None and col is not None and not same_cell(after_tab.cell(row, col), value):
            fix[(row, col)] = value
    return fix, after_layout


def _place_new_rows(before_tab: TabGrid, write: TabWrite, after_tab: TabGrid,
                    after_layout: TableLayout, before_rows: dict[str, int],
                    after_rows: dict[str, int], fix: dict[tuple[int, int], Any]) -> None:
    """Accounts this write added in rows that were empty when it read.

    A row inserted above them meanwhile moves an account into such a row, and the write
    lands on it: the account is restored there from what was read, and the new account
    goes to the first empty row after the table. A column moved meanwhile leaves the new
    account's handle in another column: its row is still its own."""
    handle_col = write.layout["handle"]
    after_handle_col = after_layout.columns["handle"]
    after_key_at = {col: key for key, col in after_layout.columns.items()}
    next_free = max([after_layout.end_row, *(r + 1 for r in after_rows.values())])
    for row in sorted({r for r, c in write.cells if c == handle_col}):
        if row in before_rows.values() or not all(is_blank(v) for v in before_tab.row(row)):
            continue  # not a row this write added
        handle = handle_identity(write.cells[(row, handle_col)])
        if not handle:
            continue
        lost = _overwritten_account(before_rows, after_rows, row)
        if lost is not None:
            for col, key in after_key_at.items():
                fix[(row, col)] = before_tab.cell(before_rows[lost], write.layout[key]) \
                    if key in write.layout else None
            after_rows[lost] = row
            after_rows[handle] = next_free
            next_free += 1
        elif handle not in after_rows:
            there = handle_identity(after_tab.cell(row, after_handle_col))
            if not there or there not in before_rows:
                after_rows[handle] = row


def _overwritten_account(before_rows: dict[str, int], after_rows: dict[str, int],
                         row: int) -> str | None:
    """The account read elsewhere that a row insertion moved into `row`, where this write
    then landed: a missing account whose neighbours moved so that it would sit there now.
    An account a teammate deleted would sit somewhere else, and stays deleted."""
    by_before = sorted((r, h) for h, r in before_rows.items())
    for index, (before_row, handle) in enumerate(by_before):
        if handle in after_rows:
            continue
        above = next(((r, h) for r, h in reversed(by_before[:index]) if h in after_rows), None)
        below = next(((r, h) for r, h in by_before[index + 1:] if h in after_rows), None)
        if above is not None:
            predicted = after_rows[above[1]] + (before_row - above[0])
        elif below is not None:
            predicted = after_rows[below[1]] - (below[0] - before_row)
        else:
            continue
        if predicted == row:
            return handle
    return None


_MISSING = object()
