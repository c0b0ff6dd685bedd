"""Merging incoming rows into the sheet's rows, cell by cell, never losing a typed value.

Rules (push semantics):
- rows are identified by handle (without '@', case and surrounding space);
- a cell changes only when the file brings a value that differs from the sheet's;
  an empty input cell never blanks a filled sheet cell;
- rows in the sheet but not in the file stay as they are;
- a cell holding a teammate's formula is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .a1 import a1, tab_a1
from .importer import ImportedRow
from .layout import is_blank
from .report import CellChange, Problem
from .sheet_rows import SheetState
from .template import Template
from .values import Value, values_equal


@dataclass
class MergedRow:
    tab_key: str
    grid_row: int
    handle_id: str | None
    values: dict[str, Value]
    is_new: bool = False
    changed: bool = False  # this push changes an input value of the row
    unreadable: bool = False  # an input cell cannot be read: derived cells stay empty


@dataclass
class MergeResult:
    rows: list[MergedRow]
    input_writes: dict[str, dict[tuple[int, int], Value]]  # tab key -> cells
    changes: dict[str, list[CellChange]]  # tab key -> input cells changed
    rows_added: dict[str, int]
    problems: list[Problem] = field(default_factory=list)


def merge_rows(state: SheetState, incoming: list[ImportedRow], template: Template,
               layouts: dict[str, dict[str, int]]) -> MergeResult:
    """Apply `incoming` to the sheet's rows.

    `layouts` gives, per category tab, the column of every template key after this
    push (missing columns already placed at the end).
    """
    merged: dict[tuple[str, int], MergedRow] = {}
    by_handle: dict[str, MergedRow] = {}
    for tab in state.tabs.values():
        for row in tab.rows:
            item = MergedRow(tab.key, row.grid_row, row.handle_id, dict(row.values),
                             unreadable=bool(row.unreadable or row.unknown))
            merged[(tab.key, row.grid_row)] = item
            if row.handle_id and not state.ambiguous(row.handle_id):
                by_handle[row.handle_id] = item
    formulas = {(tab.key, row.grid_row, key) for tab in state.tabs.values() for row in tab.rows
                for key in row.formulas}

    result = MergeResult([], {k: {} for k in state.tabs}, {k: [] for k in state.tabs},
                         {k: 0 for k in state.tabs})
    next_row = {key: tab.layout.end_row for key, tab in state.tabs.items()}
    for incoming_row in incoming:
        if state.ambiguous(incoming_row.handle_id):
            result.problems.append(Problem(
                incoming_row.where,
                f"handle {incoming_row.values['handle']!r} is in more than one row of the "
                "workbook; the row was not used until only one is left",
            ))
            continue
        target = by_handle.get(incoming_row.handle_id)
        if target is None:
            tab_key = incoming_row.category
            if not _room_for_row(state, tab_key, next_row[tab_key]):
                tab = state.tabs[tab_key]
                result.problems.append(Problem(
                    incoming_row.where,
                    f"no room for a new row on tab {tab.title!r}: row {next_row[tab_key] + 2} "
                    "below the table holds other content; move it down (leave one empty row "
                    "under the table) and push again",
                ))
                continue
            target = MergedRow(tab_key, next_row[tab_key], incoming_row.handle_id, {},
                               is_new=True, changed=True)
            next_row[tab_key] += 1
            merged[(tab_key, target.grid_row)] = target
            by_handle[incoming_row.handle_id] = target
            result.rows_added[tab_key] += 1
        elif target.tab_key != incoming_row.category:
            tab_title = state.tabs[target.tab_key].title
            result.problems.append(Problem(
                incoming_row.where,
                f"{incoming_row.values['handle']!r} is on tab {tab_title!r} (row "
                f"{target.grid_row + 1}) but the file says "
                f"{template.category_tabs[incoming_row.category]!r}; it was updated where it "
                "is: move the row by hand to change its category",
                severity="warning",
            ))
        _apply(target, incoming_row, template, layouts[target.tab_key], formulas, result, state)
    result.rows = list(merged.values())
    return result


def _room_for_row(state: SheetState, tab_key: str, row: int) -> bool:
    """A new row goes to `row` only if it and the row under it are empty.

    The empty row under the table keeps it apart from whatever a teammate keeps below.
    """
    grid = state.tabs[tab_key].grid
    if grid is None:
        return True
    return all(is_blank(grid.cell(r, c)) for r in (row, row + 1)
               for c in range(len(grid.rows[r]) if r < len(grid.rows) else 0))


def _apply(target: MergedRow, incoming: ImportedRow, template: Template, layout: dict[str, int],
           formulas: set[tuple[str, int, str]], result: MergeResult, state: SheetState) -> None:
    title = state.tabs[target.tab_key].title
    for key, value in incoming.values.items():
        current = target.values.get(key)
        if key == "handle" and not target.is_new:
            continue  # same identity; the sheet keeps its spelling
        if values_equal(current, value):
            continue
        col = layout[key]
        if (target.tab_key, target.grid_row, key) in formulas:
            result.problems.append(Problem(
                tab_a1(title, target.grid_row, col),
                f"holds a formula; the value {value!r} from {incoming.where} was not written",
                severity="warning",
            ))
            continue
        target.values[key] = value
        target.changed = True
        result.input_writes[target.tab_key][(target.grid_row, col)] = value
        if not target.is_new:
            result.changes[target.tab_key].append(CellChange(
                title, a1(target.grid_row, col), template.by_key[key].header, current, value))
    if target.unreadable and not target.is_new:
        tab = state.tabs[target.tab_key]
        sheet_row = next(r for r in tab.rows if r.grid_row == target.grid_row)
        still_bad = {k for k in sheet_row.unreadable | sheet_row.unknown
                     if (target.grid_row, layout[k]) not in result.input_writes[target.tab_key]}
        target.unreadable = bool(still_bad)
