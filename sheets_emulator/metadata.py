"""Developer metadata: locations and DataFilter lookups."""

from __future__ import annotations

import copy
from typing import Any

from .errors import RequestError
from .models import Spreadsheet
from .normalize import dimension_range_out

LOCATION_TYPES = {"ROWS": "ROW", "COLUMNS": "COLUMN"}


def stored_location(spreadsheet: Spreadsheet, location: dict[str, Any]) -> dict[str, Any]:
    """A DeveloperMetadataLocation as stored: exactly one place plus its locationType."""
    if location.get("spreadsheet"):
        return {"locationType": "SPREADSHEET", "spreadsheet": True}
    if "sheetId" in location:
        sheet_id = int(location["sheetId"])
        if spreadsheet.sheet_by_id(sheet_id) is None:
            raise RequestError(f"No grid with id: {sheet_id}")
        return {"locationType": "SHEET", "sheetId": sheet_id}
    if "dimensionRange" in location:
        rng = location["dimensionRange"]
        sheet_id = int(rng.get("sheetId", 0))
        sheet = spreadsheet.sheet_by_id(sheet_id)
        if sheet is None:
            raise RequestError(f"No grid with id: {sheet_id}")
        dimension = rng.get("dimension")
        if dimension not in LOCATION_TYPES:
            raise RequestError("dimensionRange.dimension must be ROWS or COLUMNS.")
        size = sheet.row_count if dimension == "ROWS" else sheet.col_count
        start = int(rng.get("startIndex", 0))
        end = int(rng.get("endIndex", size))
        if not 0 <= start < end <= size:
            raise RequestError("dimensionRange is outside the grid.")
        return {
            "locationType": LOCATION_TYPES[dimension],
            "dimensionRange": {
                "sheetId": sheet_id,
                "dimension": dimension,
                "startIndex": start,
                "endIndex": end,
            },
        }
    raise RequestError("A developer metadata location must be set.")


def metadata_out(meta: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(meta)
    location = out.get("location", {})
    if "dimensionRange" in location:
        location["dimensionRange"] = dimension_range_out(location["dimensionRange"])
    return out


def _location_matches(stored: dict[str, Any], wanted: dict[str, Any], strategy: str) -> bool:
    if wanted.get("spreadsheet"):
        return bool(stored.get("spreadsheet"))
    if "sheetId" in wanted:
        if strategy == "INTERSECTING_LOCATION":
            sheet = stored.get("sheetId", stored.get("dimensionRange", {}).get("sheetId"))
            return sheet is not None and int(sheet) == int(wanted["sheetId"])
        return "sheetId" in stored and int(stored["sheetId"]) == int(wanted["sheetId"])
    if "dimensionRange" in wanted:
        have = stored.get("dimensionRange")
        want = wanted["dimensionRange"]
        if not have or int(have.get("sheetId", 0)) != int(want.get("sheetId", 0)):
            return False
        if have.get("dimension") != want.get("dimension"):
            return False
        if strategy == "INTERSECTING_LOCATION":
            return (
                have["startIndex"] < want.get("endIndex", 10**9)
                and want.get("startIndex", 0) < have["endIndex"]
            )
        return have["startIndex"] == want.get("startIndex", 0) and have["endIndex"] == want.get(
            "endIndex"
        )
    if "locationType" in wanted:
        return stored.get("locationType") == wanted["locationType"]
    return True


def lookup_matches(meta: dict[str, Any], lookup: dict[str, Any]) -> bool:
    if "metadataId" in lookup and int(meta["metadataId"]) != int(lookup["metadataId"]):
        return False
    for key in ("metadataKey", "metadataValue", "visibility"):
        if key in lookup and meta.get(key) != lookup[key]:
            return False
    location = meta.get("location", {})
    if "locationType" in lookup and location.get("locationType") != lookup["locationType"]:
        return False
    if "metadataLocation" in lookup:
        strategy = lookup.get("locationMatchingStrategy", "EXACT_LOCATION")
        if not _location_matches(location, lookup["metadataLocation"], strategy):
            return False
    return True


def find(spreadsheet: Spreadsheet, data_filter: dict[str, Any]) -> list[dict[str, Any]]:
    """The metadata a DataFilter selects (only developerMetadataLookup filters select metadata)."""
    lookup = data_filter.get("developerMetadataLookup")
    if lookup is None:
        return []
    return [m for m in spreadsheet.developer_metadata if lookup_matches(m, lookup)]
