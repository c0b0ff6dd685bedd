"""Reading the rows of the category tabs: each row's handle, clean input values and bad cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .a1 import tab_a1
from .layout import TableLayout, locate_table
from .report import Problem
from .sync_state import SyncState
from .template import CATEGORY_KEYS, Template, normalize_header
from .values import CellValueError, Value, expectation, handle_identity, parse_value
from .workbook import TabGrid, WorkbookGrid


@dataclass
class SheetRow:
    tab_key: str
    grid_row: int
    handle_id: str | None
    values: dict[str, Value]  # input key -> clean value (None when empty or unreadable)
    unreadable: set[str] = field(default_factory=set)  # input keys whose cell could not be read
    formulas: set[str] = field(default_factory=set)  # input keys holding a teammate's formula
    unknown: set[str] = field(default_factory=set)  # formulas whose value the backend cannot read
    cell_problems: dict[str, Problem] = field(default_factory=dict)  # input key -> problem
    raw_unreadable: dict[str, Any] = field(default_factory=dict)  # what an unreadable cell holds


@dataclass
class CategoryTab:
    key: str
    title: str
    grid: TabGrid | None
    layout: TableLayout
    rows: list[SheetRow]


@dataclass
class SheetState:
    tabs: dict[str, CategoryTab]
    problems: list[Problem]
    # handle id -> every (tab key, grid row) holding it; more than one is an error
    places: dict[str, list[tuple[str, int]]]

    def cell_problems(self, written: dict[str, dict[tuple[int, int], object]]) -> list[Problem]:
        """Problems of sheet cells, less those a push overwrites with a good value."""
        found: list[Problem] = []
        for tab in self.tabs.values():
            cells = written.get(tab.key, {})
            for row in tab.rows:
                for key, problem in row.cell_problems.items():
                    if (row.grid_row, tab.layout.columns[key]) not in cells:
                        found.append(problem)
        return found

    def ambiguous(self, handle_id: str) -> bool:
        return len(self.places.get(handle_id, ())) > 1


def find_category_tab(workbook: WorkbookGrid, template: Template, key: str,
                      base: SyncState, taken: set[str]) -> TabGrid | None:
    """A category tab by the id the last push saw, else by title, else by its accounts.

    A teammate may rename a tab: on Google Sheets its id does not change; in an .xlsx
    file a tab holding most of the accounts the last push left there is the same tab.
    """
    tab_id = base.tab_ids.get(key)
    if tab_id:
        found = next((t for t in workbook.tabs if t.tab_id is not None
                      and str(t.tab_id) == tab_id), None)
        if found is not None:
            return found
    found = workbook.find(template.category_tabs[key])
    if found is not None:
        return found
    handles = {h for tab, h in base.rows if tab == key}
    if not handles:
        return None
    reserved = {normalize_header(t) for t in template.all_tabs.values()}
    for tab in workbook.tabs:
        if tab.title in taken or normalize_header(tab.title) in reserved:
            continue
        layout = locate_table(tab, tab.title, template.columns, handles)
        col = layout.columns.get("handle")
        if col is None:
            continue
        seen = {handle_identity(tab.cell(r, col)) for r in layout.data_rows}
        if len(seen & handles) * 2 >= len(handles):
            return tab
    return None


def read_category_tabs(workbook: WorkbookGrid, template: Template,
                       base: SyncState | None = None) -> SheetState:
    base = base or SyncState()
    tabs: dict[str, CategoryTab] = {}
    problems: list[Problem] = []
    places: dict[str, list[tuple[str, int]]] = {}
    taken: set[str] = set()
    known = set(base.known_handles)
    for key in CATEGORY_KEYS:
        title = template.category_tabs[key]
        grid = find_category_tab(workbook, template, key, base, taken)
        if grid is not None:
            taken.add(grid.title)
            if normalize_header(grid.title) != normalize_header(title):
                problems.append(Problem(
                    grid.title, f"this is the {title!r} tab, renamed; it is used under its "
                    "new name", severity="warning"))
        layout = locate_table(grid, grid.title if grid else title, template.columns,
                              known)
        problems.extend(layout.problems)
        rows = [] if grid is None else list(_read_rows(grid, key, layout, template, problems))
        for row in rows:
            if row.handle_id:
                places.setdefault(row.handle_id, []).append((key, row.grid_row))
        tabs[key] = CategoryTab(key, grid.title if grid else title, grid, layout, rows)
    for handle_id, where in places.items():
        if len(where) > 1:
            cells = [tab_a1(tabs[k].title, r, tabs[k].layout.columns["handle"]) for k, r in where]
            problems.append(Problem(
                cells[0],
                f"handle {handle_id!r} is in more than one row ({', '.join(cells)}); "
                "its rows are not updated until only one is left",
            ))
    return SheetState(tabs, problems, places)


def _read_rows(grid: TabGrid, tab_key: str, layout: TableLayout, template: Template,
               problems: list[Problem]) -> list[SheetRow]:
    handle_col = layout.columns.get("handle")
    inputs = [(c, layout.columns[c.key]) for c in template.input_columns if c.key in layout.columns]
    rows: list[SheetRow] = []
    for r in layout.data_rows:
        raw_handle = grid.cell(r, handle_col) if handle_col is not None else None
        handle_id = handle_identity(raw_handle)
        row = SheetRow(tab_key, r, handle_id, {})
        if handle_id is None:
            where = tab_a1(layout.title, r, handle_col if handle_col is not None else 0)
            problems.append(Problem(where, "the row has no handle: it is left as it is and "
                                    "gets no derived values", severity="warning"))
        for column, col in inputs:
            raw: Any = grid.cell(r, col)
            if (r, col) in grid.formula_cells:
                row.formulas.add(column.key)
            if (r, col) in grid.formula_cells and not grid.formula_values_known:
                row.values[column.key] = None
                row.unknown.add(column.key)
                row.cell_problems[column.key] = Problem(
                    f"{tab_a1(layout.title, r, col)} ({column.header})",
                    "holds a formula whose value cannot be read here; it is kept as it is "
                    f"and the row's derived cells stay empty; expected {expectation(column)}",
                    severity="warning",
                )
                continue
            try:
                row.values[column.key] = parse_value(raw, column)
            except CellValueError as exc:
                row.values[column.key] = None
                row.unreadable.add(column.key)
                row.raw_unreadable[column.key] = raw
                row.cell_problems[column.key] = Problem(
                    f"{tab_a1(layout.title, r, col)} ({column.header})",
                    f"{raw!r} cannot be read; expected {exc.expected}; the cell is kept as it "
                    "is and the row's derived cells stay empty",
                )
        rows.append(row)
    return rows

