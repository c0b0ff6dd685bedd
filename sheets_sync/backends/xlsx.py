"""The local workbook: an .xlsx file read and written with openpyxl.

A push loads the file once, keeps it open between read and apply, and saves it
through a temporary file renamed into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.worksheet.worksheet import Worksheet

from ..a1 import tab_a1
from ..cell_text import cell_safe
from ..errors import SheetChangedDuringPush, WorkbookError
from ..template import Template
from ..workbook import EVERYTHING, ReadScope, TabGrid, TabWrite, WorkbookGrid, WritePlan
from ..xlsx_open import DamagedXlsx, open_xlsx
from .xlsx_chart import add_summary_chart
from .xlsx_style import (
    COMMENT_AUTHOR,
    apply_styles,
    decorate,
    decorations_in_place,
    header_height,
    number_format,
    print_on_one_page_wide,
    style_header,
)

EXCEL_TEXT_LIMIT = 32_767
LOCK_TIMEOUT_ENV = "SHEETS_SYNC_LOCK_TIMEOUT"
LOCK_TIMEOUT = 60.0  # seconds to wait for another sheets-sync writer
OFFICE_WAIT = 3.0  # seconds to wait for Excel or LibreOffice to let go of the file


def _seconds(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    try:
        return float(value) if value else default
    except ValueError:
        raise WorkbookError(f"{name}={value!r} is not a number of seconds") from None


def _mode_for(path: Path) -> int:
    """The mode a save gives the file: the one it has, else what the umask allows."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class XlsxBackend:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.notes: list[str] = []
        self.verifies_writes = False  # the file is compared before saving instead
        # Excel's limit: "Total number of characters that a cell can contain: 32,767"
        # (https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3)
        self.max_cell_chars = EXCEL_TEXT_LIMIT
        self._book: Workbook | None = None
        self._stamp: tuple[int, int] | None = None

    @property
    def location(self) -> str:
        return str(self.path)

    def exists(self) -> bool:
        return self.path.is_file()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One writer at a time: an OS lock on `.NAME.lock` beside the workbook, held from a
        command's first read to its last save (other sheets-sync runs wait for it). A
        workbook open in Excel or LibreOffice is waited for briefly, then refused, since
        their save would overwrite this one. Temp files a killed save left are removed."""
        from filelock import FileLock, Timeout

        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.path.with_name(f".{self.path.name}.lock"))
        try:
            lock.acquire(timeout=_seconds(LOCK_TIMEOUT_ENV, LOCK_TIMEOUT))
        except Timeout:
            raise WorkbookError(
                f"{self.path} is being written by another sheets-sync command",
                hint=f"run again when it has finished ({LOCK_TIMEOUT_ENV} sets how long to "
                     "wait)") from None
        try:
            self._wait_for_office()
            for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                leftover.unlink(missing_ok=True)  # a save killed half-way; we hold the lock
            yield
        finally:
            lock.release()

    def _wait_for_office(self) -> None:
        name = self.path.name
        owners = [self.path.with_name("~$" + name), self.path.with_name("~$" + name[2:]),
                  self.path.with_name(f".~lock.{name}#")]
        deadline = time.monotonic() + OFFICE_WAIT
        while (found := next((o for o in owners if o.exists()), None)) is not None:
            if time.monotonic() >= deadline:
                app = "LibreOffice" if found.name.startswith(".~lock.") else "Excel"
                raise WorkbookError(
                    f"{self.path} is open in {app} ({found.name} is beside it); a save there "
                    "would overwrite this command's changes",
                    hint=f"close it in {app} and run again; if {app} is not running, the "
                         f"file {found} was left by a crash and can be deleted")
            time.sleep(0.2)

    def _open(self) -> Workbook:
        try:
            return open_xlsx(self.path, read_only=False)
        except DamagedXlsx as exc:
            raise WorkbookError(
                f"{self.path} cannot be opened as an .xlsx workbook: {exc}; it was left as "
                "it is", hint="check the path; a damaged workbook can be restored from a "
                "backup or an earlier version (OneDrive, Dropbox, Time Machine)",
            ) from None

    def read(self, scope: ReadScope = EVERYTHING) -> WorkbookGrid:
        # A local file is read whole: the scope saves nothing here.
        if not self.exists():
            self._book = None
            self._stamp = None
            return WorkbookGrid([])
        self._stamp = self._file_stamp()
        self._book = self._open()
        cells = sum(ws.max_row * ws.max_column for ws in self._book.worksheets)
        return WorkbookGrid([_grid(ws) for ws in self._book.worksheets], cells_used=cells)

    def read_values(self, titles: list[str],
                    columns: dict[str, list[int]] | None = None) -> WorkbookGrid:
        wanted = {t.strip().casefold() for t in titles}
        return WorkbookGrid([t for t in self.read().tabs if t.title.strip().casefold() in wanted])

    def read_landing(self, plan: WritePlan) -> WorkbookGrid:
        return self.read_values([w.title for w in plan.tabs if w.is_category and w.cells])

    def last_snapshot(self) -> dt.date | None:
        """A local workbook is read whole anyway: the History tab tells."""
        return None

    def apply(self, plan: WritePlan, template: Template) -> bool:
        book = self._book
        fresh = book is None
        if book is None:
            book = Workbook()
        sheets = {ws.title.strip().casefold(): ws for ws in book.worksheets}
        dirty = fresh
        for write in plan.tabs:
            ws = sheets.get(write.title.strip().casefold())
            if ws is None:
                ws = book.create_sheet(write.title)
                sheets[write.title.strip().casefold()] = ws
                print_on_one_page_wide(ws)
                if write.hidden:
                    ws.sheet_state = "hidden"
                dirty = True
            if write.has_cell_writes:
                _write_cells(ws, write, template)
                dirty = True
            if write.has_cell_writes or not decorations_in_place(ws, write, template):
                decorate(ws, write, template)
                dirty = True
        if fresh:
            default = book.worksheets[0]
            if default.title == "Sheet" and default.max_row == 1 and default["A1"].value is None:
                book.remove(default)
        if dirty:
            add_summary_chart(book, template)
            self._save(book)
            self._stamp = self._file_stamp()
        self._book = book
        return dirty

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _save(self, book: Workbook) -> None:
        if self._file_stamp() != self._stamp:
            raise SheetChangedDuringPush(f"{self.path} was saved by someone else during the push")
        # Through a symlink to its target, keeping the file's mode (a shared 664 stays 664).
        real = Path(os.path.realpath(self.path))
        real.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                        dir=real.parent)
        os.close(handle)
        try:
            book.save(temp)
            os.chmod(temp, _mode_for(real))
            os.replace(temp, real)
        except OSError as exc:
            raise WorkbookError(f"{self.path} cannot be written ({exc})",
                                hint="close the workbook in Excel and try again") from None
        finally:
            Path(temp).unlink(missing_ok=True)  # gone after the rename; a leftover otherwise


def _grid(ws: Worksheet) -> TabGrid:
    rows: list[list[Any]] = []
    formulas: set[tuple[int, int]] = set()
    notes: dict[tuple[int, int], str] = {}
    for r, row in enumerate(ws.iter_rows()):
        values: list[Any] = []
        for c, cell in enumerate(row):
            value = cell.value
            if isinstance(value, int) and not isinstance(value, bool) \
                    and abs(value) > sys.float_info.max:
                raise WorkbookError(
                    f"{tab_a1(ws.title, r, c)} holds a whole number of {len(str(abs(value))):,} "
                    "digits, which cannot be saved back into an .xlsx file; nothing was "
                    "written", hint="replace it with a number below 1e308 (or text) and "
                    "run again")
            if cell.comment is not None:
                notes[(r, c)] = cell.comment.text
            if cell.data_type == "f" or (value is not None and not isinstance(
                    value, str | int | float | dt.date | dt.time | dt.timedelta | bool)):
                formulas.add((r, c))
                value = str(value) if isinstance(value, str) else None
            values.append(value)
        rows.append(values)
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return TabGrid(ws.title, rows, formula_cells=formulas, notes=notes)


def _write_cells(ws: Worksheet, write: TabWrite, template: Template) -> None:
    """Write the plan's cells, headers and cell notes."""
    by_col = {index: column for column in write.columns
              if (index := write.layout.get(column.key)) is not None}
    if write.create:
        write_headers = {col: column.header for col, column in by_col.items()}
        ws.row_dimensions[1].height = header_height(by_col.values())
    else:
        write_headers = write.header_cells
    for col, text in write_headers.items():
        ws.cell(row=1, column=col + 1).value = cell_safe(text)
        style_header(ws, col, by_col.get(col), template)
    formats = {col: number_format(column) for col, column in by_col.items()}
    for (row, col), value in write.cells.items():
        cell = ws.cell(row=row + 1, column=col + 1)
        _set_value(cell, value)
        fmt = write.cell_formats.get((row, col)) or formats.get(col)
        if fmt and cell.number_format != fmt:
            cell.number_format = fmt
    for (row, col), text in write.cell_notes.items():
        comment = Comment(cell_safe(text), COMMENT_AUTHOR)
        comment.width, comment.height = 260, 60
        ws.cell(row=row + 1, column=col + 1).comment = comment
    apply_styles(ws, write)


def _set_value(cell: Any, value: Any) -> None:
    if isinstance(value, str):
        cell.value = cell_safe(value)
        cell.data_type = "s"  # text stays text: '=1+1' is never a formula
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        cell.value = dt.datetime.combine(value, dt.time())
    else:
        cell.value = value
