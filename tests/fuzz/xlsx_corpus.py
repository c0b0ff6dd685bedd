""".xlsx files written part by part at test time, so each can be damaged in one exact way.

`Book` holds the XML parts of a one-sheet workbook (sheet 'Direct': Handle, Followers,
Notes) and the accounts it means; a case changes a part, drops one or adds one.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
HEADERS = ("Handle", "Followers", "Notes")

_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/{SHEET}" ContentType="{_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/{STRINGS}" ContentType="{_TYPE}.sharedStrings+xml"/>'
    "</Types>")
ROOT_RELS = (f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
             f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            '<sheet name="Direct" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (f'<Relationships xmlns="{RELS}">'
                 f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" '
                 'Target="worksheets/sheet1.xml"/>'
                 f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" '
                 'Target="sharedStrings.xml"/></Relationships>')


@dataclass
class Book:
    """A workbook as parts: rows of cell XML (`<c>` without its reference) and strings."""

    strings: list[str] = field(default_factory=list)
    rows: list[list[str | None]] = field(default_factory=list)
    dimension: str | None = "auto"
    extra_parts: dict[str, bytes] = field(default_factory=dict)

    def text(self, value: str) -> str:
        self.strings.append(value)
        return f'<c t="s"><v>{len(self.strings) - 1}</v></c>'

    def sheet_xml(self) -> str:
        rows = []
        for r, cells in enumerate(self.rows, start=1):
            xml = "".join(f'<c r="{get_column_letter(c + 1)}{r}"' + cell[2:]
                          for c, cell in enumerate(cells) if cell is not None)
            rows.append(f'<row r="{r}">{xml}</row>')
        width = max((len(r) for r in self.rows), default=1)
        ref = f"A1:{get_column_letter(width)}{len(self.rows)}" if self.dimension == "auto" \
            else self.dimension
        dimension = f'<dimension ref="{ref}"/>' if ref else ""
        return f'<worksheet xmlns="{MAIN}">{dimension}<sheetData>{"".join(rows)}</sheetData>' \
               "</worksheet>"

    def strings_xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in self.strings)
        return f'<sst xmlns="{MAIN}" count="{len(self.strings)}">{items}</sst>'

    def parts(self) -> dict[str, bytes]:
        parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS,
                 "xl/workbook.xml": WORKBOOK, "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
                 SHEET: self.sheet_xml(), STRINGS: self.strings_xml()}
        encoded = {name: text.encode("utf-8") for name, text in parts.items()}
        return {**encoded, **self.extra_parts}


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def number(value: Any) -> str:
    return f"<c><v>{value}</v></c>"


def benchmark_book(accounts: list[tuple[str, str, str | None]]) -> Book:
    """A book whose rows are (handle, Followers cell XML or a text, note)."""
    book = Book()
    book.rows.append([book.text(h) for h in HEADERS])
    for handle, followers, note in accounts:
        cell = followers if followers.startswith("<c") else book.text(followers)
        book.rows.append([book.text(handle), cell, None if note is None else book.text(note)])
    return book
