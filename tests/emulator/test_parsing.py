"""A1 notation, field masks and Drive queries."""

from __future__ import annotations

import pytest

from sheets_emulator import fieldmask
from sheets_emulator.a1 import (
    A1Error,
    Rect,
    col_to_index,
    format_range,
    index_to_col,
    parse_cells,
    quote_title,
    split_sheet,
)
from sheets_emulator.drive_query import QueryError, compile_query
from sheets_emulator.models import DriveFile


@pytest.mark.parametrize(
    ("text", "rect"),
    [
        ("B2", Rect(1, 2, 1, 2)),
        ("A1:C3", Rect(0, 3, 0, 3)),
        ("D4:A1", Rect(0, 4, 0, 4)),
        ("$A$1:$B$2", Rect(0, 2, 0, 2)),
        ("A:C", Rect(None, None, 0, 3)),
        ("2:5", Rect(1, 5, None, None)),
        ("A2:Z", Rect(1, None, 0, 26)),
        ("A2:2", Rect(1, 2, 0, None)),
        ("AA10", Rect(9, 10, 26, 27)),
    ],
)
def test_cell_ranges(text: str, rect: Rect) -> None:
    assert parse_cells(text) == rect


@pytest.mark.parametrize("text", ["A", "5", "A0", "Sheet1", "A1:B2:C3", ""])
def test_not_cell_ranges(text: str) -> None:
    with pytest.raises(A1Error):
        parse_cells(text)


def test_sheet_titles_quoted_and_unquoted() -> None:
    assert split_sheet("'It''s here'!A1:B2") == split_sheet("'It''s here'!A1:B2")
    ref = split_sheet("'It''s here'!A1:B2")
    assert (ref.sheet, ref.cells) == ("It's here", "A1:B2")
    assert (split_sheet("'Sheet1'").sheet, split_sheet("'Sheet1'").cells) == ("Sheet1", None)
    assert (split_sheet("Data!C:C").sheet, split_sheet("Data!C:C").cells) == ("Data", "C:C")
    assert split_sheet("A1:B2").sheet is None


def test_titles_are_quoted_only_when_needed() -> None:
    assert quote_title("Sheet1") == "Sheet1"
    assert quote_title("D3") == "'D3'"
    assert quote_title("my sheet") == "'my sheet'"
    assert quote_title("it's") == "'it''s'"
    assert quote_title("2024") == "'2024'"
    assert format_range("Sheet1", Rect(0, 1000, 0, 26)) == "Sheet1!A1:Z1000"
    assert format_range("🌵 x", Rect(0, 1, 0, 1)) == "'🌵 x'!A1"


def test_column_letters() -> None:
    assert [col_to_index(c) for c in ("A", "Z", "AA", "AZ", "ZZ", "AAA")] == [
        0,
        25,
        26,
        51,
        701,
        702,
    ]
    assert [index_to_col(i) for i in (0, 25, 26, 51, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "ZZ",
        "AAA",
    ]


def test_field_mask_grammar() -> None:
    assert fieldmask.parse("a,b.c,d(e,f/g)") == {
        "a": None,
        "b": {"c": None},
        "d": {"e": None, "f": {"g": None}},
    }
    assert fieldmask.parse("sheets(properties(sheetId,title),data.rowData)") == {
        "sheets": {"properties": {"sheetId": None, "title": None}, "data": {"rowData": None}}
    }
    assert fieldmask.parse("a.b,a") == {"a": None}
    assert fieldmask.parse("*") == {"*": None}
    with pytest.raises(fieldmask.MaskError):
        fieldmask.parse("a(b")


def test_field_mask_selects_and_keeps_empty_parents() -> None:
    value = {
        "sheets": [{"properties": {"title": "A", "sheetId": 0}}, {"properties": {}}],
        "spreadsheetId": "x",
    }
    assert fieldmask.select(value, fieldmask.parse("sheets.properties.title")) == {
        "sheets": [{"properties": {"title": "A"}}, {"properties": {}}]
    }
    assert fieldmask.select(value, fieldmask.parse("namedRanges")) == {}


def test_field_mask_update_clears_masked_fields_missing_from_the_source() -> None:
    target = {
        "userEnteredValue": {"numberValue": 1},
        "note": "n",
        "userEnteredFormat": {"textFormat": {"bold": True}, "numberFormat": {"type": "DATE"}},
    }
    source = {"userEnteredFormat": {"numberFormat": {"type": "PERCENT"}}}
    updated = fieldmask.apply(
        target, source, fieldmask.parse("note,userEnteredFormat.numberFormat")
    )
    assert updated == {
        "userEnteredValue": {"numberValue": 1},
        "userEnteredFormat": {"textFormat": {"bold": True}, "numberFormat": {"type": "PERCENT"}},
    }
    assert fieldmask.apply(target, {"note": "x"}, fieldmask.parse("*")) == {"note": "x"}
    assert target["note"] == "n"


def _file(
    name: str, mime: str = "application/vnd.google-apps.spreadsheet", **kwargs: object
) -> DriveFile:
    return DriveFile(
        id=name,
        name=name,
        mime_type=mime,
        owner="me@example.com",
        created_time="t",
        modified_time="t",
        **kwargs,
    )  # type: ignore[arg-type]


def test_drive_queries() -> None:
    sheet = _file("Competitors 2026", parents=["folder1"])
    doc = _file("Notes", mime="application/vnd.google-apps.document", trashed=True)
    cases = {
        "mimeType='application/vnd.google-apps.spreadsheet'": (True, False),
        'mimeType="application/vnd.google-apps.spreadsheet" and name = "Competitors 2026"': (
            True,
            False,
        ),
        "name contains 'Compet'": (True, False),
        "name contains '2026'": (True, False),
        "name contains 'petitors'": (False, False),
        "trashed = false": (True, False),
        "'folder1' in parents": (True, False),
        "'me@example.com' in owners and (name = 'Notes' or trashed = true)": (False, True),
        "not name = 'Notes'": (True, False),
    }
    for query, expected in cases.items():
        predicate = compile_query(query)
        assert (predicate(sheet, "me@example.com"), predicate(doc, "me@example.com")) == expected, (
            query
        )
    for bad in ("name ~ 'x'", "size > '3'", "name = ", "'x' in nowhere"):
        with pytest.raises(QueryError):
            compile_query(bad)
