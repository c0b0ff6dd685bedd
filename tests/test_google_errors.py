"""Google's 403s told apart by reason, each with what to do next."""

from __future__ import annotations

import json

import pytest
import requests
from google.oauth2.credentials import Credentials
from gspread.exceptions import APIError

from sheets_sync.backends.google_errors import ServiceAccountCannotOwnFiles, api_error


class _ServiceAccount:
    service_account_email = "bot@example-project.iam.gserviceaccount.com"


def _error(status: int, message: str, reason: str = "", *, drive: bool = False) -> APIError:
    error: dict = {"code": status, "message": message, "status": "PERMISSION_DENIED"}
    if reason and drive:
        error["errors"] = [{"domain": "usageLimits", "reason": reason, "message": message}]
    elif reason:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                             "reason": reason, "domain": "googleapis.com"}]
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps({"error": error}).encode()
    return APIError(response)


def test_a_service_account_creating_a_file_is_told_both_ways_out() -> None:
    exc = _error(403, "The user's Drive storage quota has been exceeded.",
                 "storageQuotaExceeded", drive=True)
    error = api_error(exc, "", _ServiceAccount())  # type: ignore[arg-type]
    assert isinstance(error, ServiceAccountCannotOwnFiles)
    assert "bot@example-project.iam.gserviceaccount.com" in error.message
    assert "--oauth" in (error.hint or "") and "--folder" in (error.hint or "")
    assert "share it with" in (error.hint or "")


@pytest.mark.parametrize(("status", "message", "reason", "drive", "expected"), [
    (403, "The caller does not have permission", "", False, "PERMISSION_DENIED"),
    (403, "Google Sheets API has not been used in project 1 before or it is disabled.",
     "SERVICE_DISABLED", False, "SERVICE_DISABLED"),
    (403, "User rate limit exceeded.", "userRateLimitExceeded", True, "rateLimitExceeded"),
    (429, "Quota exceeded for quota metric 'Write requests'", "RATE_LIMIT_EXCEEDED", False,
     "rateLimitExceeded"),
    (400, "You are trying to edit a protected cell or object. Please contact the spreadsheet "
          "owner to remove protection if you need to edit.", "", False, "protected"),
])
def test_each_403_has_its_own_reason(status: int, message: str, reason: str, drive: bool,
                                     expected: str) -> None:
    error = api_error(_error(status, message, reason, drive=drive), "KEY",
                      Credentials(token="t"))
    assert error.reason == expected
    assert error.hint
    assert ("not shared" in error.message) == (expected == "PERMISSION_DENIED")
