"""Conditional formats, protected ranges, basic filters, filter views and banding."""

from __future__ import annotations

import copy
from typing import Any

from .. import fieldmask
from ..a1 import Rect
from ..errors import RequestError
from ..models import Sheet
from ..normalize import colors
from ..ranges import grid_range_json, grid_target, rect_of, sheet_of, stored_grid_range
from ..render import protected_range_json, rule_json
from .context import BatchContext, require, update_mask

# ConditionType, https://developers.google.com/sheets/api/reference/rest/v4/other#ConditionType :
# for each type, where it is "Supported by" (CF conditional formatting, DV data validation)
# and how many ConditionValues it "Requires" (low, high; None for no upper bound).
_CF, _DV = "conditional formatting", "data validation"
CONDITION_TYPES: dict[str, tuple[frozenset[str], int, int | None]] = {
    "NUMBER_GREATER": (frozenset({_CF, _DV}), 1, 1),
    "NUMBER_GREATER_THAN_EQ": (frozenset({_CF, _DV}), 1, 1),
    "NUMBER_LESS": (frozenset({_CF, _DV}), 1, 1),
    "NUMBER_LESS_THAN_EQ": (frozenset({_CF, _DV}), 1, 1),
    "NUMBER_EQ": (frozenset({_CF, _DV}), 1, 1),
    "NUMBER_NOT_EQ": (frozenset({_CF, _DV}), 1, 1),
    "NUMBER_BETWEEN": (frozenset({_CF, _DV}), 2, 2),
    "NUMBER_NOT_BETWEEN": (frozenset({_CF, _DV}), 2, 2),
    "TEXT_CONTAINS": (frozenset({_CF, _DV}), 1, 1),
    "TEXT_NOT_CONTAINS": (frozenset({_CF, _DV}), 1, 1),
    "TEXT_STARTS_WITH": (frozenset({_CF}), 1, 1),
    "TEXT_ENDS_WITH": (frozenset({_CF}), 1, 1),
    "TEXT_EQ": (frozenset({_CF, _DV}), 1, 1),
    "TEXT_IS_EMAIL": (frozenset({_DV}), 0, 0),
    "TEXT_IS_URL": (frozenset({_DV}), 0, 0),
    "DATE_EQ": (frozenset({_CF, _DV}), 1, 1),
    "DATE_BEFORE": (frozenset({_CF, _DV}), 1, 1),
    "DATE_AFTER": (frozenset({_CF, _DV}), 1, 1),
    "DATE_ON_OR_BEFORE": (frozenset({_DV}), 1, 1),
    "DATE_ON_OR_AFTER": (frozenset({_DV}), 1, 1),
    "DATE_BETWEEN": (frozenset({_DV}), 2, 2),
    "DATE_NOT_BETWEEN": (frozenset({_DV}), 2, 2),
    "DATE_IS_VALID": (frozenset({_DV}), 0, 0),
    "ONE_OF_RANGE": (frozenset({_DV}), 1, 1),
    "ONE_OF_LIST": (frozenset({_DV}), 1, None),
    "BLANK": (frozenset({_CF}), 0, 0),
    "NOT_BLANK": (frozenset({_CF}), 0, 0),
    "CUSTOM_FORMULA": (frozenset({_CF, _DV}), 1, 1),
    "BOOLEAN": (frozenset({_DV}), 0, 2),
    "TEXT_NOT_EQ": (frozenset(), 1, None),
    "DATE_NOT_EQ": (frozenset(), 1, None),
    "FILTER_EXPRESSION": (frozenset(), 1, 1),
}
CONDITION_TYPES_WITHOUT_VALUES = frozenset(k for k, v in CONDITION_TYPES.items() if v[1] == 0)
_COUNT_WORDS = {0: "no", 1: "exactly one", 2: "exactly two"}

# BooleanRule.format,
# https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#BooleanRule
# "Conditional formatting can only apply a subset of formatting: bold, italic,
# strikethrough, foreground color and, background color."
CF_FORMAT_FIELDS = frozenset({"textFormat", "backgroundColor", "backgroundColorStyle"})
CF_TEXT_FIELDS = frozenset(
    {"bold", "italic", "strikethrough", "foregroundColor", "foregroundColorStyle"}
)


def check_condition(condition: dict[str, Any] | None, use: str, where: str) -> None:
    """A BooleanCondition for `use` (conditional formatting or data validation)."""
    condition = condition or {}
    kind = condition.get("type")
    if not kind or kind == "CONDITION_TYPE_UNSPECIFIED":
        raise RequestError(f"{where}.condition.type is required.")
    supported, low, high = CONDITION_TYPES.get(str(kind), (frozenset(), 0, None))
    if use not in supported:
        raise RequestError(f"Invalid {where}: condition type {kind} is not supported by {use}.")
    values = condition.get("values") or []
    count = len(values)
    if count < low or (high is not None and count > high):
        if high is None:
            wanted = "at least one value"
        elif low == high:
            wanted = f"{_COUNT_WORDS[low]} value{'' if low == 1 else 's'}"
        else:
            wanted = f"between {low} and {high} values"
        raise RequestError(
            f"Invalid {where}: condition type {kind} requires {wanted}, got {count}."
        )
    if kind == "ONE_OF_LIST":
        # "Formulas are not supported in the values." (ConditionType.ONE_OF_LIST)
        for value in values:
            if str((value or {}).get("userEnteredValue", "")).startswith("="):
                raise RequestError(
                    f"Invalid {where}: formulas are not supported in ONE_OF_LIST values."
                )


def _check_cf_format(fmt: dict[str, Any] | None) -> None:
    for key, value in (fmt or {}).items():
        if key not in CF_FORMAT_FIELDS or (
            key == "textFormat" and any(k not in CF_TEXT_FIELDS for k in value or {})
        ):
            extra = (
                key
                if key != "textFormat"
                else next(f"textFormat.{k}" for k in value if k not in CF_TEXT_FIELDS)
            )
            raise RequestError(
                "Invalid ConditionalFormatRule: conditional formatting can only apply bold, "
                f"italic, strikethrough, foreground color and background color, not {extra}."
            )


# ------------------------------------------------------------------ conditional formats


def _rule(ctx: BatchContext, rule: dict[str, Any]) -> tuple[Sheet, dict[str, Any]]:
    ranges = rule.get("ranges") or []
    if not ranges:
        raise RequestError("A conditional format rule must have at least one range.")
    stored_ranges = [stored_grid_range(ctx.spreadsheet, r) for r in ranges]
    sheet_ids = {r["sheetId"] for r in stored_ranges}
    if len(sheet_ids) != 1:
        raise RequestError("All ranges of a conditional format rule must be on the same sheet.")
    boolean, gradient = rule.get("booleanRule"), rule.get("gradientRule")
    if (boolean is None) == (gradient is None):
        raise RequestError(
            "A conditional format rule needs exactly one of booleanRule or gradientRule."
        )
    if boolean is not None:
        check_condition(boolean.get("condition"), _CF, "booleanRule")
        _check_cf_format(boolean.get("format"))
    out = colors(copy.deepcopy({k: v for k, v in rule.items() if k != "ranges"}))
    out = {"ranges": stored_ranges, **out}
    sheet = sheet_of(ctx.spreadsheet, stored_ranges[0]["sheetId"])
    return sheet, out


def add_conditional_format(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, rule = _rule(ctx, require(payload, "rule"))
    index = int(payload.get("index", 0))
    if index < 0 or index > len(sheet.conditional_formats):
        raise RequestError(
            f"Invalid index {index}: the sheet has "
            f"{len(sheet.conditional_formats)} conditional formats."
        )
    sheet.conditional_formats.insert(index, rule)


def _rule_at(sheet: Sheet, index: int) -> dict[str, Any]:
    if not 0 <= index < len(sheet.conditional_formats):
        raise RequestError(f"No conditional format on sheet: {sheet.sheet_id} at index: {index}")
    return sheet.conditional_formats[index]


def _rule_out(rule: dict[str, Any]) -> dict[str, Any]:
    return rule_json(rule)


def update_conditional_format(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    index = int(payload.get("index", 0))
    sheet = sheet_of(ctx.spreadsheet, payload.get("sheetId", 0))
    old = _rule_at(sheet, index)
    reply: dict[str, Any] = {"oldRule": _rule_out(old), "oldIndex": index}
    if "rule" in payload:
        new_sheet, rule = _rule(ctx, payload["rule"])
        if new_sheet is not sheet:
            sheet.conditional_formats.pop(index)
            new_sheet.conditional_formats.insert(0, rule)
            reply.update(newRule=_rule_out(rule), newIndex=0)
        else:
            sheet.conditional_formats[index] = rule
            reply.update(newRule=_rule_out(rule), newIndex=index)
    elif "newIndex" in payload:
        new_index = int(payload["newIndex"])
        if not 0 <= new_index < len(sheet.conditional_formats):
            raise RequestError(f"Invalid newIndex {new_index}.")
        rule = sheet.conditional_formats.pop(index)
        sheet.conditional_formats.insert(new_index, rule)
        reply.update(newRule=_rule_out(rule), newIndex=new_index)
    else:
        raise RequestError("One of rule or newIndex must be set.")
    return {k: v for k, v in reply.items() if v != 0}


def delete_conditional_format(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    index = int(payload.get("index", 0))
    sheet = sheet_of(ctx.spreadsheet, payload.get("sheetId", 0))
    rule = _rule_at(sheet, index)
    sheet.conditional_formats.pop(index)
    return {"rule": _rule_out(rule)}


# ------------------------------------------------------------------ protected ranges


def _all_protected(ctx: BatchContext) -> list[tuple[Sheet, dict[str, Any]]]:
    return [(s, p) for s in ctx.spreadsheet.sheets for p in s.protected_ranges]


def _protected_body(ctx: BatchContext, spec: dict[str, Any]) -> tuple[Sheet, dict[str, Any]]:
    out: dict[str, Any] = {}
    # ProtectedRange.range / namedRangeId: "When writing, only one of range or named_range_id
    # or table_id may be set." https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#ProtectedRange
    if sum(1 for key in ("range", "namedRangeId", "tableId") if spec.get(key) is not None) > 1:
        raise RequestError("Only one of range, namedRangeId or tableId may be set.")
    if "namedRangeId" in spec:
        named = next(
            (
                n
                for n in ctx.spreadsheet.named_ranges
                if n.get("namedRangeId") == spec["namedRangeId"]
            ),
            None,
        )
        if named is None:
            raise RequestError(f"No named range with id: {spec['namedRangeId']}")
        out["namedRangeId"] = spec["namedRangeId"]
        out["range"] = copy.deepcopy(named["range"])
    elif "range" in spec:
        out["range"] = stored_grid_range(ctx.spreadsheet, spec["range"])
    else:
        raise RequestError("A protected range needs a range or a namedRangeId.")
    sheet = sheet_of(ctx.spreadsheet, out["range"].get("sheetId", 0))
    if spec.get("description"):
        out["description"] = spec["description"]
    if spec.get("warningOnly"):
        out["warningOnly"] = True
    editors = {k: v for k, v in (spec.get("editors") or {}).items() if v}
    if out.get("warningOnly") and editors:
        raise RequestError("Editors cannot be set on a warning-only protected range.")
    out["editors"] = editors
    if spec.get("unprotectedRanges"):
        # "Unprotected ranges are only supported on protected sheets." (a range with no
        # bounds): https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#ProtectedRange
        bounds = ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
        if "namedRangeId" in out or any(k in out["range"] for k in bounds):
            raise RequestError("Unprotected ranges are only supported on protected sheets.")
        out["unprotectedRanges"] = [
            stored_grid_range(ctx.spreadsheet, r) for r in spec["unprotectedRanges"]
        ]
    return sheet, out


def add_protected_range(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    spec = require(payload, "protectedRange")
    sheet, body = _protected_body(ctx, spec)
    body = {"protectedRangeId": ctx.new_id(), **body}
    sheet.protected_ranges.append(body)
    return {"protectedRange": protected_range_json(body, None)}


def _find_protected(ctx: BatchContext, protected_id: Any) -> tuple[Sheet, dict[str, Any]]:
    for sheet, pr in _all_protected(ctx):
        if int(pr["protectedRangeId"]) == int(protected_id):
            return sheet, pr
    raise RequestError(f"No protected range with id: {protected_id}")


def update_protected_range(ctx: BatchContext, payload: dict[str, Any]) -> None:
    spec = require(payload, "protectedRange")
    sheet, current = _find_protected(ctx, require(spec, "protectedRangeId"))
    mask = update_mask(payload)
    merged = fieldmask.apply(current, spec, mask)
    merged.pop("requestingUserCanEdit", None)
    new_sheet, body = _protected_body(ctx, merged)
    body = {"protectedRangeId": current["protectedRangeId"], **body}
    position = sheet.protected_ranges.index(current)
    sheet.protected_ranges.pop(position)
    if new_sheet is sheet:
        sheet.protected_ranges.insert(position, body)
    else:
        new_sheet.protected_ranges.append(body)


def delete_protected_range(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, pr = _find_protected(ctx, require(payload, "protectedRangeId"))
    sheet.protected_ranges.remove(pr)


# ------------------------------------------------------------------ filters and banding


def _filter_body(ctx: BatchContext, spec: dict[str, Any]) -> tuple[Sheet, dict[str, Any]]:
    rng = spec.get("range") or {"sheetId": 0}
    sheet, rect = grid_target(ctx.spreadsheet, rng)
    body = colors(copy.deepcopy({k: v for k, v in spec.items() if k != "range"}))
    return sheet, {"range": grid_range_json(sheet.sheet_id, rect), **body}


def set_basic_filter(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, body = _filter_body(ctx, require(payload, "filter"))
    sheet.basic_filter = body


def clear_basic_filter(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet = sheet_of(ctx.spreadsheet, payload.get("sheetId", 0))
    sheet.basic_filter = None


def _find(
    ctx: BatchContext, attr: str, key: str, value: Any, noun: str
) -> tuple[Sheet, dict[str, Any]]:
    for sheet in ctx.spreadsheet.sheets:
        for item in getattr(sheet, attr):
            if int(item[key]) == int(value):
                return sheet, item
    raise RequestError(f"No {noun} with id: {value}")


def add_filter_view(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    spec = require(payload, "filter")
    sheet, body = _filter_body(ctx, {k: v for k, v in spec.items() if k != "filterViewId"})
    body = {"filterViewId": ctx.new_id(), **body}
    sheet.filter_views.append(body)
    return {"filter": rule_json(body)}


def update_filter_view(ctx: BatchContext, payload: dict[str, Any]) -> None:
    spec = require(payload, "filter")
    sheet, current = _find(
        ctx, "filter_views", "filterViewId", require(spec, "filterViewId"), "filter view"
    )
    merged = fieldmask.apply(current, spec, update_mask(payload))
    new_sheet, body = _filter_body(ctx, {k: v for k, v in merged.items() if k != "filterViewId"})
    sheet.filter_views.remove(current)
    new_sheet.filter_views.append({"filterViewId": current["filterViewId"], **body})


def delete_filter_view(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, current = _find(
        ctx, "filter_views", "filterViewId", require(payload, "filterId"), "filter view"
    )
    sheet.filter_views.remove(current)


def duplicate_filter_view(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    sheet, current = _find(
        ctx, "filter_views", "filterViewId", require(payload, "filterId"), "filter view"
    )
    copy_ = copy.deepcopy(current)
    copy_["filterViewId"] = ctx.new_id()
    if "title" in copy_:
        copy_["title"] = f"{copy_['title']} (copy)"
    sheet.filter_views.append(copy_)
    return {"filter": rule_json(copy_)}


def add_banding(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    spec = require(payload, "bandedRange")
    sheet, rect = grid_target(ctx.spreadsheet, require(spec, "range"))
    for existing in sheet.banded_ranges:
        if _rects_overlap(rect, rect_of(existing["range"]), sheet):
            raise RequestError(
                "You cannot add alternating colors to a range that already has them."
            )
    body = colors(
        copy.deepcopy({k: v for k, v in spec.items() if k not in ("range", "bandedRangeId")})
    )
    body = {"bandedRangeId": ctx.new_id(), "range": grid_range_json(sheet.sheet_id, rect), **body}
    sheet.banded_ranges.append(body)
    return {"bandedRange": rule_json(body)}


def _rects_overlap(first: Rect, second: Rect, sheet: Sheet) -> bool:
    a = first.clamp(sheet.row_count, sheet.col_count)
    b = second.clamp(sheet.row_count, sheet.col_count)
    assert a.start_row is not None and a.end_row is not None and a.start_col is not None
    assert b.start_row is not None and b.end_row is not None and b.start_col is not None
    assert a.end_col is not None and b.end_col is not None
    return (
        a.start_row < b.end_row
        and b.start_row < a.end_row
        and a.start_col < b.end_col
        and b.start_col < a.end_col
    )


def update_banding(ctx: BatchContext, payload: dict[str, Any]) -> None:
    spec = require(payload, "bandedRange")
    sheet, current = _find(
        ctx, "banded_ranges", "bandedRangeId", require(spec, "bandedRangeId"), "banded range"
    )
    merged = fieldmask.apply(current, spec, update_mask(payload))
    new_sheet, rect = grid_target(ctx.spreadsheet, merged.get("range") or current["range"])
    body = colors({k: v for k, v in merged.items() if k not in ("range", "bandedRangeId")})
    sheet.banded_ranges.remove(current)
    new_sheet.banded_ranges.append(
        {
            "bandedRangeId": current["bandedRangeId"],
            "range": grid_range_json(new_sheet.sheet_id, rect),
            **body,
        }
    )


def delete_banding(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, current = _find(
        ctx, "banded_ranges", "bandedRangeId", require(payload, "bandedRangeId"), "banded range"
    )
    sheet.banded_ranges.remove(current)


HANDLERS = {
    "addConditionalFormatRule": add_conditional_format,
    "updateConditionalFormatRule": update_conditional_format,
    "deleteConditionalFormatRule": delete_conditional_format,
    "addProtectedRange": add_protected_range,
    "updateProtectedRange": update_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "setBasicFilter": set_basic_filter,
    "clearBasicFilter": clear_basic_filter,
    "addFilterView": add_filter_view,
    "updateFilterView": update_filter_view,
    "deleteFilterView": delete_filter_view,
    "duplicateFilterView": duplicate_filter_view,
    "addBanding": add_banding,
    "updateBanding": update_banding,
    "deleteBanding": delete_banding,
}
