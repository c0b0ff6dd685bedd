"""The Status of alerts: open ones counted, and marked seen in one click of the side panel.

Only a Status that is empty or `open` is changed; `seen`, `done` or anything else a teammate
typed is theirs and stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .alerts import OPEN, SEEN, AlertRow
from .backends import Backend, open_existing
from .benchmark import Benchmark, Part
from .engine import run_rounds
from .layout import is_blank
from .planner import PlannedPush, other_tab_write
from .report import SyncReport
from .template import Template, as_template
from .workbook import WritePlan

STATUS_PARTS = Part.CATEGORIES | Part.ALERTS


def markable(bench: Benchmark, alert: AlertRow) -> bool:
    """Whether the alert's Status cell is empty or says open (never a teammate's own word)."""
    tab, col = bench.tabs.get("alerts"), bench.layouts["alerts"].columns.get("status")
    value = tab.cell(alert.grid_row, col) if tab is not None and col is not None else None
    return is_blank(value) or str(value).strip().casefold() == OPEN


def open_alerts(bench: Benchmark) -> list[AlertRow]:
    return [a for a in bench.alerts if a.is_open and markable(bench, a)]


def plan_mark_seen(bench: Benchmark) -> PlannedPush:
    write, summary = other_tab_write(bench, "alerts")
    col = write.layout["status"]
    for alert in open_alerts(bench):
        write.cells[(alert.grid_row, col)] = SEEN
    summary.input_cells_changed = len(write.cells)
    return PlannedPush(WritePlan([write] if write.has_cell_writes else []), [summary])


def mark_alerts_seen(target: str | Path | Backend, *,
                     template: str | Path | Template | None = None,
                     credentials: str | Path | None = None, oauth: bool = False,
                     our_brand: Sequence[str] | None = None) -> SyncReport:
    """Set every open alert's Status to seen."""
    tpl = as_template(template)
    backend = open_existing(target, credentials=credentials, oauth=oauth)
    report = SyncReport(backend.location, "alerts seen")
    run_rounds(backend, tpl, report, plan_mark_seen, parts=STATUS_PARTS, our_brand=our_brand)
    return report
