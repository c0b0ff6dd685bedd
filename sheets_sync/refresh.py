"""The monthly refresh: snapshot every account into History, fill Followers 30d Ago from the
snapshot 25-35 days old, and recompute everything.

Safe to repeat: an account gets at most one History row per calendar month, so a
second run, a run after a crash or after a lost reply adds nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .alerts import existing_alerts, find_alerts
from .backends import Backend, open_backend
from .importer import ImportedRow
from .layout import locate_table
from .plan import PlannedPush, plan_push
from .report import SyncReport
from .template import CATEGORY_KEYS, Template, as_template
from .values import CellValueError, handle_identity, parse_value
from .workbook import WorkbookGrid

FILL_WINDOW = (25, 35)  # days: the snapshot that gives "followers 30 days ago"
FILL_NOTE = re.compile(r"History snapshot of (\d{4}-\d{2}-\d{2})")
SNAPSHOT_KEYS = ("followers", "avg_views", "engagement_rate", "views_per_follower",
                 "posts_30d")


@dataclass(frozen=True)
class Snapshot:
    day: dt.date
    handle_id: str
    followers: float | None
    values: dict[str, Any]  # every History column, by key


def one_month_after(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def read_history(grid: WorkbookGrid, template: Template) -> list[Snapshot]:
    title = template.tabs.history
    tab = grid.find(title)
    layout = locate_table(tab, title, template.history_columns)
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


def _fills(grid: WorkbookGrid, template: Template, history: list[Snapshot],
           today: dt.date) -> list[ImportedRow]:
    """Followers 30d Ago from History, for cells that are empty or were filled from it."""
    by_handle: dict[str, list[Snapshot]] = {}
    for snap in history:
        by_handle.setdefault(snap.handle_id, []).append(snap)
    low, high = FILL_WINDOW
    fills = []
    column = template.by_key["followers_30d_ago"]
    for key in CATEGORY_KEYS:
        title = template.category_tabs[key]
        tab = grid.find(title)
        layout = locate_table(tab, title, template.columns)
        if tab is None or "handle" not in layout.columns:
            continue
        col = layout.columns.get("followers_30d_ago")
        for r in layout.data_rows:
            handle = handle_identity(tab.cell(r, layout.columns["handle"]))
            snaps = by_handle.get(handle or "", [])
            window = [s for s in snaps if low <= (today - s.day).days <= high
                      and s.followers is not None]
            if not handle or not window:
                continue
            best = min(window, key=lambda s: abs((today - s.day).days - 30))
            try:
                current = parse_value(tab.cell(r, col), column) if col is not None else None
            except CellValueError:
                continue  # something typed there: a person's value wins
            if current is not None and not _filled_from(tab.notes.get((r, col), ""), current,
                                                        snaps):
                continue  # typed or imported by a person: it wins
            fills.append(ImportedRow(key, handle, {
                "handle": str(tab.cell(r, layout.columns["handle"])),
                "followers_30d_ago": best.followers},
                f"History snapshot of {best.day.isoformat()}"))
    return fills


def _filled_from(note: str, current: Any, snaps: list[Snapshot]) -> bool:
    """Whether a cell still holds what an earlier refresh filled from History: its note names
    the snapshot and the value is that snapshot's (a value typed over it is a person's)."""
    match = FILL_NOTE.search(note)
    if not match:
        return False
    day = dt.date.fromisoformat(match.group(1))
    return any(s.day == day and s.followers == current for s in snaps)


def _snapshot_rows(planned: PlannedPush, template: Template, history: list[Snapshot],
                   today: dt.date) -> int:
    """Append this month's History rows to the plan; returns how many."""
    accounts = planned.accounts
    write = next(w for w in planned.plan.tabs if w.key == "history")
    taken = {(s.handle_id, s.day.year, s.day.month) for s in history}
    if accounts is None or accounts.empty:
        return 0
    row = write.data_rows + 1
    added = 0
    labels = template.category_tabs
    for record in accounts.to_dict("records"):
        handle = handle_identity(record.get("handle"))
        if not handle or (handle, today.year, today.month) in taken:
            continue
        values: dict[str, Any] = {"snapshot_date": today, "category": labels[record["category"]],
                                  "handle": record["handle"]}
        values.update({k: _clean(record.get(k)) for k in SNAPSHOT_KEYS})
        for key, value in values.items():
            if key in write.layout:
                write.cells[(row, write.layout[key])] = value
        taken.add((handle, today.year, today.month))
        row += 1
        added += 1
    write.data_rows = row - 1
    return added


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def refresh(target: str | Path | Backend, *, today: dt.date | None = None, if_due: bool = False,
            template: str | Path | Template | None = None, credentials: str | Path | None = None,
            oauth: bool = False, progress: Any = None) -> SyncReport:
    """Snapshot, fill growth from History, recompute. With `if_due`, act only when a month has
    passed since the last snapshot (so a daily cron is safe)."""
    from .sync import write_rounds

    tpl = as_template(template)
    day = today or dt.date.today()
    backend = open_backend(target, credentials=credentials, oauth=oauth)
    report = SyncReport(backend.location, "refresh")
    first_read = None
    if if_due:
        first_read = backend.read()
        history = read_history(first_read, tpl)
        if history:
            last = max(s.day for s in history)
            due = one_month_after(last)
            if day < due:
                report.notes.append(f"not due: the last snapshot is of {last.isoformat()}, "
                                    f"the next is due on {due.isoformat()}")
                return report
    added: list[int] = []

    def make_plan(grid: WorkbookGrid) -> PlannedPush:
        history = read_history(grid, tpl)
        fills = _fills(grid, tpl, history, day)
        planned = plan_push(grid, tpl, fills, day)
        _note_fills(planned, fills)
        added[:] = [_snapshot_rows(planned, tpl, history, day),
                    _alert_rows(planned, tpl, grid, history, day)]
        return planned

    write_rounds(backend, tpl, report, make_plan, progress=progress, first_read=first_read)
    for title, count in zip((tpl.tabs.history, tpl.tabs.alerts), added, strict=False):
        summary = next((t for t in report.tabs if t.tab == title), None)
        if summary is not None:
            summary.rows_added = count
    return report


def _alert_rows(planned: PlannedPush, template: Template, grid: WorkbookGrid,
                history: list[Snapshot], today: dt.date) -> int:
    """Append the alerts not raised before to the plan's Alerts tab; returns how many."""
    accounts = planned.accounts
    if accounts is None or accounts.empty:
        return 0
    seen = existing_alerts(grid, template)
    write = next(w for w in planned.plan.tabs if w.key == "alerts")
    row = write.data_rows + 1
    added = 0
    for alert in find_alerts(accounts, previous_snapshots(history, today), template, today):
        if alert.identity in seen:
            continue
        seen.add(alert.identity)
        values = {"date": today, "category": alert.category, "handle": alert.handle or None,
                  "kind": alert.kind, "metric": alert.metric, "before": alert.before,
                  "after": alert.after or None, "message": alert.message}
        for key, value in values.items():
            if key in write.layout:
                write.cells[(row, write.layout[key])] = value
        row += 1
        added += 1
    write.data_rows = row - 1
    return added


def _note_fills(planned: PlannedPush, fills: Sequence[ImportedRow]) -> None:
    """A note on each Followers 30d Ago cell filled from History, saying from which snapshot."""
    merge = planned.merge
    if merge is None:
        return
    source = {(f.category, f.handle_id): f.where for f in fills}
    writes = {w.key: w for w in planned.plan.tabs}
    for row in merge.rows:
        where = source.get((row.tab_key, row.handle_id or ""))
        write = writes.get(row.tab_key)
        if where is None or write is None:
            continue
        col = write.layout.get("followers_30d_ago")
        if col is not None and (row.grid_row, col) in merge.input_writes[row.tab_key]:
            write.cell_notes[(row.grid_row, col)] = f"Filled from the {where}"
