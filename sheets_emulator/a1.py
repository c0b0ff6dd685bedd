"""A1 notation: parsing ranges such as 'My sheet'!A1:B2 and formatting them back."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL_RE = re.compile(r"^\$?([A-Za-z]{0,3})\$?([0-9]{0,7})$")
_CELL_LIKE_TITLE = re.compile(r"^[A-Za-z]{1,3}[0-9]+$")
_R1C1_LIKE_TITLE = re.compile(r"^[Rr][0-9]*[Cc][0-9]*$")


class A1Error(ValueError):
    """Text that is not a range."""


@dataclass(frozen=True)
class Rect:
    """A half-open block of cells; None means unbounded on that side."""

    start_row: int | None = None
    end_row: int | None = None
    start_col: int | None = None
    end_col: int | None = None

    def clamp(self, rows: int, cols: int) -> Rect:
        return Rect(
            self.start_row or 0,
            rows if self.end_row is None else self.end_row,
            self.start_col or 0,
            cols if self.end_col is None else self.end_col,
        )

    @property
    def height(self) -> int:
        return (self.end_row or 0) - (self.start_row or 0)

    @property
    def width(self) -> int:
        return (self.end_col or 0) - (self.start_col or 0)

    def contains(self, row: int, col: int) -> bool:
        return (
            (self.start_row is None or row >= self.start_row)
            and (self.end_row is None or row < self.end_row)
            and (self.start_col is None or col >= self.start_col)
            and (self.end_col is None or col < self.end_col)
        )


@dataclass(frozen=True)
class A1Ref:
    """A parsed range: the sheet title as written (None when absent) and the cell part."""

    sheet: str | None
    cells: str | None


def col_to_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def index_to_col(index: int) -> str:
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def split_sheet(text: str) -> A1Ref:
    """Separate "'Title'!A1:B2" into the title and the cell part."""
    text = text.strip()
    if text.startswith("'"):
        i, title = 1, []
        while i < len(text):
            ch = text[i]
            if ch == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    title.append("'")
                    i += 2
                    continue
                rest = text[i + 1 :]
                if not rest:
                    return A1Ref("".join(title), None)
                if rest.startswith("!"):
                    return A1Ref("".join(title), rest[1:] or None)
                raise A1Error(text)
            title.append(ch)
            i += 1
        raise A1Error(text)
    if "!" in text:
        title, cells = text.rsplit("!", 1)
        return A1Ref(title, cells or None)
    return A1Ref(None, text)


def _endpoint(text: str) -> tuple[int | None, int | None]:
    m = _CELL_RE.match(text.strip())
    if not m or not (m.group(1) or m.group(2)):
        raise A1Error(text)
    col = col_to_index(m.group(1)) if m.group(1) else None
    if m.group(2):
        row = int(m.group(2)) - 1
        if row < 0:
            raise A1Error(text)
    else:
        row = None
    return col, row


def _span(a: int | None, b: int | None) -> tuple[int | None, int | None]:
    if a is not None and b is not None:
        return min(a, b), max(a, b) + 1
    if a is not None:
        return a, None
    if b is not None:
        return 0, b + 1
    return None, None


def parse_cells(text: str) -> Rect:
    """ "B2", "A1:C3", "A:C", "2:5", "A2:Z", "D4:A1" as a Rect."""
    parts = text.split(":")
    if len(parts) == 1:
        col, row = _endpoint(parts[0])
        if col is None or row is None:
            raise A1Error(text)
        return Rect(row, row + 1, col, col + 1)
    if len(parts) != 2:
        raise A1Error(text)
    c1, r1 = _endpoint(parts[0])
    c2, r2 = _endpoint(parts[1])
    if c1 is None and c2 is not None and r1 is not None and r2 is None:
        raise A1Error(text)
    start_row, end_row = _span(r1, r2)
    start_col, end_col = _span(c1, c2)
    return Rect(start_row, end_row, start_col, end_col)


def is_cells(text: str) -> bool:
    try:
        parse_cells(text)
    except A1Error:
        return False
    return True


def title_needs_quotes(title: str) -> bool:
    if not title:
        return True
    if _CELL_LIKE_TITLE.match(title) or _R1C1_LIKE_TITLE.match(title):
        return True
    if title[0].isdigit():
        return True
    return not all(ch.isalnum() or ch == "_" for ch in title)


def quote_title(title: str) -> str:
    if title_needs_quotes(title):
        return "'" + title.replace("'", "''") + "'"
    return title


def format_cells(rect: Rect) -> str:
    """A bounded Rect as "A1" or "A1:C3"."""
    assert rect.start_row is not None and rect.end_row is not None
    assert rect.start_col is not None and rect.end_col is not None
    first = f"{index_to_col(rect.start_col)}{rect.start_row + 1}"
    if rect.end_row - rect.start_row == 1 and rect.end_col - rect.start_col == 1:
        return first
    return f"{first}:{index_to_col(rect.end_col - 1)}{rect.end_row}"


def format_range(title: str, rect: Rect) -> str:
    return f"{quote_title(title)}!{format_cells(rect)}"
