"""The Spreadsheet resource as spreadsheets.get returns it."""

from __future__ import annotations

import copy
from typing import Any

from . import fieldmask
from .a1 import Rect
from .calc import Calc
from .griddata import grid_data
from .metadata import metadata_out
from .models import Sheet
from .normalize import colors, dimension_range_out, grid_range_out, sheet_properties
from .resources import DEFAULT_FORMAT, SPREADSHEET_THEME, spreadsheet_url


def rule_json(rule: dict[str, Any]) -> dict[str, Any]:
    out = colors(copy.deepcopy(rule))
    if "ranges" in out:
        out["ranges"] = [grid_range_out(r) for r in out["ranges"]]
    if "range" in out:
        out["range"] = grid_range_out(out["range"])
    if "unprotectedRanges" in out:
        out["unprotectedRanges"] = [grid_range_out(r) for r in out["unprotectedRanges"]]
    return out


def _bounded(rng: dict[str, Any], sheet: Sheet) -> dict[str, Any]:
    """A GridRange with its open end sides filled with the grid size."""
    out = dict(rng)
    out.setdefault("endRowIndex", sheet.row_count)
    out.setdefault("endColumnIndex", sheet.col_count)
    return out


def _echo_ranges(out: dict[str, Any], sheet: Sheet | None) -> dict[str, Any]:
    """Bounded echo (see EmulatorState.echo_ranges): ranges filled with the grid size."""
    if sheet is None:
        return out
    if "ranges" in out:
        out["ranges"] = [_bounded(r, sheet) for r in out["ranges"]]
    if "range" in out:
        out["range"] = _bounded(out["range"], sheet)
    return out


def protected_range_json(
    pr: dict[str, Any], owner: str | None, bounded_to: Sheet | None = None
) -> dict[str, Any]:
    out = _echo_ranges(rule_json(pr), bounded_to)
    out["requestingUserCanEdit"] = True
    editors = copy.deepcopy(pr.get("editors") or {})
    users = [u for u in editors.get("users", []) if u]
    if owner and owner not in users:
        users.insert(0, owner)
    editors = {k: v for k, v in editors.items() if v}
    if users:
        editors["users"] = users
    out["editors"] = editors
    if not out.get("warningOnly"):
        out.pop("warningOnly", None)
    return out


def sheet_json(
    calc: Calc,
    sheet: Sheet,
    data_rects: list[Rect] | None,
    owner: str | None,
    data_mask: fieldmask.Mask | None = None,
    bounded: bool = False,
) -> dict[str, Any]:
    grid = sheet if bounded else None
    out: dict[str, Any] = {"properties": sheet_properties(copy.deepcopy(sheet.properties))}
    if data_rects is not None:
        out["data"] = [grid_data(calc, sheet, rect, data_mask) for rect in data_rects]
    if sheet.merges:
        out["merges"] = [grid_range_out(m) for m in sheet.merges]
    if sheet.conditional_formats:
        out["conditionalFormats"] = [
            _echo_ranges(rule_json(r), grid) for r in sheet.conditional_formats
        ]
    if sheet.filter_views:
        out["filterViews"] = [rule_json(f) for f in sheet.filter_views]
    if sheet.protected_ranges:
        out["protectedRanges"] = [
            protected_range_json(p, owner, grid) for p in sheet.protected_ranges
        ]
    if sheet.basic_filter is not None:
        out["basicFilter"] = rule_json(sheet.basic_filter)
    if sheet.charts:
        out["charts"] = [colors(copy.deepcopy(c)) for c in sheet.charts]
    if sheet.banded_ranges:
        out["bandedRanges"] = [rule_json(b) for b in sheet.banded_ranges]
    sheet_meta = [
        metadata_out(m)
        for m in calc.spreadsheet.developer_metadata
        if m.get("location", {}).get("sheetId") == sheet.sheet_id
        and "dimensionRange" not in m.get("location", {})
    ]
    if sheet_meta:
        out["developerMetadata"] = sheet_meta
    for key, groups in (("rowGroups", sheet.row_groups), ("columnGroups", sheet.column_groups)):
        if groups:
            out[key] = [
                {
                    "range": dimension_range_out(g["range"]),
                    "depth": g["depth"],
                    **({"collapsed": True} if g.get("collapsed") else {}),
                }
                for g in groups
            ]
    return out


def spreadsheet_json(
    calc: Calc,
    *,
    data: dict[int, list[Rect]] | None = None,
    only_sheets: set[int] | None = None,
    owner: str | None = None,
    mask: fieldmask.Mask | None = None,
    bounded: bool = False,
) -> dict[str, Any]:
    """The whole resource; `data` maps sheetId to the rectangles whose grid data to include.

    `mask` (the reply's fields mask) only spares work: the caller still applies it.
    `bounded` echoes conditional-format and protected ranges filled to the grid size.
    """
    data_mask = fieldmask.child(mask, "sheets", "data")
    spreadsheet = calc.spreadsheet
    props = copy.deepcopy(spreadsheet.properties)
    props["defaultFormat"] = copy.deepcopy(DEFAULT_FORMAT)
    props["spreadsheetTheme"] = copy.deepcopy(SPREADSHEET_THEME)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.id, "properties": props}
    sheets = []
    for sheet in spreadsheet.sheets:
        if only_sheets is not None and sheet.sheet_id not in only_sheets:
            continue
        rects = None if data is None else data.get(sheet.sheet_id)
        sheets.append(sheet_json(calc, sheet, rects, owner, data_mask, bounded))
    out["sheets"] = sheets
    if spreadsheet.named_ranges:
        named = []
        for nr in spreadsheet.named_ranges:
            item = copy.deepcopy(nr)
            item["range"] = grid_range_out(item.get("range", {}))
            named.append(item)
        out["namedRanges"] = named
    out["spreadsheetUrl"] = spreadsheet_url(spreadsheet.id)
    top_meta = [
        metadata_out(m)
        for m in spreadsheet.developer_metadata
        if m.get("location", {}).get("spreadsheet")
    ]
    if top_meta:
        out["developerMetadata"] = top_meta
    return out
