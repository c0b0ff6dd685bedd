"""The benchmark at a glance: what the homepage card shows, read from the workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..alert_status import open_alerts
from ..backends import Backend
from ..benchmark import Benchmark, load_benchmark
from ..planner import plan_push
from ..report import Problem
from ..sheet_rows import CategoryTab
from ..template import Template
from ..values import CellValueError, parse_value


@dataclass
class BenchmarkState:
    accounts: dict[str, int] = field(default_factory=dict)  # by tab title, in template order
    outside_band: int = 0
    alerts: int = 0
    open_alerts: int = 0  # Status empty or open: not yet seen by anyone
    stale_rows: int = 0
    last_change: dt.date | None = None  # newest Last Changed: what the last push stamped
    last_snapshot: dt.date | None = None  # newest History snapshot: the last refresh
    problems: list[Problem] = field(default_factory=list)

    @property
    def total_accounts(self) -> int:
        return sum(self.accounts.values())


def benchmark_state(backend: Backend, template: Template, today: dt.date,
                    our_brand: Sequence[str] | None = None) -> BenchmarkState:
    """One read of the workbook; nothing is written."""
    bench = load_benchmark(backend, template, our_brand=our_brand)
    return summarize(bench, today)


def summarize(bench: Benchmark, today: dt.date) -> BenchmarkState:
    """The card's numbers, from the benchmark as read (renamed tabs included)."""
    template = bench.template
    planned = plan_push(bench, [], today)
    state = BenchmarkState(problems=list(planned.problems))
    for tab in bench.sheet.tabs.values():
        _count_category(tab, template, today, state)
    accounts = planned.accounts
    if accounts is not None and not accounts.empty:
        band = template.band
        rates = accounts[band.rate_key].astype("float64")
        state.outside_band = int(((rates < band.engagement_low)
                                  | (rates > band.engagement_high)).sum())
    state.last_snapshot = max((s.day for s in bench.history), default=None)
    state.alerts = len(bench.layouts["alerts"].data_rows) if bench.tabs["alerts"] else 0
    state.open_alerts = len(open_alerts(bench))
    return state


def _count_category(tab: CategoryTab, template: Template, today: dt.date,
                    state: BenchmarkState) -> None:
    state.accounts[tab.title] = 0
    changed_col = tab.layout.columns.get("last_changed")
    column = template.by_key["last_changed"]
    for row in tab.rows:
        if not row.handle_id or tab.grid is None:
            continue
        state.accounts[tab.title] += 1
        if changed_col is None:
            continue
        try:
            changed = parse_value(tab.grid.cell(row.grid_row, changed_col), column)
        except CellValueError:
            continue
        if isinstance(changed, dt.datetime):
            changed = changed.date()
        if not isinstance(changed, dt.date):
            continue
        state.last_change = max(state.last_change or changed, changed)
        if (today - changed).days > template.thresholds.stale_days:
            state.stale_rows += 1
