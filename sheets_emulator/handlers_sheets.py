"""Sheets v4 spreadsheet methods: create, get, batchUpdate, sheets.copyTo, developerMetadata."""

from __future__ import annotations

import copy
from typing import Any

from . import fieldmask
from .a1 import Rect
from .batch import run_batch
from .batch.context import BatchContext
from .batch.objects import add_named_range
from .batch.sheets import copy_sheet_into, copy_title
from .calc import Calc
from .cellops import normalize_cell
from .context import Call, Reply
from .errors import ApiError, RequestError, invalid, not_found
from .metadata import find, metadata_out
from .models import Sheet
from .normalize import sheet_properties
from .ownership import refuse_service_account_spreadsheet
from .ranges import check_within_grid, resolve
from .render import spreadsheet_json
from .resources import build_sheet, create_spreadsheet, insert_sheet
from .store import commit, fire_hooks, open_spreadsheet


def _owner(call: Call, spreadsheet_id: str) -> str | None:
    drive_file = call.state.files.get(spreadsheet_id)
    if drive_file is None or drive_file.owner == "anonymous":
        return None
    return drive_file.owner


def _fill_grid(sheet: Sheet, data: list[dict[str, Any]]) -> None:
    for block in data:
        r0, c0 = int(block.get("startRow", 0)), int(block.get("startColumn", 0))
        for i, row in enumerate(block.get("rowData") or []):
            for j, value in enumerate(row.get("values") or []):
                if value:
                    sheet.set_cell(r0 + i, c0 + j, normalize_cell(value) or None)


def create(call: Call) -> Reply:
    body = call.json_body()
    props = dict(body.get("properties") or {})
    title = str(props.get("title") or "Untitled spreadsheet")
    refuse_service_account_spreadsheet(call.identity)
    spreadsheet, _ = create_spreadsheet(call.state, title, call.identity)
    for key in ("locale", "timeZone", "autoRecalc", "iterativeCalculationSettings"):
        if key in props:
            spreadsheet.properties[key] = props[key]
    requested = body.get("sheets") or []
    ctx = BatchContext(call.state, spreadsheet, call.identity)
    try:
        if requested:
            spreadsheet.sheets = []
            for i, spec in enumerate(requested):
                sheet_props = dict(spec.get("properties") or {})
                if i == 0 and "sheetId" not in sheet_props:
                    sheet_props["sheetId"] = 0
                sheet = build_sheet(call.state, spreadsheet, sheet_props)
                insert_sheet(spreadsheet, sheet, sheet_props.get("index"))
                _fill_grid(sheet, spec.get("data") or [])
        for spec in body.get("namedRanges") or []:
            add_named_range(ctx, {"namedRange": spec})
    except RequestError as exc:
        del call.state.spreadsheets[spreadsheet.id]
        del call.state.files[spreadsheet.id]
        raise invalid(exc.message) from None
    bounded = call.state.echo_bounded(spreadsheet.id)
    return Reply(
        body=spreadsheet_json(
            Calc(spreadsheet), owner=_owner(call, spreadsheet.id), bounded=bounded
        )
    )


def _data_rects(
    call: Call, include: bool, mask: fieldmask.Mask | None, spreadsheet: Any
) -> tuple[dict[int, list[Rect]] | None, set[int] | None]:
    ranges = call.args("ranges")
    wants_data = include or (mask is not None and fieldmask.wants(mask, "sheets", "data"))
    if not ranges:
        if not wants_data:
            return None, None
        return {s.sheet_id: [Rect()] for s in spreadsheet.sheets}, None
    data: dict[int, list[Rect]] = {}
    only: set[int] = set()
    for text in ranges:
        target = resolve(spreadsheet, text)
        check_within_grid(target)
        only.add(target.sheet.sheet_id)
        data.setdefault(target.sheet.sheet_id, []).append(target.rect)
    return (data if wants_data else None), only


def get(call: Call) -> Reply:
    spreadsheet = open_spreadsheet(call, call.params["spreadsheetId"], write=False)
    fields = call.arg("fields")
    try:
        mask = fieldmask.parse(fields) if fields else None
    except fieldmask.MaskError:
        raise invalid(f"Invalid field selection {fields}") from None
    include = call.flag("includeGridData")
    data, only = _data_rects(call, include, mask, spreadsheet)
    owner = _owner(call, spreadsheet.id)
    body = spreadsheet_json(
        Calc(spreadsheet),
        data=data,
        only_sheets=only,
        owner=owner,
        mask=mask,
        bounded=call.state.echo_bounded(spreadsheet.id),
    )
    return Reply(body=body)


def batch_update(call: Call) -> Reply:
    spreadsheet_id = call.params["spreadsheetId"]
    open_spreadsheet(call, spreadsheet_id, write=True)
    body = call.json_body()
    fire_hooks(call.state, spreadsheet_id, "spreadsheets.batchUpdate")
    spreadsheet = call.state.spreadsheets[spreadsheet_id]
    updated, replies = run_batch(call.state, spreadsheet, body.get("requests"), call.identity)
    commit(call.state, updated)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        ranges = body.get("responseRanges") or []
        calc = Calc(updated)
        data = None
        only = None
        if ranges:
            data, only = {}, set()
            for text in ranges:
                target = resolve(updated, text)
                only.add(target.sheet.sheet_id)
                data.setdefault(target.sheet.sheet_id, []).append(target.rect)
            if not body.get("responseIncludeGridData"):
                data = None
        elif body.get("responseIncludeGridData"):
            data = {s.sheet_id: [Rect()] for s in updated.sheets}
        out["updatedSpreadsheet"] = spreadsheet_json(
            calc,
            data=data,
            only_sheets=only,
            owner=_owner(call, spreadsheet_id),
            bounded=call.state.echo_bounded(spreadsheet_id),
        )
    return Reply(body=out)


def copy_to(call: Call) -> Reply:
    source = open_spreadsheet(call, call.params["spreadsheetId"], write=False)
    sheet = source.sheet_by_id(int(call.params["sheetId"]))
    if sheet is None:
        raise not_found()
    destination_id = call.json_body().get("destinationSpreadsheetId")
    if not destination_id:
        raise invalid("destinationSpreadsheetId is required.")
    destination = open_spreadsheet(call, str(destination_id), write=True)
    work = destination.clone()
    ctx = BatchContext(call.state, work, call.identity)
    template = build_sheet(call.state, work, {"title": copy_title(work, sheet.title)})
    props = copy.deepcopy(sheet.properties)
    props.update(sheetId=template.sheet_id, title=template.title)
    new = copy_sheet_into(ctx, sheet, work, props)
    insert_sheet(work, new, None)
    commit(call.state, work)
    return Reply(body=sheet_properties(copy.deepcopy(new.properties)))


def metadata_get(call: Call) -> Reply:
    spreadsheet = open_spreadsheet(call, call.params["spreadsheetId"], write=False)
    try:
        wanted = int(call.params["metadataId"])
    except ValueError:
        raise invalid(f"Invalid metadataId: {call.params['metadataId']}") from None
    for meta in spreadsheet.developer_metadata:
        if int(meta["metadataId"]) == wanted:
            return Reply(body=metadata_out(meta))
    raise ApiError(404, f"No developer metadata with ID: {wanted}")


def metadata_search(call: Call) -> Reply:
    spreadsheet = open_spreadsheet(call, call.params["spreadsheetId"], write=False)
    filters = call.json_body().get("dataFilters") or []
    matched: list[dict[str, Any]] = []
    for data_filter in filters:
        if "a1Range" in data_filter or "gridRange" in data_filter:
            continue
        for meta in find(spreadsheet, data_filter):
            existing = next(
                (m for m in matched if m["developerMetadata"]["metadataId"] == meta["metadataId"]),
                None,
            )
            if existing is None:
                matched.append(
                    {"developerMetadata": metadata_out(meta), "dataFilters": [data_filter]}
                )
            else:
                existing["dataFilters"].append(data_filter)
    return Reply(body={"matchedDeveloperMetadata": matched} if matched else {})
