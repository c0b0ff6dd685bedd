"""Google's error answers, told apart by their reason, each with what to do next.

Google answers 403 for several unrelated things; the `reason` of the error (in
`error.errors[].reason` for Drive, `error.details[].reason` of an ErrorInfo for Sheets)
says which (https://developers.google.com/drive/api/guides/handle-errors,
https://cloud.google.com/apis/design/errors#error_info).
"""

from __future__ import annotations

from typing import Any

from google.auth.credentials import Credentials
from gspread.exceptions import APIError

from ..errors import WorkbookError

DISABLED = {"SERVICE_DISABLED", "accessNotConfigured"}
RATE_LIMITED = {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}
STORAGE = {"storageQuotaExceeded"}
PROTECTED_TEXT = "protected cell or object"


class GoogleApiError(WorkbookError):
    def __init__(self, status: int, message: str, hint: str | None = None,
                 reason: str = "") -> None:
        super().__init__(message, hint)
        self.status = status
        self.reason = reason


class ServiceAccountCannotOwnFiles(GoogleApiError):
    """Service accounts have no Drive storage: they cannot own a new file."""


def error_reasons(detail: dict[str, Any]) -> set[str]:
    found = {str(e.get("reason")) for e in detail.get("errors", []) or []
             if isinstance(e, dict) and e.get("reason")}
    found.update(str(d.get("reason")) for d in detail.get("details", []) or []
                 if isinstance(d, dict) and d.get("reason"))
    return found


def api_error(exc: APIError, key: str, credentials: Credentials | None) -> GoogleApiError:
    status = exc.response.status_code
    detail = exc.error if isinstance(exc.error, dict) else {}
    message = str(detail.get("message", ""))
    reasons = error_reasons(detail)
    email = getattr(credentials, "service_account_email", None)
    who = email or "the account you signed in with"
    if status == 404:
        return GoogleApiError(
            status, f"spreadsheet {key} does not exist",
            hint="check the URL or key; `sheets-sync init --google` creates a new one")
    if PROTECTED_TEXT in message:
        return GoogleApiError(
            status, f"spreadsheet {key}: the write touched a protected range that {who} may "
                    "not edit; nothing of this write was applied",
            hint="in Google Sheets, Data > Protect sheets and ranges: add "
                 f"{who} to the range's editors, or remove the protection", reason="protected")
    if status == 403 and (reasons & STORAGE or "storage quota" in message):
        if email:
            return ServiceAccountCannotOwnFiles(
                status, f"a service account ({email}) cannot own files in Google Drive, so it "
                        "cannot create a spreadsheet",
                hint="create it as yourself with `sheets-sync init --google --oauth`; or "
                     f"create it in Google Sheets, share it with {email} as Editor and pass "
                     "its URL with --sheet; or create it in a shared drive the service "
                     "account is a member of with --folder FOLDER_ID",
                reason="storageQuotaExceeded")
        return GoogleApiError(status, "the Google Drive storage quota of "
                              f"{who} is exceeded", hint="free space in Google Drive, or "
                              "create the spreadsheet with another account",
                              reason="storageQuotaExceeded")
    if status == 403 and (reasons & DISABLED or "has not been used" in message
                          or "is disabled" in message):
        return GoogleApiError(
            status, "the Google Sheets API (or the Drive API) is not enabled for this project",
            hint="enable both in the Google Cloud console (APIs & Services > Library: "
                 "Google Sheets API, Google Drive API), wait a minute, run again",
            reason="SERVICE_DISABLED")
    if status == 429 or (status == 403 and reasons & RATE_LIMITED):
        return GoogleApiError(
            status, "Google's per-minute request quota was exceeded and the retries ran out",
            hint="run again in a minute; several jobs sharing one Google Cloud project share "
                 "its quota", reason="rateLimitExceeded")
    if status == 403:
        return GoogleApiError(
            status, f"spreadsheet {key} is not shared with {who}",
            hint=f"open it in Google Sheets, click Share and add {who} as Editor",
            reason="PERMISSION_DENIED")
    if status == 401:
        return GoogleApiError(status, "Google refused the credentials",
                              hint="the key may have been deleted or the login revoked")
    return GoogleApiError(status, f"Google Sheets answered {status}: {message or 'no message'}")
