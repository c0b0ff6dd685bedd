"""One exception base; every error says what went wrong and what to do next."""

from __future__ import annotations


class SheetsSyncError(Exception):
    """A usage or configuration problem: the command cannot run (exit code 2)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class TemplateError(SheetsSyncError):
    """A template file that cannot be loaded or does not validate."""


class ConfigError(SheetsSyncError):
    """A target, setting or option that cannot be used."""


class InputFileError(SheetsSyncError):
    """An input file that cannot be opened or has no usable columns."""


class WorkbookError(SheetsSyncError):
    """A workbook that cannot be opened, read or written."""


class WriteOutcomeUnknown(SheetsSyncError):
    """A write was sent and no reply came back: it may or may not have been applied."""


class SheetChangedDuringPush(SheetsSyncError):
    """The workbook changed between a push's read and its write; nothing was written."""
