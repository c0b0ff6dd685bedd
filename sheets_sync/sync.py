"""The library's commands: init, push, plan, validate, pull.

Each one: open the target, read the workbook, validate, merge, compute, plan,
and (push, init) write.  The CLI is a thin wrapper over these functions.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .backends import Backend, open_backend, open_existing
from .benchmark import Benchmark, Part, load_benchmark
from .brand_check import unknown_brand_warnings
from .budget import cell_budget
from .engine import Progress, run_rounds, step
from .importer import read_input_files
from .layout import is_blank
from .merge import Prefer
from .planner import PlannedPush, plan_push
from .report import SyncReport
from .summary_layout import read_summary
from .template import CATEGORY_KEYS, Template, as_template
from .values import escape_formula_text

# A push recomputes the category tabs and the Summary: History and Alerts stay unread
# (their header rows aside), so its read does not grow month after month.
PUSH_PARTS = Part.CATEGORIES | Part.SUMMARY


def push(target: str | Path | Backend, files: Sequence[str | Path] = (), *,
         template: str | Path | Template | None = None, category: str | None = None,
         strict: bool = False, today: dt.date | None = None, dry_run: bool = False,
         progress: Progress | None = None, credentials: str | Path | None = None,
         oauth: bool = False, prefer: Prefer = None, restore: bool = False,
         our_brand: Sequence[str] | None = None, encoding: str | None = None,
         preset: str | None = None, band: str | None = None) -> SyncReport:
    """Merge `files` into the workbook, recompute every derived cell, and write what changed.

    With no files it re-reads, validates and recomputes.  With `dry_run` nothing is
    written (that is `plan`).  With `strict`, any unreadable input cell means nothing
    is written.  A cell both the sheet and the file changed since the last push is a
    conflict: the sheet's value stays unless `prefer="file"`; `prefer="sheet"` keeps it
    without reporting.  A row a teammate deleted comes back only with `restore`.
    `our_brand` (our own handles, for the Summary) defaults to what the last push used;
    so does `band`, a band preset of the template (beauty, fashion, ...). `encoding` names
    the CSV files' encoding (detected when None); `preset` an import preset (recognised
    from each file's headers when None).
    """
    tpl = as_template(template)
    tpl.with_band(band)  # an unknown band is refused before anything is read
    day = today or dt.date.today()
    backend = open_backend(target, credentials=credentials, oauth=oauth)
    report = SyncReport(backend.location, "plan" if dry_run else "push")
    step(progress, "reading input files")
    imported = read_input_files(files, tpl, category, encoding=encoding, preset=preset,
                                our_brand=our_brand, today=day)
    report.problems.extend(imported.problems)
    report.notes.extend(imported.notes)
    if strict and any(p.severity == "error" for p in imported.problems):
        report.notes.append("--strict: the input files have problems, so nothing was written")
        return report
    read: list[Benchmark] = []

    def make_plan(bench: Benchmark) -> PlannedPush:
        read[:] = [bench]
        return plan_push(bench, imported.rows, day, prefer, restore)

    run_rounds(backend, tpl, report, make_plan, parts=PUSH_PARTS, our_brand=our_brand,
               dry_run=dry_run, progress=progress, band=band)
    if dry_run and read:
        report.notes.append(cell_budget(read[0]))
    if read:
        report.problems.extend(unknown_brand_warnings(read[0], imported.rows))
    report.problems = [*imported.problems, *report.problems]
    return report


def plan(target: str | Path | Backend, files: Sequence[str | Path] = (),
         **options: Any) -> SyncReport:
    """What `push` would change, per tab, writing nothing."""
    return push(target, files, dry_run=True, **options)


def init(target: str | Path | Backend, *, template: str | Path | Template | None = None,
         today: dt.date | None = None, credentials: str | Path | None = None,
         oauth: bool = False, our_brand: Sequence[str] | None = None,
         band: str | None = None) -> SyncReport:
    """Create the workbook from the template; an existing one is left as it is."""
    tpl = as_template(template)
    backend = open_backend(target, credentials=credentials, oauth=oauth)
    if backend.exists():
        report = SyncReport(backend.location, "init")
        report.notes.append(f"{backend.location} already exists and was left as it is; "
                            "`sheets-sync push` updates it")
        return report
    report = push(backend, (), template=tpl, today=today, our_brand=our_brand, band=band)
    report.command = "init"
    return report


def init_google(*, title: str, share: Sequence[str] = (),
                template: str | Path | Template | None = None, today: dt.date | None = None,
                credentials: str | Path | None = None, oauth: bool = False,
                our_brand: Sequence[str] | None = None,
                folder: str | None = None, band: str | None = None) -> SyncReport:
    """Create a new Google spreadsheet from the template, share it, and report its URL.

    A service account owns no Drive files: it can create one only in a shared drive's
    `folder`; otherwise sign in as a person (`oauth`)."""
    from .backends import google_credentials
    from .backends.gsheets import GoogleSheetsBackend

    tpl = as_template(template)
    backend = GoogleSheetsBackend.from_credentials("", google_credentials(credentials, oauth))
    tpl.with_band(band)
    backend.create(title, folder)
    report = push(backend, (), template=tpl, today=today, our_brand=our_brand, band=band)
    report.command = "init"
    report.target = backend.location
    if share:
        backend.share(list(share))
        report.notes.append("shared as editor with " + ", ".join(share))
    return report


def validate(target: str | Path | Backend, *, template: str | Path | Template | None = None,
             today: dt.date | None = None, credentials: str | Path | None = None,
             oauth: bool = False, our_brand: Sequence[str] | None = None,
             band: str | None = None) -> SyncReport:
    """Every cell the tool cannot read, with its A1 reference; missing tabs and headers."""
    tpl = as_template(template)
    tpl.with_band(band)
    backend = open_existing(target, credentials=credentials, oauth=oauth)
    report = SyncReport(backend.location, "validate")
    bench = load_benchmark(backend, tpl, parts=Part.CATEGORIES | Part.SUMMARY,
                           our_brand=our_brand, band=band)
    planned = plan_push(bench, [], today or dt.date.today())
    report.problems.extend(planned.problems)
    report.problems.extend(unknown_brand_warnings(bench))
    report.notes.append(cell_budget(bench))
    for tab in planned.tabs:
        if tab.created:
            report.notes.append(f"tab {tab.tab!r} is missing; a push creates it")
        for header in tab.headers_added:
            report.notes.append(f"tab {tab.tab!r} has no column {header!r}; a push adds it")
    return report


def pull(target: str | Path | Backend, out_dir: str | Path, *,
         template: str | Path | Template | None = None, credentials: str | Path | None = None,
         oauth: bool = False, raw: bool = False) -> list[Path]:
    """Write one CSV per tab, template keys as headers (teammates' columns keep their header).

    Tabs are found as a push finds them, so a renamed category tab is exported too. Text
    a spreadsheet program would run as a formula (`=`, `+`, `-`, `@`) gets a leading `'`
    unless `raw`; a push reads it back without it."""
    tpl = as_template(template)
    backend = open_existing(target, credentials=credentials, oauth=oauth)
    bench = load_benchmark(backend, tpl, parts=Part.CATEGORIES)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [_pull_tab(bench, key, out, raw) for key in tpl.all_tabs
            if bench.tabs[key] is not None]


def _pull_summary(bench: Benchmark, out: Path) -> Path:
    """The Summary's blocks as one table: a row per category group, keys as headers."""
    keys = [c.key for c in bench.template.summary_columns]
    path = out / "summary.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(keys)
        for row in read_summary(bench.tabs["summary"], bench.template):
            writer.writerow([_csv_text(row.get(k)) for k in keys])
    return path


def _pull_tab(bench: Benchmark, key: str, out: Path, raw: bool) -> Path:
    if key == "summary":
        return _pull_summary(bench, out)
    tab = bench.tabs[key]
    assert tab is not None
    layout = bench.layouts[key]
    ours = [(c.key, layout.columns[c.key]) for c in bench.template.columns_of(key)
            if c.key in layout.columns]
    theirs = [(str(text), col) for col, text in enumerate(tab.header)
              if col not in layout.columns.values() and not is_blank(text)]
    fields = ours + theirs
    path = out / f"{key}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        category = [key] if key in CATEGORY_KEYS else []
        writer.writerow((["category"] if category else []) + [name for name, _ in fields])
        for r in layout.data_rows:
            texts = [_csv_text(tab.cell(r, col)) for _, col in fields]
            if not raw:
                texts = [escape_formula_text(t) if isinstance(tab.cell(r, col), str) else t
                         for t, (_, col) in zip(texts, fields, strict=True)]
            writer.writerow(category + texts)
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
