"""Named ranges, developer metadata and charts."""

from __future__ import annotations

import copy
import re
from typing import Any

from .. import fieldmask
from ..a1 import is_cells
from ..errors import RequestError
from ..metadata import find, metadata_out, stored_location
from ..models import Sheet
from ..normalize import colors, grid_range_out
from ..ranges import sheet_of, stored_grid_range
from .context import BatchContext, require, update_mask

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


# ------------------------------------------------------------------ named ranges


def _check_name(ctx: BatchContext, name: str, ignore: str | None = None) -> None:
    if not _NAME.match(name) or is_cells(name) or name.upper() in ("TRUE", "FALSE"):
        raise RequestError(
            f"Invalid name: {name}. A name must start with a letter or underscore and contain only "
            "letters, numbers, underscores and periods, and must not look like a cell reference."
        )
    for named in ctx.spreadsheet.named_ranges:
        if (
            named.get("namedRangeId") != ignore
            and str(named.get("name", "")).casefold() == name.casefold()
        ):
            raise RequestError(f"Named range {name} already exists.")


def _named_out(named: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(named)
    out["range"] = grid_range_out(out["range"])
    return out


def add_named_range(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    spec = require(payload, "namedRange")
    name = str(require(spec, "name"))
    _check_name(ctx, name)
    named_id = str(spec.get("namedRangeId") or ctx.new_id())
    if any(n.get("namedRangeId") == named_id for n in ctx.spreadsheet.named_ranges):
        raise RequestError(f"A named range with id {named_id} already exists.")
    named = {
        "namedRangeId": named_id,
        "name": name,
        "range": stored_grid_range(ctx.spreadsheet, spec.get("range")),
    }
    ctx.spreadsheet.named_ranges.append(named)
    return {"namedRange": _named_out(named)}


def _named(ctx: BatchContext, named_id: Any) -> dict[str, Any]:
    for named in ctx.spreadsheet.named_ranges:
        if named.get("namedRangeId") == str(named_id):
            return named
    raise RequestError(f"No named range with id: {named_id}")


def update_named_range(ctx: BatchContext, payload: dict[str, Any]) -> None:
    spec = require(payload, "namedRange")
    current = _named(ctx, require(spec, "namedRangeId"))
    merged = fieldmask.apply(current, spec, update_mask(payload))
    name = str(merged.get("name", ""))
    if name != current.get("name"):
        _check_name(ctx, name, ignore=current["namedRangeId"])
    updated = {
        "namedRangeId": current["namedRangeId"],
        "name": name,
        "range": stored_grid_range(ctx.spreadsheet, merged.get("range")),
    }
    position = ctx.spreadsheet.named_ranges.index(current)
    ctx.spreadsheet.named_ranges[position] = updated


def delete_named_range(ctx: BatchContext, payload: dict[str, Any]) -> None:
    named = _named(ctx, require(payload, "namedRangeId"))
    ctx.spreadsheet.named_ranges.remove(named)
    for sheet in ctx.spreadsheet.sheets:
        sheet.protected_ranges = [
            p for p in sheet.protected_ranges if p.get("namedRangeId") != named["namedRangeId"]
        ]


# ------------------------------------------------------------------ developer metadata


def check_location(location: dict[str, Any] | None) -> None:
    """A DeveloperMetadataLocation to write: exactly one of spreadsheet, sheetId, dimensionRange.

    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.developerMetadata#DeveloperMetadataLocation
    (the location is a union field; "The specified DimensionRange must represent a single
    row or column. It cannot be unbounded or span multiple rows or columns.")
    """
    location = location or {}
    kinds = [
        k
        for k in ("spreadsheet", "sheetId", "dimensionRange")
        if location.get(k) is not None and location.get(k) is not False
    ]
    if len(kinds) != 1:
        raise RequestError(
            "A developer metadata location must set exactly one of spreadsheet, sheetId or "
            f"dimensionRange, got {len(kinds)}."
        )
    if kinds == ["dimensionRange"]:
        rng = location["dimensionRange"]
        if "startIndex" not in rng or "endIndex" not in rng:
            raise RequestError("A developer metadata dimensionRange cannot be unbounded.")
        if int(rng["endIndex"]) - int(rng["startIndex"]) != 1:
            raise RequestError(
                "A developer metadata dimensionRange must represent a single row or column."
            )


def create_metadata(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    spec = require(payload, "developerMetadata")
    if "visibility" not in spec:
        raise RequestError("Developer metadata visibility must be specified.")
    if spec["visibility"] not in ("DOCUMENT", "PROJECT"):
        raise RequestError(f"Invalid visibility: {spec['visibility']}")
    if not spec.get("metadataKey"):
        raise RequestError("Developer metadata key must be specified.")
    check_location(spec.get("location"))
    taken = {int(m["metadataId"]) for m in ctx.spreadsheet.developer_metadata}
    if "metadataId" in spec:
        metadata_id = int(spec["metadataId"])
        # DeveloperMetadata.metadataId: "must be positive", unique in the spreadsheet,
        # https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.developerMetadata#DeveloperMetadata
        if metadata_id <= 0:
            raise RequestError(f"Invalid metadataId: {metadata_id}. The ID must be positive.")
        if metadata_id in taken:
            raise RequestError(f"Developer metadata with id {metadata_id} already exists.")
    else:
        metadata_id = ctx.new_id()
    meta: dict[str, Any] = {"metadataId": metadata_id, "metadataKey": str(spec["metadataKey"])}
    if "metadataValue" in spec:
        meta["metadataValue"] = str(spec["metadataValue"])
    meta["location"] = stored_location(ctx.spreadsheet, require(spec, "location"))
    meta["visibility"] = spec["visibility"]
    ctx.spreadsheet.developer_metadata.append(meta)
    return {"developerMetadata": metadata_out(meta)}


def _selected(ctx: BatchContext, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    chosen: list[dict[str, Any]] = []
    for data_filter in filters:
        for meta in find(ctx.spreadsheet, data_filter):
            if meta not in chosen:
                chosen.append(meta)
    return chosen


def update_metadata(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    filters = payload.get("dataFilters") or []
    if not filters:
        raise RequestError("At least one data filter must be specified.")
    spec = require(payload, "developerMetadata")
    mask = update_mask(payload)
    if "metadataId" in mask:
        raise RequestError("metadataId cannot be updated.")
    updated = []
    for meta in _selected(ctx, filters):
        merged = fieldmask.apply(meta, spec, mask)
        merged["metadataId"] = meta["metadataId"]
        if "location" in mask:
            merged["location"] = stored_location(ctx.spreadsheet, spec.get("location") or {})
        position = ctx.spreadsheet.developer_metadata.index(meta)
        ctx.spreadsheet.developer_metadata[position] = merged
        updated.append(metadata_out(merged))
    return {"developerMetadata": updated} if updated else {}


def delete_metadata(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    data_filter = require(payload, "dataFilter")
    deleted = []
    for meta in _selected(ctx, [data_filter]):
        ctx.spreadsheet.developer_metadata.remove(meta)
        deleted.append(metadata_out(meta))
    return {"deletedDeveloperMetadata": deleted} if deleted else {}


# ------------------------------------------------------------------ charts


def _chart_sheet(ctx: BatchContext, chart: dict[str, Any]) -> Sheet:
    position = chart.get("position") or {}
    if "sheetId" in position:
        return sheet_of(ctx.spreadsheet, position["sheetId"])
    anchor = (position.get("overlayPosition") or {}).get("anchorCell")
    if anchor is not None:
        return sheet_of(ctx.spreadsheet, anchor.get("sheetId", 0))
    return ctx.spreadsheet.sheets[0]


# BasicChartSpec, https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/charts#BasicChartSpec
THREE_D_CHARTS = frozenset({"BAR", "COLUMN", "COMBO"})
COMBO_SERIES_TYPES = frozenset({"LINE", "AREA", "COLUMN"})


def _sources(data: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list(((data or {}).get("sourceRange") or {}).get("sources") or [])


def _length(rng: dict[str, Any], side: str) -> int | None:
    start, end = rng.get(f"start{side}"), rng.get(f"end{side}")
    if end is None:
        return None
    return int(end) - int(start or 0)


def check_chart_spec(spec: dict[str, Any]) -> None:
    """The documented shape rules of a BasicChartSpec."""
    basic = spec.get("basicChart")
    if not isinstance(basic, dict):
        return
    domains = basic.get("domains") or []
    # BasicChartSpec.domains: "Only a single domain is supported."
    if len(domains) > 1:
        raise RequestError("Only a single domain is supported.")
    chart_type = basic.get("chartType")
    # BasicChartSpec.threeDimensional: "Applies to Bar and Column charts. Setting it on a
    # Combo chart is allowed but has no effect; setting it on any other chart type returns
    # an error."
    if basic.get("threeDimensional") and chart_type not in THREE_D_CHARTS:
        raise RequestError(f"threeDimensional is not supported for chart type {chart_type}.")
    # BasicChartSeries.type: "Valid only if the chartType is COMBO ... Only LINE, AREA, and
    # COLUMN are supported."
    for series in basic.get("series") or []:
        kind = series.get("type")
        if kind and kind != "BASIC_CHART_TYPE_UNSPECIFIED":
            if chart_type != "COMBO":
                raise RequestError("A series type may only be set on a COMBO chart.")
            if kind not in COMBO_SERIES_TYPES:
                raise RequestError(f"Series type {kind} is not supported in a COMBO chart.")
    # ChartSourceRange.sources: "Exactly one dimension must have a length of 1, and all
    # sources in the list must have the same dimension with length 1. The domain (if it
    # exists) & all series must have the same number of source ranges."
    # https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/charts#ChartSourceRange
    lists = [_sources(d.get("domain")) for d in domains]
    lists += [_sources(s.get("series")) for s in basic.get("series") or []]
    for sources in lists:
        long_sides = set()
        for rng in sources:
            # A side left unbounded (a whole column or row) is not of length 1.
            rows = _length(rng, "RowIndex")
            cols = _length(rng, "ColumnIndex")
            if rows != 1 and cols != 1:
                raise RequestError(
                    "Invalid chart source range: exactly one dimension must have a length of 1."
                )
            long_sides.add("ONE" if rows == cols == 1 else "COLUMN" if cols == 1 else "ROW")
        if len(long_sides - {"ONE"}) > 1:
            raise RequestError(
                "Invalid chart source range: all sources must have the same dimension with "
                "length 1."
            )
    counts = {len(sources) for sources in lists if sources}
    if len(counts) > 1:
        raise RequestError(
            "The domain and all series of a chart must have the same number of source ranges."
        )


def _find_chart(ctx: BatchContext, chart_id: Any) -> tuple[Sheet, dict[str, Any]]:
    for sheet in ctx.spreadsheet.sheets:
        for chart in sheet.charts:
            if int(chart["chartId"]) == int(chart_id):
                return sheet, chart
    raise RequestError(f"No chart with id: {chart_id}")


def add_chart(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(require(payload, "chart"))
    if "spec" not in spec:
        raise RequestError("chart.spec is required.")
    check_chart_spec(spec["spec"])
    sheet = _chart_sheet(ctx, spec)
    chart_id = spec.get("chartId")
    if chart_id is None or int(chart_id) in ctx.spreadsheet.used_ids():
        chart_id = ctx.new_id()
    position = spec.get("position") or {
        "overlayPosition": {"anchorCell": {"sheetId": sheet.sheet_id}}
    }
    chart = colors({"chartId": int(chart_id), "spec": spec["spec"], "position": position})
    if "border" in spec:
        chart["border"] = colors(spec["border"])
    sheet.charts.append(chart)
    return {"chart": copy.deepcopy(chart)}


def update_chart_spec(ctx: BatchContext, payload: dict[str, Any]) -> None:
    _, chart = _find_chart(ctx, require(payload, "chartId"))
    check_chart_spec(require(payload, "spec"))
    chart["spec"] = colors(copy.deepcopy(require(payload, "spec")))


def update_object_position(ctx: BatchContext, payload: dict[str, Any]) -> dict[str, Any]:
    _, chart = _find_chart(ctx, require(payload, "objectId"))
    new_position = require(payload, "newPosition")
    merged = (
        fieldmask.apply(chart.get("position"), new_position, update_mask(payload))
        if payload.get("fields")
        else copy.deepcopy(new_position)
    )
    chart["position"] = merged
    return {"position": copy.deepcopy(merged)}


def delete_object(ctx: BatchContext, payload: dict[str, Any]) -> None:
    sheet, chart = _find_chart(ctx, require(payload, "objectId"))
    sheet.charts.remove(chart)


HANDLERS = {
    "addNamedRange": add_named_range,
    "updateNamedRange": update_named_range,
    "deleteNamedRange": delete_named_range,
    "createDeveloperMetadata": create_metadata,
    "updateDeveloperMetadata": update_metadata,
    "deleteDeveloperMetadata": delete_metadata,
    "addChart": add_chart,
    "updateChartSpec": update_chart_spec,
    "updateEmbeddedObjectPosition": update_object_position,
    "deleteEmbeddedObject": delete_object,
}
