"""The Workspace add-on endpoint against the emulator: Google's event objects in, card JSON
out. The ID tokens are signed here with a generated key whose certificate a local server
publishes, so the verification code runs for real."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask", reason="the add-on needs Flask (pip install 'sheets-sync[addon]')")
import gspread
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask.testing import FlaskClient
from google.auth import crypt, jwt

from sheets_sync.addon import AddonConfig
from sheets_sync.addon.app import create_app
from sheets_sync.backends.gsheets import spreadsheet_key
from sheets_sync.cli import cli
from sheets_sync.errors import ConfigError
from tests.conftest import EXAMPLES
from tests.google_sheets.conftest import Emulator, run_cli
from tests.google_sheets.test_push_google import grid_of

AUDIENCE = "https://benchmark-addon.example.run.app"
ADDON_ACCOUNT = "service-123456789@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"
USER_TOKEN = "ya29.user-oauth-token-never-shown"
KID = "test-key-1"


def _key_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _certificate(key: rsa.RSAPrivateKey) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "accounts.google.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


@dataclass
class Signer:
    certs_url: str
    key_pem: str
    other_key_pem: str

    def token(self, *, pem: str | None = None, **claims: Any) -> str:
        now = int(time.time())
        payload = {"iss": "https://accounts.google.com", "aud": AUDIENCE,
                   "email": ADDON_ACCOUNT, "email_verified": True, "sub": "1234567890",
                   "iat": now, "exp": now + 300, **claims}
        signer = crypt.RSASigner.from_string(pem or self.key_pem, KID)
        return jwt.encode(signer, payload).decode()


@pytest.fixture(scope="session")
def signer() -> Iterator[Signer]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    body = json.dumps({KID: _certificate(key)}).encode()

    class Certs(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Certs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Signer(f"http://127.0.0.1:{server.server_address[1]}/oauth2/v1/certs",
                     _key_pem(key), _key_pem(other))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def addon(emulator: Emulator, signer: Signer) -> FlaskClient:
    config = AddonConfig(audience=AUDIENCE, service_account_email=ADDON_ACCOUNT,
                         certs_url=signer.certs_url)
    return create_app(config).test_client()


def event(key: str | None, inputs: dict[str, str] | None = None,
          file_scope: bool = True) -> dict[str, Any]:
    """An event object as Google sends it to an alternate-runtime Sheets add-on."""
    body: dict[str, Any] = {
        "commonEventObject": {"hostApp": "SHEETS", "platform": "WEB",
                              "userLocale": "en", "timeZone": {"id": "America/New_York",
                                                               "offset": -18000000}},
        "authorizationEventObject": {"userOAuthToken": USER_TOKEN,
                                     "userIdToken": "", "systemIdToken": ""},
        "sheets": {"addonHasFileScopePermission": file_scope},
    }
    if key is not None:
        body["sheets"]["id"] = key
    if inputs:
        body["commonEventObject"]["formInputs"] = {
            name: {"stringInputs": {"value": [value]}} for name, value in inputs.items()}
    return body


def post(addon: FlaskClient, signer: Signer, path: str, body: dict[str, Any],
         token: str | None = None) -> Any:
    reply = addon.post(path, json=body,
                       headers={"Authorization": f"Bearer {token or signer.token()}"})
    assert USER_TOKEN not in reply.get_data(as_text=True)
    return reply


def widgets(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for section in card["sections"] for w in section["widgets"]]


def texts(card: dict[str, Any]) -> dict[str, str]:
    return {w["decoratedText"]["topLabel"]: w["decoratedText"]["text"]
            for w in widgets(card) if "decoratedText" in w}


def button_urls(card: dict[str, Any]) -> dict[str, str]:
    return {b["text"]: b["onClick"]["action"]["function"]
            for w in widgets(card) if "buttonList" in w for b in w["buttonList"]["buttons"]}


def navigation(reply: Any, kind: str) -> dict[str, Any]:
    assert reply.status_code == 200, reply.get_data(as_text=True)
    (step,) = reply.get_json()["action"]["navigations"]
    return step[kind]


@pytest.fixture
def pushed(sheet: str, service_key_file: Path) -> str:
    result, _ = run_cli("push", "--sheet", sheet, "--credentials", str(service_key_file),
                        str(EXAMPLES))
    assert result.exit_code == 0, result.output
    return spreadsheet_key(sheet) or ""


def test_homepage_shows_the_benchmark(pushed: str, addon: FlaskClient, signer: Signer,
                                      client: gspread.Spreadsheet) -> None:
    card = navigation(post(addon, signer, "/homepage", event(pushed)), "pushCard")
    shown = texts(card)
    for tab in ("Direct", "Indirect", "Learning"):
        assert shown[f"Accounts in {tab}"] == str(len(grid_of(client, tab)))
    assert shown["Last push"] == dt.date.today().isoformat()
    assert shown["Last refresh"] == "never"
    assert shown["Stale rows"] == "0"
    assert shown["Problems"] == "0"
    assert int(shown["Accounts outside the engagement band"]) > 0
    urls = button_urls(card)
    assert urls["Recompute now"] == f"{AUDIENCE}/action/recompute"
    assert urls["Run monthly refresh"] == f"{AUDIENCE}/action/refresh"
    assert urls["Add note"] == f"{AUDIENCE}/action/add-note"
    assert urls["Show problems"] == f"{AUDIENCE}/action/problems"
    (kind,) = [w["selectionInput"] for w in widgets(card) if "selectionInput" in w]
    assert kind["type"] == "DROPDOWN"
    assert "product launch" in [item["value"] for item in kind["items"]]


def _column(ws: gspread.Worksheet, header: str) -> int:
    return ws.row_values(1).index(header) + 1


def test_recompute_fixes_derived_cells_broken_by_hand(pushed: str, addon: FlaskClient,
                                                      signer: Signer,
                                                      client: gspread.Spreadsheet) -> None:
    direct = client.worksheet("Direct")
    tier = _column(direct, "Tier")
    right = direct.cell(2, tier).value
    direct.update_cell(2, tier, "Wrong tier")
    reply = post(addon, signer, "/action/recompute", event(pushed))
    card = navigation(reply, "updateCard")
    assert "Accounts in Direct" in texts(card)
    assert reply.get_json()["action"]["notification"]["text"].startswith("Recomputed: ")
    assert direct.cell(2, tier).value == right


def test_add_note_delivered_twice_appends_one_note(pushed: str, addon: FlaskClient,
                                                   signer: Signer,
                                                   client: gspread.Spreadsheet) -> None:
    click = event(pushed, {"text": "Launched the spring trio", "handle": "@glowpuff.skin",
                           "kind": "product launch"})
    click["authorizationEventObject"]["userIdToken"] = signer.token(
        email="ana@example.com", aud="1234-client.apps.googleusercontent.com")
    first = post(addon, signer, "/action/add-note", click)
    assert first.get_json()["action"]["notification"]["text"] == "Note added to Context Notes"
    second = post(addon, signer, "/action/add-note", click)
    assert "already there" in second.get_json()["action"]["notification"]["text"]
    notes = grid_of(client, "Context Notes")
    assert [(n["Handle"], n["Kind"], n["Note"], n["Author"]) for n in notes] == [
        ("@glowpuff.skin", "product launch", "Launched the spring trio", "ana@example.com")]


def test_a_note_author_comes_only_from_a_verified_token(pushed: str, addon: FlaskClient,
                                                        signer: Signer,
                                                        client: gspread.Spreadsheet) -> None:
    click = event(pushed, {"text": "Forged author", "kind": "other"})
    click["authorizationEventObject"]["userIdToken"] = signer.token(
        pem=signer.other_key_pem, email="ceo@example.com")
    post(addon, signer, "/action/add-note", click)
    (note,) = grid_of(client, "Context Notes")
    assert note["Note"] == "Forged author" and note["Author"] == ""


@pytest.mark.parametrize("url", ["http://www.googleapis.com/oauth2/v1/certs",
                                 "https://evil.example/certs", "http://10.0.0.5/certs",
                                 "https://www.googleapis.com.evil.example/certs"])
def test_a_certs_url_that_is_not_googles_or_local_is_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="neither Google's"):
        AddonConfig(audience=AUDIENCE, service_account_email=ADDON_ACCOUNT, certs_url=url)
    for fine in ("https://www.googleapis.com/oauth2/v1/certs",
                 "http://127.0.0.1:8765/_emulator/certs", "http://localhost:1/c"):
        AddonConfig(audience=AUDIENCE, service_account_email=ADDON_ACCOUNT, certs_url=fine)


def test_add_note_without_text_adds_nothing(pushed: str, addon: FlaskClient, signer: Signer,
                                            emulator: Emulator) -> None:
    emulator.clear_log()
    reply = post(addon, signer, "/action/add-note", event(pushed, {"kind": "other"}))
    assert reply.get_json() == {"action": {"notification": {"text": "Type what happened first"}}}
    assert emulator.api_calls() == []


def test_add_note_longer_than_a_cell_is_refused_and_says_where(
        pushed: str, addon: FlaskClient, signer: Signer, client: gspread.Spreadsheet) -> None:
    reply = post(addon, signer, "/action/add-note",
                 event(pushed, {"text": "z" * 50_001, "kind": "other"}))
    text = reply.get_json()["action"]["notification"]["text"]
    assert text.startswith("Not added: 'Context Notes'!D2 (Note)")
    assert "50,001 characters" in text
    assert grid_of(client, "Context Notes") == []


def test_problems_lists_unreadable_cells_with_a1_references(
        pushed: str, addon: FlaskClient, signer: Signer, client: gspread.Spreadsheet) -> None:
    direct = client.worksheet("Direct")
    followers = _column(direct, "Followers")
    direct.update_cell(3, followers, "lots")
    reply = post(addon, signer, "/action/problems", event(pushed))
    card = navigation(reply, "pushCard")
    cell = gspread.utils.rowcol_to_a1(3, followers)
    assert any(label.startswith(f"Direct!{cell}") for label in texts(card))
    assert reply.get_json()["action"]["notification"]["text"] == "1 problem"
    home = navigation(post(addon, signer, "/homepage", event(pushed)), "pushCard")
    assert texts(home)["Problems"] == "1"


def test_monthly_refresh_snapshots_into_history(pushed: str, addon: FlaskClient,
                                                signer: Signer,
                                                client: gspread.Spreadsheet) -> None:
    reply = post(addon, signer, "/action/refresh", event(pushed))
    card = navigation(reply, "updateCard")
    assert texts(card)["Last refresh"] != "never"
    assert len(grid_of(client, "History")) == sum(
        len(grid_of(client, tab)) for tab in ("Direct", "Indirect", "Learning"))
    post(addon, signer, "/action/refresh", event(pushed))
    assert len(grid_of(client, "History")) == sum(
        len(grid_of(client, tab)) for tab in ("Direct", "Indirect", "Learning"))


@pytest.mark.parametrize("forge", [
    "bad signature", "expired", "wrong audience", "wrong email", "email not verified",
    "other issuer", "no token", "not a token"])
def test_unverified_requests_are_refused_and_change_nothing(
        forge: str, pushed: str, addon: FlaskClient, signer: Signer, emulator: Emulator,
        client: gspread.Spreadsheet) -> None:
    now = int(time.time())
    tokens = {
        "bad signature": signer.token(pem=signer.other_key_pem),
        "expired": signer.token(iat=now - 7200, exp=now - 3600),
        "wrong audience": signer.token(aud="https://someone-else.example.com"),
        "wrong email": signer.token(email="attacker@example.com"),
        "email not verified": signer.token(email_verified=False),
        "other issuer": signer.token(iss="https://evil.example.com"),
        "not a token": "not-a-jwt",
    }
    click = event(pushed, {"text": "Forged note", "kind": "other"})
    emulator.clear_log()
    for path in ("/action/add-note", "/action/recompute", "/homepage"):
        headers = {"Authorization": f"Bearer {tokens[forge]}"} if forge in tokens else {}
        reply = addon.post(path, json=click, headers=headers)
        assert reply.status_code == 401
        assert reply.get_json()["error"] == "unauthorized"
    assert emulator.log() == []
    assert grid_of(client, "Context Notes") == []


def test_without_file_scope_the_add_on_asks_for_it(pushed: str, addon: FlaskClient,
                                                   signer: Signer, emulator: Emulator) -> None:
    emulator.clear_log()
    for body in (event(None, file_scope=False), event(pushed, file_scope=False)):
        card = navigation(post(addon, signer, "/homepage", body), "pushCard")
        url = button_urls(card)["Allow access to this spreadsheet"]
        assert url == f"{AUDIENCE}/action/request-file-scope"
    assert emulator.log() == []
    reply = post(addon, signer, "/action/request-file-scope", event(None, file_scope=False))
    assert reply.get_json() == {"renderActions": {"hostAppAction": {"editorAction": {
        "requestFileScopeForActiveDocument": {}}}}}
    granted = navigation(post(addon, signer, "/on-file-scope-granted", event(pushed)),
                         "pushCard")
    assert "Accounts in Direct" in texts(granted)


def test_config_from_env_needs_audience_and_service_account() -> None:
    with pytest.raises(ConfigError, match="SHEETS_SYNC_ADDON_AUDIENCE"):
        AddonConfig.from_env({"SHEETS_SYNC_ADDON_SERVICE_ACCOUNT": ADDON_ACCOUNT})
    config = AddonConfig.from_env({"SHEETS_SYNC_ADDON_AUDIENCE": AUDIENCE,
                                   "SHEETS_SYNC_ADDON_SERVICE_ACCOUNT": ADDON_ACCOUNT})
    assert config.certs_url == "https://www.googleapis.com/oauth2/v1/certs"


def test_serve_without_configuration_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHEETS_SYNC_ADDON_AUDIENCE", raising=False)
    monkeypatch.delenv("SHEETS_SYNC_ADDON_SERVICE_ACCOUNT", raising=False)
    result = CliRunner().invoke(cli, ["addon", "serve"])
    assert result.exit_code == 2
    assert "SHEETS_SYNC_ADDON_AUDIENCE" in result.output


def test_served_beside_the_emulator_with_its_id_tokens(pushed: str, emulator: Emulator) -> None:
    """What a person does locally: the emulator signs the ID token, the add-on verifies it
    against the emulator's certificates, and answers with the card's JSON."""
    import requests

    config = AddonConfig(audience="http://127.0.0.1:8080", service_account_email=ADDON_ACCOUNT,
                         certs_url=f"{emulator.url}/_emulator/certs")
    addon = create_app(config).test_client()
    token = requests.post(f"{emulator.url}/_emulator/id-token", timeout=10, json={
        "audience": "http://127.0.0.1:8080", "email": ADDON_ACCOUNT}).json()["id_token"]
    reply = addon.post("/homepage", json=event(pushed),
                       headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200
    assert texts(navigation(reply, "pushCard"))["Accounts in Direct"] == "12"
    other = requests.post(f"{emulator.url}/_emulator/id-token", timeout=10, json={
        "audience": "http://elsewhere", "email": ADDON_ACCOUNT}).json()["id_token"]
    refused = addon.post("/homepage", json=event(pushed),
                         headers={"Authorization": f"Bearer {other}"})
    assert refused.status_code == 401


def test_the_panel_turns_terminal_hints_into_who_can_act() -> None:
    from sheets_sync.addon.cards import panel_text
    from sheets_sync.errors import ConfigError

    terminal = ConfigError("the workbook was laid out with the 'zh' template",
                           hint="pass --template zh")
    assert "--template" not in panel_text(terminal)
    assert "Whoever runs sheets-sync for this spreadsheet" in panel_text(terminal)
    plain = ConfigError("spreadsheet X is not shared with you", hint="ask its owner to share it")
    assert panel_text(plain) == "spreadsheet X is not shared with you. Ask its owner to share it."


def test_four_add_note_clicks_at_once_keep_four_notes(pushed: str, addon: FlaskClient,
                                                      signer: Signer, emulator: Emulator,
                                                      client: gspread.Spreadsheet) -> None:
    """Four teammates click Add note at the same moment: each write carries the version it
    was planned on, so the ones that lose the race plan again after the winner's note."""
    import threading

    emulator.admin("POST", "latency", {"ms": 20})
    clicks = [event(pushed, {"text": f"note {n}", "handle": "@glowpuff.skin",
                             "kind": "other"}) for n in range(4)]
    tokens = [signer.token() for _ in clicks]
    start = threading.Barrier(len(clicks))
    replies: list[Any] = []

    def click(body: dict[str, Any], token: str) -> None:
        start.wait()
        replies.append(post(addon, signer, "/action/add-note", body, token))

    threads = [threading.Thread(target=click, args=pair) for pair in zip(clicks, tokens,
                                                                          strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [r.status_code for r in replies] == [200] * 4
    notes = sorted(n["Note"] for n in grid_of(client, "Context Notes"))
    assert notes == ["note 0", "note 1", "note 2", "note 3"]


def test_open_alerts_are_counted_and_marked_seen_in_one_click(
        pushed: str, addon: FlaskClient, signer: Signer, client: gspread.Spreadsheet) -> None:
    ws = client.worksheet("Alerts")
    status = ws.row_values(1).index("Status") + 1
    for row, value in enumerate(("", "open", "done", "later"), start=2):
        ws.update([["2026-03-01", "Direct", f"@rival{row}", "growth spike",
                    "Follower Growth (30d)", 100, 150, "grew"]], f"A{row}:H{row}")
        if value:
            ws.update_cell(row, status, value)
    card = navigation(post(addon, signer, "/homepage", event(pushed)), "pushCard")
    assert texts(card)["Open alerts"] == "2"
    assert button_urls(card)["Mark open alerts seen"] == f"{AUDIENCE}/action/mark-alerts-seen"
    reply = post(addon, signer, "/action/mark-alerts-seen", event(pushed))
    assert reply.get_json()["action"]["notification"]["text"] == "2 alert(s) marked seen"
    card = navigation(reply, "updateCard")
    assert texts(card)["Open alerts"] == "0"
    assert "Mark open alerts seen" not in button_urls(card)
    assert [r["Status"] for r in grid_of(client, "Alerts")] == ["seen", "seen", "done", "later"]
