"""Unquoted names in A1 ranges read as Google reads them, and an emulator bug is a 500.

Sources: https://developers.google.com/workspace/sheets/api/guides/concepts (A1 notation),
https://github.com/robin900/gspread-dataframe/issues/54 (CRM26 read as a cell),
https://github.com/urbancups/node-sheets/issues/5 (D001 read as cell D1 of the first sheet),
https://github.com/googleapis/google-api-php-client/issues/2048 (500 INTERNAL).
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests

from sheets_emulator import EmulatorAdapter, EmulatorState
from sheets_emulator import batch as batch_module

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


class Client:
    def __init__(self, state: EmulatorState) -> None:
        self.http = EmulatorAdapter(state).mount_google(requests.Session())
        self.http.headers["Authorization"] = "Bearer test-token"

    def raw(self, method: str, url: str, body: Any = None, **params: Any) -> requests.Response:
        return self.http.request(method, url, json=body, params=params)

    def __call__(self, method: str, url: str, body: Any = None, **params: Any) -> Any:
        reply = self.raw(method, url, body, **params)
        assert reply.status_code == 200, reply.text
        return reply.json()


@pytest.fixture
def api(state: EmulatorState) -> Client:
    return Client(state)


def _sheet(title: str, rows: int = 20, cols: int = 20, hidden: bool = False) -> dict[str, Any]:
    props: dict[str, Any] = {
        "title": title,
        "gridProperties": {"rowCount": rows, "columnCount": cols},
    }
    if hidden:
        props["hidden"] = True
    return {"properties": props}


@pytest.fixture
def sid(api: Client) -> str:
    body = {
        "properties": {"title": "Ranges"},
        "sheets": [_sheet("Hidden", hidden=True), _sheet("Main"), _sheet("Q3"), _sheet("Totals")],
    }
    sid = str(api("POST", SHEETS, body)["spreadsheetId"])
    for title, text in (("Main", "main"), ("Q3", "q3"), ("Totals", "totals")):
        api(
            "PUT",
            f"{SHEETS}/{sid}/values/'{title}'!A1",
            {"values": [[text]]},
            valueInputOption="RAW",
        )
    api(
        "PUT", f"{SHEETS}/{sid}/values/'Main'!Q3", {"values": [["main q3"]]}, valueInputOption="RAW"
    )
    return sid


def _get(api: Client, sid: str, rng: str) -> Any:
    return api("GET", f"{SHEETS}/{sid}/values/{rng}")


def test_unquoted_cell_like_title_is_a_cell_of_the_first_visible_sheet(
    api: Client, sid: str
) -> None:
    got = _get(api, sid, "Q3")
    assert got["range"] == "Main!Q3"
    assert got["values"] == [["main q3"]]


def test_quoted_title_is_always_the_sheet(api: Client, sid: str) -> None:
    got = _get(api, sid, "'Q3'")
    assert got["range"].startswith("'Q3'!A1")
    assert got["values"] == [["q3"]]
    assert _get(api, sid, "'Q3'!A1")["values"] == [["q3"]]


def test_unquoted_cell_like_title_before_bang_is_not_a_sheet(api: Client, sid: str) -> None:
    reply = api.raw("GET", f"{SHEETS}/{sid}/values/Q3!A1")
    assert reply.status_code == 400
    assert reply.json()["error"]["message"] == "Unable to parse range: Q3!A1"
    assert reply.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_cell_like_name_beyond_the_grid_exceeds_grid_limits(api: Client, sid: str) -> None:
    reply = api.raw("GET", f"{SHEETS}/{sid}/values/CRM26")
    assert reply.status_code == 400
    assert "exceeds grid limits" in reply.json()["error"]["message"]


def test_named_range_wins_over_unquoted_title(api: Client, sid: str) -> None:
    meta = api("GET", f"{SHEETS}/{sid}", fields="sheets.properties(title,sheetId)")
    main = next(
        s["properties"]["sheetId"] for s in meta["sheets"] if s["properties"]["title"] == "Main"
    )
    named = {
        "addNamedRange": {
            "namedRange": {
                "name": "Totals",
                "range": {
                    "sheetId": main,
                    "startRowIndex": 2,
                    "endRowIndex": 3,
                    "startColumnIndex": 16,
                    "endColumnIndex": 17,
                },
            }
        }
    }
    api("POST", f"{SHEETS}/{sid}:batchUpdate", {"requests": [named]})
    assert _get(api, sid, "Totals")["values"] == [["main q3"]]
    assert _get(api, sid, "'Totals'")["values"] == [["totals"]]


def test_an_emulator_bug_is_a_500_with_the_traceback_logged(
    api: Client,
    sid: str,
    state: EmulatorState,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(ctx: Any, payload: dict[str, Any]) -> None:
        raise KeyError("startRowIndex")

    monkeypatch.setitem(batch_module.HANDLERS, "updateSheetProperties", broken)
    request = {
        "updateSheetProperties": {"properties": {"sheetId": 0, "title": "X"}, "fields": "title"}
    }
    with caplog.at_level(logging.ERROR, logger="sheets_emulator"):
        reply = api.raw("POST", f"{SHEETS}/{sid}:batchUpdate", {"requests": [request]})
    assert reply.status_code == 500
    assert reply.json()["error"] == {
        "code": 500,
        "message": "Internal error encountered.",
        "status": "INTERNAL",
    }
    assert "KeyError: 'startRowIndex'" in caplog.text
    entry = state.log[-1].as_json()
    assert entry["status"] == 500
    assert "Traceback" in entry["error"] and "KeyError" in entry["error"]
