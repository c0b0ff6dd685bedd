"""Hypothesis strategies for hostile CSV files, each with the generator's own account of what
the workbook should hold afterwards (the oracle): no parser is asked.

A cell is drawn as (text written, clean value meant, refused?): `12.5K` means 12500, a
310-digit number is refused, `U+FFFF` inside a note is removed (no cell can hold it).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

import sheets_sync

from .cli_check import CATEGORY_TABS, Expected

TEMPLATE = sheets_sync.load_template()
# Characters XML 1.0 cannot hold (https://www.w3.org/TR/xml/#charsets), written here from
# the standard rather than taken from the code under test.
UNHOLDABLE = ("\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\ufffe", "\uffff")
INVISIBLE = ("\u200b", "\ufeff", "\u200d")  # a cell holds them; a handle has none
SPACES = (" ", "\t", "\u00a0", "\u3000")
EXCEL_CELL_CHARS = 32_767
FIELDS = ("followers", "avg_views", "us_audience_share", "content_style", "tiktok_shop",
          "notes", "display_name")
NOT_NUMBERS = ("NaN", "nan", "inf", "-inf", "+Infinity", "Infinity", "1e400", "\u221e",
               "1.2.3", "12KK")


@dataclass(frozen=True)
class Cell:
    text: str
    value: Any  # the clean value the workbook should hold; None for an empty cell
    refused: bool = False  # the import reports the cell as unreadable


class CsvDocument:
    """The file's bytes and the generator's account of it (not a dataclass, so a failing
    example prints as its first 2,000 bytes rather than every 140,000-character cell)."""

    def __init__(self, category_option: str | None) -> None:
        self.data = b""
        self.category_option = category_option
        self.accepted: list[Expected] = []
        self.refused: list[Expected] = []
        self.problems_expected = False

    def __repr__(self) -> str:
        return f"CsvDocument({self.data[:2000]!r}, category={self.category_option!r})"


def _with_unholdable(draw: st.DrawFn, text: str) -> str:
    """`text` with characters no cell can hold slipped in (the import removes them)."""
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(UNHOLDABLE)) + text[at:]
    return text


def _spaced(draw: st.DrawFn, text: str) -> str:
    before = draw(st.sampled_from(("", *SPACES)))
    after = draw(st.sampled_from(("", *SPACES)))
    return before + text + after


@st.composite
def whole_numbers(draw: st.DrawFn, fractions: bool = False) -> Cell:
    kind = draw(st.sampled_from(("plain", "thousands", "suffix", "huge", "not", "empty")
                                + (("fraction",) if fractions else ())))
    if kind == "plain":
        n = draw(st.integers(0, 10**15 - 1))
        cell = Cell(str(n), n)
    elif kind == "thousands":
        n = draw(st.integers(1000, 10**15 - 1))
        cell = Cell(f"{n:,}", n)
    elif kind == "suffix":
        digits, decimals = draw(st.integers(0, 99_999)), draw(st.integers(0, 2))
        suffix, times = draw(st.sampled_from((("K", 1000), ("k", 1000), ("M", 10**6),
                                              ("m", 10**6), ("\u4e07", 10**4))))
        cell = Cell(f"{digits / 10**decimals:.{decimals}f}{suffix}",
                    digits * times // 10**decimals)
    elif kind == "huge":
        length = draw(st.integers(16, 400))
        cell = Cell(draw(st.sampled_from("123456789")) + "9" * (length - 1), None, True)
    elif kind == "not":
        cell = Cell(draw(st.sampled_from(NOT_NUMBERS)), None, True)
    elif kind == "fraction":
        digits, decimals = draw(st.integers(0, 10**7)), draw(st.integers(1, 2))
        cell = Cell(f"{digits / 10**decimals:.{decimals}f}", digits / 10**decimals)
    else:
        cell = Cell(draw(st.sampled_from(("", "N/A", "-", "n/a"))), None)
    return Cell(_spaced(draw, _with_unholdable(draw, cell.text)), cell.value, cell.refused)


@st.composite
def percents(draw: st.DrawFn) -> Cell:
    kind = draw(st.sampled_from(("percent", "fraction", "points", "over")))
    if kind == "percent":
        tenths = draw(st.integers(0, 1000))
        cell = Cell(f"{tenths / 10:.1f}%", tenths / 1000)
    elif kind == "fraction":
        thousandths = draw(st.integers(0, 999))
        cell = Cell(f"0.{thousandths:03d}", thousandths / 1000)
    elif kind == "points":  # a number above 1 is percent points: 45.6 is 45.6%
        tenths = draw(st.integers(11, 1000))
        cell = Cell(f"{tenths / 10:.1f}", tenths / 1000)
    else:
        cell = Cell(f"{draw(st.integers(101, 10**6))}%", None, True)
    return Cell(_spaced(draw, cell.text), cell.value, cell.refused)


@st.composite
def choices(draw: st.DrawFn, key: str) -> Cell:
    options = TEMPLATE.by_key[key].choices
    if draw(st.integers(0, 9)) == 0:
        return Cell("zz-not-a-choice", None, True)
    choice = draw(st.sampled_from(options))
    if key == "tiktok_shop":
        spelled = draw(st.sampled_from({"yes": ("yes", "Y", "true", "YES"),
                                        "no": ("no", "N", "false", "No")}[choice]))
    else:
        spelled = draw(st.sampled_from((choice, choice.upper(), choice.title())))
    return Cell(_spaced(draw, spelled), choice)


TEXT_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Co"))


@st.composite
def texts(draw: st.DrawFn) -> Cell:
    """'Q...Z' so no text reads as a placeholder such as N/A or as a formula escape."""
    if draw(st.integers(0, 14)) == 0:
        length = draw(st.sampled_from((32_766, EXCEL_CELL_CHARS, EXCEL_CELL_CHARS + 1,
                                       50_001, 140_000)))
        text = "Q" + "x" * (length - 2) + "Z"
        return Cell(text, text)
    middle = draw(st.text(alphabet=TEXT_ALPHABET, max_size=30))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(middle)))
        odd = draw(st.sampled_from(('"', "'", ",", ";", "|", "\t", "\n", "\r\n", *INVISIBLE)))
        middle = middle[:at] + odd + middle[at:]
    meant = "Q" + middle + "Z"
    return Cell(_spaced(draw, _with_unholdable(draw, meant)), meant)


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@st.composite
def handle_spellings(draw: st.DrawFn, base: str) -> tuple[str, str]:
    """(the handle cell as written, as the workbook should hold it) for the account `base`."""
    letters = "".join(ch.upper() if draw(st.booleans()) else ch for ch in base)
    if draw(st.integers(0, 5)) == 0:
        letters = _full_width(letters)
    prefix = draw(st.sampled_from(("", "@", "@", "\uff20", "@ ")))
    held = prefix + letters
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(held)))
        held = held[:at] + draw(st.sampled_from(INVISIBLE)) + held[at:]
    written = _spaced(draw, _with_unholdable(draw, held))
    return written, held.strip()


BASES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_.", min_size=1, max_size=12)


@st.composite
def csv_documents(draw: st.DrawFn) -> CsvDocument:
    keys = draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=len(FIELDS)))
    with_category = draw(st.booleans())
    headers: list[str] = []
    for key in ("handle", *keys):
        label = TEMPLATE.by_key[key].header
        headers.append(draw(st.sampled_from((key, label, label.upper(), f" {label} ",
                                             label.lower()))))
    if with_category:
        headers.insert(draw(st.integers(0, len(headers))), "Category")
    extra = draw(st.booleans())
    if extra:
        headers.append("Our Own Column")

    bases = draw(st.lists(BASES, min_size=1, max_size=8, unique=True))
    order = list(bases) + draw(st.lists(st.sampled_from(bases), max_size=3))
    order = draw(st.permutations(order))
    twice = {b for b in order if order.count(b) > 1}

    document = CsvDocument(None if with_category else "direct")
    rows: list[list[str]] = []
    for number, base in enumerate(order, start=2):
        written, held = draw(handle_spellings(base))
        category = draw(st.sampled_from(tuple(CATEGORY_TABS))) if with_category else "direct"
        cells: dict[str, Cell] = {}
        for key in keys:
            kind = TEMPLATE.by_key[key].type.value
            if kind == "integer":
                cells[key] = draw(whole_numbers())
            elif kind == "number":
                cells[key] = draw(whole_numbers(fractions=True))
            elif kind == "percent":
                cells[key] = draw(percents())
            elif kind in ("enum", "yesno"):
                cells[key] = draw(choices(key))
            else:
                cells[key] = draw(texts())
        row = {"handle": written, **{k: c.text for k, c in cells.items()}}
        line = [row[key] for key in ("handle", *keys)]
        if with_category:
            spelled = draw(st.sampled_from((category, category.upper(), f" {category.title()} ")))
            line.insert(headers.index("Category"), spelled)
        if extra:
            line.append(draw(st.text(alphabet=TEXT_ALPHABET, max_size=10)))
        rows.append(line)
        values = {TEMPLATE.by_key[k].header: c.value for k, c in cells.items()}
        expected = Expected(held, CATEGORY_TABS[category], values, number)
        too_long = any(isinstance(c.value, str) and len(c.value.strip()) > EXCEL_CELL_CHARS
                       for c in cells.values())
        if base in twice or too_long:
            document.refused.append(expected)
            document.problems_expected = True
        else:
            document.accepted.append(expected)
            document.problems_expected |= any(c.refused for c in cells.values())

    delimiter = draw(st.sampled_from((",", ";", "\t", "|")))
    quoting = draw(st.sampled_from((csv.QUOTE_MINIMAL, csv.QUOTE_ALL)))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting,
                        lineterminator=draw(st.sampled_from(("\r\n", "\n"))))
    writer.writerow(headers)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(("utf-8", "utf-8-sig")))
    document.data = out.getvalue().encode(encoding)
    return document
