"""The History tab read: one snapshot per account per month, and the dates of the cycle."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from .layout import TableLayout
from .template import Template
from .values import CellValueError, handle_identity, parse_value
from .workbook import TabGrid


@dataclass(frozen=True)
class Snapshot:
    day: dt.date
    handle_id: str
    followers: float | None
    values: dict[str, Any]  # every History column, by key


def one_month_after(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_history(tab: TabGrid | None, layout: TableLayout,
                  template: Template) -> list[Snapshot]:
    """The snapshots of a History tab; rows without a date or a handle are not snapshots."""
    if tab is None or "snapshot_date" not in layout.columns or "handle" not in layout.columns:
        return []
    by_key = {c.key: c for c in template.history_columns}
    found = []
    for r in layout.data_rows:
        values: dict[str, Any] = {}
        for key, col in layout.columns.items():
            try:
                values[key] = parse_value(tab.cell(r, col), by_key[key])
            except CellValueError:
                values[key] = None
        day = values.get("snapshot_date")
        handle = handle_identity(tab.cell(r, layout.columns["handle"]))
        if isinstance(day, dt.date) and handle:
            found.append(Snapshot(day, handle, values.get("followers"), values))
    return found


def previous_snapshots(history: list[Snapshot], today: dt.date) -> dict[str, dict[str, Any]]:
    """Each account's latest snapshot from before this calendar month."""
    latest: dict[str, Snapshot] = {}
    for snap in history:
        if (snap.day.year, snap.day.month) >= (today.year, today.month):
            continue
        if snap.handle_id not in latest or snap.day > latest[snap.handle_id].day:
            latest[snap.handle_id] = snap
    return {handle: snap.values for handle, snap in latest.items()}
