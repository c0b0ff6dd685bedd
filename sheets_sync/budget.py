"""How far the workbook is from Google Sheets' cell limit, and when History reaches it."""

from __future__ import annotations

from .benchmark import Benchmark

# "Up to 10 million cells or 18,278 columns (column ZZZ) for spreadsheets created in or
# converted to Google Sheets" (https://support.google.com/drive/answer/37603).
GOOGLE_CELL_LIMIT = 10_000_000


def cell_budget(bench: Benchmark) -> str:
    """One line: cells used of the limit, and the months History growth leaves."""
    used = bench.grid.cells_used
    accounts = sum(1 for tab in bench.sheet.tabs.values() for row in tab.rows if row.handle_id)
    width = max(len(bench.template.history_columns), bench.layouts["history"].width)
    per_month = accounts * width
    share = used / GOOGLE_CELL_LIMIT
    line = (f"the workbook uses {used:,} of the {GOOGLE_CELL_LIMIT:,} cells a Google "
            f"spreadsheet may hold ({share:.1%})")
    if used >= GOOGLE_CELL_LIMIT:
        return line + "; it is full: archive old History rows to another spreadsheet"
    if per_month:
        months = (GOOGLE_CELL_LIMIT - used) // per_month
        away = f"{months:,} months" if months < 24 else f"{months // 12:,} years"
        line += (f"; monthly History snapshots add about {per_month:,} a month ({accounts:,} "
                 f"accounts x {width} columns), so the limit is about {away} away")
    return line
