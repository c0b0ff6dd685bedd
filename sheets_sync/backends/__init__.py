"""Backends hold a workbook; `open_backend` picks one for a target."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from .base import Backend
from .xlsx import XlsxBackend

__all__ = ["Backend", "XlsxBackend", "open_backend"]


def open_backend(target: str | Path | Backend) -> Backend:
    """A target path ending in .xlsx, or a Backend object as it is."""
    if not isinstance(target, str | Path):
        return target
    text = str(target).strip()
    if text.lower().endswith((".xlsx", ".xlsm")):
        return XlsxBackend(text)
    raise ConfigError(
        f"cannot use {text!r} as a workbook",
        hint="give the path of a local .xlsx workbook, e.g. --sheet benchmark.xlsx",
    )
