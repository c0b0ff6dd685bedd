"""The emulator over HTTP: gspread through a real socket, and the /_emulator/ test controls."""

from __future__ import annotations

import http.client
import json
import time
from typing import Any

import pytest
import requests

from sheets_emulator import RunningEmulator

from .helpers import PERSON, Admin, credentials, http_client


class Api:
    """Raw Sheets/Drive calls to the running emulator with one bearer token."""

    def __init__(self, url: str, token: str = "any-token") -> None:
        self.url = url
        self.http = requests.Session()
        self.http.trust_env = False
        self.http.headers["Authorization"] = f"Bearer {token}"

    def __call__(
        self, method: str, path: str, body: Any = None, **params: Any
    ) -> requests.Response:
        return self.http.request(method, self.url + path, json=body, params=params, timeout=10)

    def create(self, title: str = "Test") -> str:
        reply = self(
            "POST",
            "/drive/v3/files",
            {"name": title, "mimeType": "application/vnd.google-apps.spreadsheet"},
        )
        assert reply.status_code == 200, reply.text
        return str(reply.json()["id"])

    def put(self, sid: str, rng: str, values: list[list[Any]]) -> requests.Response:
        return self(
            "PUT",
            f"/v4/spreadsheets/{sid}/values/{rng}",
            {"values": values},
            valueInputOption="RAW",
        )

    def values(self, sid: str, rng: str) -> Any:
        return self("GET", f"/v4/spreadsheets/{sid}/values/{rng}").json().get("values")


@pytest.fixture
def api(server: RunningEmulator, admin: Admin) -> Api:
    return Api(server.url)


def test_gspread_over_http_with_token_uri_pointing_at_the_emulator(
    server: RunningEmulator, admin: Admin, private_key_pem: str
) -> None:
    creds = credentials(private_key_pem, token_uri=f"{server.url}/token").with_subject(PERSON)
    gc = http_client(server.url, creds)
    spreadsheet = gc.create("Over HTTP")
    spreadsheet.sheet1.update([["x", 1]], "A1")
    assert spreadsheet.sheet1.get_all_values() == [["x", "1"]]
    assert server.state.files[spreadsheet.id].owner == PERSON
    paths = [r["path"] for r in admin("GET", "log")["requests"]]
    assert paths[0] == "/token" and "/drive/v3/files" in paths


def test_a_known_identity_is_refused_a_file_owned_by_someone_else(
    server: RunningEmulator, admin: Admin, private_key_pem: str
) -> None:
    seeded = admin("POST", "files", {"name": "Secret", "owner": "someone@example.com"})
    gc = http_client(server.url, credentials(private_key_pem))
    with pytest.raises(PermissionError):
        gc.open_by_key(seeded["id"])
    denied = Api(server.url, gc.http_client.session.credentials.token)(
        "GET", f"/drive/v3/files/{seeded['id']}"
    )
    assert denied.status_code == 403
    assert denied.json()["error"]["status"] == "PERMISSION_DENIED"
    anonymous = Api(server.url)("GET", f"/v4/spreadsheets/{seeded['id']}")
    assert anonymous.status_code == 200


def test_fault_count_answers_429_with_retry_after_then_recovers(api: Api, admin: Admin) -> None:
    sid = api.create()
    admin("POST", "faults", {"status": 429, "count": 2, "retry_after": 3})
    first = api("GET", f"/v4/spreadsheets/{sid}")
    assert first.status_code == 429
    assert first.headers["Retry-After"] == "3"
    error = first.json()["error"]
    assert (error["code"], error["status"]) == (429, "RESOURCE_EXHAUSTED")
    assert error["message"].startswith("Quota exceeded for quota metric 'Read requests'")
    assert api("GET", f"/v4/spreadsheets/{sid}").status_code == 429
    assert api("GET", f"/v4/spreadsheets/{sid}").status_code == 200
    assert admin("GET", "faults") == {"faults": []}


def test_fault_filters_pick_the_method_and_path(api: Api, admin: Admin) -> None:
    sid = api.create()
    admin(
        "POST",
        "faults",
        {"status": 500, "count": 1, "method": "POST", "path_contains": ":batchUpdate"},
    )
    assert api("GET", f"/v4/spreadsheets/{sid}").status_code == 200
    body = {"requests": [{"addSheet": {"properties": {"title": "New"}}}]}
    failed = api("POST", f"/v4/spreadsheets/{sid}:batchUpdate", body)
    assert failed.status_code == 500 and failed.json()["error"]["status"] == "INTERNAL"
    assert api("POST", f"/v4/spreadsheets/{sid}:batchUpdate", body).status_code == 200


def test_fault_rate_is_reproducible_with_a_seed(api: Api, admin: Admin) -> None:
    sid = api.create()

    def pattern() -> list[int]:
        admin("DELETE", "faults")
        admin("POST", "faults", {"status": 503, "rate": 0.3, "seed": 1})
        return [api("GET", f"/v4/spreadsheets/{sid}").status_code for _ in range(30)]

    first = pattern()
    assert first == pattern()
    assert set(first) == {200, 503} and 3 <= first.count(503) <= 18


def test_lost_reply_applies_the_write_then_answers_503(api: Api, admin: Admin) -> None:
    sid = api.create()
    admin("POST", "faults", {"lost_reply": True, "count": 1, "retry_after": 0.5})
    assert api("GET", f"/v4/spreadsheets/{sid}").status_code == 200
    lost = api.put(sid, "A1", [["written"]])
    assert lost.status_code == 503 and lost.headers["Retry-After"] == "0.5"
    assert lost.json()["error"]["status"] == "UNAVAILABLE"
    assert api.values(sid, "A1") == [["written"]]
    assert api.put(sid, "A2", [["next"]]).status_code == 200


def test_latency_delays_api_requests_but_not_controls(api: Api, admin: Admin) -> None:
    sid = api.create()
    admin("POST", "latency", {"ms": 150})
    started = time.perf_counter()
    assert api("GET", f"/v4/spreadsheets/{sid}").status_code == 200
    slow = time.perf_counter() - started
    started = time.perf_counter()
    admin("GET", "log")
    fast = time.perf_counter() - started
    admin("POST", "latency", {"ms": 0})
    assert 0.15 <= slow < 1.0
    assert fast < 0.1


def test_log_records_api_traffic_with_sizes_and_can_be_cleared(api: Api, admin: Admin) -> None:
    sid = api.create()
    admin("DELETE", "log")
    sent_at = time.time()
    reply = api.put(sid, "A1:B1", [["a", "b"]])
    admin("GET", "faults")
    entries = admin("GET", "log")["requests"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["method"] == "PUT" and entry["status"] == 200
    assert entry["path"] == f"/v4/spreadsheets/{sid}/values/A1:B1"
    assert entry["query"] == "valueInputOption=RAW"
    assert entry["request_bytes"] == len(reply.request.body)
    assert entry["response_bytes"] == len(reply.content)
    assert entry["seconds"] >= 0 and entry["valid"] in (True, None)
    assert sent_at - 1 <= entry["received"] <= time.time()
    admin("DELETE", "log")
    assert admin("GET", "log") == {"requests": []}


def test_hook_applies_a_teammate_edit_between_read_and_write(api: Api, admin: Admin) -> None:
    sid = api.create()
    api.put(sid, "A1:A2", [["header"], ["row 1"]])
    seen = api.values(sid, "A1:B3")
    admin(
        "POST",
        "hooks",
        {
            "spreadsheet_id": sid,
            "before": "batchUpdate",
            "once": True,
            "requests": [
                {
                    "insertDimension": {
                        "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}
                    }
                }
            ],
        },
    )
    api.put(sid, "C1", [["not a batchUpdate"]])
    assert api.values(sid, "A1:A3") == seen
    write = {
        "requests": [
            {
                "updateCells": {
                    "rows": [{"values": [{"userEnteredValue": {"stringValue": "mine"}}]}],
                    "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 1},
                    "fields": "userEnteredValue",
                }
            }
        ]
    }
    assert api("POST", f"/v4/spreadsheets/{sid}:batchUpdate", write).status_code == 200
    assert api.values(sid, "A1:B3") == [["header"], ["", "mine"], ["row 1"]]
    assert admin("GET", "hooks") == {"hooks": []}
    assert api("POST", f"/v4/spreadsheets/{sid}:batchUpdate", write).status_code == 200
    assert api.values(sid, "A1:A3") == [["header"], [], ["row 1"]]


def test_hook_any_write_fires_before_a_values_update(api: Api, admin: Admin) -> None:
    sid = api.create()
    admin(
        "POST",
        "hooks",
        {
            "spreadsheet_id": sid,
            "before": "any_write",
            "requests": [
                {
                    "updateCells": {
                        "rows": [{"values": [{"userEnteredValue": {"stringValue": "theirs"}}]}],
                        "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                        "fields": "userEnteredValue",
                    }
                }
            ],
        },
    )
    api.put(sid, "B1", [["mine"]])
    assert api.values(sid, "A1:B1") == [["theirs", "mine"]]


def test_reset_forgets_everything(api: Api, admin: Admin) -> None:
    sid = api.create()
    admin("POST", "faults", {"status": 503, "count": 5})
    admin("POST", "reset")
    assert admin("GET", "faults") == {"faults": []}
    assert api("GET", f"/v4/spreadsheets/{sid}").status_code == 404


def test_state_endpoint_and_pages(api: Api, admin: Admin, server: RunningEmulator) -> None:
    sid = api.create("Shown <here>")
    api.put(sid, "A1", [["cell"]])
    state = admin("GET", f"state/{sid}")
    cell = state["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell["formattedValue"] == "cell"
    page = requests.get(server.url + "/", timeout=10)
    assert page.status_code == 200 and f"/view/{sid}" in page.text
    assert "Shown &lt;here&gt;" in page.text
    assert requests.get(f"{server.url}/view/{sid}", timeout=10).status_code == 200


def test_errors_have_googles_shape(api: Api, admin: Admin) -> None:
    missing = api("GET", "/v4/spreadsheets/nope")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
    }
    unauthenticated = requests.get(api.url + "/v4/spreadsheets/nope", timeout=10)
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["error"]["status"] == "UNAUTHENTICATED"
    bad_token = requests.post(api.url + "/token", data={"grant_type": "refresh_token"}, timeout=10)
    assert bad_token.status_code == 400 and bad_token.json()["error"] == "invalid_request"


def test_small_requests_on_one_keep_alive_connection_are_fast(
    api: Api, server: RunningEmulator
) -> None:
    sid = api.create()
    host, port = server.host_port.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = {"Authorization": "Bearer t"}
    connection.request("GET", f"/v4/spreadsheets/{sid}?fields=spreadsheetId", headers=headers)
    connection.getresponse().read()
    sock = connection.sock
    started = time.perf_counter()
    for _ in range(50):
        body = json.dumps({"values": [["x"]]})
        connection.request(
            "PUT",
            f"/v4/spreadsheets/{sid}/values/A1?valueInputOption=RAW",
            body=body,
            headers={**headers, "Content-Type": "application/json"},
        )
        reply = connection.getresponse()
        assert reply.status == 200
        reply.read()
    elapsed = time.perf_counter() - started
    assert connection.sock is sock, "the connection was not kept alive"
    connection.close()
    assert elapsed < 1.0, f"50 requests took {elapsed:.3f}s"
