"""pull: CSV a spreadsheet program opens safely, and a push takes back unchanged."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import sheets_sync
from tests.conftest import row_of, write_csv

TODAY = dt.date(2026, 3, 1)
HOSTILE = {"Name": "+cmd|' /C calc'!A0", "Notes": '=HYPERLINK("http://x.example","click")',
           "Content Themes": "@SUM(1+1)"}


def _pulled(folder: Path) -> dict[str, str]:
    with (folder / "direct.csv").open(encoding="utf-8") as handle:
        return next(csv.DictReader(handle))


def test_pull_neutralises_formula_like_text_and_pushes_back_unchanged(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    source = write_csv(tmp_path / "in.csv", [{"category": "direct", "Handle": "@glowlab",
                                              "Followers": 50_000, **HOSTILE}])
    sheets_sync.push(book, [source], today=TODAY)
    sheets_sync.pull(book, tmp_path / "safe")
    safe = _pulled(tmp_path / "safe")
    assert safe["display_name"] == "'" + HOSTILE["Name"]
    assert safe["notes"] == "'" + HOSTILE["Notes"]
    assert safe["content_themes"] == "'" + HOSTILE["Content Themes"]
    assert safe["followers"] == "50000"  # numbers are never touched
    assert safe["handle"] == "'@glowlab"  # Excel reads a leading @ as a formula too
    again = sheets_sync.push(book, [tmp_path / "safe" / "direct.csv"], today=TODAY)
    assert again.cells_changed == 0, [str(p) for p in again.problems]
    assert row_of(book, "Direct", "glowlab")["Notes"] == HOSTILE["Notes"]

    sheets_sync.pull(book, tmp_path / "raw", raw=True)
    assert _pulled(tmp_path / "raw")["notes"] == HOSTILE["Notes"]
