"""The add-on's configuration: who may call the endpoint and at which URL."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..config import resolve_settings
from ..errors import ConfigError
from ..template import Template

GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
AUDIENCE_ENV = "SHEETS_SYNC_ADDON_AUDIENCE"
SERVICE_ACCOUNT_ENV = "SHEETS_SYNC_ADDON_SERVICE_ACCOUNT"
CERTS_URL_ENV = "SHEETS_SYNC_ADDON_CERTS_URL"


GOOGLE_CERT_HOSTS = frozenset({"www.googleapis.com"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def trusted_certs_url(url: str) -> bool:
    """Google's certificates over https, or certificates served on this machine."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host in GOOGLE_CERT_HOSTS:
        return True
    return parts.scheme in ("http", "https") and host in LOOPBACK_HOSTS


@dataclass(frozen=True)
class AddonConfig:
    """`audience` is the endpoint's URL (the ID tokens' `aud`, and the base of every action
    URL); `service_account_email` is the add-on's service account, the only signer whose
    requests are served."""

    audience: str
    service_account_email: str
    certs_url: str = GOOGLE_CERTS_URL
    template: str | Path | Template | None = None
    # None: the brand the workbook's last push used (a CLI push and a Recompute agree)
    our_brand: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not self.audience.strip():
            raise ConfigError("the add-on needs its endpoint URL as the ID-token audience",
                              hint=f"set {AUDIENCE_ENV}, e.g. https://benchmark-abc.a.run.app")
        if "@" not in self.service_account_email:
            raise ConfigError("the add-on needs the email of its service account",
                              hint=f"set {SERVICE_ACCOUNT_ENV} to the address `gcloud "
                                   "workspace-add-ons get-authorization` prints")
        if not self.certs_url.strip():
            raise ConfigError("the certificates URL is empty",
                              hint=f"unset {CERTS_URL_ENV} to use Google's")
        if not trusted_certs_url(self.certs_url):
            raise ConfigError(
                f"{CERTS_URL_ENV}={self.certs_url!r} is neither Google's (https://"
                "www.googleapis.com/...) nor on this machine: whoever serves it could sign "
                "requests as Google",
                hint=f"unset {CERTS_URL_ENV} to use Google's; a local one (the emulator's) "
                     "must be on 127.0.0.1, ::1 or localhost")

    def action_url(self, path: str) -> str:
        return self.audience.rstrip("/") + "/" + path.lstrip("/")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AddonConfig:
        env = os.environ if environ is None else environ
        missing = [name for name in (AUDIENCE_ENV, SERVICE_ACCOUNT_ENV)
                   if not env.get(name, "").strip()]
        if missing:
            raise ConfigError(
                "the add-on is not configured: " + ", ".join(missing) + " not set",
                hint=f"{AUDIENCE_ENV} is the endpoint's public URL (the ID tokens' audience); "
                     f"{SERVICE_ACCOUNT_ENV} is the add-on's service account email")
        settings = resolve_settings(environ=env)
        return cls(audience=env[AUDIENCE_ENV].strip(),
                   service_account_email=env[SERVICE_ACCOUNT_ENV].strip(),
                   certs_url=env.get(CERTS_URL_ENV, "").strip() or GOOGLE_CERTS_URL,
                   template=settings.template, our_brand=settings.our_brand)
