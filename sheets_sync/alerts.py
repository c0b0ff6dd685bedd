"""Alerts raised by the monthly refresh: sudden changes worth a look, each raised once.

Kinds: a follower-growth spike, a views-per-follower jump against the last snapshot,
engagement leaving the band, a row not updated for too long, and a competitor list
nobody has touched for months. An alert is identified by its kind, account and
before/after values as the Alerts tab shows them, so a repeated refresh never raises it
again. Before and After are numbers (or dates), each formatted for its kind; rows an
older version wrote as text are recognised by the same identity.

Teammates keep each alert's Status (open, seen, done) in the Alerts tab; an empty Status
counts as open, and any other word a teammate typed means someone has it in hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .layout import TableLayout
from .template import Template
from .values import Value, handle_identity, serial_to_date
from .workbook import TabGrid

GROWTH_SPIKE = "growth spike"
VIEWS_JUMP = "views per follower jump"
LEFT_BAND = "engagement left the band"
STALE = "stale row"
NOT_REVIEWED = "list not reviewed"

OPEN, SEEN, DONE = "open", "seen", "done"

# How Before and After read for each kind: followers, a ratio, a rate, a date.
COUNT, RATIO, RATE, DATE = "#,##0", "0.00", "0.0%", "yyyy-mm-dd"
KIND_FORMATS = {GROWTH_SPIKE: COUNT, VIEWS_JUMP: RATIO, LEFT_BAND: RATE, STALE: DATE,
                NOT_REVIEWED: DATE}

AlertIdentity = tuple[str, str, str, str]


def shown(value: Any, kind: str) -> str:
    """Before or After as the Alerts tab shows it: what identifies an alert. A value an
    older version wrote as text is that text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value.strip()
    fmt = KIND_FORMATS.get(kind)
    day = _date(value) if fmt == DATE else None
    if day is not None:
        return day.isoformat()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if fmt == RATE:
        return _pct(value)
    return _num(value)


def alert_id(identity: AlertIdentity) -> str:
    """A short stable id of an alert, for the record of which destinations got it."""
    return hashlib.sha1("\x1f".join(identity).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Alert:
    category: str
    handle: str
    kind: str
    metric: str
    before: Value
    after: Value
    message: str

    @property
    def identity(self) -> AlertIdentity:
        return (self.kind, handle_identity(self.handle) or "", shown(self.before, self.kind),
                shown(self.after, self.kind))


@dataclass(frozen=True)
class AlertRow:
    """One row of the Alerts tab as read (typed by the tool or by a teammate)."""

    grid_row: int
    date: dt.date | None
    category: str
    handle: str
    kind: str
    metric: str
    before: Any
    after: Any
    message: str
    status: str  # open, seen, done, or a word a teammate typed

    @property
    def identity(self) -> AlertIdentity:
        return (self.kind, handle_identity(self.handle) or "", shown(self.before, self.kind),
                shown(self.after, self.kind))

    @property
    def id(self) -> str:
        return alert_id(self.identity)

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


def _pct(value: float) -> str:
    return f"{value:.1%}"


def _num(value: float) -> str:
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and not math.isnan(value):
        return serial_to_date(value)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def status_of(value: Any) -> str:
    text = "" if value is None else str(value).strip().casefold()
    return text or OPEN


def read_alerts(tab: TabGrid | None, layout: TableLayout) -> list[AlertRow]:
    """Every row of the Alerts tab, in sheet order."""
    if tab is None:
        return []
    rows = []
    for r in layout.data_rows:
        def cell(key: str, row: int = r) -> Any:
            col = layout.columns.get(key)
            return tab.cell(row, col) if col is not None else None

        def text(key: str) -> str:
            value = cell(key)
            return "" if value is None else str(value).strip()

        rows.append(AlertRow(r, _date(cell("date")), text("category"), text("handle"),
                             text("kind"), text("metric"), cell("before"), cell("after"),
                             text("message"), status_of(cell("status"))))
    return rows


def find_alerts(accounts: pd.DataFrame, previous: dict[str, dict[str, Any]],
                template: Template, today: dt.date) -> list[Alert]:
    """Alerts for the accounts as they stand; `previous` is each handle's last snapshot."""
    limits, band, titles = template.thresholds, template.band, template.category_tabs
    medians = accounts.groupby("category")["follower_growth_30d"].median()
    alerts: list[Alert] = []
    newest_change: dt.date | None = None
    for record in accounts.to_dict("records"):
        handle = str(record.get("handle") or "")
        category = titles.get(record["category"], record["category"])
        growth = record.get("follower_growth_30d")
        if isinstance(growth, float) and not math.isnan(growth):
            median = medians.get(record["category"])
            multiple = (median is not None and not math.isnan(median) and median > 0
                        and growth >= limits.growth_spike_median_multiple * median)
            if growth >= limits.growth_spike or multiple:
                alerts.append(Alert(category, handle, GROWTH_SPIKE, "Follower Growth (30d)",
                                    float(record["followers_30d_ago"]), float(record["followers"]),
                                    f"{handle} grew {_pct(growth)} in 30 days"
                                    + (f", {growth / median:.1f}x the {category} median"
                                       if multiple else "")))
        before = previous.get(handle_identity(handle) or "", {})
        vpf, old_vpf = record.get("views_per_follower"), before.get("views_per_follower")
        if _real(vpf) and _real(old_vpf) and old_vpf > 0 and \
                vpf >= limits.views_per_follower_jump * old_vpf:
            alerts.append(Alert(category, handle, VIEWS_JUMP, "Views per Follower",
                                float(old_vpf), float(vpf),
                                f"{handle}'s videos reach {vpf / old_vpf:.1f}x as many people "
                                "per follower as at the last snapshot"))
        rate, old_rate = record.get("engagement_rate"), before.get("engagement_rate")
        if _real(rate) and _real(old_rate):
            inside = band.engagement_low <= old_rate <= band.engagement_high
            outside = not band.engagement_low <= rate <= band.engagement_high
            if inside and outside:
                where = "below" if rate < band.engagement_low else "above"
                alerts.append(Alert(category, handle, LEFT_BAND, "Engagement Rate",
                                    float(old_rate), float(rate),
                                    f"{handle}'s engagement moved {where} the "
                                    f"{_pct(band.engagement_low)}-{_pct(band.engagement_high)} "
                                    "band"))
        changed = _date(record.get("last_changed"))
        if changed is not None:
            newest_change = max(newest_change or changed, changed)
            if (today - changed).days > limits.stale_days:
                alerts.append(Alert(category, handle, STALE, "Last Changed", changed,
                                    None, f"{handle} has not been updated since "
                                        f"{changed.isoformat()}"))
    if newest_change is not None and \
            (today - newest_change).days > limits.review_months * 30.4:
        alerts.append(Alert("", "", NOT_REVIEWED, "Last Changed", newest_change, None,
                            f"no competitor has been updated since {newest_change.isoformat()}; "
                            "time to review the list"))
    return alerts


def _real(value: Any) -> bool:
    return isinstance(value, int | float) and not math.isnan(value)
