"""The echo switch: conditional-format and protected ranges echoed as sent or bounded."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from sheets_emulator import EmulatorAdapter, EmulatorState, RunningEmulator

from .helpers import Admin

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"

RULE = {
    "addConditionalFormatRule": {
        "index": 0,
        "rule": {
            "ranges": [
                {"sheetId": 0, "startRowIndex": 1, "startColumnIndex": 2, "endColumnIndex": 3}
            ],
            "booleanRule": {
                "condition": {"type": "NUMBER_GREATER", "values": [{"userEnteredValue": "5"}]},
                "format": {"textFormat": {"bold": True}},
            },
        },
    }
}
PROTECT = {
    "addProtectedRange": {
        "protectedRange": {
            "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
            "warningOnly": True,
        }
    }
}


def _client(session: requests.Session) -> Any:
    session.headers["Authorization"] = "Bearer test-token"

    def call(method: str, url: str, body: Any = None, **params: Any) -> Any:
        reply = session.request(method, url, json=body, params=params)
        assert reply.status_code == 200, reply.text
        return reply.json()

    return call


def _make(api: Any) -> str:
    sid = str(api("POST", SHEETS, {"properties": {"title": "Echo"}})["spreadsheetId"])
    api("POST", f"{SHEETS}/{sid}:batchUpdate", {"requests": [RULE, PROTECT]})
    return sid


def _ranges(api: Any, sid: str) -> tuple[dict[str, Any], dict[str, Any]]:
    sheet = api("GET", f"{SHEETS}/{sid}", fields="sheets(conditionalFormats,protectedRanges)")[
        "sheets"
    ][0]
    return sheet["conditionalFormats"][0]["ranges"][0], sheet["protectedRanges"][0]["range"]


@pytest.fixture
def api(state: EmulatorState) -> Any:
    return _client(EmulatorAdapter(state).mount_google(requests.Session()))


def test_as_sent_is_the_default(api: Any) -> None:
    rule, protected = _ranges(api, _make(api))
    assert rule == {"startRowIndex": 1, "startColumnIndex": 2, "endColumnIndex": 3}
    assert protected == {"startRowIndex": 0, "endRowIndex": 1}


def test_bounded_per_server_and_per_spreadsheet(server: RunningEmulator, admin: Admin) -> None:
    from sheets_emulator import ForwardingAdapter

    api = _client(ForwardingAdapter(server.url).mount_google(requests.Session()))
    first, second = _make(api), _make(api)
    assert admin("POST", "echo", {"ranges": "bounded"})["ranges"] == "bounded"
    rule, protected = _ranges(api, first)
    assert rule == {
        "startRowIndex": 1,
        "endRowIndex": 1000,
        "startColumnIndex": 2,
        "endColumnIndex": 3,
    }
    assert protected == {"startRowIndex": 0, "endRowIndex": 1, "endColumnIndex": 26}
    admin("POST", "echo", {"ranges": "as_sent", "spreadsheet_id": second})
    assert "endRowIndex" not in _ranges(api, second)[0]
    assert _ranges(api, first)[0]["endRowIndex"] == 1000
    assert admin("GET", "echo") == {"ranges": "bounded", "spreadsheets": {second: "as_sent"}}
    admin("POST", "reset")
    assert admin("GET", "echo") == {"ranges": "as_sent", "spreadsheets": {}}


def test_unknown_mode_is_refused(server: RunningEmulator, admin: Admin) -> None:
    reply = admin.http.post(f"{server.url}/_emulator/echo", json={"ranges": "open"}, timeout=10)
    assert reply.status_code == 400
