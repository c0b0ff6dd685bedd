"""Credentials for the Google backend: a service-account key, or a person's own OAuth login.

Scopes are limited to spreadsheets and drive.file (files this tool created or was
given).  No token or private key is ever printed: messages name files and fields.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from google.auth.credentials import Credentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from ..errors import ConfigError

SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive.file",
)
GSPREAD_DEFAULT_KEY = Path("~/.config/gspread/service_account.json").expanduser()
OAUTH_CLIENT_DEFAULT = Path("~/.config/sheets-sync/oauth_client.json").expanduser()
OAUTH_TOKEN_CACHE = Path("~/.config/sheets-sync/authorized_user.json").expanduser()
SERVICE_ACCOUNT_FIELDS = ("client_email", "private_key", "token_uri")
SETUP_HINT = ("create a service-account key in the Google Cloud console (IAM & Admin > "
              "Service Accounts > Keys > Add key > JSON), then pass it with --credentials "
              "PATH or set GOOGLE_APPLICATION_CREDENTIALS")


def key_path(explicit: str | Path | None) -> Path | None:
    """--credentials, then GOOGLE_APPLICATION_CREDENTIALS, then gspread's default location."""
    for candidate in (explicit, os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")):
        if candidate:
            return Path(candidate).expanduser()
    return GSPREAD_DEFAULT_KEY if GSPREAD_DEFAULT_KEY.is_file() else None


def _read_key(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"credentials file {path} does not exist", hint=SETUP_HINT)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"credentials file {path} cannot be read ({exc.strerror})",
                          hint="check the file's permissions") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ConfigError(f"credentials file {path} is not JSON",
                          hint="download the key again as JSON") from None
    if not isinstance(data, dict):
        raise ConfigError(f"credentials file {path} is not a key object", hint=SETUP_HINT)
    return data


def service_account_credentials(path: Path) -> Credentials:
    data = _read_key(path)
    if "installed" in data or "web" in data:
        raise ConfigError(
            f"{path} is an OAuth client file, not a service-account key",
            hint=f"use it with --oauth (sign in as yourself), or {SETUP_HINT}",
        )
    if data.get("type") == "authorized_user":
        return _authorized_user(data, path)
    missing = [f for f in SERVICE_ACCOUNT_FIELDS if not data.get(f)]
    if data.get("type") != "service_account" or missing:
        detail = f"missing {', '.join(missing)}" if missing else f"type is {data.get('type')!r}"
        raise ConfigError(f"{path} is not a service-account key ({detail})", hint=SETUP_HINT)
    try:
        return service_account.Credentials.from_service_account_info(data, scopes=SCOPES)
    except (ValueError, TypeError):
        raise ConfigError(
            f"the private key in {path} cannot be loaded",
            hint="the file may be damaged or edited; download a new key",
        ) from None


def _authorized_user(data: dict[str, Any], path: Path) -> Credentials:
    try:
        return user_credentials.Credentials.from_authorized_user_info(data, scopes=SCOPES)
    except ValueError:
        raise ConfigError(f"{path} is not a complete OAuth login",
                          hint=f"delete {path} and run the command again with --oauth to "
                               "sign in anew") from None


def service_account_email(credentials: Credentials) -> str | None:
    return getattr(credentials, "service_account_email", None)


def oauth_login(client_file: Path | None = None, token_cache: Path = OAUTH_TOKEN_CACHE,
                open_browser: bool = True) -> Credentials:
    """Sign in as a person (installed-app flow) and cache the login for next time."""
    if token_cache.is_file():
        _refuse_loose(token_cache)
        return _authorized_user(_read_key(token_cache), token_cache)
    client = client_file or OAUTH_CLIENT_DEFAULT
    if not client.is_file():
        raise ConfigError(
            f"OAuth client file {client} does not exist",
            hint="create an OAuth client ID of type Desktop app in the Google Cloud console "
                 "and save its JSON there (or pass --credentials PATH with --oauth)",
        )
    from google_auth_oauthlib.flow import InstalledAppFlow

    flow = InstalledAppFlow.from_client_secrets_file(str(client), scopes=list(SCOPES))
    creds = flow.run_local_server(port=0, open_browser=open_browser)
    save_login(creds.to_json(), token_cache)
    return creds


def _refuse_loose(path: Path) -> None:
    """A cached login others on this machine can read is not used: it is a key to the
    person's Drive."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ConfigError(f"{path} can be read by other users of this machine "
                          f"(mode {mode:o}); it is not used",
                          hint=f"chmod 600 {path}, or delete it and sign in again with --oauth")


def save_login(text: str, path: Path) -> None:
    """Write the cached login readable by its owner only (0600 in a 0700 folder), created
    so from the start: never world-readable, not even for an instant."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
