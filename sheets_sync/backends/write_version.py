"""Optimistic concurrency on Google: a write lands only on the version it was planned on.

Every write the tool sends swaps a hidden one-cell tab, `_sheets_sync_version`, for a new
one with a fresh sheet id, inside the same batchUpdate: deleteSheet of the id this command
read, then addSheet with a new id. A batchUpdate is applied whole or not at all ("if any
request is not valid, then the entire update fails and none of the (potentially dependent)
changes are applied", https://developers.google.com/sheets/api/guides/batchupdate), and
Google refuses a deleteSheet of an id that is gone ("No grid with id") and an addSheet of a
title that exists ("A sheet with the name ... already exists"). So when another push, note
or side-panel click wrote since this command read, this write is refused as a whole; the
engine reads again and plans anew. Teammates typing in the sheet do not move the version:
their edits are merged, and the check after each write catches those made meanwhile.
"""

from __future__ import annotations

from typing import Any

VERSION_TAB = "_sheets_sync_version"


def swap_version(read_id: int | None, new_id: int, index: int) -> list[dict[str, Any]]:
    """The requests that open a write: they succeed only if the version is still `read_id`
    (None: no version tab yet, so only a first writer can add one)."""
    swap: list[dict[str, Any]] = []
    if read_id is not None:
        swap.append({"deleteSheet": {"sheetId": read_id}})
    swap.append({"addSheet": {"properties": {
        "sheetId": new_id, "title": VERSION_TAB, "index": index, "hidden": True,
        "gridProperties": {"rowCount": 1, "columnCount": 1}}}})
    return swap


def version_id(sheets: list[dict[str, Any]]) -> int | None:
    """The version tab's id in a spreadsheets.get reply's `sheets`, if it has one."""
    for sheet in sheets:
        props = sheet.get("properties", {})
        if props.get("title") == VERSION_TAB:
            return int(props.get("sheetId", 0))
    return None
