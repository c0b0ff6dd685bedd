"""Context Notes: the dated log of outside events that explain a jump (a launch, a collab,
a viral video). `add_note` appends one row through the write engine; the same note added
twice is one row, also when a reply was lost and the write went round again."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Sequence
from pathlib import Path

from .backends import Backend, open_existing
from .benchmark import Benchmark, Part, load_benchmark
from .cell_text import cell_safe
from .context_notes import ContextNote
from .engine import run_rounds
from .errors import ConfigError
from .planner import (
    PlannedPush,
    append_rows,
    hold_over_long_records,
    other_tab_write,
)
from .report import SyncReport
from .template import Template, as_template
from .values import CellValueError, Value, normalize_handle, parse_value
from .workbook import WritePlan

NOTE_PARTS = Part.CATEGORIES | Part.NOTES


def list_notes(target: str | Path | Backend, *, handle: str | None = None,
               kind: str | None = None, template: str | Path | Template | None = None,
               credentials: str | Path | None = None, oauth: bool = False) -> list[ContextNote]:
    """Every note of the Context Notes tab, those typed by hand included, in sheet order."""
    tpl = as_template(template)
    backend = open_existing(target, credentials=credentials, oauth=oauth)
    notes = load_benchmark(backend, tpl, parts=NOTE_PARTS).notes
    if handle:
        notes = [n for n in notes if normalize_handle(n.handle) == normalize_handle(handle)]
    if kind:
        notes = [n for n in notes if n.kind == kind]
    return notes


def note_kind(template: Template, kind: str) -> str:
    """A note kind as the template spells it. A word of one kind, or the start of one
    ('launch', 'collab', 'viral', 'algo') is that kind; one that fits several is refused
    with them named, as is an unknown kind."""
    column = next(c for c in template.context_notes_columns if c.key == "kind")
    try:
        return str(parse_value(kind, column) or "other")
    except CellValueError:
        pass
    wanted = kind.strip().casefold()
    fits = [choice for choice in column.choices
            if wanted and any(word.startswith(wanted) for word in
                              [choice.casefold(), *choice.casefold().split()])]
    if len(fits) == 1:
        return fits[0]
    if fits:
        raise ConfigError(f"note kind {kind!r} fits more than one kind: " + ", ".join(fits),
                          hint="give more of the kind's name")
    raise ConfigError(f"unknown note kind {kind!r}", hint="one of " + ", ".join(column.choices))


def plan_note(bench: Benchmark, note: ContextNote) -> PlannedPush:
    """The note's row at the end of Context Notes, unless the same note is already there."""
    row: dict[str, Value] = {"date": note.date, "handle": note.handle or None,
                             "kind": note.kind, "text": note.text,
                             "author": note.author or None}
    fresh = [] if any(n.identity == note.identity for n in bench.notes) else [row]
    write, summary = other_tab_write(bench, "context_notes")
    fresh, problems = hold_over_long_records(bench, write, fresh)
    summary.rows_added = append_rows(write, bench.layouts["context_notes"], fresh)
    return PlannedPush(WritePlan([write] if write.has_cell_writes else []), [summary],
                       problems)


def add_note(target: str | Path | Backend, text: str, *, handle: str | None = None,
             kind: str = "other", date: dt.date | None = None, author: str | None = None,
             template: str | Path | Template | None = None,
             credentials: str | Path | None = None, oauth: bool = False,
             our_brand: Sequence[str] | None = None) -> SyncReport:
    """Append one note to Context Notes. An identical note (date, handle, kind, text) already
    there is not added again, so a repeated command or a twice-delivered click is harmless."""
    tpl = as_template(template)
    # Cleaned as an import cleans a cell, so the note found again next time is this one.
    text = cell_safe(text)
    if not text.strip():
        raise ConfigError("a note needs some text")
    note = ContextNote(date or dt.date.today(), cell_safe(handle or "").strip(),
                       note_kind(tpl, kind), text.strip(),
                       cell_safe(author if author is not None else getpass.getuser()))
    backend = open_existing(target, credentials=credentials, oauth=oauth)
    report = SyncReport(backend.location, "note")
    run_rounds(backend, tpl, report, lambda bench: plan_note(bench, note),
               parts=NOTE_PARTS, our_brand=our_brand)
    if not any(t.rows_added for t in report.tabs) and not report.written:
        report.notes.append("this note is already there; nothing was added")
    return report
