"""spreadsheets.batchUpdate: every request applied to a copy, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import limits
from ..errors import RequestError, invalid, invalid_payload
from ..models import EmulatorState, Spreadsheet
from . import cells, dimensions, objects, rules, sheets
from .context import BatchContext

Handler = Callable[[BatchContext, dict[str, Any]], "dict[str, Any] | None"]

HANDLERS: dict[str, Handler] = {
    **sheets.HANDLERS,
    **cells.HANDLERS,
    **dimensions.HANDLERS,
    **rules.HANDLERS,
    **objects.HANDLERS,
}


def run_batch(
    state: EmulatorState, spreadsheet: Spreadsheet, requests: Any, identity: str
) -> tuple[Spreadsheet, list[dict[str, Any]]]:
    """Apply the requests to a clone; the caller swaps the clone in on success.

    Raises ApiError (400) naming the first invalid request; nothing is applied then.
    """
    if not isinstance(requests, list):
        raise invalid_payload(
            "Invalid value at 'requests' (type.googleapis.com/google.apps.sheets.v4.Request)",
            "requests",
        )
    if not requests:
        raise invalid("Invalid requests: Must specify at least one request.")
    # The 10,485,760-byte request limit: https://github.com/jlolling/talendcomp_tGoogleSheet/issues/1
    limits.check_request_size({"requests": requests})
    work = spreadsheet.clone()
    ctx = BatchContext(state, work, identity)
    replies: list[dict[str, Any]] = []
    for i, request in enumerate(requests):
        if not isinstance(request, dict) or not request:
            raise invalid(f"Invalid requests[{i}]: No request set.")
        if len(request) > 1:
            kinds = ", ".join(request)
            raise invalid(
                f"Invalid requests[{i}]: Only one kind of request may be set, got {kinds}."
            )
        kind, payload = next(iter(request.items()))
        handler = HANDLERS.get(kind)
        if handler is None:
            raise invalid_payload(
                f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{i}]': "
                "Cannot find field.",
                f"requests[{i}]",
            )
        if not isinstance(payload, dict):
            raise invalid(f"Invalid requests[{i}].{kind}: expected an object.")
        try:
            result = handler(ctx, payload)
            # 10,000,000 cells, 18,278 columns: https://support.google.com/drive/answer/37603
            limits.check_grid(work)
        except RequestError as exc:
            raise invalid(f"Invalid requests[{i}].{kind}: {exc.message}") from None
        replies.append({} if result is None else {kind: result})
    return work, replies
