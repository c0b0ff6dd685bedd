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


def protected_range_json(pr: dict[str, Any], owner: str | None) -> dict[str, Any]:
    out = rule_json(pr)
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
) -> dict[str, Any]:
    out: dict[str, Any] = {"properties": sheet_properties(copy.deepcopy(sheet.properties))}
    if data_rects is not None:
        out["data"] = [grid_data(calc, sheet, rect, data_mask) for rect in data_rects]
    if sheet.merges:
        out["merges"] = [grid_range_out(m) for m in sheet.merges]
    if sheet.conditional_formats:
        out["conditionalFormats"] = [rule_json(r) for r in sheet.conditional_formats]
    if sheet.filter_views:
        out["filterViews"] = [rule_json(f) for f in sheet.filter_views]
    if sheet.protected_ranges:
        out["protectedRanges"] = [protected_range_json(p, owner) for p in sheet.protected_ranges]
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
) -> dict[str, Any]:
    """The whole resource; `data` maps sheetId to the rectangles whose grid data to include.

    `mask` (the reply's fields mask) only spares work: the caller still applies it.
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
        sheets.append(sheet_json(calc, sheet, rects, owner, data_mask))
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
