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
