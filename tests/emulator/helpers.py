"""Clients for the emulator tests: real gspread and google-auth objects wired to the emulator."""

from __future__ import annotations

from typing import Any

import gspread
import requests
from google.auth.transport import requests as transport_requests
from google.oauth2 import service_account

from sheets_emulator import EmulatorAdapter, EmulatorState, ForwardingAdapter

SERVICE_EMAIL = "sync-bot@example-project.iam.gserviceaccount.com"
# Service accounts own no Drive files, so the tests that create spreadsheets act, through
# domain-wide delegation, as this person.
PERSON = "analyst@example.com"
SCOPES = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive"]


def key_info(pem: str, email: str = SERVICE_EMAIL, token_uri: str | None = None) -> dict[str, Any]:
    return {
        "type": "service_account",
        "project_id": "example-project",
        "private_key_id": "0" * 40,
        "private_key": pem,
        "client_email": email,
        "client_id": "1" * 21,
        "token_uri": token_uri or "https://oauth2.googleapis.com/token",
    }


def credentials(pem: str, email: str = SERVICE_EMAIL, token_uri: str | None = None) -> Any:
    return service_account.Credentials.from_service_account_info(
        key_info(pem, email, token_uri), scopes=SCOPES
    )


def inprocess_client(state: EmulatorState, creds: Any) -> Any:
    """A gspread client whose Sheets, Drive and token traffic goes to `state` without sockets."""
    adapter = EmulatorAdapter(state)
    auth_http = adapter.mount_google(requests.Session())
    session = transport_requests.AuthorizedSession(
        creds, auth_request=transport_requests.Request(auth_http)
    )
    adapter.mount_google(session)
    return gspread.Client(auth=creds, session=session)


def http_client(url: str, creds: Any) -> Any:
    """A gspread client talking HTTP to a running emulator (Google's URLs forwarded to it)."""
    adapter = ForwardingAdapter(url)
    auth_http = adapter.mount_google(requests.Session())
    session = transport_requests.AuthorizedSession(
        creds, auth_request=transport_requests.Request(auth_http)
    )
    adapter.mount_google(session)
    return gspread.Client(auth=creds, session=session)


class Admin:
    """The /_emulator/ endpoints of a running emulator."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()
        self.http.trust_env = False

    def __call__(self, method: str, path: str, body: Any = None) -> Any:
        reply = self.http.request(method, f"{self.url}/_emulator/{path}", json=body, timeout=10)
        reply.raise_for_status()
        return reply.json()
