"""Test controls under /_emulator/: reset, faults, latency, log, hooks, seeding, state."""

from __future__ import annotations

import random
from typing import Any

from . import id_tokens, page
from .a1 import Rect
from .calc import Calc
from .context import Call, Reply
from .errors import invalid, not_found
from .handlers_drive import file_json, permission_id
from .handlers_token import issue
from .models import SPREADSHEET_MIME, DriveFile, Fault, Hook, now_rfc3339
from .render import spreadsheet_json
from .resources import create_spreadsheet

HOOK_TRIGGERS = (
    "batchUpdate",
    "values.update",
    "values.batchUpdate",
    "values.append",
    "values.clear",
    "any_write",
)


def reset(call: Call) -> Reply:
    call.state.reset()
    return Reply(body={"reset": True})


def _fault_json(fault: Fault) -> dict[str, Any]:
    out: dict[str, Any] = {"status": fault.status}
    for key in ("count", "rate", "method", "path_contains", "retry_after"):
        value = getattr(fault, key)
        if value is not None:
            out[key] = value
    if fault.lost_reply:
        out["lost_reply"] = True
    return out


def add_fault(call: Call) -> Reply:
    body = call.json_body()
    lost = bool(body.get("lost_reply"))
    status = int(body.get("status", 503))
    if status not in (429, 500, 503) and not lost:
        raise invalid("status must be 429, 500 or 503")
    count = body.get("count")
    rate = body.get("rate")
    if count is None and rate is None:
        count = 1
    if rate is not None and not 0 <= float(rate) <= 1:
        raise invalid("rate must be between 0 and 1")
    fault = Fault(
        status=status,
        count=None if count is None else int(count),
        rate=None if rate is None else float(rate),
        lost_reply=lost,
        method=body.get("method"),
        path_contains=body.get("path_contains"),
        retry_after=None if body.get("retry_after") is None else float(body["retry_after"]),
        rng=random.Random(body.get("seed")),
    )
    call.state.faults.append(fault)
    return Reply(body={"faults": [_fault_json(f) for f in call.state.faults]})


def list_faults(call: Call) -> Reply:
    return Reply(body={"faults": [_fault_json(f) for f in call.state.faults]})


def clear_faults(call: Call) -> Reply:
    call.state.faults.clear()
    return Reply(body={"faults": []})


def set_latency(call: Call) -> Reply:
    ms = float(call.json_body().get("ms", 0))
    if ms < 0:
        raise invalid("ms must not be negative")
    call.state.latency_ms = ms
    return Reply(body={"ms": ms})


def get_latency(call: Call) -> Reply:
    return Reply(body={"ms": call.state.latency_ms})


def get_log(call: Call) -> Reply:
    return Reply(body={"requests": [entry.as_json() for entry in call.state.log]})


def clear_log(call: Call) -> Reply:
    call.state.log.clear()
    return Reply(body={"requests": []})


def add_hook(call: Call) -> Reply:
    body = call.json_body()
    spreadsheet_id = body.get("spreadsheet_id")
    if not spreadsheet_id:
        raise invalid("spreadsheet_id is required")
    before = str(body.get("before", "any_write"))
    if before not in HOOK_TRIGGERS:
        raise invalid(f"before must be one of {', '.join(HOOK_TRIGGERS)}")
    requests = body.get("requests")
    if not isinstance(requests, list) or not requests:
        raise invalid("requests must be a non-empty list of batchUpdate requests")
    call.state.hooks.append(
        Hook(str(spreadsheet_id), before, requests, bool(body.get("once", True)))
    )
    return Reply(body={"hooks": len(call.state.hooks)})


def list_hooks(call: Call) -> Reply:
    hooks = [
        {
            "spreadsheet_id": h.spreadsheet_id,
            "before": h.before,
            "requests": h.requests,
            "once": h.once,
        }
        for h in call.state.hooks
    ]
    return Reply(body={"hooks": hooks})


def clear_hooks(call: Call) -> Reply:
    call.state.hooks.clear()
    return Reply(body={"hooks": []})


def seed_file(call: Call) -> Reply:
    """A file owned by someone else, e.g. a spreadsheet not shared with the caller.

    {"owner", "name", "mime_type", "shared_with": [emails], "role", "shared_drive": id,
    "id"}: with `shared_drive`, the file (say a folder) lives in that shared drive, where
    service accounts among its members may create files; `id` gives the file a known id
    (a folder a recording names, say)."""
    body = call.json_body()
    file_id = str(body["id"]) if body.get("id") else None
    if file_id is not None and file_id in call.state.files:
        raise invalid(f"a file {file_id} exists already")
    owner = str(body.get("owner") or "someone@example.com")
    mime_type = str(body.get("mime_type") or SPREADSHEET_MIME)
    name = str(body.get("name") or "Untitled spreadsheet")
    state = call.state
    if mime_type == SPREADSHEET_MIME:
        _, drive_file = create_spreadsheet(state, name, owner, file_id=file_id)
    else:
        stamp = now_rfc3339()
        drive_file = DriveFile(file_id or state.new_file_id(), name, mime_type, owner, stamp,
                               stamp)
        state.files[drive_file.id] = drive_file
    if body.get("shared_drive"):
        drive_file.drive_id = str(body["shared_drive"])
    for email in body.get("shared_with") or []:
        drive_file.permissions.append(
            {
                "id": permission_id(str(email)),
                "type": "user",
                "role": str(body.get("role", "writer")),
                "emailAddress": str(email),
                "displayName": str(email).split("@")[0],
            }
        )
    return Reply(body={"id": drive_file.id, **file_json(drive_file, owner)})


def list_files(call: Call) -> Reply:
    """Every Drive file, whoever owns it."""
    files = [{"id": f.id, "name": f.name, "mime_type": f.mime_type, "owner": f.owner,
              "shared_drive": f.drive_id} for f in call.state.files.values()]
    return Reply(body={"files": files})


def mint_token(call: Call) -> Reply:
    """An access token for any identity, without a JWT (handy for raw HTTP tests)."""
    identity = call.json_body().get("identity")
    if not identity:
        raise invalid("identity is required")
    return Reply(body={"access_token": issue(call, str(identity)), "identity": identity})


ECHO_MODES = ("as_sent", "bounded")


def _echo_json(call: Call) -> dict[str, Any]:
    return {"ranges": call.state.echo_ranges, "spreadsheets": dict(call.state.echo_by_spreadsheet)}


def set_echo(call: Call) -> Reply:
    """How spreadsheets.get echoes conditional-format and protected ranges.

    {"ranges": "as_sent" | "bounded"} for the server, with "spreadsheet_id" for one file
    (a per-file choice wins over the server's).
    """
    body = call.json_body()
    mode = body.get("ranges")
    if mode not in ECHO_MODES:
        raise invalid("ranges must be as_sent or bounded")
    spreadsheet_id = body.get("spreadsheet_id")
    if spreadsheet_id:
        call.state.echo_by_spreadsheet[str(spreadsheet_id)] = str(mode)
    else:
        call.state.echo_ranges = str(mode)
    return Reply(body=_echo_json(call))


def get_echo(call: Call) -> Reply:
    return Reply(body=_echo_json(call))


def certs(call: Call) -> Reply:
    """The certificates that verify this emulator's ID tokens (Google's certs format)."""
    return Reply(body=id_tokens.certificates())


def mint_id_token(call: Call) -> Reply:
    """An ID token as Google signs for a Workspace add-on: {"audience", "email"} in."""
    body = call.json_body()
    audience, email = body.get("audience"), body.get("email")
    if not audience or not email:
        raise invalid("audience and email are required")
    return Reply(body={"id_token": id_tokens.id_token(str(audience), str(email))})


def spreadsheet_state(call: Call) -> Reply:
    spreadsheet = call.state.spreadsheets.get(call.params["spreadsheetId"])
    if spreadsheet is None:
        raise not_found()
    data = {s.sheet_id: [Rect()] for s in spreadsheet.sheets}
    return Reply(body=spreadsheet_json(Calc(spreadsheet), data=data))


def _html(text: str, status: int = 200) -> Reply:
    return Reply(status=status, body=text.encode("utf-8"), content_type="text/html; charset=utf-8")


def index_page(call: Call) -> Reply:
    return _html(page.index_html(call.state, call.headers.get("host")))


def view_page(call: Call) -> Reply:
    spreadsheet_id = call.params["spreadsheetId"]
    text = page.view_html(call.state, spreadsheet_id)
    if text is None:
        return _html(page.missing_html(spreadsheet_id), 404)
    return _html(text)
