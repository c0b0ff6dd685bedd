"""Finding a table in a tab: which column holds which template key, which rows hold data.

Columns are found by header text (label or key, ignoring case, spaces and
punctuation), never by position: teammates reorder columns and add their own.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from .a1 import tab_a1
from .report import Problem
from .template import Column, normalize_header
from .values import handle_identity
from .workbook import TabGrid


@dataclass
class TableLayout:
    title: str
    columns: dict[str, int]  # template key -> 0-based column
    width: int  # columns used by the header row
    data_rows: list[int]  # grid rows of the table, in sheet order
    missing: list[Column] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def end_row(self) -> int:
        """The first grid row after the table (where new rows go)."""
        return (self.data_rows[-1] + 1) if self.data_rows else 1


def header_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        index[normalize_header(column.header)] = column
        index[normalize_header(column.key)] = column
    return index


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def locate_table(grid: TabGrid | None, title: str, columns: tuple[Column, ...],
                 known_handles: Collection[str] = ()) -> TableLayout:
    """Map template columns to grid columns and find the table's rows.

    The table runs from row 2 down to the last row before the first wholly empty
    row; rows below that gap belong to teammates and are left alone. An empty row a
    teammate inserted inside the table is skipped: the table goes on past empty rows
    when the next row holds one of `known_handles` (accounts the last push left).
    """
    if grid is None:
        return TableLayout(title, {}, 0, [], missing=list(columns))
    lookup = header_index(columns)
    found: dict[str, int] = {}
    problems: list[Problem] = []
    header = grid.header
    for col, text in enumerate(header):
        if not isinstance(text, str) or is_blank(text):
            continue
        column = lookup.get(normalize_header(text))
        if column is None:
            continue
        if column.key in found:
            first = found[column.key]
            problems.append(Problem(
                tab_a1(title, 0, col),
                f"duplicate header {text!r}: column {column.header!r} is already at "
                f"{tab_a1(title, 0, first)}; the first one is used, rename or delete the other",
            ))
            continue
        found[column.key] = col
    width = max((c + 1 for c, v in enumerate(header) if not is_blank(v)), default=0)

    rows = _table_rows(grid, found.get("handle"), known_handles)
    missing = [c for c in columns if c.key not in found]
    return TableLayout(title, found, width, rows, missing=missing, problems=problems)


def _table_rows(grid: TabGrid, handle_col: int | None,
                known_handles: Collection[str]) -> list[int]:
    rows: list[int] = []
    r = 1
    while r < len(grid.rows):
        if not all(is_blank(v) for v in grid.rows[r]):
            rows.append(r)
            r += 1
            continue
        following = next((n for n in range(r + 1, len(grid.rows))
                          if not all(is_blank(v) for v in grid.rows[n])), None)
        if (following is None or handle_col is None
                or handle_identity(grid.cell(following, handle_col)) not in known_handles):
            break
        r = following
    return rows
