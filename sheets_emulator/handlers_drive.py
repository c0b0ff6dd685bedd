"""Drive v3 methods: files, permissions, export and comments."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from . import fieldmask
from .access import can_see, drive_file_for, role_of
from .calc import Calc
from .context import Call, Reply
from .drive_query import QueryError, compile_query
from .errors import DriveError
from .models import ANONYMOUS, SPREADSHEET_MIME, DriveFile, now_rfc3339
from .ownership import drive_for_new_file
from .resources import create_spreadsheet

DEFAULT_FILE_FIELDS = "kind,id,name,mimeType"
DEFAULT_PERMISSION_FIELDS = "kind,id,type,role"
ROLES = ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader")
TYPES = ("user", "group", "domain", "anyone")
EXPORTS = {"text/csv": ",", "text/tab-separated-values": "\t"}


def _select(value: dict[str, Any], fields: str | None, default: str) -> dict[str, Any]:
    try:
        mask = fieldmask.parse(fields or default)
    except fieldmask.MaskError:
        raise DriveError(
            400, f"Invalid field selection {fields}", "invalidParameter", "fields"
        ) from None
    return fieldmask.select(value, mask)


def permission_id(email: str) -> str:
    digest = hashlib.sha1(email.lower().encode()).hexdigest()
    return str(int(digest, 16) % 10**20).rjust(20, "0")


def _owner_permission(drive_file: DriveFile) -> dict[str, Any] | None:
    if drive_file.owner == ANONYMOUS:
        return None
    return {
        "kind": "drive#permission",
        "id": permission_id(drive_file.owner),
        "type": "user",
        "emailAddress": drive_file.owner,
        "role": "owner",
        "displayName": drive_file.owner.split("@")[0],
        "deleted": False,
        "pendingOwner": False,
    }


def _permissions(drive_file: DriveFile) -> list[dict[str, Any]]:
    owner = _owner_permission(drive_file)
    return ([owner] if owner else []) + [dict(p) for p in drive_file.permissions]


def file_json(drive_file: DriveFile, identity: str) -> dict[str, Any]:
    """Every field the emulator knows of a file; replies select from it."""
    owner = drive_file.owner
    out: dict[str, Any] = {
        "kind": "drive#file",
        "id": drive_file.id,
        "name": drive_file.name,
        "mimeType": drive_file.mime_type,
        "starred": drive_file.starred,
        "trashed": drive_file.trashed,
        "explicitlyTrashed": drive_file.trashed,
        "parents": list(drive_file.parents),
        "spaces": ["drive"],
        "version": str(drive_file.version),
        "createdTime": drive_file.created_time,
        "modifiedTime": drive_file.modified_time,
        "shared": bool(drive_file.permissions),
        "ownedByMe": drive_file.drive_id is None and (identity == owner or owner == ANONYMOUS),
        # A shared drive owns its files: they have a driveId and no owners.
        "owners": []
        if owner == ANONYMOUS or drive_file.drive_id
        else [
            {
                "kind": "drive#user",
                "displayName": owner.split("@")[0],
                "me": identity == owner,
                "permissionId": permission_id(owner),
                "emailAddress": owner,
            }
        ],
        "permissions": _permissions(drive_file),
        "capabilities": {
            "canEdit": role_of(drive_file, identity)
            in ("owner", "writer", "organizer", "fileOrganizer"),
            "canComment": role_of(drive_file, identity) not in (None, "reader"),
            "canShare": role_of(drive_file, identity) in ("owner", "writer"),
            "canDelete": role_of(drive_file, identity) == "owner",
            "canTrash": role_of(drive_file, identity) in ("owner", "writer"),
        },
    }
    if drive_file.drive_id is not None:
        out["driveId"] = drive_file.drive_id
        out.pop("owners")
    if drive_file.description is not None:
        out["description"] = drive_file.description
    if drive_file.mime_type == SPREADSHEET_MIME:
        out["webViewLink"] = (
            f"https://docs.google.com/spreadsheets/d/{drive_file.id}/edit?usp=drivesdk"
        )
    elif not drive_file.mime_type.startswith("application/vnd.google-apps."):
        out["size"] = str(len(drive_file.content))
        out["md5Checksum"] = hashlib.md5(drive_file.content).hexdigest()
    return out


def _supports_all_drives(call: Call) -> bool:
    # supportsTeamDrives is the deprecated spelling of the same switch.
    return call.flag("supportsAllDrives") or call.flag("supportsTeamDrives")


def _new_file(call: Call, name: str, mime_type: str, parents: list[str]) -> DriveFile:
    state = call.state
    drive_id = drive_for_new_file(state, call.identity, parents,
                                  supports_all_drives=_supports_all_drives(call))
    if mime_type == SPREADSHEET_MIME:
        _, drive_file = create_spreadsheet(state, name, call.identity, parents=parents)
    else:
        stamp = now_rfc3339()
        drive_file = DriveFile(
            id=state.new_file_id(),
            name=name,
            mime_type=mime_type,
            owner=call.identity,
            created_time=stamp,
            modified_time=stamp,
            parents=parents,
        )
        state.files[drive_file.id] = drive_file
    if drive_id is not None:
        # A shared drive's members reach every file in it.
        drive_file.drive_id = drive_id
        drive_file.permissions = [dict(p) for p in state.files[parents[0]].permissions]
    return drive_file


def create(call: Call) -> Reply:
    body = call.json_body()
    mime_type = str(body.get("mimeType") or "application/octet-stream")
    default_name = "Untitled spreadsheet" if mime_type == SPREADSHEET_MIME else "Untitled"
    drive_file = _new_file(
        call, str(body.get("name") or default_name), mime_type, list(body.get("parents") or [])
    )
    drive_file.description = body.get("description")
    drive_file.starred = bool(body.get("starred", False))
    return Reply(
        body=_select(file_json(drive_file, call.identity), call.arg("fields"), DEFAULT_FILE_FIELDS)
    )


def get(call: Call) -> Reply:
    drive_file = drive_file_for(call.state, call.params["fileId"], call.identity)
    if call.arg("alt") == "media":
        if drive_file.mime_type.startswith("application/vnd.google-apps."):
            raise DriveError(
                403,
                "Only files with binary content can be downloaded. "
                "Use Export with Docs Editors files.",
                "fileNotDownloadable",
                "alt",
            )
        return Reply(body=drive_file.content, content_type="application/octet-stream")
    return Reply(
        body=_select(file_json(drive_file, call.identity), call.arg("fields"), DEFAULT_FILE_FIELDS)
    )


_ORDER_KEYS = {
    "name": lambda f: f.name.lower(),
    "name_natural": lambda f: f.name.lower(),
    "createdTime": lambda f: f.created_time,
    "modifiedTime": lambda f: f.modified_time,
    "recency": lambda f: f.modified_time,
    "starred": lambda f: f.starred,
    "folder": lambda f: f.mime_type == "application/vnd.google-apps.folder",
}


def list_files(call: Call) -> Reply:
    try:
        predicate = compile_query(call.arg("q") or "")
    except QueryError:
        raise DriveError(400, "Invalid Value", "invalid", "q") from None
    files = [
        f
        for f in call.state.files.values()
        if can_see(f, call.identity) and predicate(f, call.identity)
    ]
    order = call.arg("orderBy")
    if order:
        for part in reversed([p.strip() for p in order.split(",") if p.strip()]):
            key, _, direction = part.partition(" ")
            if key not in _ORDER_KEYS:
                raise DriveError(400, "Invalid Value", "invalid", "orderBy")
            files.sort(key=_ORDER_KEYS[key], reverse=direction.strip().lower() == "desc")
    size = max(1, min(call.int_arg("pageSize", 100), 1000))
    token = call.arg("pageToken") or "0"
    try:
        offset = int(token)
    except ValueError:
        raise DriveError(400, "Invalid Value", "invalid", "pageToken") from None
    page = files[offset : offset + size]
    body: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False}
    if offset + size < len(files):
        body["nextPageToken"] = str(offset + size)
    body["files"] = [file_json(f, call.identity) for f in page]
    default = "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)"
    return Reply(body=_select(body, call.arg("fields"), default))


def update(call: Call) -> Reply:
    drive_file = drive_file_for(call.state, call.params["fileId"], call.identity, write=True)
    body = call.json_body()
    if "name" in body and body["name"] is not None:
        drive_file.name = str(body["name"])
        spreadsheet = call.state.spreadsheets.get(drive_file.id)
        if spreadsheet is not None:
            spreadsheet.properties["title"] = drive_file.name
    if "description" in body:
        drive_file.description = body["description"]
    if "starred" in body:
        drive_file.starred = bool(body["starred"])
    if "trashed" in body:
        drive_file.trashed = bool(body["trashed"])
    for parent in (call.arg("addParents") or "").split(","):
        if parent and parent not in drive_file.parents:
            drive_file.parents.append(parent)
    for parent in (call.arg("removeParents") or "").split(","):
        if parent in drive_file.parents:
            drive_file.parents.remove(parent)
    drive_file.modified_time = now_rfc3339()
    drive_file.version += 1
    return Reply(
        body=_select(file_json(drive_file, call.identity), call.arg("fields"), DEFAULT_FILE_FIELDS)
    )


def delete(call: Call) -> Reply:
    drive_file = drive_file_for(call.state, call.params["fileId"], call.identity)
    if role_of(drive_file, call.identity) != "owner":
        raise DriveError(
            403,
            "The user does not have sufficient permissions for this file.",
            "insufficientFilePermissions",
        )
    del call.state.files[drive_file.id]
    call.state.spreadsheets.pop(drive_file.id, None)
    call.state.hooks = [h for h in call.state.hooks if h.spreadsheet_id != drive_file.id]
    return Reply(status=204, body=b"", content_type="text/html")


def copy_file(call: Call) -> Reply:
    source = drive_file_for(call.state, call.params["fileId"], call.identity)
    body = call.json_body()
    name = str(body.get("name") or f"Copy of {source.name}")
    parents = list(body.get("parents") or source.parents)
    state = call.state
    drive_file = _new_file(call, name, source.mime_type, parents)
    if source.mime_type == SPREADSHEET_MIME:
        copied = state.spreadsheets[source.id].clone()
        copied.id = drive_file.id
        copied.properties["title"] = name
        state.spreadsheets[drive_file.id] = copied
    else:
        drive_file.content = source.content
    drive_file.description = body.get("description", source.description)
    return Reply(
        body=_select(file_json(drive_file, call.identity), call.arg("fields"), DEFAULT_FILE_FIELDS)
    )


def export(call: Call) -> Reply:
    drive_file = drive_file_for(call.state, call.params["fileId"], call.identity)
    mime_type = call.arg("mimeType")
    if not mime_type:
        raise DriveError(400, "Required parameter: mimeType", "required", "mimeType")
    spreadsheet = call.state.spreadsheets.get(drive_file.id)
    if spreadsheet is None or mime_type not in EXPORTS:
        raise DriveError(
            400, "The requested conversion is not supported.", "badRequest", "mimeType"
        )
    sheet = spreadsheet.sheets[0]
    calc = Calc(spreadsheet)
    rows, cols = sheet.used_extent()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=EXPORTS[mime_type], lineterminator="\r\n")
    for r in range(rows):
        writer.writerow([calc.formatted(sheet, r, c) or "" for c in range(cols)])
    text = buffer.getvalue()
    if text.endswith("\r\n"):
        text = text[:-2]
    return Reply(body=text.encode("utf-8"), content_type=f"{mime_type}; charset=utf-8")


# ------------------------------------------------------------------ permissions


def _permission_json(perm: dict[str, Any], fields: str | None) -> dict[str, Any]:
    full = {"kind": "drive#permission", "deleted": False, "pendingOwner": False, **perm}
    return _select(full, fields, DEFAULT_PERMISSION_FIELDS)


def create_permission(call: Call) -> Reply:
    drive_file = drive_file_for(call.state, call.params["fileId"], call.identity, write=True)
    body = call.json_body()
    role, kind = body.get("role"), body.get("type")
    if role not in ROLES:
        raise DriveError(400, "The provided role is invalid.", "invalid", "permission.role")
    if kind not in TYPES:
        raise DriveError(
            400, "The provided permission type is invalid.", "invalid", "permission.type"
        )
    perm: dict[str, Any] = {"type": kind, "role": role}
    if kind in ("user", "group"):
        email = body.get("emailAddress")
        if not email:
            raise DriveError(
                400,
                "The permission emailAddress field is required.",
                "required",
                "permission.emailAddress",
            )
        perm["emailAddress"] = str(email)
        perm["id"] = permission_id(str(email))
        perm["displayName"] = str(email).split("@")[0]
    elif kind == "domain":
        domain = body.get("domain")
        if not domain:
            raise DriveError(
                400, "The permission domain field is required.", "required", "permission.domain"
            )
        perm["domain"] = str(domain)
        perm["id"] = permission_id("domain:" + str(domain))
    else:
        perm["id"] = "anyoneWithLink"
    if "allowFileDiscovery" in body:
        perm["allowFileDiscovery"] = bool(body["allowFileDiscovery"])
    if role == "owner":
        if not call.flag("transferOwnership"):
            raise DriveError(
                403,
                "The transferOwnership parameter must be enabled "
                "when the permission role is 'owner'.",
                "forbidden",
                "transferOwnership",
            )
        if kind != "user":
            raise DriveError(
                400, "Ownership can only be transferred to a user.", "invalid", "permission.type"
            )
        previous = drive_file.owner
        drive_file.owner = perm["emailAddress"]
        drive_file.permissions = [p for p in drive_file.permissions if p["id"] != perm["id"]]
        if previous != ANONYMOUS:
            drive_file.permissions.append(
                {
                    "id": permission_id(previous),
                    "type": "user",
                    "role": "writer",
                    "emailAddress": previous,
                    "displayName": previous.split("@")[0],
                }
            )
        return Reply(
            body=_permission_json(_owner_permission(drive_file) or perm, call.arg("fields"))
        )
    drive_file.permissions = [p for p in drive_file.permissions if p["id"] != perm["id"]]
    drive_file.permissions.append(perm)
    return Reply(body=_permission_json(perm, call.arg("fields")))


def _find_permission(drive_file: DriveFile, permission_id_: str) -> dict[str, Any]:
    for perm in _permissions(drive_file):
        if perm["id"] == permission_id_:
            return perm
    raise DriveError(404, f"Permission not found: {permission_id_}.", "notFound", "permissionId")


def list_permissions(call: Call) -> Reply:
    drive_file = drive_file_for(call.state, call.params["fileId"], call.identity)
    body = {
        "kind": "drive#permissionList",
        "permissions": [
            {"kind": "drive#permission", "deleted": False, "pendingOwner": False, **p}
            for p in _permissions(drive_file)
        ],
    }
    return Reply(
        body=_select(body, call.arg("fields"), "kind,nextPageToken,permissions(kind,id,type,role)")
    )


def get_permission(call: Call) -> Reply:
    drive_file = drive_file_for(call.state, call.params["fileId"], call.identity)
    perm = _find_permission(drive_file, call.params["permissionId"])
    return Reply(body=_permission_json(perm, call.arg("fields")))


def update_permission(call: Call) -> Reply:
    drive_file = drive_file_for(call.state, call.params["fileId"], call.identity, write=True)
    perm = _find_permission(drive_file, call.params["permissionId"])
    role = call.json_body().get("role")
    if role not in ROLES or role == "owner":
        raise DriveError(400, "The provided role is invalid.", "invalid", "permission.role")
    if perm["role"] == "owner":
        raise DriveError(403, "The owner's role cannot be changed.", "forbidden")
    stored = next(p for p in drive_file.permissions if p["id"] == perm["id"])
    stored["role"] = role
    return Reply(body=_permission_json(stored, call.arg("fields")))


def delete_permission(call: Call) -> Reply:
    drive_file = drive_file_for(call.state, call.params["fileId"], call.identity, write=True)
    perm = _find_permission(drive_file, call.params["permissionId"])
    if perm["role"] == "owner":
        raise DriveError(403, "The owner of a file cannot be removed.", "cannotRemoveOwner")
    drive_file.permissions = [p for p in drive_file.permissions if p["id"] != perm["id"]]
    return Reply(status=204, body=b"", content_type="text/html")


# ------------------------------------------------------------------ comments


def list_comments(call: Call) -> Reply:
    drive_file = drive_file_for(call.state, call.params["fileId"], call.identity)
    include_deleted = call.flag("includeDeleted")
    comments = [c for c in drive_file.comments if include_deleted or not c.get("deleted")]
    body = {"kind": "drive#commentList", "comments": comments}
    return Reply(body=_select(body, call.arg("fields"), "comments,nextPageToken"))


def create_comment(call: Call) -> Reply:
    drive_file = drive_file_for(call.state, call.params["fileId"], call.identity)
    body = call.json_body()
    if not body.get("content"):
        raise DriveError(400, "The comment content is required.", "required", "content")
    stamp = now_rfc3339()
    comment = {
        "kind": "drive#comment",
        "id": "AAAA" + call.state.new_file_id()[:16],
        "content": str(body["content"]),
        "createdTime": stamp,
        "modifiedTime": stamp,
        "deleted": False,
        "resolved": False,
        "author": {"kind": "drive#user", "displayName": call.identity.split("@")[0]},
    }
    if "anchor" in body:
        comment["anchor"] = body["anchor"]
    drive_file.comments.append(comment)
    return Reply(body=_select(comment, call.arg("fields"), "*"))
