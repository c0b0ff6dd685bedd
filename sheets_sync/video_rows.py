"""Exports with one row per video (scrapers, TikTok Studio) turned into one row per
account, as the benchmark holds them: per-video counts averaged, followers taken as the
largest figure seen, Posts (30d) counted from the post dates when the file covers the
whole 30 days."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .report import Problem
from .values import CellValueError, Value, parse_value

AVERAGED = ("avg_views", "avg_likes", "avg_comments", "avg_shares", "avg_saves")
WINDOW_DAYS = 30
_EPOCH_SECONDS_FROM = 10**8  # a number this large is a Unix time, not a sheet serial date


@dataclass
class SourceRow:
    """One row of an input file, read."""

    handle_id: str
    category: str
    values: dict[str, Value]
    where: str  # 'competitors.csv row 7'
    number: int  # its row number in the file
    posted: dt.date | None = None


@dataclass
class Account:
    handle_id: str
    category: str
    values: dict[str, Value]
    where: str  # 'scrape.csv rows 2-31 (30 videos)'
    problems: list[Problem] = field(default_factory=list)


def parse_posted(raw: Any, column: Any) -> dt.date | None:
    """A post date: an ISO date-time (createTimeISO), Unix seconds or milliseconds
    (createTime), or whatever a date column takes."""
    number: float | None = None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        number = float(raw)
    elif isinstance(raw, str) and raw.strip().isdigit():
        number = float(raw.strip())
    if number is not None and math.isfinite(number) and number >= _EPOCH_SECONDS_FROM:
        seconds = number / 1000 if number >= _EPOCH_SECONDS_FROM * 1000 else number
        try:
            return dt.datetime.fromtimestamp(seconds, dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            raise CellValueError("a date like 2026-03-31 or a Unix time") from None
    value = parse_value(raw, column)
    return value if isinstance(value, dt.date) else None


def accounts_from_videos(videos: Sequence[SourceRow], label: str,
                         today: dt.date) -> list[Account]:
    groups: dict[str, list[SourceRow]] = {}
    for video in videos:
        groups.setdefault(video.handle_id, []).append(video)
    return [_account(rows, label, today) for rows in groups.values()]


def _account(rows: list[SourceRow], label: str, today: dt.date) -> Account:
    first = rows[0]
    numbers = sorted(r.number for r in rows)
    where = (f"{label} row {numbers[0]}" if len(rows) == 1 else
             f"{label} rows {numbers[0]}-{numbers[-1]} ({len(rows)} videos)")
    values: dict[str, Value] = {"handle": first.values["handle"]}
    for row in rows:
        for key, value in row.values.items():
            if key not in AVERAGED and key not in ("followers", "posts_30d"):
                values.setdefault(key, value)
    followers = [v for r in rows if isinstance(v := r.values.get("followers"), int | float)]
    if followers:
        values["followers"] = max(followers)
    for key in AVERAGED:
        seen = [v for r in rows if isinstance(v := r.values.get(key), int | float)]
        if seen:
            values[key] = round(sum(seen) / len(seen), 2)
    account = Account(first.handle_id, first.category, values, where)
    _count_posts(account, rows, today)
    return account


def _count_posts(account: Account, rows: list[SourceRow], today: dt.date) -> None:
    dates = [r.posted for r in rows if r.posted is not None]
    if not dates:
        return
    start = today - dt.timedelta(days=WINDOW_DAYS)
    if min(dates) > start:
        account.problems.append(Problem(account.where, (
            f"Posts (30d) of {account.values['handle']} not counted: every video in the "
            f"file is from the last {WINDOW_DAYS} days, so the export may hold only the "
            "newest ones"), severity="warning"))
        return
    account.values["posts_30d"] = sum(1 for d in dates if start < d <= today)
