"""Google's OAuth 2.0 token endpoint, as google-auth calls it."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs

from .context import Call, Reply

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
REFRESH = "refresh_token"
TOKEN_LIFETIME = 3599


def _error(code: str, description: str, status: int = 400) -> Reply:
    return Reply(status=status, body={"error": code, "error_description": description})


def _form(call: Call) -> dict[str, str]:
    content_type = call.headers.get("content-type", "")
    text = call.raw_body.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}


def jwt_claims(assertion: str) -> dict[str, Any] | None:
    """The payload of a JWT, read without checking its signature."""
    parts = assertion.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, UnicodeError):
        return None
    return claims if isinstance(claims, dict) else None


def token(call: Call) -> Reply:
    form = _form(call)
    grant = form.get("grant_type")
    scope: str | None = form.get("scope")
    if grant == JWT_BEARER:
        claims = jwt_claims(form.get("assertion", ""))
        if claims is None or not claims.get("iss"):
            return _error("invalid_grant", "Invalid JWT Signature.")
        identity = str(claims.get("sub") or claims["iss"])
        scope = scope or claims.get("scope")
    elif grant == REFRESH:
        if not form.get("refresh_token"):
            return _error("invalid_request", "Missing required parameter: refresh_token")
        if not form.get("client_id"):
            return _error("invalid_client", "The OAuth client was not found.", 401)
        identity = f"user:{form['client_id']}"
    elif grant is None:
        return _error("invalid_request", "Missing required parameter: grant_type")
    else:
        return _error("unsupported_grant_type", f"Invalid grant_type: {grant}")
    access_token = issue(call, identity)
    body: dict[str, Any] = {
        "access_token": access_token,
        "expires_in": TOKEN_LIFETIME,
        "token_type": "Bearer",
    }
    if scope:
        body["scope"] = scope
    return Reply(body=body)


def issue(call: Call, identity: str) -> str:
    """A new access token standing for `identity`."""
    access_token = call.state.new_token()
    call.state.tokens[access_token] = identity
    return access_token
