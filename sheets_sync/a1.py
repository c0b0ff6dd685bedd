"""A1 notation for messages and rules: 0-based (row, col) <-> 'B7'."""

from __future__ import annotations


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
    """A tab title as it appears in a reference: Direct, 'Context Notes'."""
    if title.replace("_", "").isalnum() and not title[:1].isdigit():
        return title
    return "'" + title.replace("'", "''") + "'"


def tab_a1(title: str, row: int, col: int) -> str:
    return f"{quote_title(title)}!{a1(row, col)}"
