"""dispatch(): one request in, one reply out; shared by the HTTP server and the requests adapter."""

from __future__ import annotations

import json
import logging
import time
import traceback
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from . import fieldmask, limits
from .access import has_credentials, identity_of
from .context import Call, Reply
from .errors import ApiError, invalid_payload
from .exceptions import DiscoveryUnavailableError
from .models import EmulatorState, Fault, LogEntry
from .normalize import strip_nulls
from .routes import Route, match
from .validation import validate

Response = tuple[int, dict[str, str], bytes]

logger = logging.getLogger("sheets_emulator")

_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}


def _encode(reply: Reply, pretty: bool) -> tuple[dict[str, str], bytes]:
    """The reply's bytes: JSON pretty-printed as Google sends it, unless prettyPrint=false."""
    headers = dict(reply.headers)
    if isinstance(reply.body, bytes):
        data = reply.body
    elif reply.body is None:
        data = b""
    elif pretty:
        data = json.dumps(reply.body, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    else:
        data = json.dumps(reply.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if data or reply.status != 204:
        headers.setdefault("Content-Type", reply.content_type)
    return headers, data


def _error_reply(error: ApiError) -> Reply:
    return Reply(status=error.code, body=error.body())


def _parse_body(raw: bytes, headers: Mapping[str, str]) -> Any:
    if not raw or not raw.strip():
        return None
    content_type = headers.get("content-type", "")
    if "json" not in content_type and raw.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid_payload(f"Invalid JSON payload received. {exc}", "") from None


def _fault_reply(fault: Fault, write: bool) -> Reply:
    code = fault.status
    if code == 429:
        kind = "Write" if write else "Read"
        error = ApiError(
            429,
            f"Quota exceeded for quota metric '{kind} requests' and limit '{kind} requests per "
            f"minute per user' of service 'sheets.googleapis.com' for consumer "
            f"'project_number:000000000000'.",
        )
    else:
        error = ApiError(code)
    reply = _error_reply(error)
    if fault.retry_after is not None:
        value = fault.retry_after
        reply.headers["Retry-After"] = str(int(value)) if float(value).is_integer() else str(value)
    return reply


def _take_fault(
    state: EmulatorState, method: str, path: str, write: bool, lost: bool
) -> Fault | None:
    for fault in list(state.faults):
        if fault.lost_reply != lost or not fault.matches(method, path, write):
            continue
        fired = fault.fires()
        if fault.spent:
            state.faults.remove(fault)
        if fired:
            return fault
    return None


def _run_api(
    state: EmulatorState, route: Route, call: Call, violations: dict[str, Any] | None
) -> Reply:
    if route.api != "oauth" and not has_credentials(call.headers, call.arg("access_token")):
        raise ApiError(401)
    call.identity = identity_of(state, call.headers, call.arg("access_token"))
    if route.api != "oauth" and len(call.raw_body) > limits.REQUEST_BYTES_LIMIT:
        # The front end's payload limit holds for every method, not only batchUpdate.
        raise ApiError(400, limits.REQUEST_BYTES_MESSAGE)
    if route.api != "oauth":
        fault = _take_fault(state, call.method, call.path, route.write, lost=False)
        if fault is not None:
            return _fault_reply(fault, route.write)
    if violations is not None:
        return Reply(status=400, body=violations)
    reply = route.handler(call)
    if route.write and reply.status < 300:
        lost = _take_fault(state, call.method, call.path, route.write, lost=True)
        if lost is not None:
            return _fault_reply(lost, True)
    fields = call.arg("fields")
    if fields and route.api == "sheets" and reply.status == 200 and isinstance(reply.body, dict):
        try:
            reply.body = fieldmask.select(reply.body, fieldmask.parse(fields))
        except fieldmask.MaskError:
            raise ApiError(400, f"Invalid field selection {fields}") from None
    return reply


def dispatch(
    state: EmulatorState,
    method: str,
    path: str,
    query_string: str,
    headers: Mapping[str, str],
    body_bytes: bytes,
) -> Response:
    """Handle one HTTP request; returns (status, headers, body)."""
    received = time.time()
    started = time.perf_counter()
    method = method.upper()
    lowered = {k.lower(): v for k, v in headers.items()}
    query = parse_qs(query_string, keep_blank_values=True)
    route, params = match(method, path)
    api = route is not None and route.api in ("sheets", "drive", "oauth")
    valid: bool | None = None
    error_text: str | None = None
    try:
        body = _parse_body(body_bytes, lowered)
        call = Call(state, method, path, params, query, body, body_bytes, lowered)
        if route is None:
            reply = _error_reply(
                ApiError(404, f"The requested URL {path} was not found on this server.")
            )
        elif not api:
            with state.lock:
                reply = route.handler(call)
        else:
            call.body = strip_nulls(body)
            violations = None
            if route.api != "oauth":
                valid, violations = validate(method, path, query, body)
            if state.latency_ms:
                time.sleep(state.latency_ms / 1000)
            with state.lock:
                reply = _run_api(state, route, call, violations)
    except ApiError as exc:
        reply = _error_reply(exc)
    except DiscoveryUnavailableError as exc:  # a broken install: say what to install
        error_text = traceback.format_exc()
        logger.error("emulator cannot check %s %s: %s", method, path, exc)
        reply = _error_reply(ApiError(500, f"Internal error encountered. ({exc})"))
    except Exception:  # a bug in the emulator: Google's 500 INTERNAL, never the client's fault
        # Google's own reply to a failure on its side: 500, status INTERNAL, "Internal error
        # encountered." (https://github.com/googleapis/google-api-php-client/issues/2048);
        # the traceback goes to the emulator's log and logger, not into the reply.
        error_text = traceback.format_exc()
        logger.error("emulator error on %s %s\n%s", method, path, error_text)
        reply = _error_reply(ApiError(500))
    pretty = (query.get("prettyPrint") or ["true"])[0].lower() not in ("false", "0")
    out_headers, data = _encode(reply, pretty)
    if api or (route is None and not path.startswith("/_emulator/")):
        entry = LogEntry(
            method=method,
            path=path,
            query=query_string,
            request_bytes=len(body_bytes),
            response_bytes=len(data),
            status=reply.status,
            seconds=time.perf_counter() - started,
            valid=valid,
            error=error_text,
            received=received,
        )
        with state.lock:
            state.log.append(entry)
    return reply.status, out_headers, data


def reason(status: int) -> str:
    return _REASONS.get(status, "OK" if status < 400 else "Error")
