"""Pure builders of Sheets API v4 batchUpdate requests: dicts in, dicts out, no network.

Running them is the backend's job; keeping them pure lets one push be one atomic
batchUpdate and every request be checked without a network.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator
from typing import Any

from ..highlights import highlight_rules
from ..template import Column, ColumnType, Template
from ..values import SPREADSHEET_EPOCH
from ..workbook import CellStyle, TabWrite

OWNER_TAG = "sheets-sync"
LAYOUT_METADATA_KEY = "sheets-sync.layout"
# Bumped when the look of a category tab changes (number formats, links): a tab written
# by an older version has its derived columns formatted anew once.
LOOK_VERSION = 2
PIXELS_PER_WIDTH_UNIT = 7
Request = dict[str, Any]


def colour(hex_colour: str) -> dict[str, float]:
    value = hex_colour.lstrip("#")
    return {name: int(value[i:i + 2], 16) / 255 for name, i in
            (("red", 0), ("green", 2), ("blue", 4))}


def date_serial(day: dt.date) -> int:
    return (day - SPREADSHEET_EPOCH).days


def number_format(column: Column | None) -> dict[str, str] | None:
    """The Sheets NumberFormat of a column: TEXT for text, DATE/PERCENT/NUMBER by pattern."""
    if column is None:
        return None
    pattern = column.number_format
    if column.type is ColumnType.DATE:
        return {"type": "DATE", "pattern": pattern or "yyyy-mm-dd"}
    if pattern is None:
        return {"type": "TEXT"} if column.type is ColumnType.TEXT else None
    kind = "PERCENT" if "%" in pattern else "NUMBER"
    return {"type": kind, "pattern": pattern}


def extended_value(value: Any) -> dict[str, Any] | None:
    """A cell value as Sheets stores it: text stays text (never a formula), dates as serials."""
    if value is None:
        return None
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, dt.datetime):
        return {"numberValue": date_serial(value.date())}
    if isinstance(value, dt.date):
        return {"numberValue": date_serial(value)}
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return {"numberValue": value}
    return {"stringValue": str(value)}


def grid_range(sheet_id: int, row: int | None = None, end_row: int | None = None,
               col: int | None = None, end_col: int | None = None) -> dict[str, int]:
    """A GridRange; a bound left out is unbounded, as the API allows."""
    found = {"sheetId": sheet_id}
    for name, value in (("startRowIndex", row), ("endRowIndex", end_row),
                        ("startColumnIndex", col), ("endColumnIndex", end_col)):
        if value is not None:
            found[name] = value
    return found


def add_sheet(sheet_id: int, title: str, index: int, rows: int, cols: int,
              frozen_rows: int, frozen_cols: int, hidden: bool = False) -> Request:
    grid = {"rowCount": rows, "columnCount": cols, "frozenRowCount": frozen_rows}
    if frozen_cols:
        grid["frozenColumnCount"] = frozen_cols
    properties: dict[str, Any] = {"sheetId": sheet_id, "title": title, "index": index,
                                  "gridProperties": grid}
    if hidden:
        properties["hidden"] = True
    return {"addSheet": {"properties": properties}}


def append_dimension(sheet_id: int, dimension: str, length: int) -> Request:
    return {"appendDimension": {"sheetId": sheet_id, "dimension": dimension, "length": length}}


def freeze(sheet_id: int, rows: int, cols: int) -> Request:
    return {"updateSheetProperties": {
        "properties": {"sheetId": sheet_id,
                       "gridProperties": {"frozenRowCount": rows, "frozenColumnCount": cols}},
        "fields": "gridProperties.frozenRowCount,gridProperties.frozenColumnCount",
    }}


def row_height(sheet_id: int, row: int, points: float) -> Request:
    return {"updateDimensionProperties": {
        "range": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": row,
                  "endIndex": row + 1},
        "properties": {"pixelSize": round(points * 4 / 3)},
        "fields": "pixelSize",
    }}


def column_width(sheet_id: int, col: int, width: float) -> Request:
    return {"updateDimensionProperties": {
        "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col,
                  "endIndex": col + 1},
        "properties": {"pixelSize": round(width * PIXELS_PER_WIDTH_UNIT)},
        "fields": "pixelSize",
    }}


def header_cells(sheet_id: int, headers: dict[int, str], by_col: dict[int, Column],
                 template: Template) -> list[Request]:
    """One updateCells per header cell: the label, its style, and a note for derived columns."""
    colours = template.colors
    requests = []
    for col, text in sorted(headers.items()):
        column = by_col.get(col)
        derived = column is not None and column.derived
        cell: dict[str, Any] = {
            "userEnteredValue": {"stringValue": text},
            "userEnteredFormat": {
                "backgroundColor": colour(colours.derived_header_fill if derived
                                          else colours.header_fill),
                "textFormat": {"bold": True, "foregroundColor": colour(colours.header_text)},
                "wrapStrategy": "WRAP",
                "verticalAlignment": "MIDDLE",
            },
        }
        if column is not None and column.description:
            cell["note"] = column.description
        requests.append({"updateCells": {
            "rows": [{"values": [cell]}],
            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": col},
            "fields": "userEnteredValue,userEnteredFormat(backgroundColor,textFormat,"
                      "wrapStrategy,verticalAlignment),note",
        }})
    return requests


def _runs(cells: dict[tuple[int, int], Any]) -> Iterator[tuple[int, int, int, int]]:
    """Rectangles (row, end_row, col, end_col) covering exactly the given cells.

    Cells of one row are cut into runs of adjacent columns; consecutive rows with
    the same runs are stacked into one rectangle.
    """
    rows: dict[int, list[int]] = {}
    for row, col in cells:
        rows.setdefault(row, []).append(col)
    spans: dict[int, tuple[tuple[int, int], ...]] = {}
    for row, cols in rows.items():
        cols.sort()
        runs: list[tuple[int, int]] = []
        start = prev = cols[0]
        for col in cols[1:]:
            if col != prev + 1:
                runs.append((start, prev + 1))
                start = col
            prev = col
        runs.append((start, prev + 1))
        spans[row] = tuple(runs)
    open_blocks: dict[tuple[int, int], int] = {}
    previous_row: int | None = None
    for row in sorted(spans):
        current = set(spans[row])
        if previous_row is None or row != previous_row + 1:
            for (col, end_col), start_row in open_blocks.items():
                yield start_row, previous_row + 1, col, end_col  # type: ignore[operator]
            open_blocks = {}
        else:
            for run in list(open_blocks):
                if run not in current:
                    yield open_blocks.pop(run), row, run[0], run[1]
        for run in spans[row]:
            open_blocks.setdefault(run, row)
        previous_row = row
    for (col, end_col), start_row in open_blocks.items():
        yield start_row, previous_row + 1, col, end_col  # type: ignore[operator]


# What a cell holds, as far as its number format goes: a format is in place for a cell
# that held the same kind of value before (see cell_writes).
EMPTY, NUMBER_KIND, BOOL_KIND, TEXT_KIND = 0, 1, 2, 3


def value_kind(value: Any) -> int:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return EMPTY
    if isinstance(value, bool):
        return BOOL_KIND
    if isinstance(value, int | float | dt.date):
        return NUMBER_KIND
    return TEXT_KIND


def row_kinds(rows: list[list[Any]]) -> list[bytes]:
    """The kind of every cell of a grid, one byte a cell: compact enough to keep for the
    largest tab between the read and the write."""
    return [bytes(value_kind(v) for v in row) for row in rows]


def cell_writes(sheet_id: int, cells: dict[tuple[int, int], Any],
                by_col: dict[int, Column], max_request_bytes: int = 400_000,
                previous_kinds: list[bytes] | None = None) -> list[Request]:
    """Values as updateCells, each block followed by its columns' number formats.

    Formats go as one repeatCell per column of a block rather than on every cell:
    a first push of thousands of rows stays a fraction of the size. With
    `previous_kinds` (the grid as read), a cell that held the same kind of value
    already has its column's format, so only its value is sent: a push that changes
    a few numbers sends those numbers and no formats.
    """
    requests = []
    for row, end_row, col, end_col in _runs(cells):
        rows_per_request = max(1, max_request_bytes // (48 * (end_col - col)))
        for chunk in range(row, end_row, rows_per_request):
            chunk_end = min(end_row, chunk + rows_per_request)
            rows = []
            for r in range(chunk, chunk_end):
                values = []
                for c in range(col, end_col):
                    value = extended_value(cells[(r, c)])
                    values.append({"userEnteredValue": value} if value is not None else {})
                rows.append({"values": values})
            requests.append({"updateCells": {
                "rows": rows,
                "start": {"sheetId": sheet_id, "rowIndex": chunk, "columnIndex": col},
                "fields": "userEnteredValue",
            }})
        if previous_kinds is None:
            requests.extend(_block_formats(sheet_id, by_col, row, end_row, col, end_col))
    if previous_kinds is not None:
        requests.extend(_missing_formats(sheet_id, cells, by_col, previous_kinds))
    return requests


def cell_runs(cells: dict[tuple[int, int], Any]) -> Iterator[tuple[int, int, int, int]]:
    """Rectangles (row, end_row, col, end_col) covering exactly the given cells."""
    return _runs(cells)


def value_formats(sheet_id: int, cells: dict[tuple[int, int], Any], by_col: dict[int, Column],
                  previous_kinds: list[bytes] | None = None) -> list[Request]:
    """The number formats cell_writes sends with these cells, without their values: for
    cells whose values go by the values API (see values_writes)."""
    if previous_kinds is not None:
        return _missing_formats(sheet_id, cells, by_col, previous_kinds)
    requests = []
    for row, end_row, col, end_col in _runs(cells):
        requests.extend(_block_formats(sheet_id, by_col, row, end_row, col, end_col))
    return requests


def _missing_formats(sheet_id: int, cells: dict[tuple[int, int], Any],
                     by_col: dict[int, Column], previous_kinds: list[bytes]) -> list[Request]:
    """One repeatCell per column and run of rows whose cells lack the column's format; a
    cleared cell may join a run (it shows nothing), so a first push is one run a column.
    Neighbouring columns with the same format and rows go as one request."""
    needed: dict[int, set[int]] = {}
    blank: dict[int, set[int]] = {}
    for (row, col), value in cells.items():
        if number_format(by_col.get(col)) is None:
            continue
        if value_kind(value) == EMPTY:
            blank.setdefault(col, set()).add(row)
        elif not _format_in_place(previous_kinds, (row, col), value):
            needed.setdefault(col, set()).add(row)
    spans: dict[tuple[int, int, str], list[int]] = {}
    for col, rows in needed.items():
        fmt = json.dumps(number_format(by_col[col]), sort_keys=True)
        for start, end in _row_runs(rows, blank.get(col, set())):
            spans.setdefault((start, end, fmt), []).append(col)
    requests = []
    for (start, end, fmt), cols in sorted(spans.items(), key=lambda item: min(item[1])):
        for first, last in _col_runs(sorted(cols)):
            requests.append(_repeat_format(
                grid_range(sheet_id, row=start, end_row=end, col=first, end_col=last),
                json.loads(fmt)))
    return requests


def _row_runs(rows: set[int], blank: set[int]) -> Iterator[tuple[int, int]]:
    """(start, end) runs over `rows` and `blank`, each holding at least one of `rows`."""
    start = end = None
    has_needed = False
    for row in sorted(rows | blank):
        if end is not None and row == end:
            end += 1
        else:
            if has_needed:
                yield start, end  # type: ignore[misc]
            start, end, has_needed = row, row + 1, False
        has_needed = has_needed or row in rows
    if has_needed:
        yield start, end  # type: ignore[misc]


def _col_runs(cols: list[int]) -> Iterator[tuple[int, int]]:
    start = prev = cols[0]
    for col in cols[1:]:
        if col != prev + 1:
            yield start, prev + 1
            start = col
        prev = col
    yield start, prev + 1


def _format_in_place(previous_kinds: list[bytes], place: tuple[int, int], value: Any) -> bool:
    kind = value_kind(value)
    if kind == EMPTY:
        return True  # a cleared cell shows nothing, whatever its format
    row, col = place
    before = previous_kinds[row] if row < len(previous_kinds) else b""
    return col < len(before) and before[col] == kind


def _block_formats(sheet_id: int, by_col: dict[int, Column], row: int, end_row: int,
                   col: int, end_col: int) -> list[Request]:
    requests = []
    for c in range(col, end_col):
        fmt = number_format(by_col.get(c))
        if fmt is not None:
            requests.append(_repeat_format(
                grid_range(sheet_id, row=row, end_row=end_row, col=c, end_col=c + 1), fmt))
    return requests


def cell_styles(sheet_id: int, styles: dict[tuple[int, int], CellStyle]) -> list[Request]:
    """The styles of a laid-out tab (the Summary): one repeatCell per rectangle of cells
    that look alike."""
    groups: dict[CellStyle, dict[tuple[int, int], None]] = {}
    for place, style in styles.items():
        groups.setdefault(style, {})[place] = None
    requests = []
    for style, places in groups.items():
        fmt = _cell_format(style)
        for row, end_row, col, end_col in _runs(places):
            requests.append({"repeatCell": {
                "range": grid_range(sheet_id, row=row, end_row=end_row, col=col,
                                    end_col=end_col),
                "cell": {"userEnteredFormat": fmt},
                "fields": "userEnteredFormat(numberFormat,textFormat,backgroundColor,"
                          "wrapStrategy,verticalAlignment,horizontalAlignment)",
            }})
    return requests


def _cell_format(style: CellStyle) -> dict[str, Any]:
    text: dict[str, Any] = {"bold": style.bold}
    if style.font_colour:
        text["foregroundColor"] = colour(style.font_colour)
    fmt: dict[str, Any] = {"textFormat": text,
                           "wrapStrategy": "WRAP" if style.wrap else "OVERFLOW_CELL",
                           "verticalAlignment": "MIDDLE" if style.wrap else "BOTTOM"}
    if style.fill:
        fmt["backgroundColor"] = colour(style.fill)
    fmt["horizontalAlignment"] = "RIGHT" if style.align_right else "LEFT"
    if style.number_format:
        kind = "PERCENT" if "%" in style.number_format else "NUMBER"
        fmt["numberFormat"] = {"type": kind, "pattern": style.number_format}
    return fmt


def links(sheet_id: int, cells: dict[tuple[int, int], str]) -> list[Request]:
    """Cells shown as links to the URL they hold: a cell-level link in the text format, so
    the value stays the plain URL (read back, merged and pulled as text)."""
    requests = []
    for row, end_row, col, end_col in _runs(dict.fromkeys(cells)):
        requests.append({"updateCells": {
            "rows": [{"values": [{"userEnteredFormat": {"textFormat": {"link": {
                "uri": cells[(r, c)]}}}} for c in range(col, end_col)]}
                for r in range(row, end_row)],
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": col},
            "fields": "userEnteredFormat.textFormat.link",
        }})
    return requests


def cell_formats(sheet_id: int, formats: dict[tuple[int, int], str]) -> list[Request]:
    """A number format for single cells, sent after their column's (see cell_writes)."""
    return [_repeat_format(grid_range(sheet_id, row=row, end_row=row + 1, col=col,
                                      end_col=col + 1),
                           {"type": "PERCENT" if "%" in pattern else
                            "DATE" if "yy" in pattern else "NUMBER", "pattern": pattern})
            for (row, col), pattern in sorted(formats.items())]


def cell_note(sheet_id: int, row: int, col: int, text: str) -> Request:
    return {"updateCells": {
        "rows": [{"values": [{"note": text}]}],
        "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": col},
        "fields": "note",
    }}


def column_formats(sheet_id: int, by_col: dict[int, Column], data_rows: int) -> list[Request]:
    """The number format of every derived column, over the table's rows."""
    return [_repeat_format(grid_range(sheet_id, row=1, end_row=data_rows + 1, col=col,
                                      end_col=col + 1), fmt)
            for col, column in sorted(by_col.items())
            if column.derived and data_rows and (fmt := number_format(column)) is not None]


def _repeat_format(target: dict[str, int], fmt: dict[str, str]) -> Request:
    return {"repeatCell": {
        "range": target,
        "cell": {"userEnteredFormat": {"numberFormat": fmt}},
        "fields": "userEnteredFormat.numberFormat",
    }}


def conditional_rules(sheet_id: int, write: TabWrite, template: Template) -> list[dict[str, Any]]:
    """The highlight rules of a category tab, as ConditionalFormatRule objects."""
    rules = []
    for highlight in highlight_rules(write, template):
        fmt: dict[str, Any] = {}
        if highlight.fill:
            fmt["backgroundColor"] = colour(highlight.fill)
        if highlight.font:
            fmt["textFormat"] = {"foregroundColor": colour(highlight.font)}
        rules.append({
            "ranges": [grid_range(sheet_id, row=1, col=highlight.first_col,
                                  end_col=highlight.last_col + 1)],
            "booleanRule": {
                "condition": {"type": "CUSTOM_FORMULA",
                              "values": [{"userEnteredValue": "=" + highlight.formula}]},
                "format": fmt,
            },
        })
    return rules


def add_rule(rule: dict[str, Any], index: int) -> Request:
    return {"addConditionalFormatRule": {"rule": rule, "index": index}}


def delete_rule(sheet_id: int, index: int) -> Request:
    return {"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": index}}


def dropdown(sheet_id: int, col: int, choices: Iterable[str] | None) -> Request:
    """A ONE_OF_LIST validation on a data column; None clears the column's validation."""
    request: dict[str, Any] = {"range": grid_range(sheet_id, row=1, col=col, end_col=col + 1)}
    if choices is not None:
        request["rule"] = {
            "condition": {"type": "ONE_OF_LIST",
                          "values": [{"userEnteredValue": c} for c in choices]},
            "strict": False,
            "showCustomUi": True,
        }
    return {"setDataValidation": request}


def protect_derived(sheet_id: int, col: int, column: Column) -> Request:
    return {"addProtectedRange": {"protectedRange": {
        "range": grid_range(sheet_id, row=1, col=col, end_col=col + 1),
        "description": f"{OWNER_TAG}: {column.header} is recomputed on every push",
        "warningOnly": True,
    }}}


def delete_protection(protected_range_id: int) -> Request:
    return {"deleteProtectedRange": {"protectedRangeId": protected_range_id}}


def own_protection(protected_range: dict[str, Any]) -> bool:
    return str(protected_range.get("description", "")).startswith(f"{OWNER_TAG}:")


def layout_metadata(sheet_id: int, layout: dict[str, int], metadata_id: int | None) -> Request:
    """Where this tool last put each column: how it knows which dropdowns are its own."""
    value = json.dumps({"layout": layout, "look": LOOK_VERSION}, sort_keys=True,
                       separators=(",", ":"))
    metadata = {"metadataKey": LAYOUT_METADATA_KEY, "metadataValue": value,
                "location": {"sheetId": sheet_id}, "visibility": "DOCUMENT"}
    if metadata_id is None:
        return {"createDeveloperMetadata": {"developerMetadata": metadata}}
    return {"updateDeveloperMetadata": {
        "dataFilters": [{"developerMetadataLookup": {"metadataId": metadata_id}}],
        "developerMetadata": {"metadataValue": value},
        "fields": "metadataValue",
    }}


SNAPSHOT_METADATA_KEY = "sheets_sync.last_snapshot"


def snapshot_marker(day: str, metadata_id: int | None) -> Request:
    """The day of the last monthly snapshot, on the spreadsheet itself: `refresh --if-due`
    reads it with a tiny request instead of the whole grid."""
    if metadata_id is None:
        return {"createDeveloperMetadata": {"developerMetadata": {
            "metadataKey": SNAPSHOT_METADATA_KEY, "metadataValue": day,
            "location": {"spreadsheet": True}, "visibility": "DOCUMENT"}}}
    return {"updateDeveloperMetadata": {
        "dataFilters": [{"developerMetadataLookup": {"metadataId": metadata_id}}],
        "developerMetadata": {"metadataValue": day},
        "fields": "metadataValue",
    }}


EMPTY_BODY = b'{"requests":[]}'


def encoded(request: Request) -> bytes:
    """One request as compact UTF-8 JSON. A lone surrogate (never valid UTF-8) is written
    as the \\uXXXX escape it would have in ASCII JSON."""
    return json.dumps(request, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8", "backslashreplace")


def _body(parts: list[bytes]) -> bytes:
    return b'{"requests":[' + b",".join(parts) + b"]}"


def body_size(requests: list[Request]) -> int:
    return len(_body([encoded(r) for r in requests]))


def _batch_bounds(sizes: list[int], limit: int) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive batches whose bodies stay under `limit` bytes."""
    start, size = 0, len(EMPTY_BODY)
    for index, request_size in enumerate(sizes):
        if index > start and size + request_size + 1 > limit:
            yield start, index
            start, size = index, len(EMPTY_BODY)
        size += request_size + 1
    if start < len(sizes):
        yield start, len(sizes)


def split_requests(requests: list[Request], limit: int) -> list[list[Request]]:
    """Consecutive batches whose JSON bodies stay under `limit` bytes (one request may not)."""
    sizes = [len(encoded(r)) for r in requests]
    return [requests[start:end] for start, end in _batch_bounds(sizes, limit)]


def encoded_batches(requests: list[Request], limit: int) -> list[bytes]:
    """The batchUpdate bodies of `requests`, split as split_requests does, each request
    encoded to JSON once: a first push of thousands of rows is megabytes of JSON."""
    parts = [encoded(r) for r in requests]
    return [_body(parts[start:end])
            for start, end in _batch_bounds([len(p) for p in parts], limit)]


CHART_WIDTH, CHART_HEIGHT, CHART_ROWS = 480, 300, 16  # pixels; rows between two charts


def category_charts(summary_id: int, anchor: tuple[int, int],
                    sources: list[tuple[str, int, int, int]],
                    template: Template) -> list[Request]:
    """One scatter chart per category tab on the Summary, stacked from `anchor` (row, col):
    engagement rate against views per follower. `sources` holds (tab title, sheet id,
    views-per-follower col, engagement col)."""
    requests = []
    for position, (title, sheet_id, vpf_col, er_col) in enumerate(sources):
        def column(col: int, sheet_id: int = sheet_id) -> dict[str, Any]:
            return {"sourceRange": {"sources": [grid_range(sheet_id, row=0, col=col,
                                                           end_col=col + 1)]}}
        requests.append({"addChart": {"chart": {
            "spec": {
                "title": f"{template.labels.chart_title}: {title}",
                "basicChart": {
                    "chartType": "SCATTER",
                    "legendPosition": "NO_LEGEND",
                    "headerCount": 1,
                    "axis": [
                        {"position": "BOTTOM_AXIS",
                         "title": template.by_key["views_per_follower"].header},
                        {"position": "LEFT_AXIS",
                         "title": template.by_key["engagement_rate"].header},
                    ],
                    "domains": [{"domain": column(vpf_col)}],
                    "series": [{"series": column(er_col), "targetAxis": "LEFT_AXIS"}],
                },
            },
            "position": {"overlayPosition": {
                "anchorCell": {"sheetId": summary_id,
                               "rowIndex": anchor[0] + CHART_ROWS * position,
                               "columnIndex": anchor[1]},
                "widthPixels": CHART_WIDTH, "heightPixels": CHART_HEIGHT}},
        }}})
    return requests


def move_chart(chart_id: int, sheet_id: int, anchor: tuple[int, int]) -> Request:
    return {"updateEmbeddedObjectPosition": {
        "objectId": chart_id,
        "newPosition": {"overlayPosition": {
            "anchorCell": {"sheetId": sheet_id, "rowIndex": anchor[0], "columnIndex": anchor[1]},
            "widthPixels": CHART_WIDTH, "heightPixels": CHART_HEIGHT}},
        "fields": "overlayPosition",
    }}
