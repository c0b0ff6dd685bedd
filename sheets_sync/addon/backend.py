"""The open spreadsheet, reached as the user with the OAuth token of the event."""

from __future__ import annotations

from google.oauth2.credentials import Credentials

from ..backends.gsheets import GoogleSheetsBackend
from .event import AddonEvent


def user_backend(event: AddonEvent) -> GoogleSheetsBackend:
    """The same backend as the CLI's, authorised by the user's token (never a service
    account): the add-on can do only what the user may do, on files the user granted."""
    if not event.spreadsheet_id or not event.user_token:
        raise ValueError("the event names no spreadsheet or carries no user token")
    return GoogleSheetsBackend.from_credentials(event.spreadsheet_id,
                                                Credentials(token=event.user_token))
