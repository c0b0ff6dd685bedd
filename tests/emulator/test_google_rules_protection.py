"""Protected ranges refuse writes by anyone but their editors and the file's owner.

Google's reply: 400 INVALID_ARGUMENT "You are trying to edit a protected cell or object.
Please contact the spreadsheet owner to remove protection if you need to edit."
(https://github.com/theoephraim/node-google-spreadsheet/pull/20); nothing of the request is
applied.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from sheets_emulator import EmulatorAdapter, EmulatorState
from sheets_emulator.protection import PROTECTED_MESSAGE

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE = "https://www.googleapis.com/drive/v3/files"
OWNER, EDITOR, OTHER = "owner@example.com", "editor@example.com", "other@example.com"


class Person:
    def __init__(self, state: EmulatorState, email: str) -> None:
        token = f"ya29.test-{email}"
        state.tokens[token] = email
        self.http = EmulatorAdapter(state).mount_google(requests.Session())
        self.http.headers["Authorization"] = f"Bearer {token}"

    def raw(self, method: str, url: str, body: Any = None, **params: Any) -> requests.Response:
        return self.http.request(method, url, json=body, params=params)

    def __call__(self, method: str, url: str, body: Any = None, **params: Any) -> Any:
        reply = self.raw(method, url, body, **params)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def put(self, sid: str, rng: str, values: list[list[Any]]) -> requests.Response:
        return self.raw(
            "PUT", f"{SHEETS}/{sid}/values/{rng}", {"values": values}, valueInputOption="RAW"
        )

    def batch(self, sid: str, *reqs: dict[str, Any]) -> requests.Response:
        return self.raw("POST", f"{SHEETS}/{sid}:batchUpdate", {"requests": list(reqs)})


@pytest.fixture
def people(state: EmulatorState) -> dict[str, Person]:
    return {email: Person(state, email) for email in (OWNER, EDITOR, OTHER)}


@pytest.fixture
def sid(people: dict[str, Person]) -> str:
    owner = people[OWNER]
    sid = str(owner("POST", SHEETS, {"properties": {"title": "Protected"}})["spreadsheetId"])
    for email in (EDITOR, OTHER):
        owner(
            "POST",
            f"{DRIVE}/{sid}/permissions",
            {"type": "user", "role": "writer", "emailAddress": email},
            sendNotificationEmail="false",
        )
    protect = {
        "addProtectedRange": {
            "protectedRange": {
                "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                "description": "header",
                "editors": {"users": [OWNER, EDITOR]},
            }
        }
    }
    warn = {
        "addProtectedRange": {
            "protectedRange": {
                "range": {"sheetId": 0, "startRowIndex": 5, "endRowIndex": 6},
                "warningOnly": True,
            }
        }
    }
    assert owner.batch(sid, protect, warn).status_code == 200
    return sid


def _refused(reply: requests.Response) -> None:
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"] == {
        "code": 400,
        "message": PROTECTED_MESSAGE,
        "status": "INVALID_ARGUMENT",
    }


def _values(person: Person, sid: str, rng: str) -> Any:
    return person("GET", f"{SHEETS}/{sid}/values/{rng}").get("values")


def test_values_writes_by_a_non_editor_are_refused(people: dict[str, Person], sid: str) -> None:
    other = people[OTHER]
    _refused(other.put(sid, "Sheet1!A1", [["x"]]))
    _refused(
        other.raw(
            "POST",
            f"{SHEETS}/{sid}/values:batchUpdate",
            {
                "valueInputOption": "RAW",
                "data": [
                    {"range": "Sheet1!A3", "values": [["fine"]]},
                    {"range": "Sheet1!B1", "values": [["no"]]},
                ],
            },
        )
    )
    _refused(
        other.raw(
            "POST",
            f"{SHEETS}/{sid}/values/Sheet1!A1:append",
            {"values": [["x"]]},
            valueInputOption="RAW",
        )
    )
    _refused(other.raw("POST", f"{SHEETS}/{sid}/values/Sheet1!A1:B2:clear", {}))
    assert _values(other, sid, "Sheet1!A1:B3") is None
    assert other.put(sid, "Sheet1!A2", [["below"]]).status_code == 200
    assert other.put(sid, "Sheet1!A6", [["warned only"]]).status_code == 200


def test_editors_and_the_owner_may_write(people: dict[str, Person], sid: str) -> None:
    assert people[EDITOR].put(sid, "Sheet1!A1", [["editor"]]).status_code == 200
    assert people[OWNER].put(sid, "Sheet1!B1", [["owner"]]).status_code == 200
    assert _values(people[OWNER], sid, "Sheet1!A1:B1") == [["editor", "owner"]]


def test_batch_cell_writes_are_refused_and_nothing_applied(
    people: dict[str, Person], sid: str
) -> None:
    other = people[OTHER]
    fine = {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 2, "columnIndex": 0},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": "fine"}}]}],
            "fields": "userEnteredValue",
        }
    }
    into = {
        "repeatCell": {
            "range": {
                "sheetId": 0,
                "startRowIndex": 0,
                "endRowIndex": 1,
                "startColumnIndex": 0,
                "endColumnIndex": 2,
            },
            "cell": {"userEnteredValue": {"stringValue": "no"}},
            "fields": "userEnteredValue",
        }
    }
    _refused(other.batch(sid, fine, into))
    assert _values(other, sid, "Sheet1!A1:A3") is None
    start_in = {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 3},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": "no"}}]}],
            "fields": "userEnteredValue",
        }
    }
    _refused(other.batch(sid, start_in))
    paste = {
        "copyPaste": {
            "source": {
                "sheetId": 0,
                "startRowIndex": 2,
                "endRowIndex": 3,
                "startColumnIndex": 0,
                "endColumnIndex": 1,
            },
            "destination": {
                "sheetId": 0,
                "startRowIndex": 0,
                "endRowIndex": 1,
                "startColumnIndex": 0,
                "endColumnIndex": 1,
            },
        }
    }
    _refused(other.batch(sid, paste))
    assert other.batch(sid, fine).status_code == 200
    assert people[EDITOR].batch(sid, into).status_code == 200
