"""Errors shaped like Google's JSON error replies."""

from __future__ import annotations

from typing import Any

STATUS_BY_CODE = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}

DEFAULT_MESSAGES = {
    401: (
        "Request is missing required authentication credential. Expected OAuth 2 access "
        "token, login cookie or other valid authentication credential."
    ),
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: (
        "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
        "minute per user' of service 'sheets.googleapis.com'."
    ),
    500: "Internal error encountered.",
    501: "Method not implemented.",
    503: "The service is currently unavailable.",
}


class ApiError(Exception):
    """An error reply: HTTP code, Google status and message."""

    def __init__(
        self,
        code: int,
        message: str | None = None,
        status: str | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        self.code = code
        self.message = message if message is not None else DEFAULT_MESSAGES.get(code, "Error")
        self.status = status or STATUS_BY_CODE.get(code, "UNKNOWN")
        self.details = details
        super().__init__(f"{self.code} {self.status}: {self.message}")

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


class DriveError(ApiError):
    """Drive v3 errors also carry the legacy `errors` list."""

    def __init__(self, code: int, message: str, reason: str, location: str | None = None,
                 domain: str = "global") -> None:
        super().__init__(code, message)
        self.reason = reason
        self.location = location
        self.domain = domain

    def body(self) -> dict[str, Any]:
        item: dict[str, Any] = {"message": self.message, "domain": self.domain,
                                "reason": self.reason}
        if self.location:
            item.update(location=self.location, locationType="parameter")
        body = super().body()
        body["error"]["errors"] = [item]
        return body


def invalid(message: str) -> ApiError:
    return ApiError(400, message)


def not_found() -> ApiError:
    return ApiError(404)


def file_not_found(file_id: str) -> DriveError:
    return DriveError(404, f"File not found: {file_id}.", "notFound", "fileId")


class RequestError(Exception):
    """A problem with one request of a batchUpdate; the batch wraps it with its position."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def invalid_payload(message: str, field: str) -> ApiError:
    """Google's reply to JSON that does not fit the request schema."""
    violation = {"field": field, "description": message}
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [violation],
        }
    ]
    return ApiError(400, message, details=details)
