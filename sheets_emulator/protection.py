"""Protected ranges: only their named editors (and the file's owner) may write into them.

Google refuses a write into a protected range (not warningOnly) by a caller who is not
one of its editors with 400 INVALID_ARGUMENT and this message; nothing of the request is
applied (https://github.com/theoephraim/node-google-spreadsheet/pull/20: "HTTP error 400:
Bad Request ... You are trying to edit a protected cell or object. Please contact the
spreadsheet owner to remove protection if you need to edit."). Editors are "the email
addresses of users [and groups] with edit access to the protected range", and with
domainUsersCanEdit "anyone in the document's domain"
(https://rubydoc.info/gems/google-apis-sheets_v4/Google/Apis/SheetsV4/Editors). The owner
of the file may always edit, as the message itself says (ask the owner).
"""

from __future__ import annotations

from typing import Any

from .a1 import Rect
from .access import role_of
from .errors import ApiError
from .models import ANONYMOUS, EmulatorState, Sheet, Spreadsheet

PROTECTED_MESSAGE = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet owner "
    "to remove protection if you need to edit."
)


def _rect(rng: dict[str, Any]) -> Rect:
    return Rect(
        rng.get("startRowIndex"),
        rng.get("endRowIndex"),
        rng.get("startColumnIndex"),
        rng.get("endColumnIndex"),
    )


def _overlap(a: Rect, b: Rect) -> bool:
    def apart(s1: int | None, e1: int | None, s2: int | None, e2: int | None) -> bool:
        return (e1 is not None and (s2 or 0) >= e1) or (e2 is not None and (s1 or 0) >= e2)

    return not (
        apart(a.start_row, a.end_row, b.start_row, b.end_row)
        or apart(a.start_col, a.end_col, b.start_col, b.end_col)
    )


def _inside(inner: Rect, outer: Rect) -> bool:
    def within(s1: int | None, e1: int | None, s2: int | None, e2: int | None) -> bool:
        return (s1 or 0) >= (s2 or 0) and (e2 is None or (e1 is not None and e1 <= e2))

    return within(inner.start_row, inner.end_row, outer.start_row, outer.end_row) and within(
        inner.start_col, inner.end_col, outer.start_col, outer.end_col
    )


def _is_editor(protected: dict[str, Any], identity: str) -> bool:
    editors = protected.get("editors") or {}
    listed = (editors.get("users") or []) + (editors.get("groups") or [])
    return identity.casefold() in {str(u).casefold() for u in listed}


def _same_domain(identity: str, owner: str) -> bool:
    return "@" in identity and "@" in owner and (
        identity.rsplit("@", 1)[1].casefold() == owner.rsplit("@", 1)[1].casefold()
    )


def _protected_area(spreadsheet: Spreadsheet, protected: dict[str, Any]) -> tuple[int, Rect] | None:
    if "namedRangeId" in protected:
        named = next(
            (n for n in spreadsheet.named_ranges
             if n.get("namedRangeId") == protected["namedRangeId"]),
            None,
        )
        if named is None:
            return None
        rng = named.get("range") or {}
    else:
        rng = protected.get("range") or {}
    return int(rng.get("sheetId", 0)), _rect(rng)


def check_write(
    state: EmulatorState, spreadsheet: Spreadsheet, identity: str, sheet: Sheet, rect: Rect
) -> None:
    """Raise Google's 400 when `rect` of `sheet` touches a range the caller may not edit."""
    if identity == ANONYMOUS:
        return
    drive_file = state.files.get(spreadsheet.id)
    if drive_file is None or role_of(drive_file, identity) == "owner":
        return
    for owner_sheet in spreadsheet.sheets:
        for protected in owner_sheet.protected_ranges:
            if protected.get("warningOnly") or _is_editor(protected, identity):
                continue
            editors = protected.get("editors") or {}
            if editors.get("domainUsersCanEdit") and _same_domain(identity, drive_file.owner):
                continue
            area = _protected_area(spreadsheet, protected)
            if area is None or area[0] != sheet.sheet_id or not _overlap(area[1], rect):
                continue
            if rect.end_row is not None and rect.end_col is not None and any(
                _inside(rect, _rect(free)) for free in protected.get("unprotectedRanges") or []
            ):
                continue
            raise ApiError(400, PROTECTED_MESSAGE)


def _size(rows: list[dict[str, Any]]) -> tuple[int, int]:
    return len(rows), max((len(row.get("values") or []) for row in rows), default=0)


def check_request(ctx: Any, kind: str, payload: dict[str, Any]) -> None:
    """The protection check for one batchUpdate cell-writing request, before it is applied."""
    spreadsheet: Spreadsheet = ctx.spreadsheet
    areas: list[tuple[Any, Rect]] = []

    def grid(rng: Any) -> None:
        if isinstance(rng, dict):
            areas.append((rng.get("sheetId", 0), _rect(rng)))

    def block(coord: Any, height: int, width: int) -> None:
        if isinstance(coord, dict):
            r0, c0 = int(coord.get("rowIndex", 0)), int(coord.get("columnIndex", 0))
            areas.append(
                (coord.get("sheetId", 0), Rect(r0, r0 + max(height, 1), c0, c0 + max(width, 1)))
            )

    if kind == "updateCells":
        if "range" in payload:
            grid(payload["range"])
        else:
            block(payload.get("start"), *_size(payload.get("rows") or []))
    elif kind == "appendCells":
        sheet = spreadsheet.sheet_by_id(int(payload.get("sheetId", 0) or 0))
        if sheet is not None:
            last = max((r + 1 for r, cells in enumerate(sheet.rows) if any(cells)), default=0)
            height, width = _size(payload.get("rows") or [])
            areas.append((sheet.sheet_id, Rect(last, last + max(height, 1), 0, max(width, 1))))
    elif kind == "cutPaste":
        source = payload.get("source")
        grid(source)
        if isinstance(source, dict):
            src = _rect(source)
            height = (src.end_row or 0) - (src.start_row or 0)
            width = (src.end_col or 0) - (src.start_col or 0)
            block(payload.get("destination"), height, width)
    elif kind == "copyPaste":
        grid(payload.get("destination"))
    elif kind == "findReplace":
        if isinstance(payload.get("range"), dict):
            grid(payload["range"])
        elif payload.get("sheetId") is not None:
            areas.append((payload["sheetId"], Rect()))
        elif payload.get("allSheets"):
            areas.extend((s.sheet_id, Rect()) for s in spreadsheet.sheets)
    else:
        grid(payload.get("range"))
    for sheet_id, rect in areas:
        sheet = spreadsheet.sheet_by_id(int(sheet_id or 0))
        if sheet is not None:
            check_write(ctx.state, spreadsheet, ctx.identity, sheet, rect)
