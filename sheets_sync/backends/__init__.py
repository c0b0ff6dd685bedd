"""Backends hold a workbook; `open_backend` picks one for a target."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, WorkbookError
from .base import Backend
from .xlsx import XlsxBackend

if TYPE_CHECKING:
    from google.auth.credentials import Credentials as GoogleCredentials

__all__ = ["Backend", "XlsxBackend", "open_backend", "open_existing"]


def open_backend(target: str | Path | Backend, *, credentials: str | Path | None = None,
                 oauth: bool = False) -> Backend:
    """A local .xlsx path, a Google Sheets URL or key, or a Backend object as it is."""
    if not isinstance(target, str | Path):
        return target
    text = str(target).strip()
    if text.lower().endswith((".xlsx", ".xlsm")):
        return XlsxBackend(text)
    from .gsheets import GoogleSheetsBackend, spreadsheet_key

    key = spreadsheet_key(text)
    if key is not None:
        return GoogleSheetsBackend.from_credentials(key, google_credentials(credentials, oauth))
    raise ConfigError(
        f"cannot use {text!r} as a workbook",
        hint="give the path of a local .xlsx workbook (--sheet benchmark.xlsx) or a Google "
             "Sheets URL (--sheet https://docs.google.com/spreadsheets/d/KEY/edit)",
    )


def open_existing(target: str | Path | Backend, *, credentials: str | Path | None = None,
                  oauth: bool = False) -> Backend:
    """A backend for a workbook that must already exist: only init and push create one, so a
    typo in a monthly job's path is an error, not a new empty workbook every month. (A
    Google spreadsheet that does not exist answers 404 on the first read.)"""
    backend = open_backend(target, credentials=credentials, oauth=oauth)
    if isinstance(backend, XlsxBackend) and not backend.exists():
        raise WorkbookError(f"{backend.location} does not exist",
                            hint="check the path (a scheduled job runs in its own folder); "
                                 "`sheets-sync init` or `sheets-sync push FILES` creates it")
    return backend


def google_credentials(credentials: str | Path | None = None,
                       oauth: bool = False) -> GoogleCredentials:
    """Service-account key, a person's OAuth login, or (emulator only) a placeholder token."""
    from google.oauth2.credentials import Credentials

    from .google_auth import SETUP_HINT, key_path, oauth_login, service_account_credentials
    from .google_http import emulator_host

    if oauth:
        return oauth_login(Path(credentials).expanduser() if credentials else None)
    path = key_path(credentials)
    if path is not None:
        return service_account_credentials(path)
    if emulator_host():
        return Credentials(token="emulator")  # the emulator accepts any bearer token
    raise ConfigError("no Google credentials were found", hint=SETUP_HINT)
