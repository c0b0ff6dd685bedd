"""The monthly refresh: snapshot every account into History, fill Followers 30d Ago from the
snapshot 25-35 days old, raise alerts, and recompute everything.

Safe to repeat: an account gets at most one History row per calendar month and an alert
is raised once, so a second run, a run after a crash or after a lost reply adds nothing.
The History and Alerts rows are inputs to the plan, like the Followers 30d Ago fills.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .alerts import KIND_FORMATS, OPEN, find_alerts
from .backends import Backend, open_existing
from .benchmark import Benchmark, load_benchmark
from .destinations import Destination
from .engine import Progress, run_rounds
from .history import Snapshot, one_month_after, previous_snapshots
from .importer import ImportedRow
from .notify import deliver, needs_delivery
from .planner import PlannedPush, plan_push
from .report import SyncReport
from .template import Template, as_template
from .values import Value, clean_value, handle_identity

FILL_WINDOW = (25, 35)  # days: the snapshot that gives "followers 30 days ago"
FILL_NOTE = re.compile(r"History snapshot of (\d{4}-\d{2}-\d{2})")
SNAPSHOT_KEYS = ("followers", "avg_views", "engagement_rate", "views_per_follower",
                 "posts_30d")


def history_fills(bench: Benchmark, today: dt.date) -> list[ImportedRow]:
    """Followers 30d Ago from History, for cells that are empty or were filled from it."""
    by_handle: dict[str, list[Snapshot]] = {}
    for snap in bench.history:
        by_handle.setdefault(snap.handle_id, []).append(snap)
    low, high = FILL_WINDOW
    fills = []
    for key, tab in bench.sheet.tabs.items():
        grid, layout = tab.grid, tab.layout
        col = layout.columns.get("followers_30d_ago")
        if grid is None or "handle" not in layout.columns:
            continue
        for row in tab.rows:
            snaps = by_handle.get(row.handle_id or "", [])
            window = [s for s in snaps if low <= (today - s.day).days <= high
                      and s.followers is not None]
            if not row.handle_id or not window or "followers_30d_ago" in row.unreadable:
                continue  # something unreadable typed there: a person's value wins
            best = min(window, key=lambda s: abs((today - s.day).days - 30))
            current = row.values.get("followers_30d_ago")
            note = grid.notes.get((row.grid_row, col), "") if col is not None else ""
            if current is not None and not _filled_from(note, current, snaps):
                continue  # typed or imported by a person: it wins
            fills.append(ImportedRow(key, row.handle_id, {
                "handle": str(grid.cell(row.grid_row, layout.columns["handle"])),
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


def snapshot_rows(bench: Benchmark, accounts: pd.DataFrame,
                  today: dt.date) -> list[dict[str, Value]]:
    """This month's History rows: one per account not yet snapshotted this month."""
    taken = {(s.handle_id, s.day.year, s.day.month) for s in bench.history}
    labels = bench.template.category_tabs
    rows: list[dict[str, Value]] = []
    for record in accounts.to_dict("records"):
        handle = handle_identity(record.get("handle"))
        if not handle or (handle, today.year, today.month) in taken:
            continue
        values: dict[str, Value] = {"snapshot_date": today,
                                    "category": labels[record["category"]],
                                    "handle": record["handle"]}
        values.update({k: clean_value(record.get(k)) for k in SNAPSHOT_KEYS})
        rows.append(values)
        taken.add((handle, today.year, today.month))
    return rows


def alert_rows(bench: Benchmark, accounts: pd.DataFrame,
               today: dt.date) -> list[dict[str, Value]]:
    """The alerts not raised before, as Alerts rows."""
    seen = set(bench.alert_ids)
    rows: list[dict[str, Value]] = []
    previous = previous_snapshots(bench.history, today)
    for alert in find_alerts(accounts, previous, bench.template, today):
        if alert.identity in seen:
            continue
        seen.add(alert.identity)
        rows.append({"date": today, "category": alert.category,
                     "handle": alert.handle or None, "kind": alert.kind,
                     "metric": alert.metric, "before": alert.before,
                     "after": alert.after, "message": alert.message, "status": OPEN})
    return rows


def plan_refresh(bench: Benchmark, today: dt.date) -> PlannedPush:
    """A push of the History fills, with this month's snapshot and new alerts appended."""
    fills = history_fills(bench, today)

    snapshot_taken: list[bool] = []

    def appends(accounts: pd.DataFrame) -> dict[str, list[dict[str, Value]]]:
        if accounts.empty:
            return {}
        snapshot = snapshot_rows(bench, accounts, today)
        snapshot_taken.append(bool(snapshot))
        return {"history": snapshot, "alerts": alert_rows(bench, accounts, today)}

    planned = plan_push(bench, fills, today, appends=appends)
    _note_fills(planned, fills)
    if any(snapshot_taken):
        planned.plan.snapshot_day = today
    _format_alert_values(planned)
    return planned


def next_due(bench: Benchmark) -> tuple[dt.date, dt.date] | None:
    """(last snapshot, the day the next one is due), or None before the first snapshot."""
    if not bench.history:
        return None
    last = max(s.day for s in bench.history)
    return last, one_month_after(last)


def refresh(target: str | Path | Backend, *, today: dt.date | None = None, if_due: bool = False,
            template: str | Path | Template | None = None, credentials: str | Path | None = None,
            oauth: bool = False, progress: Progress | None = None,
            our_brand: Sequence[str] | None = None, band: str | None = None,
            notify: Sequence[Destination] = (), workbook: str | None = None,
            skip_done: bool = False) -> SyncReport:
    """Snapshot, fill growth from History, raise alerts, recompute, and send the new alerts
    to `notify`. With `if_due`, act only when a month has passed since the last snapshot
    (so a daily cron is safe); with `skip_done`, only when this calendar month has no
    snapshot yet (a fleet rerun after a crash). Alerts not yet sent go out either way.
    `band` names a band preset of the template; by default the one the last push used."""
    tpl = as_template(template)
    tpl.with_band(band)
    day = today or dt.date.today()
    backend = open_existing(target, credentials=credentials, oauth=oauth)
    report = SyncReport(backend.location, "refresh")
    first_read = None
    # The spreadsheet's marker answers "not due" in one small request, when no alerts
    # wait to be sent (those need the workbook read).
    marked = backend.last_snapshot() if if_due and not skip_done and not notify else None
    if marked is not None and day < one_month_after(marked):
        report.notes.append(f"not due: the last snapshot is of {marked.isoformat()}, "
                            f"the next is due on {one_month_after(marked).isoformat()}")
        return report
    if if_due or skip_done:
        first_read = load_benchmark(backend, tpl, our_brand=our_brand, band=band)
        skip = _skip_reason(first_read, day, if_due, skip_done)
        if skip is not None:
            report.notes.append(skip)
            deliver(backend, tpl, report, notify, day, workbook=workbook, our_brand=our_brand,
                    first_read=first_read)
            return report
    planned = run_rounds(backend, tpl, report, lambda bench: plan_refresh(bench, day),
                         our_brand=our_brand, progress=progress, first_read=first_read,
                         band=band)
    alerts = next((w for w in planned.plan.tabs if w.key == "alerts"), None)
    if alerts is not None:
        report.alerts_raised = next((t.rows_added for t in report.tabs
                                     if t.tab == alerts.title), 0)
    if notify and (report.alerts_raised or first_read is None
                   or needs_delivery(first_read, notify, day)):
        # Read again: the rows of the alerts just written are what the messages link.
        deliver(backend, tpl, report, notify, day, workbook=workbook, our_brand=our_brand)
    return report


def _skip_reason(bench: Benchmark, day: dt.date, if_due: bool, skip_done: bool) -> str | None:
    due = next_due(bench)
    if due is None:
        return None
    if skip_done and (due[0].year, due[0].month) == (day.year, day.month):
        return f"already refreshed this month: the last snapshot is of {due[0].isoformat()}"
    if if_due and day < due[1]:
        return (f"not due: the last snapshot is of {due[0].isoformat()}, the next is due on "
                f"{due[1].isoformat()}")
    return None


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



def _format_alert_values(planned: PlannedPush) -> None:
    """Before and After of each new alert in its kind's format (followers, ratio, rate, date)."""
    write = next((w for w in planned.plan.tabs if w.key == "alerts"), None)
    if write is None or "kind" not in write.layout:
        return
    kind_col = write.layout["kind"]
    for key in ("before", "after"):
        col = write.layout.get(key)
        for (row, c), value in write.cells.items():
            fmt = KIND_FORMATS.get(str(write.cells.get((row, kind_col), "")))
            if c == col and value is not None and fmt is not None:
                write.cell_formats[(row, c)] = fmt
