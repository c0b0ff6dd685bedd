"""The push, as a teammate sees it in the spreadsheet: each test on the emulator and, when
the live settings are given (see conftest.py), on real Google."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path
from typing import Any

import gspread

from sheets_sync import add_note, load_template, push

from .conftest import LiveSheet

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "competitors.csv"
TEMPLATE = load_template()
CATEGORY_TABS = tuple(TEMPLATE.category_tabs.values())
DERIVED = ("Tier", "Engagement Rate", "Last Changed")


def rows_of(spreadsheet: gspread.Spreadsheet, title: str) -> list[dict[str, Any]]:
    values = spreadsheet.worksheet(title).get_all_values(
        value_render_option="UNFORMATTED_VALUE")
    header = values[0]
    return [dict(zip(header, row, strict=False)) for row in values[1:]
            if any(v not in ("", None) for v in row)]


def example_counts() -> dict[str, int]:
    with EXAMPLES.open(encoding="utf-8") as handle:
        categories = [TEMPLATE.category_for(r["category"]) for r in csv.DictReader(handle)]
    return {title: categories.count(key) for key, title in TEMPLATE.category_tabs.items()}


def titles(spreadsheet: gspread.Spreadsheet) -> list[str]:
    return [ws.title for ws in spreadsheet.worksheets()]


def spreadsheet_path(live: LiveSheet) -> str:
    return f"/v4/spreadsheets/{live.spreadsheet.id}"


def test_push_fills_the_category_tabs(live: LiveSheet) -> None:
    report = push(live.url, [EXAMPLES], **live.auth)
    assert report.written
    counts = {title: len(rows_of(live.spreadsheet, title)) for title in CATEGORY_TABS}
    assert counts == example_counts()
    assert sum(counts.values()) == 30
    for title in CATEGORY_TABS:
        for row in rows_of(live.spreadsheet, title):
            empty = [h for h in DERIVED if row.get(h) in ("", None)]
            assert empty == [], f"{title} {row['Handle']}: derived cells left empty"
    glow = next(r for r in rows_of(live.spreadsheet, "Direct")
                if r["Handle"] == "@glowpuff.skin")
    assert glow["Followers"] == 1_200_000
    assert glow["Tier"] == "Macro"
    assert math.isclose(glow["Engagement Rate"], (16_000 + 420 + 1_100 + 2_300) / 380_000,
                        abs_tol=1e-9)


def test_same_push_twice_writes_nothing(live: LiveSheet) -> None:
    first = push(live.url, [EXAMPLES], **live.auth)
    assert first.written
    live.mark()
    again = push(live.url, [EXAMPLES], **live.auth)
    assert again.written is False and again.cells_changed == 0
    assert live.batch_updates() == []
    assert any(path.endswith(spreadsheet_path(live)) for _, path in live.calls()), \
        "the second push did not even read the spreadsheet"


def test_renamed_category_tab_still_gets_the_push(live: LiveSheet) -> None:
    live.spreadsheet.worksheet("Direct").update_title("Q3")
    live.mark()
    report = push(live.url, [EXAMPLES], **live.auth)
    assert report.written
    assert len(live.batch_updates()) >= 1
    names = titles(live.spreadsheet)
    assert "Q3" in names and "Direct" not in names
    handles = {r["Handle"] for r in rows_of(live.spreadsheet, "Q3")}
    assert len(handles) == example_counts()["Direct"]
    assert "@glowpuff.skin" in handles


def test_note_added_twice_is_one_row(live: LiveSheet) -> None:
    note = {"handle": "@glowpuff.skin", "kind": "product launch",
            "date": dt.date(2026, 3, 2), "author": "live suite"}
    first = add_note(live.url, "Spring launch of the cleansing balm", **note, **live.auth)
    assert first.written
    second = add_note(live.url, "Spring launch of the cleansing balm", **note, **live.auth)
    assert second.written is False
    tab = TEMPLATE.all_tabs["context_notes"]
    matching = [r for r in rows_of(live.spreadsheet, tab)
                if "Spring launch of the cleansing balm" in r.values()]
    assert len(matching) == 1
