"""Hostile or damaged .xlsx inputs: a clear message naming the file, never lost rows."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

import sheets_sync
from sheets_sync import zip_limits
from sheets_sync.errors import InputFileError, WorkbookError


def _workbook(path: Path, rows: int) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Direct"
    sheet.append(["Handle", "Followers"])
    for n in range(rows):
        sheet.append([f"@acct{n}", 1000 + n])
    book.save(path)
    return path


def _rewrite_sheet(path: Path, change: object) -> None:
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    name = "xl/worksheets/sheet1.xml"
    members[name] = change(members[name])  # type: ignore[operator]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member, data in members.items():
            target.writestr(member, data)


def test_an_understated_dimension_loses_no_rows(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "in.xlsx", 5)
    _rewrite_sheet(source, lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B2"',
                                              xml))
    rows = sheets_sync.read_input_files([source], sheets_sync.load_template()).rows
    assert sorted(r.handle_id for r in rows) == sorted(f"acct{n}" for n in range(5))


def test_malformed_sheet_xml_names_the_file_and_sheet(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "in.xlsx", 3)
    _rewrite_sheet(source, lambda xml: xml.replace(b"</sheetData>", b"<row><c r='A9'"))
    with pytest.raises(InputFileError, match=r"in.xlsx.*Direct"):
        sheets_sync.read_input_files([source], sheets_sync.load_template())


def test_a_workbook_that_would_inflate_too_far_is_refused(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    source = _workbook(tmp_path / "in.xlsx", 3)
    book = tmp_path / "b.xlsx"
    sheets_sync.init(book)
    monkeypatch.setattr(zip_limits, "MAX_INFLATED_BYTES", 2_000)
    with pytest.raises(InputFileError, match="would inflate to"):
        sheets_sync.read_input_files([source], sheets_sync.load_template())
    with pytest.raises(WorkbookError, match="would inflate to"):
        sheets_sync.push(book, [])
