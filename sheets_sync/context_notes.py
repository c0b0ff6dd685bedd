"""The Context Notes tab read: dated outside events, those typed by hand included."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from .layout import TableLayout
from .template import Template
from .values import CellValueError, normalize_handle, parse_value
from .workbook import TabGrid


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

    @property
    def identity(self) -> tuple[Any, ...]:
        """What makes two notes one: a click delivered twice is the same note."""
        return (self.date, normalize_handle(self.handle), self.kind, self.text.strip())


def parse_notes(tab: TabGrid | None, layout: TableLayout,
                template: Template) -> list[ContextNote]:
    if tab is None:
        return []
    by_key = {c.key: c for c in template.context_notes_columns}
    notes = []
    for r in layout.data_rows:
        values: dict[str, Any] = {}
        for key, col in layout.columns.items():
            raw = tab.cell(r, col)
            try:
                values[key] = parse_value(raw, by_key[key])
            except CellValueError:
                values[key] = raw
        if any(v not in (None, "") for v in values.values()):
            day = values.get("date")
            notes.append(ContextNote(
                day if isinstance(day, dt.date) else None,
                str(values.get("handle") or ""), str(values.get("kind") or ""),
                str(values.get("text") or ""), str(values.get("author") or "")))
    return notes
