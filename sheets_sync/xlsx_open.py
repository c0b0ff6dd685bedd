"""Opening an .xlsx file with openpyxl, refusing a damaged one rather than reading part of it.

openpyxl skips, without a word, a sheet the workbook lists but whose part is missing
from the zip (its rows would be lost from an import, and a push would save the workbook
without it), and its read-only reader drops a row that comes after a later one or twice.
Such a file is refused, naming the sheet and the row.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from .zip_limits import inflation_problem


class DamagedXlsx(Exception):
    """Why an .xlsx file cannot be read; the caller names the file and what to do."""


def open_xlsx(path: Path, *, read_only: bool, data_only: bool = False) -> Workbook:
    """The workbook at `path`, whole, or DamagedXlsx saying what is wrong with it."""
    if (why := inflation_problem(path)) is not None:
        raise DamagedXlsx(why)
    reader: ExcelReader | None = None
    try:
        reader = ExcelReader(path, read_only=read_only, data_only=data_only)
        reader.read()
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        if reader is not None and hasattr(reader, "archive"):
            reader.archive.close()
        raise DamagedXlsx(_reason(exc)) from None
    missing = [sheet.name for sheet, rel in reader.parser.find_sheets()
               if rel.target not in reader.valid_files]
    if missing:
        reader.archive.close()
        raise DamagedXlsx("the workbook lists sheet(s) " + ", ".join(repr(m) for m in missing)
                          + " but the file does not hold them (a damaged or cut-off copy?)")
    return reader.wb


def _reason(exc: Exception) -> str:
    cause = exc.__cause__ if isinstance(exc, ValueError) and exc.__cause__ else exc
    return f"{type(cause).__name__}: {cause}"


def read_only_rows(sheet: ReadOnlyWorksheet) -> Iterator[tuple[Any, ...]]:
    """A read-only sheet's values row by row from row 1, each where its reference puts it
    (a missing row is empty). The sheet's `<dimension>` is ignored: it may understate."""
    parent = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=parent.data_only,
                                 epoch=parent.epoch, date_formats=parent._date_formats,
                                 timedelta_formats=parent._timedelta_formats)
        next_row = 1
        for row, cells in parser.parse():
            if row < next_row:
                raise DamagedXlsx(f"row {row} comes after row {next_row - 1}; the file's rows "
                                  "are out of order or repeated")
            for _ in range(next_row, row):
                yield ()
            next_row = row + 1
            values: dict[int, Any] = {}
            for cell in cells:
                column = cell["column"]
                if column in values:
                    raise DamagedXlsx(f"cell {get_column_letter(column)}{row} is in the file "
                                      "twice")
                values[column] = cell["value"]
            yield tuple(values.get(c) for c in range(1, max(values, default=0) + 1))
