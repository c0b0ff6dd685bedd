"""The cell-level change set of a push: merge the inputs, recompute, and diff against the sheet.

`plan_push` never writes; the write engine has a backend apply the returned WritePlan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .a1 import tab_a1
from .benchmark import OTHER_TABS, Benchmark
from .importer import ImportedRow
from .layout import TableLayout
from .merge import MergedRow, MergeResult, Prefer, merge_rows
from .metrics import NUMERIC_INPUTS, compute_metrics
from .remembered_template import remembered_template
from .report import Conflict, Problem, TabSummary
from .sheet_rows import SheetState
from .summary import summary_table
from .summary_layout import summary_sheet
from .sync_state import SyncState, plan_state_tab
from .template import Column, Template
from .values import CellValueError, Value, clean_value, parse_value, serial_to_date, values_equal
from .workbook import TabWrite, WritePlan, fresh_tab_id

# Rows a command appends to log tabs (History, Alerts, Context Notes), worked out from the
# accounts as this plan computes them: tab key -> rows of column key -> value.
Appends = Callable[[pd.DataFrame], dict[str, list[dict[str, Value]]]]
# Headers of the old one-table Summary found in its first row: that layout is replaced.
OLD_SUMMARY_MIN_HEADERS = 3


@dataclass
class PlannedPush:
    plan: WritePlan
    tabs: list[TabSummary]
    problems: list[Problem] = field(default_factory=list)
    accounts: pd.DataFrame | None = None  # merged inputs and derived metrics, one row per account
    conflicts: list[Conflict] = field(default_factory=list)
    merge: MergeResult | None = None


def placed_layout(layout: TableLayout,
                   columns: tuple[Column, ...]) -> tuple[dict[str, int], dict[int, str]]:
    """Where each template column sits after the write; missing ones go after the last header."""
    placed = dict(layout.columns)
    headers: dict[int, str] = {}
    next_col = layout.width
    for column in columns:
        if column.key not in placed:
            placed[column.key] = next_col
            headers[next_col] = column.header
            next_col += 1
    return placed, headers


def same_cell(current: Any, desired: Value) -> bool:
    """Whether a tool-owned cell already shows the desired value (floats to 1e-12)."""
    if desired is None:
        return current is None or (isinstance(current, str) and not current.strip())
    if isinstance(current, dt.datetime):
        current = current.date()
    if isinstance(desired, dt.date) and isinstance(current, int | float):
        try:
            current = serial_to_date(current)  # Google Sheets reads dates back as serials
        except (OverflowError, ValueError):
            return False  # a number no date can be: the tool's value replaces it
    if isinstance(desired, bool) or isinstance(current, bool):
        return current is desired
    return values_equal(current, desired)


def _accounts_frame(rows: list[MergedRow]) -> pd.DataFrame:
    records = [
        {"category": r.tab_key, "handle": r.values.get("handle"),
         **{k: r.values.get(k) for k in NUMERIC_INPUTS}}
        for r in rows
    ]
    frame = pd.DataFrame.from_records(records, columns=["category", "handle", *NUMERIC_INPUTS])
    for key in NUMERIC_INPUTS:
        frame[key] = pd.to_numeric(frame[key], errors="coerce").astype("float64")
    return frame


def plan_push(bench: Benchmark, incoming: list[ImportedRow], today: dt.date,
              prefer: Prefer = None, restore: bool = False,
              appends: Appends | None = None) -> PlannedPush:
    """Merge `incoming` into the benchmark, recompute, and plan the writes; `appends` adds
    rows to log tabs from the accounts as computed."""
    template, base, state, workbook = bench.template, bench.base, bench.sheet, bench.grid
    recreated: list[Problem] = []
    incoming, held = hold_over_long_rows(bench, incoming)
    layouts: dict[str, dict[str, int]] = {}
    writes: dict[str, TabWrite] = {}
    summaries: dict[str, TabSummary] = {}
    for key, tab in state.tabs.items():
        placed, headers = placed_layout(tab.layout, template.columns)
        layouts[key] = placed
        created = tab.grid is None
        writes[key] = TabWrite(key, tab.title, template.columns, placed, len(tab.layout.data_rows),
                               create=created, header_cells=headers, is_category=True)
        summaries[key] = TabSummary(tab.title, created=created,
                                    headers_added=[] if created else list(headers.values()))
        if not created and headers:
            recreated.append(Problem(
                tab.title, "column(s) " + ", ".join(repr(h) for h in headers.values())
                + " not found (renamed or deleted?); recreated at the end of the header row "
                "and filled from the pushed files", severity="warning"))

    merged = merge_rows(state, incoming, template, layouts, base, prefer, restore)
    problems = [*state.problems, *recreated, *held,
                *state.cell_problems(merged.input_writes), *merged.problems]

    rows = merged.rows
    frame = _accounts_frame(rows)
    derived = compute_metrics(frame, template)
    derived["last_changed"] = _plan_derived(state, merged, derived, template, layouts, writes,
                                            summaries, today)

    for key, write in writes.items():
        write.cells.update(merged.input_writes[key])
        for row in merged.rows:
            if row.is_new and row.tab_key == key:
                # A new row is written whole, blanks included: one block, formats on every cell.
                for col in layouts[key].values():
                    write.cells.setdefault((row.grid_row, col), None)
        write.data_rows += merged.rows_added[key]
        summaries[key].rows_added = merged.rows_added[key]
        summaries[key].handles_added = [
            str(row.values.get("handle") or row.handle_id) for row in merged.rows
            if row.is_new and row.tab_key == key]
        summaries[key].input_cells_changed = len(merged.input_writes[key])
        summaries[key].changes = merged.changes[key]

    accounts = pd.concat([frame, derived], axis=1)
    has_handle = np.array([r.handle_id is not None for r in rows], dtype=bool)
    accounts = accounts.loc[has_handle]
    for key in OTHER_TABS:
        write, summary, tab_problems = _plan_other_tab(bench, key, accounts)
        problems.extend(tab_problems)
        writes[key] = write
        summaries[key] = summary
    for key, records in (appends(accounts) if appends else {}).items():
        if (tab := bench.tabs.get(key)) is not None and tab.header_only:
            raise RuntimeError(f"rows planned for {tab.title!r}, read for its header only")
        records, too_long = hold_over_long_records(bench, writes[key], records)
        problems.extend(too_long)
        summaries[key].rows_added += append_rows(writes[key], bench.layouts[key], records)
    order = list(template.all_tabs)
    tabs = [writes[k] for k in order]
    new_tab_ids = {}
    if workbook.has_tab_ids:
        used = {t.tab_id for t in workbook.tabs}
        for write in tabs:
            if write.create:
                write.tab_id = fresh_tab_id(used)
                new_tab_ids[write.key] = write.tab_id
    state_write = plan_state_tab(workbook, template,
                                 _new_state(bench, merged, new_tab_ids))
    if state_write.has_cell_writes:
        tabs.append(state_write)
    return PlannedPush(WritePlan(tabs), [summaries[k] for k in order], problems, accounts,
                       merged.conflicts, merged)


def _new_state(bench: Benchmark, merged: MergeResult, new_tab_ids: dict[str, int]) -> SyncState:
    state, base = bench.sheet, bench.base
    new = SyncState()
    for key, tab in bench.tabs.items():
        tab_id = tab.tab_id if tab is not None else new_tab_ids.get(key)
        if tab_id is not None:
            new.tab_ids[key] = str(tab_id)
            new.tab_titles[key] = bench.title(key)
    new.settings["our_brand"] = ",".join(bench.template.our_brand)
    new.settings.update(remembered_template(bench.template))
    if bench.band_setting:
        new.settings["band"] = bench.band_setting
    new.notify_since = dict(base.notify_since)
    new.sent = {name: dict(sent) for name, sent in base.sent.items()}
    for row in merged.rows:
        identity = (row.tab_key, row.handle_id)
        if row.handle_id is not None and not state.ambiguous(row.handle_id):
            new.rows[identity] = row.base
            new.files[identity] = row.file_base
        elif row.handle_id is not None and base.base(*identity) is not None:
            new.rows[identity] = base.rows[identity]
            new.files[identity] = base.file_base(*identity)
    new.deleted = set(merged.deleted)
    return new


def _plan_derived(state: SheetState, merged: MergeResult, derived: pd.DataFrame,
                  template: Template, layouts: dict[str, dict[str, int]],
                  writes: dict[str, TabWrite], summaries: dict[str, TabSummary],
                  today: dt.date) -> list[Value]:
    """Derived cells to write; returns each row's Last Changed."""
    metric_keys = [c.key for c in template.derived_columns if c.key in derived.columns]
    last_changes: list[Value] = []
    last_changed = template.by_key["last_changed"]
    desired_rows = derived[metric_keys].astype("object").to_numpy()
    for position, row in enumerate(merged.rows):
        tab = state.tabs[row.tab_key]
        layout = layouts[row.tab_key]
        blank = row.handle_id is None or row.unreadable
        desired: dict[str, Value] = {}
        for key, value in zip(metric_keys, desired_rows[position], strict=True):
            desired[key] = None if blank else clean_value(value)
        current_last = (None if row.is_new
                        else _current(tab.grid, row.grid_row, layout["last_changed"]))
        if blank:
            desired["last_changed"] = None
        elif row.changed or row.is_new:
            desired["last_changed"] = today
        else:
            try:
                desired["last_changed"] = parse_value(current_last, last_changed) or today
            except CellValueError:
                desired["last_changed"] = today
        last_changes.append(desired["last_changed"])
        cells = writes[row.tab_key].cells
        if isinstance(url := desired.get("profile_url"), str):
            writes[row.tab_key].links[(row.grid_row, layout["profile_url"])] = url
        for key, value in desired.items():
            col = layout[key]
            current = None if row.is_new else _current(tab.grid, row.grid_row, col)
            if not row.is_new and same_cell(current, value):
                continue
            cells[(row.grid_row, col)] = value
            if value is not None or not row.is_new:
                summaries[row.tab_key].derived_cells_changed += 1
    return last_changes


def _current(grid: Any, row: int, col: int) -> Any:
    return None if grid is None else grid.cell(row, col)


def _too_long(bench: Benchmark, value: Value) -> bool:
    limit = bench.max_cell_chars
    return limit is not None and isinstance(value, str) and len(value) > limit


def _long_text_problem(where: str, value: str, limit: int, what: str) -> Problem:
    return Problem(where, f"a text of {len(value):,} characters is longer than a cell here may "
                          f"hold ({limit:,}); {what} was not written, the rest was")


def hold_over_long_rows(bench: Benchmark,
                        incoming: list[ImportedRow]) -> tuple[list[ImportedRow], list[Problem]]:
    """Rows of the files with a text longer than a cell may hold are left out whole, before
    the merge, so the memory of the push never claims them written (Google would refuse
    the whole write for one such cell)."""
    kept, problems = [], []
    for row in incoming:
        long = [(k, v) for k, v in row.values.items() if _too_long(bench, v)]
        if not long:
            kept.append(row)
            continue
        places = bench.sheet.places.get(row.handle_id, [])
        for key, value in long:
            header = bench.template.by_key[key].header
            if places and places[0][0] in bench.sheet.tabs:
                tab = bench.sheet.tabs[places[0][0]]
                col = tab.layout.columns.get(key)
                where = (tab_a1(tab.title, places[0][1], col) if col is not None
                         else tab.title)
            else:
                where = f"{bench.title(row.category)} (new row for {row.values.get('handle')})"
            source = row.where + (f", column {row.columns[key]}" if key in row.columns else "")
            problems.append(_long_text_problem(f"{where} ({header})", str(value),
                                               bench.max_cell_chars or 0,
                                               f"this account's row ({source})"))
    return kept, problems


def hold_over_long_records(bench: Benchmark, write: TabWrite, records: list[dict[str, Value]]
                           ) -> tuple[list[dict[str, Value]], list[Problem]]:
    """Log rows (a note, say) with a text longer than a cell may hold are left out whole."""
    kept, problems = [], []
    headers = {c.key: c.header for c in write.columns}
    row = max(bench.layouts[write.key].end_row, write.data_rows + 1)
    for record in records:
        long = [(k, v) for k, v in record.items() if _too_long(bench, v)]
        if not long:
            kept.append(record)
            row += 1
            continue
        for key, value in long:
            where = f"{tab_a1(write.title, row, write.layout[key])} ({headers[key]})"
            problems.append(_long_text_problem(where, str(value), bench.max_cell_chars or 0,
                                               "the row"))
    return kept, problems


def other_tab_write(bench: Benchmark, key: str) -> tuple[TabWrite, TabSummary]:
    """The (so far empty) write of a tab that is not a category tab."""
    columns = bench.template.columns_of(key)
    grid = bench.tabs[key]
    layout = bench.layouts[key]
    placed, headers = placed_layout(layout, columns)
    created = grid is None
    write = TabWrite(key, bench.title(key), columns, placed, len(layout.data_rows),
                     create=created, header_cells=headers)
    summary = TabSummary(write.title, created=created,
                         headers_added=[] if created else list(headers.values()))
    return write, summary


def append_rows(write: TabWrite, layout: TableLayout, records: list[dict[str, Value]]) -> int:
    """Rows added at the end of a log tab's table; returns how many."""
    row = max(layout.end_row, write.data_rows + 1)
    for record in records:
        for key, value in record.items():
            if key in write.layout:
                write.cells[(row, write.layout[key])] = value
        row += 1
    write.data_rows = max(write.data_rows, row - 1)
    return len(records)


def _plan_other_tab(bench: Benchmark, key: str, accounts: pd.DataFrame
                    ) -> tuple[TabWrite, TabSummary, list[Problem]]:
    if key == "summary":
        return _plan_summary(bench, accounts)
    return (*other_tab_write(bench, key), [])


def _plan_summary(bench: Benchmark, accounts: pd.DataFrame
                  ) -> tuple[TabWrite, TabSummary, list[Problem]]:
    """The Summary's cells where they differ from the tab; with any change, every style.

    A Summary still in the old one-wide-table layout (its headers in row 1) has the cells of
    that table cleared outside the new blocks; anything else in the tab is left alone."""
    template, grid = bench.template, bench.tabs["summary"]
    sheet = summary_sheet(summary_table(accounts, template), template)
    created = grid is None
    write = TabWrite("summary", bench.title("summary"), (), {}, sheet.rows, create=created)
    summary = TabSummary(write.title, created=created)
    desired: dict[tuple[int, int], Value] = dict.fromkeys(sheet.extent)
    desired.update(sheet.cells)
    old = bench.layouts["summary"]
    problems: list[Problem] = []
    if grid is not None and len(old.columns) >= OLD_SUMMARY_MIN_HEADERS:
        table = {(row, col) for col in old.columns.values() for row in (0, *old.data_rows)}
        for place in table:
            desired.setdefault(place, None)
        problems = _move_out_of_the_blocks(grid, write.title, desired, table, sheet.rows)
    for place, value in desired.items():
        value = clean_value(value)
        if not same_cell(_current(grid, *place), value):
            write.cells[place] = value
            summary.derived_cells_changed += 1
    if write.cells or created:
        write.styles = dict(sheet.styles)
        write.widths = dict(sheet.widths)
        write.heights = dict(sheet.heights)
    return write, summary, problems


def _move_out_of_the_blocks(grid: Any, title: str, desired: dict[tuple[int, int], Value],
                            old_table: set[tuple[int, int]], rows: int) -> list[Problem]:
    """What a teammate kept where the new blocks go (notes under the old table) is moved
    below them, keeping its shape, instead of being overwritten."""
    theirs = {(r, c): grid.cell(r, c) for (r, c) in desired
              if (r, c) not in old_table and (r, c)[0] < rows
              and not same_cell(grid.cell(r, c), None)}
    if not theirs:
        return []
    top = min(r for r, _ in theirs)
    offset = rows + 1 - top
    while any(not same_cell(grid.cell(r + offset, c), None) for r, c in theirs):
        offset += 1
    for (r, c), value in theirs.items():
        desired[(r + offset, c)] = value
    first = min(theirs)
    return [Problem(tab_a1(title, *first), f"the Summary's blocks now fill its first {rows} "
                    f"rows; {len(theirs)} cell(s) kept there were moved {offset} rows down, "
                    f"to {tab_a1(title, first[0] + offset, first[1])} and below",
                    severity="warning")]
