"""Who may own a new file.

Service accounts have no Drive storage: "Service accounts don't have storage quota and
can't own any files. Instead, they must upload files and folders into shared drives, or
use OAuth 2.0 to upload items on behalf of a human user."
(https://developers.google.com/workspace/drive/api/guides/about-shareddrives). Since 2025
Google answers a service account's files.create (Drive) and spreadsheets.create (Sheets)
with 403 storageQuotaExceeded, domain usageLimits, even into a My Drive folder shared with
it (https://github.com/burnash/gspread/issues/1592,
https://github.com/burnash/gspread/pull/1568).
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import ApiError, DriveError, file_not_found
from .models import EmulatorState

# Service-account emails end in gserviceaccount.com
# (https://cloud.google.com/iam/docs/service-account-overview#identifiers); a token
# exchanged with a delegated subject (`sub`) stands for that person instead.
SERVICE_ACCOUNT_DOMAIN = "gserviceaccount.com"
STORAGE_MESSAGE = "The user's Drive storage quota has been exceeded."


def is_service_account(identity: str) -> bool:
    return identity.lower().rsplit("@", 1)[-1].endswith(SERVICE_ACCOUNT_DOMAIN)


def drive_for_new_file(state: EmulatorState, identity: str, parents: Sequence[str],
                       *, supports_all_drives: bool) -> str | None:
    """The shared drive a new Drive file goes into (None for My Drive), or Google's refusal.

    A parent that does not exist is 404 "File not found". A shared drive's folder is found
    only by an app that says `supportsAllDrives=true`
    (https://developers.google.com/workspace/drive/api/guides/enable-shareddrives);
    without it the parent is "not found" too."""
    drive_id: str | None = None
    for parent_id in parents:
        parent = state.files.get(parent_id)
        if parent is None or (parent.drive_id and not supports_all_drives):
            raise file_not_found(parent_id)
        drive_id = drive_id or parent.drive_id
    if drive_id is None and is_service_account(identity):
        raise DriveError(403, STORAGE_MESSAGE, "storageQuotaExceeded", domain="usageLimits")
    return drive_id


def refuse_service_account_spreadsheet(identity: str) -> None:
    """spreadsheets.create makes a file in the caller's My Drive, which a service account
    cannot own (sources above); Sheets errors carry no `errors` list."""
    if is_service_account(identity):
        raise ApiError(403, STORAGE_MESSAGE)
