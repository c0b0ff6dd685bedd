"""Reading competitor data from CSV and XLSX files into clean rows, reporting every unreadable cell.

Columns are matched by key or header label, ignoring case, spaces and punctuation.
A row's category comes from a `category` column, the XLSX sheet name, or the
caller's default (``--category``), in that order.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils.escape import unescape

from .a1 import column_letter
from .cell_text import cell_safe, illegal_characters, preview
from .errors import InputFileError
from .layout import header_index, is_blank
from .report import Problem
from .template import Template, normalize_header
from .values import (
    CellValueError,
    Value,
    handle_identity,
    parse_value,
    unescape_formula_text,
)
from .xlsx_open import DamagedXlsx, open_xlsx, read_only_rows

CATEGORY_HEADERS = frozenset({"category", "tab", "类别", "分类"})
MAX_CSV_FIELD = min(sys.maxsize, 2**31 - 1)  # the csv module's limit is a C long


@dataclass
class ImportedRow:
    category: str
    handle_id: str
    values: dict[str, Value]  # input key -> clean value; empty cells are absent
    where: str  # 'competitors.csv row 7'
    columns: dict[str, str] = field(default_factory=dict)  # input key -> its column letter


@dataclass
class ImportResult:
    rows: list[ImportedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


@dataclass
class _Sheet:
    label: str  # 'competitors.csv' or 'export.xlsx [Direct]'
    name: str | None  # XLSX sheet name
    rows: Iterable[Sequence[Any]]


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise InputFileError(f"{path}: cannot decode the file", hint="save it as UTF-8 CSV")
    dialect = _dialect_of(text)
    # The csv module refuses a field over 131,072 characters; the whole file is in memory
    # already, so let a field be as long as the file (cells too long for the workbook are
    # held back by the push, naming the cell).
    csv.field_size_limit(max(csv.field_size_limit(), min(len(text) + 1, MAX_CSV_FIELD)))
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return [[unescape_formula_text(cell) for cell in row] for row in reader]


def _dialect_of(text: str) -> type[csv.Dialect]:
    """Standard CSV quoting ("" inside a quoted field is one quote), with the delimiter
    guessed from the header row alone: the sniffer, shown data rows, takes a tab or a
    quote inside a text for the file's own, and it turns doubled quotes off when its sample
    happens to hold none, so later rows would be cut wrong."""
    header = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    try:
        delimiter = csv.Sniffer().sniff(header, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    return type("HeaderDialect", (csv.excel,), {"delimiter": delimiter})


def _sheets_of(path: Path) -> Iterator[_Sheet]:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        yield _Sheet(path.name, None, _read_csv(path))
    elif suffix in (".xlsx", ".xlsm"):
        try:
            book = open_xlsx(path, read_only=True, data_only=True)
        except DamagedXlsx as exc:
            raise InputFileError(f"{path}: not a readable .xlsx workbook ({exc})") from None
        try:
            for sheet in book.worksheets:
                try:
                    rows = [_unescaped(row) for row in read_only_rows(sheet)]
                except DamagedXlsx as exc:
                    raise InputFileError(f"{path} [{sheet.title}]: the sheet cannot be read "
                                         f"({exc})") from None
                except Exception as exc:  # malformed sheet XML surfaces only here
                    raise InputFileError(f"{path} [{sheet.title}]: the sheet cannot be read "
                                         f"({type(exc).__name__}: {exc})") from None
                yield _Sheet(f"{path.name} [{sheet.title}]", sheet.title, rows)
        finally:
            book.close()
    else:
        raise InputFileError(
            f"{path}: unsupported file type {suffix or '(none)'}",
            hint="give a .csv or .xlsx file",
        )


def _unescaped(row: Sequence[Any]) -> Sequence[Any]:
    """Text as Excel shows it: the file writes a character XML cannot hold as _xHHHH_
    (ECMA-376 Part 1, the ST_Xstring type), which openpyxl leaves as it is."""
    if not any(isinstance(v, str) and "_x" in v for v in row):
        return row
    return [unescape(v) if isinstance(v, str) else v for v in row]


def read_input_files(paths: Sequence[str | Path], template: Template,
                     category: str | None = None) -> ImportResult:
    """Read every file; unreadable cells become problems and the rest still goes in."""
    default_category = None
    if category is not None:
        default_category = template.category_for(category)
        if default_category is None:
            raise InputFileError(
                f"unknown category {category!r}",
                hint="use direct, indirect or learning, or a category tab name: "
                + ", ".join(template.category_tabs.values()),
            )
    result = ImportResult()
    seen: dict[str, ImportedRow] = {}
    duplicates: set[str] = set()
    for raw_path in paths:
        path = Path(raw_path)
        if not path.is_file():
            raise InputFileError(f"input file {path} does not exist")
        result.files.append(str(path))
        for sheet in _sheets_of(path):
            for row in _read_sheet(sheet, template, default_category, result.problems):
                first = seen.get(row.handle_id)
                if first is not None:
                    duplicates.add(row.handle_id)
                    result.problems.append(Problem(
                        row.where,
                        f"handle {row.values['handle']!r} is also at {first.where}; "
                        "neither row was used: keep one of them",
                    ))
                    continue
                seen[row.handle_id] = row
    result.rows = [row for row in seen.values() if row.handle_id not in duplicates]
    return result


def _read_sheet(sheet: _Sheet, template: Template, default_category: str | None,
                problems: list[Problem]) -> Iterator[ImportedRow]:
    rows = iter(sheet.rows)
    header = next(rows, None)
    if header is None:
        return
    lookup = header_index(template.columns)
    by_col: dict[int, Any] = {}
    category_col: int | None = None
    unknown: list[str] = []
    taken: dict[str, int] = {}
    for col, text in enumerate(header):
        if is_blank(text):
            continue
        norm = normalize_header(str(text))
        if norm in CATEGORY_HEADERS:
            category_col = col
        elif (column := lookup.get(norm)) is not None:
            if column.derived:
                continue
            if column.key in taken:
                problems.append(Problem(
                    f"{sheet.label}, column {column_letter(col)}",
                    f"a second {column.header!r} column (the first is column "
                    f"{column_letter(taken[column.key])}); it was ignored", severity="warning"))
                continue
            taken[column.key] = col
            by_col[col] = column
        else:
            unknown.append(str(text))
    if "handle" not in {c.key for c in by_col.values()}:
        if by_col or category_col is not None:
            problems.append(Problem(sheet.label, "no Handle column: the file was not used; "
                                    "add a column named Handle (or handle)"))
        elif sheet.name is None:
            problems.append(Problem(sheet.label, "no known column header in the first row; "
                                    "expected headers like Handle, Followers, Avg Views"))
        return
    if unknown:
        problems.append(Problem(sheet.label, "columns not in the template were ignored: "
                                + ", ".join(repr(u) for u in unknown), severity="warning"))
    sheet_category = template.category_for(sheet.name) if sheet.name else None
    handle_col = next(col for col, c in by_col.items() if c.key == "handle")
    used = {*by_col, *([] if category_col is None else [category_col])}

    for number, row in enumerate(rows, start=2):
        if all(is_blank(v) for v in row):
            continue
        where = f"{sheet.label} row {number}"
        row = _cell_safe_row(row, used, where, problems)
        category = sheet_category or default_category
        if category_col is not None and category_col < len(row) and not is_blank(row[category_col]):
            category = template.category_for(str(row[category_col]))
            if category is None:
                problems.append(Problem(
                    f"{where}, column {column_letter(category_col)} (category)",
                    f"{preview(row[category_col])} is not a category; expected direct, "
                    "indirect or learning (or a tab name); the row was not used",
                ))
                continue
        if category is None:
            problems.append(Problem(where, "no category for this row; add a category column "
                                    "(direct / indirect / learning) or pass --category"))
            continue
        raw_handle = row[handle_col] if handle_col < len(row) else None
        handle_id = handle_identity(raw_handle)
        if handle_id is None:
            problems.append(Problem(f"{where}, column {column_letter(handle_col)} (Handle)",
                                    "the row has no handle and was not used"))
            continue
        handle = str(raw_handle).strip()
        values: dict[str, Value] = {"handle": handle}
        letters = {column.key: column_letter(col) for col, column in by_col.items()}
        for col, column in by_col.items():
            if col == handle_col:
                continue
            raw = row[col] if col < len(row) else None
            try:
                value = parse_value(raw, column)
            except CellValueError as exc:
                problems.append(Problem(
                    f"{where}, column {column_letter(col)} ({column.header})",
                    f"{preview(raw)} cannot be read; expected {exc.expected}",
                ))
                continue
            if value is not None:
                values[column.key] = value
        yield ImportedRow(category, handle_id, values, where, letters)


def _cell_safe_row(row: Sequence[Any], used: set[int], where: str,
                   problems: list[Problem]) -> Sequence[Any]:
    """The row with characters no spreadsheet cell can hold removed from the cells used."""
    cleaned: list[Any] | None = None
    for col in sorted(used):
        raw = row[col] if col < len(row) else None
        if isinstance(raw, str) and (found := illegal_characters(raw)):
            cleaned = cleaned if cleaned is not None else list(row)
            cleaned[col] = cell_safe(raw)
            problems.append(Problem(
                f"{where}, column {column_letter(col)}",
                f"{', '.join(found)} removed: characters a spreadsheet cell cannot hold "
                "(they come from a damaged export)", severity="warning"))
    return row if cleaned is None else cleaned
