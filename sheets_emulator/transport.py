"""requests transport adapters: in-process dispatch, or forwarding to a running emulator."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict

from .app import dispatch, reason
from .models import EmulatorState
from .validation import check_dependencies

GOOGLE_HOSTS = (
    "https://sheets.googleapis.com",
    "https://www.googleapis.com",
    "https://oauth2.googleapis.com",
)


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return b"".join(part.encode("utf-8") if isinstance(part, str) else bytes(part) for part in body)


class EmulatorAdapter(BaseAdapter):
    """Serves requests from an EmulatorState without sockets.

    session.mount("https://sheets.googleapis.com", EmulatorAdapter(state)), or
    EmulatorAdapter(state).mount_google(session) for all of Google's API hosts.
    Raises DiscoveryUnavailableError when google-api-python-client is not installed.
    """

    def __init__(self, state: EmulatorState) -> None:
        check_dependencies()
        super().__init__()
        self.state = state

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        status, headers, data = dispatch(
            self.state,
            request.method or "GET",
            url.path or "/",
            url.query,
            dict(request.headers),
            _body_bytes(request.body),
        )
        response = requests.Response()
        response.status_code = status
        response.reason = reason(status)
        response.headers = CaseInsensitiveDict(headers)
        response._content = data
        response._content_consumed = True  # type: ignore[attr-defined]
        response.raw = io.BytesIO(data)
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        response.connection = self  # type: ignore[attr-defined]
        return response

    def close(self) -> None:
        """Nothing to release."""

    def mount_google(self, session: requests.Session) -> requests.Session:
        for prefix in GOOGLE_HOSTS:
            session.mount(prefix, self)
        return session


class ForwardingAdapter(HTTPAdapter):
    """Sends requests addressed to Google's hosts to a running emulator's base URL instead."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:  # type: ignore[override]
        forwarded = request.copy()
        url = urlsplit(request.url or "")
        forwarded.url = self.base_url + (url.path or "/") + (f"?{url.query}" if url.query else "")
        kwargs["proxies"] = {}
        return super().send(forwarded, *args, **kwargs)

    def mount_google(self, session: requests.Session) -> requests.Session:
        for prefix in GOOGLE_HOSTS:
            session.mount(prefix, self)
        return session
