"""Running the real CLI on a hostile input and checking what it left in the workbook.

Every run must end in a known way: exit 0 or 1 (data problems, reported), or exit 2
with a known error. A traceback, or the "unexpected ... this is a bug" message, fails.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from sheets_sync.cli import cli

CATEGORY_TABS = {"direct": "Direct", "indirect": "Indirect", "learning": "Learning"}
DATE = "2026-11-25"


@dataclass
class Expected:
    """One account as the generator made it: where it should land and its clean values."""

    handle: str  # the handle cell as the workbook should hold it
    tab: str  # 'Direct'
    values: dict[str, Any]  # header label -> clean value; absent or None means an empty cell
    row: int  # its row in the input file (1-based, header is row 1)


@dataclass
class Outcome:
    exit_code: int
    output: str
    report: dict[str, Any] | None
    problems: list[dict[str, Any]] = field(default_factory=list)


def run(*args: str) -> Outcome:
    """The CLI with --json; fails on a traceback or an unexpected-error message."""
    result: Result = CliRunner().invoke(cli, [*args, "--json", "--date", DATE])
    text = result.output
    assert result.exit_code in (0, 1, 2), (result.exit_code, text, result.exc_info)
    assert "Traceback" not in text, text
    assert "Error: an unexpected" not in text and "this is a bug" not in text, text
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{type(result.exception).__name__}: {result.exception}")
    report = None
    if result.exit_code in (0, 1):
        report = json.loads(result.stdout)
    else:
        assert text.startswith("Error: ") or "\nError: " in text, text
    return Outcome(result.exit_code, text, report,
                   list(report["problems"]) if report else [])


def rows_added(outcome: Outcome) -> int:
    assert outcome.report is not None
    return sum(tab["rows_added"] for tab in outcome.report["tabs"])


def input_cells_changed(outcome: Outcome) -> int:
    assert outcome.report is not None
    return sum(tab["input_cells_changed"] for tab in outcome.report["tabs"])


def category_rows(workbook: Path) -> dict[str, list[dict[str, Any]]]:
    """Per category tab, its rows that have a handle, as header label -> value."""
    book = load_workbook(workbook)
    found: dict[str, list[dict[str, Any]]] = {}
    for title in CATEGORY_TABS.values():
        if title not in book.sheetnames:
            continue
        rows = [[c.value for c in row] for row in book[title].iter_rows()]
        header = rows[0] if rows else []
        col = header.index("Handle") if "Handle" in header else None
        found[title] = [dict(zip(header, row, strict=False)) for row in rows[1:]
                        if col is not None and col < len(row) and row[col] not in (None, "")]
    return found


def same(stored: Any, wanted: Any) -> bool:
    if wanted is None:
        return stored is None or stored == ""
    if isinstance(wanted, int | float) and not isinstance(wanted, bool):
        return (isinstance(stored, int | float) and not isinstance(stored, bool)
                and math.isclose(stored, wanted, rel_tol=1e-12, abs_tol=1e-15))
    return stored == wanted


def mentions_row(outcome: Outcome, row: int) -> bool:
    named = re.compile(rf"\brow {row}\b")
    return any(named.search(p["where"]) or named.search(p["message"])
               for p in outcome.problems if p["severity"] == "error")


def check_workbook(workbook: Path, accepted: list[Expected], refused: list[Expected],
                   outcome: Outcome) -> None:
    """The workbook holds each accepted account once, with exactly the generator's values;
    each refused one is absent and its row is named in an error; nothing else is there."""
    tabs = category_rows(workbook)
    held = {(title, row["Handle"]) for title, rows in tabs.items() for row in rows}
    count = sum(len(rows) for rows in tabs.values())
    assert count == len(held), f"a handle is in more than one row: {tabs}"
    assert count == len(accepted), (sorted(held), [(e.tab, e.handle) for e in accepted],
                                    outcome.problems)
    for account in accepted:
        matches = [r for r in tabs.get(account.tab, []) if r["Handle"] == account.handle]
        assert len(matches) == 1, (account, tabs.get(account.tab))
        stored = matches[0]
        for header, wanted in account.values.items():
            assert same(stored.get(header), wanted), (account.handle, header,
                                                       stored.get(header), wanted)
    for account in refused:
        assert (account.tab, account.handle) not in held, account
        assert mentions_row(outcome, account.row), (account, outcome.problems)
