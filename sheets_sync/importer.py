"""Reading competitor data from CSV and XLSX files into clean rows, reporting every unreadable cell.

Columns are matched by key or header label of any shipped template, ignoring case,
spaces and punctuation, or through an import preset (see `column_map`). A row's category
comes from a `category` column, the XLSX sheet name, or the caller's default
(``--category``), in that order. A CSV file's encoding is detected (`text_decoding`)
unless the caller names it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils.escape import unescape

from .a1 import column_letter
from .cell_text import cell_safe, illegal_characters, preview
from .column_aliases import AliasIndex, alias_index
from .column_map import POSTED_AT_COLUMN, ColumnMap, map_columns
from .errors import InputFileError
from .layout import is_blank
from .presets import ImportPreset, builtin_presets, preset_named
from .report import Problem
from .template import Template, normalize_header
from .text_decoding import DecodedText, decode_bytes
from .values import (
    CellValueError,
    Value,
    handle_identity,
    parse_value,
    unescape_formula_text,
)
from .video_rows import SourceRow, accounts_from_videos, parse_posted
from .xlsx_open import DamagedXlsx, open_xlsx, read_only_rows

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
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
    notes: list[str] = field(default_factory=list)  # encodings detected, presets used


@dataclass
class InputSheet:
    label: str  # 'competitors.csv' or 'export.xlsx [Direct]'
    name: str | None  # XLSX sheet name
    rows: Iterable[Sequence[Any]]
    decoded: DecodedText | None = None  # how a CSV file's bytes were read


@dataclass(frozen=True)
class ImportOptions:
    """What the caller says about the files: all optional."""

    category: str | None = None  # category key of rows that name none
    encoding: str | None = None  # of CSV files; detected when None
    preset: ImportPreset | None = None  # detected per file when None
    our_brand: tuple[str, ...] = ()
    today: dt.date | None = None


def header_scorer(index: AliasIndex) -> Any:
    """Counts the cells of a CSV line that are headers some template or preset knows."""
    known = set(index.columns) | {normalize_header(h) for h in ("category", "tab")}
    for preset in builtin_presets().values():
        known.update(preset.header_keys)

    def score(line: str) -> int:
        cells = next(csv.reader([line], delimiter=_likely_delimiter(line)), [])
        return sum(1 for cell in cells if normalize_header(cell) in known)
    return score


def _likely_delimiter(line: str) -> str:
    return max(",;\t|", key=line.count)


def _read_csv(path: Path, encoding: str | None, index: AliasIndex) -> InputSheet:
    raw = path.read_bytes()
    if not raw:
        raise InputFileError(f"{path}: the file is empty (0 bytes)",
                             hint="export the data again; a CSV needs a header row and rows")
    decoded = decode_bytes(raw, str(path), encoding, header_scorer(index))
    text = decoded.text
    dialect = _dialect_of(text)
    # The csv module refuses a field over 131,072 characters; the whole file is in memory
    # already, so let a field be as long as the file (cells too long for the workbook are
    # held back by the push, naming the cell).
    csv.field_size_limit(max(csv.field_size_limit(), min(len(text) + 1, MAX_CSV_FIELD)))
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = [[unescape_formula_text(cell) for cell in row] for row in reader]
    return InputSheet(path.name, None, rows, decoded)


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


def read_sheets(path: Path, encoding: str | None = None,
                index: AliasIndex | None = None) -> Iterator[InputSheet]:
    """The sheets of one input file: a CSV file is one."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        yield _read_csv(path, encoding, index or AliasIndex({}, {}))
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
                yield InputSheet(f"{path.name} [{sheet.title}]", sheet.title, rows)
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


def resolve_options(template: Template, category: str | None = None,
                    encoding: str | None = None, preset: str | ImportPreset | None = None,
                    our_brand: Sequence[str] | None = None,
                    today: dt.date | None = None) -> ImportOptions:
    """Check what the caller gave before any file is read."""
    default_category = None
    if category is not None:
        default_category = alias_index(template).category(category)
        if default_category is None:
            raise InputFileError(
                f"unknown category {category!r}",
                hint="use direct, indirect or learning, or a category tab name: "
                + ", ".join(template.category_tabs.values()),
            )
    if encoding is not None:
        from .text_decoding import check_encoding_name

        check_encoding_name(encoding)
    chosen = preset_named(preset) if isinstance(preset, str) else preset
    return ImportOptions(default_category, encoding, chosen, tuple(our_brand or ()), today)


def read_input_files(paths: Sequence[str | Path], template: Template,
                     category: str | None = None, *, encoding: str | None = None,
                     preset: str | ImportPreset | None = None,
                     our_brand: Sequence[str] | None = None,
                     today: dt.date | None = None) -> ImportResult:
    """Read every file; unreadable cells become problems and the rest still goes in."""
    options = resolve_options(template, category, encoding, preset, our_brand, today)
    index = alias_index(template)
    result = ImportResult()
    seen: dict[str, ImportedRow] = {}
    duplicates: set[str] = set()
    for raw_path in paths:
        path = Path(raw_path)
        if not path.is_file():
            raise InputFileError(f"input file {path} does not exist")
        result.files.append(str(path))
        accounts = 0
        errors_before = sum(p.severity == "error" for p in result.problems)
        for sheet in read_sheets(path, options.encoding, index):
            if sheet.decoded is not None and sheet.decoded.detected \
                    and not sheet.decoded.is_unicode:
                result.notes.append(f"{sheet.label}: read as {sheet.decoded.encoding} "
                                    "(detected; --encoding NAME overrides)")
            for row in _read_sheet(sheet, template, index, options, result):
                accounts += 1
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
        if accounts == 0 and sum(p.severity == "error" for p in result.problems) == errors_before:
            result.problems.append(Problem(str(path), f"0 accounts in {path}: the file has "
                                           "no rows under its header row"))
    result.rows = [row for row in seen.values() if row.handle_id not in duplicates]
    return result


def _read_sheet(sheet: InputSheet, template: Template, index: AliasIndex,
                options: ImportOptions, result: ImportResult) -> Iterator[ImportedRow]:
    problems = result.problems
    rows = iter(sheet.rows)
    header = next(rows, None)
    if header is None:
        return
    mapping = map_columns(header, template, sheet.label, options.preset, index)
    problems.extend(mapping.problems)
    if mapping.preset_detected and mapping.preset is not None:
        result.notes.append(f"{sheet.label}: read with the {mapping.preset.name} preset "
                            f"({mapping.preset.title}; recognised from its headers)")
    our_handle = _our_handle(sheet, mapping, options, problems)
    if mapping.rows_are_ours and our_handle is None:
        return
    if mapping.handle_col is None and our_handle is None:
        if mapping.inputs or mapping.col_of("category") is not None:
            problems.append(Problem(sheet.label, "no Handle column: the file was not used; "
                                    "add a column named Handle (or handle)"))
        elif sheet.name is None:
            problems.append(Problem(sheet.label, "no known column header in the first row; "
                                    "expected headers like Handle, Followers, Avg Views"))
        return
    if mapping.ignored:
        problems.append(Problem(sheet.label, "columns not in the template were ignored: "
                                + ", ".join(repr(u) for u in mapping.ignored),
                                severity="warning"))
    parsed = _parse_rows(sheet, rows, mapping, index, options, our_handle, problems)
    if not mapping.rows_are_videos:
        letters = {column.key: column_letter(col) for col, column in mapping.inputs.items()}
        letters["handle"] = column_letter(mapping.handle_col) if mapping.handle_col is not None \
            else ""
        for video in parsed:
            yield ImportedRow(video.category, video.handle_id, video.values, video.where,
                              letters)
        return
    for account in accounts_from_videos(parsed, sheet.label,
                                        options.today or dt.date.today()):
        problems.extend(account.problems)
        yield ImportedRow(account.category, account.handle_id, account.values, account.where)


def _our_handle(sheet: InputSheet, mapping: ColumnMap, options: ImportOptions,
                problems: list[Problem]) -> str | None:
    if not mapping.rows_are_ours:
        return None
    if len(options.our_brand) == 1:
        return options.our_brand[0]
    assert mapping.preset is not None
    problems.append(Problem(sheet.label, (
        f"a {mapping.preset.title} has no handle column; its rows are our own account's, so "
        "name that account with --our-brand @handle (one handle); the file was not used")))
    return None


def _parse_rows(sheet: InputSheet, rows: Iterator[Sequence[Any]], mapping: ColumnMap,
                index: AliasIndex, options: ImportOptions, our_handle: str | None,
                problems: list[Problem]) -> list[SourceRow]:
    sheet_category = index.category(sheet.name) if sheet.name else None
    category_col = mapping.col_of("category")
    posted_col = mapping.col_of("posted_at")
    handle_col = mapping.handle_col
    parsed: list[SourceRow] = []
    used = {*mapping.inputs, *([] if category_col is None else [category_col])}
    for number, row in enumerate(rows, start=2):
        if all(is_blank(v) for v in row):
            continue
        where = f"{sheet.label} row {number}"
        row = _cell_safe_row(row, used, where, problems)
        category = sheet_category or options.category
        if category_col is not None and category_col < len(row) \
                and not is_blank(row[category_col]):
            category = index.category(str(row[category_col]))
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
        raw_handle = our_handle if handle_col is None else (
            row[handle_col] if handle_col < len(row) else None)
        handle_id = handle_identity(raw_handle)
        if handle_id is None:
            at = where if handle_col is None else f"{where}, column {column_letter(handle_col)}"
            problems.append(Problem(f"{at} (Handle)", "the row has no handle and was not used"))
            continue
        values: dict[str, Value] = {"handle": str(raw_handle).strip()}
        for col, column in mapping.inputs.items():
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
        video = SourceRow(handle_id, category, values, where, number)
        if posted_col is not None and posted_col < len(row):
            try:
                video.posted = parse_posted(row[posted_col], POSTED_AT_COLUMN)
            except CellValueError as exc:
                problems.append(Problem(f"{where}, column {column_letter(posted_col)} (posted)",
                                        f"{row[posted_col]!r} cannot be read; expected "
                                        f"{exc.expected}", severity="warning"))
        parsed.append(video)
    return parsed


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
