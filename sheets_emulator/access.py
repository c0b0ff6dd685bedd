"""Who is calling, and whether they may read or write a file."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import ApiError, DriveError, file_not_found, not_found
from .models import ANONYMOUS, DriveFile, EmulatorState

WRITE_ROLES = frozenset({"owner", "organizer", "fileOrganizer", "writer"})


def identity_of(state: EmulatorState, headers: Mapping[str, str], query_token: str | None) -> str:
    """The caller's identity: known for tokens the emulator issued, anonymous otherwise."""
    token = query_token
    auth = headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        token = auth[7:].strip()
    if token is None:
        return ANONYMOUS
    return state.tokens.get(token, ANONYMOUS)


def has_credentials(headers: Mapping[str, str], query_token: str | None) -> bool:
    return bool(headers.get("authorization") or query_token or headers.get("x-goog-api-key"))


def role_of(drive_file: DriveFile, identity: str) -> str | None:
    """The caller's role on a file, or None when they have none."""
    if identity == ANONYMOUS or drive_file.owner == ANONYMOUS:
        return "owner"
    if identity == drive_file.owner:
        return "owner"
    best: str | None = None
    order = ["reader", "commenter", "writer", "fileOrganizer", "organizer", "owner"]
    domain = identity.rsplit("@", 1)[-1] if "@" in identity else None
    for perm in drive_file.permissions:
        kind = perm.get("type")
        matches = (
            kind == "anyone"
            or (
                kind in ("user", "group")
                and str(perm.get("emailAddress", "")).lower() == identity.lower()
            )
            or (kind == "domain" and domain is not None and perm.get("domain") == domain)
        )
        if matches:
            role = str(perm.get("role", "reader"))
            if best is None or order.index(role) > order.index(best):
                best = role
    return best


def check_sheets_access(
    state: EmulatorState, spreadsheet_id: str, identity: str, *, write: bool
) -> None:
    """403 for a known caller on a file another known identity owns and has not shared."""
    drive_file = state.files.get(spreadsheet_id)
    if spreadsheet_id not in state.spreadsheets or drive_file is None:
        raise not_found()
    role = role_of(drive_file, identity)
    if role is None or (write and role not in WRITE_ROLES):
        raise ApiError(403)


def drive_file_for(
    state: EmulatorState, file_id: str, identity: str, *, write: bool = False
) -> DriveFile:
    drive_file = state.files.get(file_id)
    if drive_file is None:
        raise file_not_found(file_id)
    role = role_of(drive_file, identity)
    if role is None:
        raise DriveError(403, "The caller does not have permission", "forbidden")
    if write and role not in WRITE_ROLES:
        raise DriveError(
            403,
            "The user does not have sufficient permissions for this file.",
            "insufficientFilePermissions",
        )
    return drive_file


def can_see(drive_file: DriveFile, identity: str) -> bool:
    return role_of(drive_file, identity) is not None
