"""Merging incoming rows into the sheet's rows, cell by cell, never losing a typed value.

Rows are identified by handle (without '@', case and surrounding space). Per cell,
with the base the last push left (sync_state):

| sheet since last push | file vs base     | result                                     |
|-----------------------|------------------|--------------------------------------------|
| unchanged             | changed          | the file's value                           |
| changed               | unchanged        | the sheet's value                          |
| changed               | changed, differs | conflict: the sheet's value stays, reported|
| any                   | empty            | the sheet's value (never blanked)          |

`--prefer file|sheet` settles conflicts. Without a base (a row the last push did
not see) the file's value wins where it differs. Rows in the sheet but not in the
file stay. A row a teammate deleted since the last push is not brought back (unless
`restore`). A teammate's formula is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .a1 import a1, tab_a1
from .importer import ImportedRow
from .layout import is_blank
from .report import CellChange, Conflict, Problem
from .sheet_rows import SheetRow, SheetState
from .sync_state import SyncState, value_hash
from .template import Template
from .values import Value, values_equal

Prefer = Literal["file", "sheet"] | None


@dataclass
class MergedRow:
    tab_key: str
    grid_row: int
    handle_id: str | None
    values: dict[str, Value]
    is_new: bool = False
    changed: bool = False  # an input value changed, by this push or in the sheet since the last
    unreadable: bool = False  # an input cell cannot be read: derived cells stay empty
    base: dict[str, str] = field(default_factory=dict)  # the sheet's values after this push
    file_base: dict[str, str] = field(default_factory=dict)  # what files brought, after it
    sheet_edits: set[str] = field(default_factory=set)  # keys a teammate changed since the base
    conflicted: set[str] = field(default_factory=set)


@dataclass
class MergeResult:
    rows: list[MergedRow]
    input_writes: dict[str, dict[tuple[int, int], Value]]  # tab key -> cells
    changes: dict[str, list[CellChange]]  # tab key -> input cells changed
    rows_added: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    deleted: set[tuple[str, str]] = field(default_factory=set)  # rows teammates deleted


def _sheet_hashes(row: SheetRow, input_keys: list[str]) -> dict[str, str]:
    return {key: value_hash(row.raw_unreadable[key] if key in row.raw_unreadable
                            else row.values.get(key)) for key in input_keys}


def merge_rows(state: SheetState, incoming: list[ImportedRow], template: Template,
               layouts: dict[str, dict[str, int]], base: SyncState | None = None,
               prefer: Prefer = None, restore: bool = False) -> MergeResult:
    """Apply `incoming` to the sheet's rows.

    `layouts` gives, per category tab, the column of every template key after this
    push (missing columns already placed at the end). A column recreated by this push
    has no base: its header was renamed or deleted, so the file's values go in.
    """
    base = base or SyncState()
    input_keys = [c.key for c in template.input_columns]
    merged: dict[tuple[str, int], MergedRow] = {}
    by_handle: dict[str, MergedRow] = {}
    sheet_rows: dict[tuple[str, int], SheetRow] = {}
    for tab in state.tabs.values():
        for row in tab.rows:
            hashes = _sheet_hashes(row, input_keys)
            old = base.base(tab.key, row.handle_id) if row.handle_id else None
            item = MergedRow(tab.key, row.grid_row, row.handle_id, dict(row.values),
                             unreadable=bool(row.unreadable or row.unknown), base=hashes,
                             file_base=dict(base.file_base(tab.key, row.handle_id))
                             if row.handle_id else {})
            if old is not None:
                item.sheet_edits = {k for k in input_keys if hashes[k] != old.get(k, "")
                                    and k in tab.layout.columns}
            merged[(tab.key, row.grid_row)] = item
            sheet_rows[(tab.key, row.grid_row)] = row
            if row.handle_id and not state.ambiguous(row.handle_id):
                by_handle[row.handle_id] = item
    formulas = {(tab.key, row.grid_row, key) for tab in state.tabs.values() for row in tab.rows
                for key in row.formulas}

    result = MergeResult([], {k: {} for k in state.tabs}, {k: [] for k in state.tabs},
                         {k: 0 for k in state.tabs})
    known = base.known_handles
    result.deleted = {(tab, handle) for handle, tab in known.items() if handle not in by_handle
                      and not state.ambiguous(handle)}
    next_row = {key: tab.layout.end_row for key, tab in state.tabs.items()}
    for incoming_row in incoming:
        handle = incoming_row.handle_id
        if state.ambiguous(handle):
            result.problems.append(Problem(
                incoming_row.where,
                f"handle {incoming_row.values['handle']!r} is in more than one row of the "
                "workbook; the row was not used until only one is left",
            ))
            continue
        target = by_handle.get(handle)
        if target is None:
            tab_key = incoming_row.category
            was_deleted = handle in known and (known[handle], handle) in result.deleted
            if was_deleted and not restore:
                result.problems.append(Problem(
                    incoming_row.where,
                    f"{incoming_row.values['handle']!r} was deleted from the sheet since the "
                    "last push and was not added back; push with --restore to bring it back",
                    severity="warning",
                ))
                continue
            if not _room_for_row(state, tab_key, next_row[tab_key]):
                tab = state.tabs[tab_key]
                result.problems.append(Problem(
                    incoming_row.where,
                    f"no room for a new row on tab {tab.title!r}: row {next_row[tab_key] + 2} "
                    "below the table holds other content; move it down (leave one empty row "
                    "under the table) and push again",
                ))
                continue
            if was_deleted:
                result.deleted.discard((known[handle], handle))
            target = MergedRow(tab_key, next_row[tab_key], handle, {}, is_new=True, changed=True)
            next_row[tab_key] += 1
            merged[(tab_key, target.grid_row)] = target
            by_handle[handle] = target
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
        old_base = None if target.is_new else base.base(target.tab_key, handle)
        if old_base is not None:
            found = state.tabs[target.tab_key].layout.columns
            old_base = {k: v for k, v in old_base.items() if k in found}
        _apply(target, incoming_row, template, layouts[target.tab_key], formulas, result, state,
               old_base, prefer)
    for (tab_key, grid_row), row in merged.items():
        # Last Changed follows a teammate's edit too, but not a conflict still open.
        row.changed = row.changed or bool(row.sheet_edits - row.conflicted)
        if row.unreadable and not row.is_new:
            sheet_row = sheet_rows[(tab_key, grid_row)]
            written = result.input_writes[tab_key]
            layout = layouts[tab_key]
            still_bad = {k for k in sheet_row.unreadable | sheet_row.unknown
                         if (grid_row, layout[k]) not in written}
            row.unreadable = bool(still_bad)
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
           formulas: set[tuple[str, int, str]], result: MergeResult, state: SheetState,
           old_base: dict[str, str] | None, prefer: Prefer) -> None:
    title = state.tabs[target.tab_key].title
    pushed_before = dict(target.file_base)
    for key, value in incoming.values.items():
        current = target.values.get(key)
        if key == "handle" and not target.is_new:
            continue  # same identity; the sheet keeps its spelling
        file_hash = value_hash(value)
        if values_equal(current, value):
            target.file_base[key] = file_hash
            continue
        col = layout[key]
        if old_base is not None and key in old_base:
            file_changed = file_hash != pushed_before.get(key)
            sheet_changed = target.base.get(key, "") != old_base[key]
            if not file_changed:
                continue  # the file brings nothing new: the sheet's value stays
            if sheet_changed and prefer == "sheet":
                target.file_base[key] = file_hash  # settled: this value no longer conflicts
                continue
            if sheet_changed and prefer is None:
                result.conflicts.append(Conflict(
                    title, a1(target.grid_row, col), template.by_key[key].header,
                    current, value, incoming.where))
                target.base[key] = old_base[key]  # still in conflict on the next push
                target.conflicted.add(key)
                continue
        if (target.tab_key, target.grid_row, key) in formulas:
            result.problems.append(Problem(
                tab_a1(title, target.grid_row, col),
                f"holds a formula; the value {value!r} from {incoming.where} was not written",
                severity="warning",
            ))
            continue
        target.values[key] = value
        target.base[key] = file_hash
        target.file_base[key] = file_hash
        target.changed = True
        result.input_writes[target.tab_key][(target.grid_row, col)] = value
        if not target.is_new:
            result.changes[target.tab_key].append(CellChange(
                title, a1(target.grid_row, col), template.by_key[key].header, current, value))
    if target.is_new:
        target.base = {k: value_hash(target.values.get(k)) for k in template.by_key
                       if not template.by_key[k].derived}
