"""Creating spreadsheets, sheets and Drive files with Google's defaults."""

from __future__ import annotations

import copy
from typing import Any

from .errors import RequestError
from .models import (
    DEFAULT_COLS,
    DEFAULT_ROWS,
    SPREADSHEET_MIME,
    DriveFile,
    EmulatorState,
    Sheet,
    Spreadsheet,
    now_rfc3339,
)
from .normalize import colors, sheet_properties

DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}

_THEME_COLORS = [
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]
SPREADSHEET_THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [{"colorType": kind, "color": {"rgbColor": rgb}} for kind, rgb in _THEME_COLORS],
}

DEFAULT_ROW_PIXELS = 21
DEFAULT_COLUMN_PIXELS = 100


def spreadsheet_url(spreadsheet_id: str) -> str:
    return f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit"


def default_properties(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "locale": "en_US",
        "autoRecalc": "ON_CHANGE",
        "timeZone": "Etc/GMT",
    }


def next_sheet_title(spreadsheet: Spreadsheet) -> str:
    taken = {s.title.casefold() for s in spreadsheet.sheets}
    n = len(spreadsheet.sheets) + 1
    while f"sheet{n}" in taken:
        n += 1
    return f"Sheet{n}"


def check_title(spreadsheet: Spreadsheet, title: str, ignore: Sheet | None = None) -> None:
    if not title.strip():
        raise RequestError("Sheet title must not be empty.")
    for sheet in spreadsheet.sheets:
        if sheet is not ignore and sheet.title.casefold() == title.casefold():
            raise RequestError(
                f'A sheet with the name "{title}" already exists. Please enter another name.'
            )


def build_sheet(
    state: EmulatorState, spreadsheet: Spreadsheet, requested: dict[str, Any] | None
) -> Sheet:
    """A new sheet from (possibly partial) SheetProperties; not yet added."""
    props = copy.deepcopy(requested or {})
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = state.new_int_id(spreadsheet.used_ids() | {0})
    else:
        sheet_id = int(sheet_id)
        if sheet_id < 0:
            raise RequestError(f"Invalid sheetId: {sheet_id}")
        if spreadsheet.sheet_by_id(sheet_id) is not None:
            raise RequestError(f"Invalid sheetId: {sheet_id}. A sheet with this ID already exists.")
    title = props.get("title")
    if title is None:
        title = next_sheet_title(spreadsheet)
    check_title(spreadsheet, str(title))
    grid = dict(props.get("gridProperties") or {})
    grid.setdefault("rowCount", DEFAULT_ROWS)
    grid.setdefault("columnCount", DEFAULT_COLS)
    if int(grid["rowCount"]) < 1 or int(grid["columnCount"]) < 1:
        raise RequestError("Sheets must have at least one row and one column.")
    out: dict[str, Any] = {
        "sheetId": sheet_id,
        "title": str(title),
        "index": 0,
        "sheetType": props.get("sheetType", "GRID"),
        "gridProperties": grid,
    }
    for key in ("hidden", "tabColor", "tabColorStyle", "rightToLeft"):
        if key in props:
            out[key] = props[key]
    sheet = Sheet(sheet_properties(colors(out)))
    return sheet


def insert_sheet(spreadsheet: Spreadsheet, sheet: Sheet, index: int | None) -> None:
    position = (
        len(spreadsheet.sheets) if index is None else max(0, min(index, len(spreadsheet.sheets)))
    )
    spreadsheet.sheets.insert(position, sheet)
    spreadsheet.reindex()


def create_spreadsheet(
    state: EmulatorState,
    title: str,
    owner: str,
    *,
    file_id: str | None = None,
    parents: list[str] | None = None,
) -> tuple[Spreadsheet, DriveFile]:
    """A spreadsheet with its Drive file: one sheet, Sheet1, 1000 x 26."""
    file_id = file_id or state.new_file_id()
    spreadsheet = Spreadsheet(file_id, default_properties(title))
    first = Sheet(
        {
            "sheetId": 0,
            "title": "Sheet1",
            "index": 0,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": DEFAULT_ROWS, "columnCount": DEFAULT_COLS},
        }
    )
    spreadsheet.sheets.append(first)
    stamp = now_rfc3339()
    drive_file = DriveFile(
        id=file_id,
        name=title,
        mime_type=SPREADSHEET_MIME,
        owner=owner,
        created_time=stamp,
        modified_time=stamp,
        parents=list(parents or []),
    )
    state.spreadsheets[file_id] = spreadsheet
    state.files[file_id] = drive_file
    return spreadsheet, drive_file


def touch(state: EmulatorState, file_id: str) -> None:
    drive_file = state.files.get(file_id)
    if drive_file is not None:
        drive_file.modified_time = now_rfc3339()
        drive_file.version += 1
