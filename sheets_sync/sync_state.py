"""What the last push left in the workbook: the base of the three-way merge.

It lives in the workbook itself, in a hidden tab, because teammates push from
different machines. Each account has one row holding a short hash of every input
value as the sheet held it after the last push, and of the value pushed files last
brought for it; tabs have a row with their id, so a renamed tab is still found.
Hashes, not values: a base is only ever compared, and a 50,000-character note must
not be copied into a second cell.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .layout import is_blank
from .template import Column, ColumnType, Template
from .values import Value
from .workbook import TabGrid, TabWrite, WorkbookGrid

STATE_TAB = "_sheets_sync"
SAME = "="  # a file's value hash equal to the sheet's, written short
STATE_COLUMNS = tuple(
    Column(key=key, header=header, type=ColumnType.TEXT, width=width)
    for key, header, width in (("kind", "kind", 8), ("tab", "tab", 10), ("key", "key", 24),
                               ("value", "value", 80))
)


@lru_cache(maxsize=131072, typed=True)
def value_hash(value: Value | Any) -> str:
    """A short fingerprint of a clean value; '' for an empty cell. 52500 and 52500.0 agree."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, bool):
        text = f"b:{value}"
    elif isinstance(value, int | float):
        text = "n:nan" if isinstance(value, float) and math.isnan(value) else \
            f"n:{float(value):.12g}"
    elif isinstance(value, dt.datetime):
        text = f"d:{value.date().isoformat()}"
    elif isinstance(value, dt.date):
        text = f"d:{value.isoformat()}"
    else:
        text = f"s:{value}"
    # Only ever compared with the hash of another value of the same cell: 32 bits suffice.
    return format(zlib.crc32(text.encode("utf-8")), "08x")


@dataclass
class SyncState:
    """The base: per (tab key, handle id), the hash of each input key after the last push."""

    keys: tuple[str, ...] = ()
    rows: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # sheet after push
    files: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # last file values
    deleted: set[tuple[str, str]] = field(default_factory=set)
    tab_ids: dict[str, str] = field(default_factory=dict)  # tab key -> backend's tab id
    tab_titles: dict[str, str] = field(default_factory=dict)  # tab key -> title at last push
    # What the last push ran with (our_brand), so every front end writes the same Summary.
    settings: dict[str, str] = field(default_factory=dict)
    # Notifications: per destination, the day it was first used (older alerts are not sent)
    # and, per alert id, the day the alert went to it: a rerun from any machine sends once.
    notify_since: dict[str, str] = field(default_factory=dict)
    sent: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def our_brand(self) -> tuple[str, ...] | None:
        """Our own handles as the last push had them; None when it never said."""
        if "our_brand" not in self.settings:
            return None
        return tuple(h for h in self.settings["our_brand"].split(",") if h)

    @property
    def known_handles(self) -> dict[str, str]:
        """handle id -> tab key, for every account the last push left (or saw deleted)."""
        found = {handle: tab for tab, handle in self.rows}
        found.update({handle: tab for tab, handle in self.deleted})
        return found

    def base(self, tab_key: str, handle_id: str) -> dict[str, str] | None:
        """The sheet's values as the last push left them."""
        return self.rows.get((tab_key, handle_id))

    def file_base(self, tab_key: str, handle_id: str) -> dict[str, str]:
        """The values pushed files last brought (a cell no file brought is absent)."""
        return self.files.get((tab_key, handle_id), {})


def read_state(workbook: WorkbookGrid) -> SyncState:
    grid = workbook.find(STATE_TAB)
    state = SyncState()
    if grid is None:
        return state
    for row in grid.rows[1:]:
        kind, tab, key, value = (_text(row, i) for i in range(4))
        if kind == "keys":
            state.keys = tuple(value.split(",")) if value else ()
        elif kind == "tab":
            state.tab_ids[tab] = key
            state.tab_titles[tab] = value
        elif kind == "row" and state.keys:
            sheet, _, pushed = value.partition("|")
            hashes = dict(zip(state.keys, sheet.split(","), strict=False))
            state.rows[(tab, key)] = hashes
            state.files[(tab, key)] = {k: hashes.get(k, "") if h == SAME else h for k, h in
                                       zip(state.keys, pushed.split(","), strict=False) if h}
        elif kind == "deleted":
            state.deleted.add((tab, key))
        elif kind == "setting":
            state.settings[tab] = value
        elif kind == "notify":
            state.notify_since[tab] = value
        elif kind == "sent":
            state.sent.setdefault(tab, {})[key] = value
    return state


def _text(row: list[Any], index: int) -> str:
    value = row[index] if index < len(row) else None
    return "" if value is None else str(value)


def plan_state_tab(workbook: WorkbookGrid, template: Template, new: SyncState) -> TabWrite:
    """The cell writes that turn the state tab into `new`; rows keep their places."""
    grid = workbook.find(STATE_TAB)
    keys = tuple(c.key for c in template.input_columns)
    wanted: dict[tuple[str, str, str], str] = {("keys", "", ""): ",".join(keys)}
    for tab_key, tab_id in new.tab_ids.items():
        wanted[("tab", tab_key, tab_id)] = new.tab_titles.get(tab_key, "")
    for (tab_key, handle), hashes in new.rows.items():
        pushed = new.file_base(tab_key, handle)
        sheet = [hashes.get(k, "") for k in keys]
        files = [SAME if (h := pushed.get(k, "")) and h == s else h
                 for k, s in zip(keys, sheet, strict=True)]
        wanted[("row", tab_key, handle)] = ",".join(sheet) + "|" + ",".join(files).rstrip(",")
    for tab_key, handle in sorted(new.deleted):
        wanted[("deleted", tab_key, handle)] = ""
    for name, value in sorted(new.settings.items()):
        wanted[("setting", name, "")] = value
    for destination, since in sorted(new.notify_since.items()):
        wanted[("notify", destination, "")] = since
    for destination, sent in sorted(new.sent.items()):
        for alert, day in sorted(sent.items()):
            wanted[("sent", destination, alert)] = day

    layout = {c.key: i for i, c in enumerate(STATE_COLUMNS)}
    write = TabWrite("state", STATE_TAB, STATE_COLUMNS, layout, 0, create=grid is None,
                     hidden=True)
    existing = _existing_rows(grid)
    free_rows: list[int] = []
    placed: dict[tuple[str, str, str], int] = {}
    for row_index, (identity, value) in existing.items():
        if identity in wanted and identity not in placed:
            placed[identity] = row_index
            if value != wanted[identity]:
                write.cells[(row_index, 3)] = wanted[identity]
        else:
            free_rows.append(row_index)
    next_row = max([0, *existing]) + 1
    for identity, value in wanted.items():
        if identity in placed:
            continue
        row_index = free_rows.pop(0) if free_rows else next_row
        if row_index == next_row:
            next_row += 1
        for col, text in enumerate((*identity, value)):
            write.cells[(row_index, col)] = text
    for row_index in free_rows:
        for col in range(4):
            if grid is not None and not is_blank(grid.cell(row_index, col)):
                write.cells[(row_index, col)] = None
    if grid is None:
        write.header_cells = {i: c.header for i, c in enumerate(STATE_COLUMNS)}
    write.data_rows = len(wanted)
    return write


def _existing_rows(grid: TabGrid | None) -> dict[int, tuple[tuple[str, str, str], str]]:
    if grid is None:
        return {}
    found = {}
    for r in range(1, len(grid.rows)):
        row = grid.rows[r]
        if all(is_blank(v) for v in row):
            continue
        found[r] = ((_text(row, 0), _text(row, 1), _text(row, 2)), _text(row, 3))
    return found
