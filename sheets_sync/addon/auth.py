"""Every request must carry an ID token Google signed for the add-on's service account."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import google.auth.exceptions
import requests
from google.auth.transport.requests import Request
from google.oauth2 import id_token

from .config import AddonConfig

GOOGLE_ISSUERS = frozenset({"accounts.google.com", "https://accounts.google.com"})
log = logging.getLogger(__name__)


class Unauthorized(Exception):
    """The request could not be shown to come from Google on the add-on's behalf."""


def bearer_token(headers: Mapping[str, str]) -> str:
    scheme, _, token = (headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("no bearer token")
    return token.strip()


def verify_request(headers: Mapping[str, str], config: AddonConfig,
                   session: requests.Session | None = None) -> Mapping[str, Any]:
    """The verified claims of the request's ID token; Unauthorized if anything is off."""
    token = bearer_token(headers)
    try:
        claims = id_token.verify_token(token, Request(session), audience=config.audience,
                                       certs_url=config.certs_url)
    except (ValueError, google.auth.exceptions.GoogleAuthError) as exc:
        # The reason is logged by type only: messages may quote claims.
        log.warning("refused a request: ID token not valid (%s)", type(exc).__name__)
        raise Unauthorized("ID token not valid") from None
    if claims.get("iss") not in GOOGLE_ISSUERS:
        raise Unauthorized("ID token not issued by Google")
    if claims.get("email") != config.service_account_email or \
            claims.get("email_verified") not in (True, "true"):
        log.warning("refused a request: ID token of another signer")
        raise Unauthorized("ID token of another signer")
    return claims


def verified_user_email(user_id_token: str, config: AddonConfig,
                        session: requests.Session | None = None) -> str:
    """The user's email from the event's user ID token, only if Google signed it (checked
    against the same certificates as the request's token); else ''. The token's audience is
    the add-on's OAuth client, which this endpoint does not know, so it is not checked."""
    if not user_id_token:
        return ""
    try:
        claims = id_token.verify_token(user_id_token, Request(session), audience=None,
                                       certs_url=config.certs_url)
    except (ValueError, google.auth.exceptions.GoogleAuthError) as exc:
        log.warning("a user ID token was not valid (%s); the note has no author",
                    type(exc).__name__)
        return ""
    if claims.get("iss") not in GOOGLE_ISSUERS:
        return ""
    email = claims.get("email")
    return email if isinstance(email, str) else ""
