"""Reading and committing spreadsheets, with access checks and test hooks."""

from __future__ import annotations

from .access import check_sheets_access
from .batch import run_batch
from .context import Call
from .errors import ApiError, not_found
from .models import ANONYMOUS, EmulatorState, Spreadsheet
from .resources import touch

HOOK_OPERATIONS = {
    "batchUpdate": {"spreadsheets.batchUpdate"},
    "values.update": {"spreadsheets.values.update", "spreadsheets.values.batchUpdate"},
    "values.batchUpdate": {"spreadsheets.values.batchUpdate"},
    "values.append": {"spreadsheets.values.append"},
    "values.clear": {"spreadsheets.values.clear", "spreadsheets.values.batchClear"},
}


def open_spreadsheet(call: Call, spreadsheet_id: str, *, write: bool) -> Spreadsheet:
    state = call.state
    spreadsheet = state.spreadsheets.get(spreadsheet_id)
    if spreadsheet is None:
        raise not_found()
    check_sheets_access(state, spreadsheet_id, call.identity, write=write)
    return spreadsheet


def commit(state: EmulatorState, spreadsheet: Spreadsheet) -> None:
    """Store a (possibly new) version of a spreadsheet and keep its Drive file in step."""
    state.spreadsheets[spreadsheet.id] = spreadsheet
    drive_file = state.files.get(spreadsheet.id)
    if drive_file is not None:
        drive_file.name = spreadsheet.title
    touch(state, spreadsheet.id)


def fire_hooks(state: EmulatorState, spreadsheet_id: str, operation: str) -> None:
    """Apply the edits of hooks waiting for this write, as if made by a teammate just before."""
    for hook in list(state.hooks):
        if hook.spreadsheet_id != spreadsheet_id:
            continue
        if hook.before != "any_write" and operation not in HOOK_OPERATIONS.get(
            hook.before, {hook.before}
        ):
            continue
        if hook.once:
            state.hooks.remove(hook)
        spreadsheet = state.spreadsheets.get(spreadsheet_id)
        if spreadsheet is None:
            continue
        try:
            updated, _ = run_batch(state, spreadsheet, hook.requests, ANONYMOUS)
        except ApiError as exc:
            raise ApiError(500, f"Emulator hook failed: {exc.message}") from None
        commit(state, updated)
