"""Bulk cell values as spreadsheets.values.batchUpdate bodies: pure, no network.

A value travels bare (RAW input: a number as a JSON number, text as a string, so text
starting with `=` stays text), where an updateCells CellData wraps every cell in about
40 bytes of keys. The cell contents are the same as `sheets_requests.extended_value`
gives: dates as day serials, booleans as booleans, a non-finite number as no value.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from typing import Any

from gspread.urls import SPREADSHEET_VALUES_BATCH_UPDATE_URL

from ..a1 import a1, quote_title
from .sheets_requests import EMPTY, cell_runs, date_serial

VALUES_BATCH_URL = SPREADSHEET_VALUES_BATCH_UPDATE_URL
_BODY_HEAD = b'{"valueInputOption":"RAW","data":['
_BODY_TAIL = b"]}"


def raw_value(value: Any, clear: bool = False) -> Any:
    """A cell value as the values API takes it with RAW input. No value is JSON null, which
    leaves the cell as it is, or "" (which empties it) when `clear`."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "" if clear else None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.datetime):
        return date_serial(value.date())
    if isinstance(value, dt.date):
        return date_serial(value)
    return str(value)


def bulk_places(cells: dict[tuple[int, int], Any],
                previous_kinds: list[bytes] | None) -> set[tuple[int, int]]:
    """The cells of a tab this write creates (`previous_kinds` None) or of rows that held
    nothing when read: new accounts, where no teammate's text can be overwritten."""
    if previous_kinds is None:
        return set(cells)

    def empty(row: int) -> bool:
        return row >= len(previous_kinds) or all(k == EMPTY for k in previous_kinds[row])

    empty_rows = {row for row, _ in cells if empty(row)}
    return {place for place in cells if place[0] in empty_rows}


def value_ranges(title: str, cells: dict[tuple[int, int], Any],
                 clear: bool = False) -> list[dict[str, Any]]:
    """One ValueRange per rectangle of the given cells, addressed by quoted A1 range."""
    ranges = []
    for row, end_row, col, end_col in cell_runs(cells):
        ranges.append({
            "range": f"{quote_title(title)}!{a1(row, col)}:{a1(end_row - 1, end_col - 1)}",
            "values": [[raw_value(cells[(r, c)], clear) for c in range(col, end_col)]
                       for r in range(row, end_row)],
        })
    return ranges


def _split_rows(value_range: dict[str, Any], limit: int) -> Iterator[bytes]:
    """A ValueRange as encoded pieces under `limit` bytes, cut between rows."""
    whole = _encoded(value_range)
    if len(whole) <= limit or len(value_range["values"]) == 1:
        yield whole
        return
    sheet, corners = value_range["range"].rsplit("!", 1)
    start, end = corners.split(":")
    first_row = int("".join(ch for ch in start if ch.isdigit()))
    start_col = start.rstrip("0123456789")
    end_col = end.rstrip("0123456789")
    rows = value_range["values"]
    half = len(rows) // 2
    for offset, part in ((0, rows[:half]), (half, rows[half:])):
        top = first_row + offset
        yield from _split_rows({
            "range": f"{sheet}!{start_col}{top}:{end_col}{top + len(part) - 1}",
            "values": part}, limit)


def _encoded(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8", "backslashreplace")


def encoded_bodies(ranges: list[dict[str, Any]], limit: int) -> list[bytes]:
    """values.batchUpdate bodies, in order, each under `limit` bytes: the ranges last in
    `ranges` land in the last body."""
    overhead = len(_BODY_HEAD) + len(_BODY_TAIL)
    bodies: list[bytes] = []
    parts: list[bytes] = []
    size = overhead
    for value_range in ranges:
        for part in _split_rows(value_range, limit - overhead):
            if parts and size + len(part) + 1 > limit:
                bodies.append(_BODY_HEAD + b",".join(parts) + _BODY_TAIL)
                parts, size = [], overhead
            parts.append(part)
            size += len(part) + 1
    if parts:
        bodies.append(_BODY_HEAD + b",".join(parts) + _BODY_TAIL)
    return bodies
