"""An .xlsx file is a zip: refuse one that would inflate past what a benchmark needs
before any of it is unpacked (a 1 MB file can inflate to gigabytes)."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_INFLATED_BYTES = 512 * 1024 * 1024  # 6,000 accounts x 24 months of History is ~60 MB


def inflation_problem(path: Path, limit: int | None = None) -> str | None:
    """Why `path` should not be opened, or None. A file that is no zip at all is left for
    the reader to report."""
    limit = MAX_INFLATED_BYTES if limit is None else limit
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if inflated > limit:
        return (f"it would inflate to {inflated / 1e6:,.0f} MB, more than the "
                f"{limit / 1e6:,.0f} MB a workbook is allowed here")
    return None
