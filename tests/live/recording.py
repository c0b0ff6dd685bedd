"""Recording a live run as a VCR cassette, in the format of the shared Google recordings.

vcrpy's JSON serializer ({"version": 1, "interactions": [...]}), bodies decompressed,
the authorization header replaced by "<ACCESS_TOKEN>", and whatever the token endpoint
is sent or answers (the signed assertion, refresh tokens, client secrets, access and id
tokens) replaced by placeholders.  vcrpy is imported only here, only when recording.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# Keys of a token endpoint's JSON reply that carry a credential.
TOKEN_REPLY_KEYS = ("access_token", "id_token", "refresh_token")
# Form fields sent to the token endpoint that carry a credential.
TOKEN_REQUEST_FIELDS = ("assertion", "refresh_token", "client_secret", "code",
                        "code_verifier", "subject_token")


def placeholder(name: str) -> str:
    return f"<{name.upper()}>"


def scrub_token_reply(response: dict[str, Any]) -> dict[str, Any]:
    """A copy of a recorded response with any token in its JSON body replaced."""
    body = (response.get("body") or {}).get("string")
    if not body:
        return response
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return response
    if not isinstance(data, dict) or not any(k in data for k in TOKEN_REPLY_KEYS):
        return response
    # The reply object is also what the client is handed: change a copy only.
    scrubbed = copy.deepcopy(response)
    for key in TOKEN_REPLY_KEYS:
        if key in data:
            data[key] = placeholder(key)
    text = json.dumps(data)
    scrubbed["body"]["string"] = text.encode("utf-8") if isinstance(body, bytes) else text
    for name in list(scrubbed.get("headers") or {}):
        if name.lower() == "content-length":
            scrubbed["headers"][name] = [str(len(text.encode("utf-8")))]
    return scrubbed


def load_vcr() -> Any:
    return pytest.importorskip(
        "vcr", reason="recording the live run needs vcrpy: pip install vcrpy")


class Recording:
    """The cassette being recorded; `calls()` lists (method, path) of what was sent."""

    def __init__(self, cassette: Any) -> None:
        self.cassette = cassette

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method.upper(), urlsplit(r.uri).path) for r in self.cassette.requests]


@contextmanager
def recording(path: Path) -> Iterator[Recording]:
    """Record every HTTP interaction inside the block into `path` (one run per file)."""
    vcr = load_vcr()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # vcrpy would append to an older run
    recorder = vcr.VCR(
        serializer="json",
        record_mode="all",
        decode_compressed_response=True,
        filter_headers=[("authorization", "<ACCESS_TOKEN>")],
        filter_post_data_parameters=[(f, placeholder(f)) for f in TOKEN_REQUEST_FIELDS],
        before_record_response=scrub_token_reply,
    )
    with recorder.use_cassette(str(path)) as cassette:
        yield Recording(cassette)
