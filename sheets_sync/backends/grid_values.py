"""A spreadsheet's tabs as bare values, told apart from formulas, in few calls.

The values API sends a cell as its bare value, about a sixth of the bytes of the grid
JSON (`effectiveValue` objects) for the same cells. Read with valueRenderOption FORMULA,
a cell holding a formula comes back as its formula text and every other cell as its
unformatted value (https://developers.google.com/sheets/api/reference/rest/v4/ValueRenderOption);
the values of the formula cells found are read in one more call, a range per column
they span. A text cell whose text starts with `=` comes back the same both times, and
so is known for text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from ..a1 import column_letter, quote_title
from ..workbook import ReadScope, TabGrid

# (A1 ranges, valueRenderOption) -> the rows of each range, in order.
ValuesReader = Callable[[list[str], str], list[list[list[Any]]]]


class TabMeta(Protocol):
    sheet_id: int
    title: str
    layout: dict[str, int] | None  # the category table the last push laid out, if any


def header_only(meta: TabMeta, scope: ReadScope) -> bool:
    """A tab read for its header row alone: named so by the scope and holding no category
    table (a teammate may have renamed a category tab to the name of a log tab)."""
    return meta.layout is None and meta.title.strip().casefold() in scope.header_only


def read_tabs(reader: ValuesReader, metas: Iterable[TabMeta], scope: ReadScope) -> list[TabGrid]:
    """Every tab's values, teammates' formulas marked, in the order of `metas`."""
    metas = list(metas)
    heads = [header_only(meta, scope) for meta in metas]
    ranges = [quote_title(m.title) + ("!1:1" if head else "")
              for m, head in zip(metas, heads, strict=True)]
    tabs = [TabGrid(meta.title, _rows(rows), tab_id=meta.sheet_id, formula_values_known=True,
                    header_only=head)
            for meta, rows, head in zip(metas, reader(ranges, "FORMULA"), heads, strict=True)]
    _resolve_formulas(reader, tabs)
    return tabs


def fill_values(reader: ValuesReader, tabs: list[TabGrid],
                columns: dict[str, list[int]] | None) -> None:
    """The unformatted values of `tabs` (whole, or their header row and `columns` only)."""
    if columns is None:
        for tab, rows in zip(tabs, reader([quote_title(t.title) for t in tabs],
                                          "UNFORMATTED_VALUE"), strict=True):
            tab.rows = _rows(rows)
        return
    ranges: list[str] = []
    places: list[tuple[TabGrid, int | None]] = []
    for tab in tabs:
        ranges.append(quote_title(tab.title) + "!1:1")
        places.append((tab, None))
        for col in columns.get(tab.title, []):
            letter = column_letter(col)
            ranges.append(f"{quote_title(tab.title)}!{letter}:{letter}")
            places.append((tab, col))
    for (tab, col), rows in zip(places, reader(ranges, "UNFORMATTED_VALUE"), strict=True):
        if col is None:
            _put_row(tab, 0, _rows(rows)[0] if rows else [])
            continue
        for r, row in enumerate(rows):
            if row and row[0] != "":
                put_cell(tab, r, col, row[0])


def _rows(rows: list[list[Any]]) -> list[list[Any]]:
    """The API's rows with empty cells as None and trailing empty rows dropped."""
    grid = [[None if v == "" else v for v in row] for row in rows]
    while grid and all(v is None for v in grid[-1]):
        grid.pop()
    return grid


def _put_row(tab: TabGrid, r: int, values: list[Any]) -> None:
    for c, value in enumerate(values):
        if value is not None:
            put_cell(tab, r, c, value)


def put_cell(tab: TabGrid, r: int, c: int, value: Any) -> None:
    while len(tab.rows) <= r:
        tab.rows.append([])
    row = tab.rows[r]
    if len(row) <= c:
        row.extend([None] * (c + 1 - len(row)))
    row[c] = value


def _formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _resolve_formulas(reader: ValuesReader, tabs: list[TabGrid]) -> None:
    """Replace each formula's text by its value and note the cell as a formula."""
    spans: list[tuple[TabGrid, int, int, int]] = []  # tab, column, first row, last row
    for tab in tabs:
        by_col: dict[int, list[int]] = {}
        for r, row in enumerate(tab.rows):
            for c, value in enumerate(row):
                if _formula_like(value):
                    by_col.setdefault(c, []).append(r)
        spans.extend((tab, c, min(rs), max(rs)) for c, rs in sorted(by_col.items()))
    if not spans:
        return
    ranges = [f"{quote_title(tab.title)}!{column_letter(c)}{top + 1}:{column_letter(c)}{end + 1}"
              for tab, c, top, end in spans]
    for (tab, c, top, end), rows in zip(spans, reader(ranges, "UNFORMATTED_VALUE"), strict=True):
        for r in range(top, end + 1):
            text = tab.rows[r][c] if c < len(tab.rows[r]) else None
            if not _formula_like(text):
                continue
            offset = r - top
            value = rows[offset][0] if offset < len(rows) and rows[offset] else ""
            if value == text:
                continue  # text that starts with "=", not a formula
            tab.rows[r][c] = None if value == "" else value
            tab.formula_cells.add((r, c))
