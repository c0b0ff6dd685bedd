"""A1 notation for messages and rules: 0-based (row, col) <-> 'B7'."""

from __future__ import annotations

import re

_CELL_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+")
_R1C1_LIKE = re.compile(r"[Rr][0-9]*[Cc][0-9]*")


def column_letter(col: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    if col < 0:
        raise ValueError(f"column index {col} is negative")
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    """0-based grid coordinates -> 'B7'."""
    return f"{column_letter(col)}{row + 1}"


def quote_title(title: str) -> str:
    """A tab title for an A1 range sent to the API: always quoted, a quote doubled.

    Google resolves an unquoted name as a cell (`Q3`, `CRM26`) or a named range before a
    sheet title; a quoted one is always the sheet
    (https://developers.google.com/sheets/api/guides/concepts#cell).
    """
    return "'" + title.replace("'", "''") + "'"


def _reads_as_title(title: str) -> bool:
    """Whether a person reads the bare title as a tab name: letters, digits and _, not
    starting with a digit, and not shaped like a cell (Q3, CRM26) or R1C1 reference."""
    return (title.replace("_", "").isalnum() and not title[:1].isdigit()
            and _CELL_LIKE.fullmatch(title) is None and _R1C1_LIKE.fullmatch(title) is None)


def tab_a1(title: str, row: int, col: int) -> str:
    """A cell reference for messages: Direct!B7, 'Context Notes'!A2, 'Q3'!C4."""
    shown = title if _reads_as_title(title) else quote_title(title)
    return f"{shown}!{a1(row, col)}"
