"""The path table: Google's own paths for Sheets, Drive and OAuth, plus /_emulator/ controls."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from . import handlers_admin as admin
from . import handlers_drive as drive
from . import handlers_sheets as sheets
from . import handlers_token as token
from . import handlers_values as values
from .context import Call, Reply

Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    api: str
    operation: str
    write: bool = False


_SS = r"/v4/spreadsheets/(?P<spreadsheetId>[^/:]+)"
_FILE = r"/drive/v3/files/(?P<fileId>[^/:]+)"


def _route(
    method: str, path: str, handler: Handler, api: str, operation: str, write: bool = False
) -> Route:
    return Route(method, re.compile(f"^{path}$"), handler, api, operation, write)


ROUTES: list[Route] = [
    _route("POST", r"/token", token.token, "oauth", "oauth2.token"),
    _route("POST", r"/v4/spreadsheets", sheets.create, "sheets", "spreadsheets.create", True),
    _route("GET", _SS, sheets.get, "sheets", "spreadsheets.get"),
    _route(
        "POST",
        _SS + r":batchUpdate",
        sheets.batch_update,
        "sheets",
        "spreadsheets.batchUpdate",
        True,
    ),
    _route(
        "GET", _SS + r"/values:batchGet", values.batch_get, "sheets", "spreadsheets.values.batchGet"
    ),
    _route(
        "POST",
        _SS + r"/values:batchUpdate",
        values.batch_update,
        "sheets",
        "spreadsheets.values.batchUpdate",
        True,
    ),
    _route(
        "POST",
        _SS + r"/values:batchClear",
        values.batch_clear,
        "sheets",
        "spreadsheets.values.batchClear",
        True,
    ),
    _route(
        "POST",
        _SS + r"/values:batchGetByDataFilter",
        values.batch_get_by_filter,
        "sheets",
        "spreadsheets.values.batchGetByDataFilter",
    ),
    _route(
        "POST",
        _SS + r"/values:batchClearByDataFilter",
        values.batch_clear_by_filter,
        "sheets",
        "spreadsheets.values.batchClearByDataFilter",
        True,
    ),
    _route(
        "POST",
        _SS + r"/values/(?P<range>.+):append",
        values.append,
        "sheets",
        "spreadsheets.values.append",
        True,
    ),
    _route(
        "POST",
        _SS + r"/values/(?P<range>.+):clear",
        values.clear,
        "sheets",
        "spreadsheets.values.clear",
        True,
    ),
    _route("GET", _SS + r"/values/(?P<range>.+)", values.get, "sheets", "spreadsheets.values.get"),
    _route(
        "PUT",
        _SS + r"/values/(?P<range>.+)",
        values.update,
        "sheets",
        "spreadsheets.values.update",
        True,
    ),
    _route(
        "POST",
        _SS + r"/sheets/(?P<sheetId>\d+):copyTo",
        sheets.copy_to,
        "sheets",
        "spreadsheets.sheets.copyTo",
        True,
    ),
    _route(
        "GET",
        _SS + r"/developerMetadata/(?P<metadataId>[^/:]+)",
        sheets.metadata_get,
        "sheets",
        "spreadsheets.developerMetadata.get",
    ),
    _route(
        "POST",
        _SS + r"/developerMetadata:search",
        sheets.metadata_search,
        "sheets",
        "spreadsheets.developerMetadata.search",
    ),
    _route("POST", r"/drive/v3/files", drive.create, "drive", "files.create", True),
    _route("GET", r"/drive/v3/files", drive.list_files, "drive", "files.list"),
    _route("GET", _FILE, drive.get, "drive", "files.get"),
    _route("PATCH", _FILE, drive.update, "drive", "files.update", True),
    _route("DELETE", _FILE, drive.delete, "drive", "files.delete", True),
    _route("POST", _FILE + r"/copy", drive.copy_file, "drive", "files.copy", True),
    _route("GET", _FILE + r"/export", drive.export, "drive", "files.export"),
    _route("GET", _FILE + r"/permissions", drive.list_permissions, "drive", "permissions.list"),
    _route(
        "POST",
        _FILE + r"/permissions",
        drive.create_permission,
        "drive",
        "permissions.create",
        True,
    ),
    _route(
        "GET",
        _FILE + r"/permissions/(?P<permissionId>[^/]+)",
        drive.get_permission,
        "drive",
        "permissions.get",
    ),
    _route(
        "PATCH",
        _FILE + r"/permissions/(?P<permissionId>[^/]+)",
        drive.update_permission,
        "drive",
        "permissions.update",
        True,
    ),
    _route(
        "DELETE",
        _FILE + r"/permissions/(?P<permissionId>[^/]+)",
        drive.delete_permission,
        "drive",
        "permissions.delete",
        True,
    ),
    _route("GET", _FILE + r"/comments", drive.list_comments, "drive", "comments.list"),
    _route("POST", _FILE + r"/comments", drive.create_comment, "drive", "comments.create", True),
    _route("POST", r"/_emulator/reset", admin.reset, "admin", "reset"),
    _route("GET", r"/_emulator/faults", admin.list_faults, "admin", "faults.list"),
    _route("POST", r"/_emulator/faults", admin.add_fault, "admin", "faults.add"),
    _route("DELETE", r"/_emulator/faults", admin.clear_faults, "admin", "faults.clear"),
    _route("GET", r"/_emulator/latency", admin.get_latency, "admin", "latency.get"),
    _route("POST", r"/_emulator/latency", admin.set_latency, "admin", "latency.set"),
    _route("GET", r"/_emulator/log", admin.get_log, "admin", "log.get"),
    _route("DELETE", r"/_emulator/log", admin.clear_log, "admin", "log.clear"),
    _route("GET", r"/_emulator/hooks", admin.list_hooks, "admin", "hooks.list"),
    _route("POST", r"/_emulator/hooks", admin.add_hook, "admin", "hooks.add"),
    _route("DELETE", r"/_emulator/hooks", admin.clear_hooks, "admin", "hooks.clear"),
    _route("POST", r"/_emulator/files", admin.seed_file, "admin", "files.seed"),
    _route("GET", r"/_emulator/files", admin.list_files, "admin", "files.list"),
    _route("GET", r"/_emulator/echo", admin.get_echo, "admin", "echo.get"),
    _route("POST", r"/_emulator/echo", admin.set_echo, "admin", "echo.set"),
    _route("POST", r"/_emulator/tokens", admin.mint_token, "admin", "tokens.mint"),
    _route("GET", r"/_emulator/certs", admin.certs, "admin", "certs"),
    _route("POST", r"/_emulator/id-token", admin.mint_id_token, "admin", "id_token.mint"),
    _route(
        "GET",
        r"/_emulator/state/(?P<spreadsheetId>[^/]+)",
        admin.spreadsheet_state,
        "admin",
        "state",
    ),
    _route("GET", r"/", admin.index_page, "page", "index"),
    _route("GET", r"/view/(?P<spreadsheetId>[^/]+)", admin.view_page, "page", "view"),
]


def match(method: str, path: str) -> tuple[Route | None, dict[str, str]]:
    """The route for a request and its (unquoted) path parameters."""
    for route in ROUTES:
        if route.method != method:
            continue
        m = route.pattern.match(path)
        if m is not None:
            return route, {k: unquote(v) for k, v in m.groupdict().items()}
    return None, {}
