"""The emulator's controls and token routes answer only to this machine: a request whose Host
is not loopback (DNS rebinding) or whose Origin is another site (a web page) gets 403 and
changes nothing; the Sheets and Drive routes answer as before."""

from __future__ import annotations

import http.client
import json
from typing import Any

import pytest
import requests

from sheets_emulator import RunningEmulator

from .helpers import Admin


def _port(server: RunningEmulator) -> int:
    return int(server.host_port.rsplit(":", 1)[1])


def _send(server: RunningEmulator, method: str, path: str, headers: dict[str, str],
          body: Any = None) -> requests.Response:
    session = requests.Session()
    session.trust_env = False
    return session.request(method, server.url + path, headers=headers, json=body, timeout=10)


def _seeded(admin: Admin) -> str:
    return str(admin("POST", "files", {"owner": "owner@example.com", "name": "Kept"})["id"])


def _exists(admin: Admin, file_id: str) -> bool:
    reply = admin.http.get(f"{admin.url}/_emulator/state/{file_id}", timeout=10)
    return reply.status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1",
                                  "localhost.evil.example:{port}", "127.0.0.2:{port}"])
def test_a_foreign_host_cannot_reset_the_emulator(server: RunningEmulator, admin: Admin,
                                                  host: str) -> None:
    kept = _seeded(admin)
    reply = _send(server, "POST", "/_emulator/reset", {"Host": host.format(port=_port(server))})
    assert reply.status_code == 403
    error = reply.json()["error"]
    assert error["status"] == "PERMISSION_DENIED" and "Host" in error["message"]
    assert _exists(admin, kept), "a refused reset must change nothing"


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_every_loopback_name_with_the_servers_port_reaches_the_controls(
        server: RunningEmulator, admin: Admin, name: str) -> None:
    reply = _send(server, "GET", "/_emulator/log", {"Host": f"{name}:{_port(server)}"})
    assert reply.status_code == 200 and "requests" in reply.json()


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://127.0.0.1.evil.example",
                                    "file://"])
def test_a_web_page_of_another_site_cannot_mint_tokens(server: RunningEmulator, admin: Admin,
                                                       origin: str) -> None:
    host = {"Host": f"127.0.0.1:{_port(server)}", "Origin": origin}
    for path, body in (("/_emulator/tokens", {"identity": "eve@example.com"}),
                       ("/_emulator/id-token", {"audience": "x"})):
        reply = _send(server, "POST", path, host, body)
        assert reply.status_code == 403, path
        assert "Origin" in reply.json()["error"]["message"]
        assert "access_token" not in reply.text and "id_token" not in reply.text


def test_a_loopback_origin_reaches_the_controls(server: RunningEmulator, admin: Admin) -> None:
    reply = _send(server, "POST", "/_emulator/tokens", {
        "Host": f"localhost:{_port(server)}", "Origin": "http://localhost:3000"},
        {"identity": "tester@example.com"})
    assert reply.status_code == 200 and reply.json()["access_token"]


def test_the_token_route_is_guarded_too(server: RunningEmulator, admin: Admin) -> None:
    form = {"grant_type": "refresh_token"}
    session = requests.Session()
    session.trust_env = False
    foreign = session.post(server.url + "/token", data=form, timeout=10,
                           headers={"Host": "evil.example"})
    assert foreign.status_code == 403
    cross_site = session.post(server.url + "/token", data=form, timeout=10,
                              headers={"Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    local = session.post(server.url + "/token", data=form, timeout=10)
    assert local.status_code == 400 and local.json()["error"] == "invalid_request"


def test_two_host_headers_are_refused(server: RunningEmulator, admin: Admin) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", _port(server), timeout=10)
    try:
        connection.putrequest("GET", "/_emulator/log", skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{_port(server)}")
        connection.putheader("Host", "evil.example")
        connection.endheaders()
        reply = connection.getresponse()
        assert reply.status == 403
        assert json.loads(reply.read())["error"]["code"] == 403
    finally:
        connection.close()


def test_sheets_and_drive_routes_answer_as_google_does(server: RunningEmulator,
                                                       admin: Admin) -> None:
    token = admin("POST", "tokens", {"identity": "owner@example.com"})["access_token"]
    kept = _seeded(admin)
    headers = {"Host": "sheets.googleapis.com", "Origin": "https://docs.google.com",
               "Authorization": f"Bearer {token}"}
    found = _send(server, "GET", f"/v4/spreadsheets/{kept}", headers)
    assert found.status_code == 200 and found.json()["properties"]["title"] == "Kept"
    anonymous = _send(server, "GET", "/drive/v3/files", {"Host": "evil.example"})
    assert anonymous.status_code == 401
