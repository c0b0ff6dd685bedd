"""Opening an .xlsx file with openpyxl, refusing a damaged one rather than reading part of it.

openpyxl skips, without a word, a sheet the workbook lists but whose part is missing
from the zip: its rows would be lost from an import, and a push would save the
workbook without it. Such a file is refused, naming the sheet.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader

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
