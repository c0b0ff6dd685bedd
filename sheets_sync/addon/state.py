"""The benchmark at a glance: what the homepage card shows, read from the workbook."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..backends import Backend
from ..layout import locate_table
from ..plan import plan_push
from ..refresh import read_history
from ..report import Problem
from ..template import CATEGORY_KEYS, Template
from ..values import CellValueError, handle_identity, parse_value
from ..workbook import WorkbookGrid


@dataclass
class BenchmarkState:
    accounts: dict[str, int] = field(default_factory=dict)  # by tab title, in template order
    outside_band: int = 0
    alerts: int = 0
    stale_rows: int = 0
    last_change: dt.date | None = None  # newest Last Changed: what the last push stamped
    last_snapshot: dt.date | None = None  # newest History snapshot: the last refresh
    problems: list[Problem] = field(default_factory=list)

    @property
    def total_accounts(self) -> int:
        return sum(self.accounts.values())


def benchmark_state(backend: Backend, template: Template, today: dt.date) -> BenchmarkState:
    """One read of the workbook; nothing is written."""
    grid = backend.read()
    planned = plan_push(grid, template, [], today)
    state = BenchmarkState(problems=list(planned.problems))
    for key in CATEGORY_KEYS:
        title = template.category_tabs[key]
        state.accounts[title] = 0
        _read_category(grid, template, title, today, state)
    accounts = planned.accounts
    if accounts is not None and not accounts.empty:
        band = template.band
        rates = accounts["engagement_rate"].astype("float64")
        state.outside_band = int(((rates < band.engagement_low)
                                  | (rates > band.engagement_high)).sum())
    history = read_history(grid, template)
    state.last_snapshot = max((s.day for s in history), default=None)
    title = template.tabs.alerts
    alerts = grid.find(title)
    if alerts is not None:
        state.alerts = len(locate_table(alerts, title, template.alerts_columns).data_rows)
    return state


def _read_category(grid: WorkbookGrid, template: Template, title: str, today: dt.date,
                   state: BenchmarkState) -> None:
    tab = grid.find(title)
    layout = locate_table(tab, title, template.columns)
    if tab is None or "handle" not in layout.columns:
        return
    changed_col = layout.columns.get("last_changed")
    column = template.by_key["last_changed"]
    for r in layout.data_rows:
        if not handle_identity(tab.cell(r, layout.columns["handle"])):
            continue
        state.accounts[title] += 1
        if changed_col is None:
            continue
        try:
            changed = parse_value(tab.cell(r, changed_col), column)
        except CellValueError:
            continue
        if isinstance(changed, dt.datetime):
            changed = changed.date()
        if not isinstance(changed, dt.date):
            continue
        state.last_change = max(state.last_change or changed, changed)
        if (today - changed).days > template.thresholds.stale_days:
            state.stale_rows += 1
