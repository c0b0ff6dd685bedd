"""Context Notes: the dated log of outside events that explain a jump (a launch, a collab,
a viral video). `add_note` appends one row; the same note added twice is one row."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .backends import Backend, open_backend
from .errors import ConfigError
from .layout import locate_table
from .plan import placed_layout
from .report import SyncReport, TabSummary
from .template import Template, as_template
from .values import CellValueError, normalize_handle, parse_value
from .workbook import TabWrite, WorkbookGrid, WritePlan


@dataclass(frozen=True)
class ContextNote:
    date: dt.date | None
    handle: str
    kind: str
    text: str
    author: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


def _read_notes(grid: WorkbookGrid, template: Template) -> tuple[list[ContextNote], Any, Any]:
    title = template.tabs.context_notes
    tab = grid.find(title)
    columns = template.context_notes_columns
    layout = locate_table(tab, title, columns)
    by_key = {c.key: c for c in columns}
    notes = []
    for r in layout.data_rows:
        values: dict[str, Any] = {}
        for key, col in layout.columns.items():
            raw = tab.cell(r, col) if tab is not None else None
            try:
                values[key] = parse_value(raw, by_key[key])
            except CellValueError:
                values[key] = raw
        if any(v not in (None, "") for v in values.values()):
            notes.append(ContextNote(
                values.get("date") if isinstance(values.get("date"), dt.date) else None,
                str(values.get("handle") or ""), str(values.get("kind") or ""),
                str(values.get("text") or ""), str(values.get("author") or "")))
    return notes, tab, layout


def list_notes(target: str | Path | Backend, *, handle: str | None = None,
               kind: str | None = None, template: str | Path | Template | None = None,
               credentials: str | Path | None = None, oauth: bool = False) -> list[ContextNote]:
    """Every note of the Context Notes tab, those typed by hand included, in sheet order."""
    tpl = as_template(template)
    backend = open_backend(target, credentials=credentials, oauth=oauth)
    notes, _, _ = _read_notes(backend.read(), tpl)
    if handle:
        notes = [n for n in notes if normalize_handle(n.handle) == normalize_handle(handle)]
    if kind:
        notes = [n for n in notes if n.kind == kind]
    return notes


def add_note(target: str | Path | Backend, text: str, *, handle: str | None = None,
             kind: str = "other", date: dt.date | None = None, author: str | None = None,
             template: str | Path | Template | None = None,
             credentials: str | Path | None = None, oauth: bool = False) -> SyncReport:
    """Append one note to Context Notes. An identical note (date, handle, kind, text) already
    there is not added again, so a repeated command or a twice-delivered click is harmless."""
    tpl = as_template(template)
    if not text.strip():
        raise ConfigError("a note needs some text")
    kind_column = next(c for c in tpl.context_notes_columns if c.key == "kind")
    try:
        kind = str(parse_value(kind, kind_column) or "other")
    except CellValueError:
        raise ConfigError(f"unknown note kind {kind!r}",
                          hint="one of " + ", ".join(kind_column.choices)) from None
    note = ContextNote(date or dt.date.today(), (handle or "").strip(), kind, text.strip(),
                       author if author is not None else getpass.getuser())
    backend = open_backend(target, credentials=credentials, oauth=oauth)
    report = SyncReport(backend.location, "note")
    grid = backend.read()
    if not grid.tabs:  # a workbook that does not exist yet: make it whole first
        from .sync import push

        push(backend, (), template=tpl)
        grid = backend.read()
    notes, tab, layout = _read_notes(grid, tpl)
    if any(_same_note(existing, note) for existing in notes):
        report.notes.append("this note is already there; nothing was added")
        return report
    placed, headers = placed_layout(layout, tpl.context_notes_columns)
    row = layout.end_row
    values = {"date": note.date, "handle": note.handle or None, "kind": note.kind,
              "text": note.text, "author": note.author or None}
    write = TabWrite("context_notes", tab.title if tab is not None else tpl.tabs.context_notes,
                     tpl.context_notes_columns, placed, len(layout.data_rows) + 1,
                     create=tab is None, header_cells=headers,
                     cells={(row, placed[key]): value for key, value in values.items()})
    report.written = backend.apply(WritePlan([write]), tpl)
    report.tabs = [TabSummary(write.title, created=tab is None, rows_added=1)]
    return report


def _same_note(a: ContextNote, b: ContextNote) -> bool:
    return (a.date, normalize_handle(a.handle), a.kind, a.text.strip()) == \
        (b.date, normalize_handle(b.handle), b.kind, b.text.strip())
