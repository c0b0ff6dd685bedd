from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "competitors.csv"
TODAY = dt.date(2026, 11, 25)


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    fields: list[str] = []
    for row in rows:
        fields.extend(k for k in row if k not in fields)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def sheet_values(path: Path) -> dict[str, list[list[Any]]]:
    """Every tab's cell values, row by row."""
    book = load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


def table(path: Path, tab: str) -> list[dict[str, Any]]:
    """A tab's rows as dicts keyed by header text."""
    rows = sheet_values(path)[tab]
    header = rows[0]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]
            if any(v is not None for v in row)]


def summary_rows(rows: list[list[Any]], template: str = "en") -> list[dict[str, Any]]:
    """The Summary's blocks read back by position from its cell values, one row per category
    group (movers in the first rows), keyed by the template's summary header labels."""
    from sheets_sync.summary_layout import read_summary
    from sheets_sync.template import load_template
    from sheets_sync.workbook import TabGrid

    tpl = load_template(template)
    cells = [[None if v == "" else v for v in row] for row in rows]
    headers = {c.key: c.header for c in tpl.summary_columns}
    return [{headers[k]: v for k, v in row.items()}
            for row in read_summary(TabGrid("Summary", cells), tpl)]


def summary_of(path: Path, template: str = "en", tab: str | None = None) -> list[dict[str, Any]]:
    """The Summary of a local workbook, as summary_rows reads it."""
    from sheets_sync.template import load_template

    return summary_rows(sheet_values(path)[tab or load_template(template).tabs.summary],
                        template)


def row_of(path: Path, tab: str, handle: str) -> dict[str, Any]:
    return next(r for r in table(path, tab) if str(r["Handle"]).lstrip("@").lower() == handle)


@pytest.fixture
def today() -> dt.date:
    return TODAY
