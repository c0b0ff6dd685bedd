"""Alerts raised by the monthly refresh: sudden changes worth a look, each raised once.

Kinds: a follower-growth spike, a views-per-follower jump against the last snapshot,
engagement leaving the band, a row not updated for too long, and a competitor list
nobody has touched for months. An alert is identified by its kind, account and
before/after values, so a repeated refresh never raises it again.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .layout import TableLayout
from .template import Template
from .values import handle_identity, serial_to_date
from .workbook import TabGrid

GROWTH_SPIKE = "growth spike"
VIEWS_JUMP = "views per follower jump"
LEFT_BAND = "engagement left the band"
STALE = "stale row"
NOT_REVIEWED = "list not reviewed"


@dataclass(frozen=True)
class Alert:
    category: str
    handle: str
    kind: str
    metric: str
    before: str
    after: str
    message: str

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.kind, handle_identity(self.handle) or "", self.before, self.after)


def _pct(value: float) -> str:
    return f"{value:.1%}"


def _num(value: float) -> str:
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not math.isnan(value):
        return serial_to_date(value)
    return None


def existing_alerts(tab: TabGrid | None, layout: TableLayout) -> set[tuple[str, str, str, str]]:
    """The identities of the alerts the Alerts tab holds: an alert is raised once."""
    if tab is None:
        return set()
    found = set()
    for r in layout.data_rows:
        def text(key: str, row: int = r) -> str:
            col = layout.columns.get(key)
            value = tab.cell(row, col) if col is not None else None
            return "" if value is None else str(value)
        found.add((text("kind"), handle_identity(text("handle")) or "", text("before"),
                   text("after")))
    return found


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
                                    _num(record["followers_30d_ago"]), _num(record["followers"]),
                                    f"{handle} grew {_pct(growth)} in 30 days"
                                    + (f", {growth / median:.1f}x the {category} median"
                                       if multiple else "")))
        before = previous.get(handle_identity(handle) or "", {})
        vpf, old_vpf = record.get("views_per_follower"), before.get("views_per_follower")
        if _real(vpf) and _real(old_vpf) and old_vpf > 0 and \
                vpf >= limits.views_per_follower_jump * old_vpf:
            alerts.append(Alert(category, handle, VIEWS_JUMP, "Views per Follower",
                                _num(old_vpf), _num(vpf),
                                f"{handle}'s videos reach {vpf / old_vpf:.1f}x as many people "
                                "per follower as at the last snapshot"))
        rate, old_rate = record.get("engagement_rate"), before.get("engagement_rate")
        if _real(rate) and _real(old_rate):
            inside = band.engagement_low <= old_rate <= band.engagement_high
            outside = not band.engagement_low <= rate <= band.engagement_high
            if inside and outside:
                where = "below" if rate < band.engagement_low else "above"
                alerts.append(Alert(category, handle, LEFT_BAND, "Engagement Rate",
                                    _pct(old_rate), _pct(rate),
                                    f"{handle}'s engagement moved {where} the "
                                    f"{_pct(band.engagement_low)}-{_pct(band.engagement_high)} "
                                    "band"))
        changed = _date(record.get("last_changed"))
        if changed is not None:
            newest_change = max(newest_change or changed, changed)
            if (today - changed).days > limits.stale_days:
                alerts.append(Alert(category, handle, STALE, "Last Changed", changed.isoformat(),
                                    "", f"{handle} has not been updated since "
                                        f"{changed.isoformat()}"))
    if newest_change is not None and \
            (today - newest_change).days > limits.review_months * 30.4:
        alerts.append(Alert("", "", NOT_REVIEWED, "Last Changed", newest_change.isoformat(), "",
                            f"no competitor has been updated since {newest_change.isoformat()}; "
                            "time to review the list"))
    return alerts


def _real(value: Any) -> bool:
    return isinstance(value, int | float) and not math.isnan(value)
