"""The library's commands: init, push, plan, validate, pull.

Each one: open the target, read the workbook, validate, merge, compute, plan,
and (push, init) write.  The CLI is a thin wrapper over these functions.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .backends import Backend, open_backend
from .backends.xlsx import XlsxBackend
from .errors import SheetChangedDuringPush, WorkbookError, WriteOutcomeUnknown
from .importer import read_input_files
from .layout import is_blank, locate_table
from .merge import Prefer
from .plan import PlannedPush, plan_push
from .report import SyncReport
from .template import CATEGORY_KEYS, Template, as_template
from .verify import repair_plan
from .workbook import WorkbookGrid, WritePlan

Progress = Callable[[str], None]
WRITE_ATTEMPTS = 3


def _step(progress: Progress | None, label: str) -> None:
    if progress is not None:
        progress(label)


def push(target: str | Path | Backend, files: Sequence[str | Path] = (), *,
         template: str | Path | Template | None = None, category: str | None = None,
         strict: bool = False, today: dt.date | None = None, dry_run: bool = False,
         progress: Progress | None = None, credentials: str | Path | None = None,
         oauth: bool = False, prefer: Prefer = None, restore: bool = False) -> SyncReport:
    """Merge `files` into the workbook, recompute every derived cell, and write what changed.

    With no files it re-reads, validates and recomputes.  With `dry_run` nothing is
    written (that is `plan`).  With `strict`, any unreadable input cell means nothing
    is written.  A cell both the sheet and the file changed since the last push is a
    conflict: the sheet's value stays unless `prefer="file"`; `prefer="sheet"` keeps it
    without reporting.  A row a teammate deleted comes back only with `restore`.
    """
    tpl = as_template(template)
    backend = open_backend(target, credentials=credentials, oauth=oauth)
    report = SyncReport(backend.location, "plan" if dry_run else "push")
    _step(progress, "reading input files")
    imported = read_input_files(files, tpl, category)
    report.problems.extend(imported.problems)
    if strict and any(p.severity == "error" for p in imported.problems):
        report.notes.append("--strict: the input files have problems, so nothing was written")
        return report
    day = today or dt.date.today()
    write_rounds(backend, tpl, report, lambda grid: plan_push(
        grid, tpl, imported.rows, day, prefer, restore), dry_run, progress)
    report.problems = [*imported.problems, *report.problems]
    return report


def write_rounds(backend: Backend, tpl: Template, report: SyncReport,
                 make_plan: Callable[[WorkbookGrid], PlannedPush], dry_run: bool = False,
                 progress: Progress | None = None,
                 first_read: WorkbookGrid | None = None) -> PlannedPush:
    """Read, plan and write, again after a lost reply, a concurrent save or a displaced write.

    The report keeps what the first write did; later rounds only finish it. `first_read`
    is a grid the caller has just read, used for the first round instead of reading again.
    """
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        _step(progress, "reading the workbook")
        grid = first_read if attempt == 1 and first_read is not None else backend.read()
        _step(progress, "merging and computing")
        planned = make_plan(grid)
        if not report.written:
            # After a write, a further round only finishes it: the report stays the first's.
            report.tabs = planned.tabs
            report.conflicts = planned.conflicts
            report.problems = list(planned.problems)
        if dry_run:
            break
        _step(progress, "writing the workbook")
        try:
            wrote = backend.apply(planned.plan, tpl)
        except WriteOutcomeUnknown:
            # The write may have landed: read again and send only what is still missing.
            if attempt == WRITE_ATTEMPTS:
                raise
            report.written = True
            report.notes.append("a write got no reply; the workbook was read again and "
                                "only what was still missing was sent")
            continue
        except SheetChangedDuringPush:
            if attempt == WRITE_ATTEMPTS:
                raise
            report.notes.append("the workbook was saved by someone else during the push; "
                                "it was read again and the push made anew")
            continue
        report.written = wrote or report.written
        if wrote and backend.verifies_writes and _put_right(backend, grid, planned.plan, tpl):
            report.notes.append("the sheet changed while this push was writing (rows sorted, "
                                "inserted or columns moved); the cells that landed on the "
                                "wrong account were put right")
            if attempt < WRITE_ATTEMPTS:
                continue
        break
    report.notes.extend(backend.notes)
    return planned


def _put_right(backend: Backend, before: WorkbookGrid, plan: WritePlan,
               template: Template) -> bool:
    """Read the sheet back; undo what a concurrent edit displaced. True if anything was."""
    checked = [w.title for w in plan.tabs if w.is_category and w.cells]
    if not checked:
        return False
    repair = repair_plan(before, plan, backend.read_values(checked), template)
    if not repair.has_cell_writes:
        return False
    backend.apply(repair, template)
    return True


def plan(target: str | Path | Backend, files: Sequence[str | Path] = (),
         **options: Any) -> SyncReport:
    """What `push` would change, per tab, writing nothing."""
    return push(target, files, dry_run=True, **options)


def init(target: str | Path | Backend, *, template: str | Path | Template | None = None,
         today: dt.date | None = None, credentials: str | Path | None = None,
         oauth: bool = False) -> SyncReport:
    """Create the workbook from the template; an existing one is left as it is."""
    tpl = as_template(template)
    backend = open_backend(target, credentials=credentials, oauth=oauth)
    if backend.exists():
        report = SyncReport(backend.location, "init")
        report.notes.append(f"{backend.location} already exists and was left as it is; "
                            "`sheets-sync push` updates it")
        return report
    report = push(backend, (), template=tpl, today=today)
    report.command = "init"
    return report


def init_google(*, title: str, share: Sequence[str] = (),
                template: str | Path | Template | None = None, today: dt.date | None = None,
                credentials: str | Path | None = None, oauth: bool = False) -> SyncReport:
    """Create a new Google spreadsheet from the template, share it, and report its URL."""
    from .backends import google_credentials
    from .backends.gsheets import GoogleSheetsBackend

    tpl = as_template(template)
    backend = GoogleSheetsBackend.from_credentials("", google_credentials(credentials, oauth))
    backend.create(title)
    report = push(backend, (), template=tpl, today=today)
    report.command = "init"
    report.target = backend.location
    if share:
        backend.share(list(share))
        report.notes.append("shared as editor with " + ", ".join(share))
    report.notes.append(f"created {backend.location}")
    return report


def validate(target: str | Path | Backend, *, template: str | Path | Template | None = None,
             today: dt.date | None = None, credentials: str | Path | None = None,
             oauth: bool = False) -> SyncReport:
    """Every cell the tool cannot read, with its A1 reference; missing tabs and headers."""
    tpl = as_template(template)
    backend = open_backend(target, credentials=credentials, oauth=oauth)
    report = SyncReport(backend.location, "validate")
    if isinstance(backend, XlsxBackend) and not backend.exists():
        report.notes.append(f"{backend.location} does not exist yet; `sheets-sync init` "
                            "creates it")
        return report
    planned = plan_push(backend.read(), tpl, [], today or dt.date.today())
    report.problems.extend(planned.problems)
    for tab in planned.tabs:
        if tab.created:
            report.notes.append(f"tab {tab.tab!r} is missing; a push creates it")
        for header in tab.headers_added:
            report.notes.append(f"tab {tab.tab!r} has no column {header!r}; a push adds it")
    return report


def pull(target: str | Path | Backend, out_dir: str | Path, *,
         template: str | Path | Template | None = None, credentials: str | Path | None = None,
         oauth: bool = False) -> list[Path]:
    """Write one CSV per tab, template keys as headers (teammates' columns keep their header)."""
    tpl = as_template(template)
    backend = open_backend(target, credentials=credentials, oauth=oauth)
    if isinstance(backend, XlsxBackend) and not backend.exists():
        raise WorkbookError(f"{backend.location} does not exist",
                            hint="`sheets-sync init` creates it")
    grid = backend.read()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [_pull_tab(grid, tpl, key, title, out) for key, title in tpl.all_tabs.items()
            if grid.find(title) is not None]


def _pull_tab(grid: WorkbookGrid, template: Template, key: str, title: str, out: Path) -> Path:
    tab = grid.find(title)
    assert tab is not None
    columns = template.columns_of(key)
    layout = locate_table(tab, title, columns)
    ours = [(c.key, layout.columns[c.key]) for c in columns if c.key in layout.columns]
    theirs = [(str(text), col) for col, text in enumerate(tab.header)
              if col not in layout.columns.values() and not is_blank(text)]
    fields = ours + theirs
    path = out / f"{key}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        category = [key] if key in CATEGORY_KEYS else []
        writer.writerow((["category"] if category else []) + [name for name, _ in fields])
        for r in layout.data_rows:
            writer.writerow(category + [_csv_text(tab.cell(r, col)) for _, col in fields])
    return path


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
