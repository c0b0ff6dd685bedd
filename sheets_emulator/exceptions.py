"""The emulator's own exceptions: it cannot run as asked.

The error replies it sends to clients, shaped like Google's, are in errors.py.
"""

from __future__ import annotations

__all__ = ["DiscoveryUnavailableError", "EmulatorError"]

EXTRA = "pip install 'sheets-sync[emulator]'"


class EmulatorError(Exception):
    """A setup problem: the message says what went wrong, the hint what to do next."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class DiscoveryUnavailableError(EmulatorError, ImportError):
    """google-api-python-client, which carries the discovery documents, is not installed
    (or carries no document for Sheets v4 or Drive v3). Without them the emulator cannot
    check requests as Google does, so it refuses to start."""

    def __init__(self, message: str, hint: str | None = EXTRA) -> None:
        super().__init__(message, hint)
        self.name = "googleapiclient"
