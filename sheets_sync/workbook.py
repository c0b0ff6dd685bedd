"""What flows between the sync logic and a backend: the grid a backend reads, the writes it applies.

Coordinates are 0-based (row, col) in the tab's grid; row 0 is the header row.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from .template import Column
from .values import Value


@dataclass
class TabGrid:
    """One tab as read: raw cell values row by row (ragged rows allowed)."""

    title: str
    rows: list[list[Any]]
    tab_id: int | None = None
    # Cells holding a teammate's formula: never overwritten.  Their value is in `rows`
    # when the backend can compute it (Google Sheets), else None (an .xlsx file).
    formula_cells: set[tuple[int, int]] = field(default_factory=set)
    formula_values_known: bool = False
    notes: dict[tuple[int, int], str] = field(default_factory=dict)  # cell notes (comments)
    # Only the header row was read (see ReadScope): the rows below are unknown, not empty.
    header_only: bool = False

    def cell(self, row: int, col: int) -> Any:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def row(self, row: int) -> list[Any]:
        return self.rows[row] if row < len(self.rows) else []

    @property
    def header(self) -> list[Any]:
        return self.rows[0] if self.rows else []


@dataclass(frozen=True)
class ReadScope:
    """What a command needs read, so a backend that pays per byte reads no more.

    Tabs titled as in `header_only` (case-folded) are read for their header row alone,
    unless they carry a category table: a push leaves History and Alerts unread, so its
    read does not grow with them. `cell_notes`: whether the category tabs' cell notes are
    needed (only the monthly job reads them). A backend may read more than asked.
    """

    header_only: frozenset[str] = frozenset()
    cell_notes: bool = True


EVERYTHING = ReadScope()


@dataclass
class WorkbookGrid:
    """Every tab of a workbook as read, in sheet order."""

    tabs: list[TabGrid]
    has_tab_ids: bool = False  # the backend gives tabs ids that survive a rename
    cells_used: int = 0  # cells the tabs' grids hold (Google counts them toward a limit)

    def find(self, title: str) -> TabGrid | None:
        wanted = title.strip().casefold()
        return next((t for t in self.tabs if t.title.strip().casefold() == wanted), None)


@dataclass(frozen=True)
class CellStyle:
    """How one cell of a laid-out tab (the Summary) looks; colours are #RRGGBB."""

    number_format: str | None = None
    bold: bool = False
    fill: str | None = None
    font_colour: str | None = None
    wrap: bool = False
    align_right: bool = False  # a heading over a column of numbers


@dataclass
class TabWrite:
    """Everything one push writes into one tab.

    `layout` is where each template column sits after the write; backends use it
    to place number formats, rules, validations and protections.
    """

    key: str  # template tab key: 'direct', 'summary', ...
    title: str
    columns: tuple[Column, ...]
    layout: dict[str, int]
    data_rows: int  # table rows below the header after the write
    create: bool = False
    header_cells: dict[int, str] = field(default_factory=dict)
    cells: dict[tuple[int, int], Value] = field(default_factory=dict)
    cell_notes: dict[tuple[int, int], str] = field(default_factory=dict)  # a note on a cell
    # A number format for one cell, over its column's (an alert's Before: followers or a rate)
    cell_formats: dict[tuple[int, int], str] = field(default_factory=dict)
    is_category: bool = False
    hidden: bool = False  # a tab for the tool's own bookkeeping
    tab_id: int | None = None  # the id to create the tab with, where the backend has ids
    # A laid-out tab (the Summary) styles its cells one by one; sent with its cell writes.
    styles: dict[tuple[int, int], CellStyle] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)  # column -> width (characters)
    heights: dict[int, float] = field(default_factory=dict)  # row -> height (points)
    # Cells whose value is a URL shown as a link (the value stays the plain URL).
    links: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def has_cell_writes(self) -> bool:
        return bool(self.create or self.header_cells or self.cells or self.cell_notes)


@dataclass
class WritePlan:
    tabs: list[TabWrite]
    # The day of the monthly snapshot this write appends, kept where a backend can read it
    # cheaply (`Backend.last_snapshot`).
    snapshot_day: dt.date | None = None

    @property
    def has_cell_writes(self) -> bool:
        return any(t.has_cell_writes for t in self.tabs)


def fresh_tab_id(used: set[int | None]) -> int:
    """A tab id not in `used` (then added to it), in the range Google Sheets accepts."""
    while True:
        candidate = random.randrange(1, 2**31 - 1)
        if candidate not in used:
            used.add(candidate)
            return candidate
