"""The post-write check's first look: header row and handle column only."""

from __future__ import annotations

from sheets_sync.template import load_template
from sheets_sync.verify import landed_as_planned
from sheets_sync.workbook import TabGrid, TabWrite, WorkbookGrid, WritePlan

TEMPLATE = load_template("en")
LAYOUT = {"handle": 0, "followers": 1}
HEADER = ["Handle", "Followers"]


def _before() -> WorkbookGrid:
    return WorkbookGrid([TabGrid("Direct", [HEADER, ["@a", 10], ["@b", 20]], tab_id=7)],
                        has_tab_ids=True)


def _plan() -> WritePlan:
    write = TabWrite("direct", "Direct", TEMPLATE.columns, LAYOUT, 3, is_category=True,
                     cells={(2, 1): 25, (3, 0): "@c", (3, 1): 30})
    return WritePlan([write])


def _after(rows: list[list[object]]) -> WorkbookGrid:
    return WorkbookGrid([TabGrid("Direct", rows, tab_id=7)], has_tab_ids=True)


def test_nothing_moved_is_landed() -> None:
    after = _after([HEADER, ["@a"], ["@b"], ["@c"]])
    assert landed_as_planned(_before(), _plan(), after)


def test_a_row_inserted_above_is_caught() -> None:
    after = _after([HEADER, [None], ["@a"], ["@c"]])
    assert not landed_as_planned(_before(), _plan(), after)


def test_a_sort_is_caught() -> None:
    after = _after([HEADER, ["@b"], ["@a"], ["@c"]])
    assert not landed_as_planned(_before(), _plan(), after)


def test_a_moved_column_is_caught() -> None:
    after = _after([["Followers", "Handle"], [None, "@a"], [None, "@b"], [None, "@c"]])
    assert not landed_as_planned(_before(), _plan(), after)


def test_handles_compare_as_identities() -> None:
    after = _after([HEADER, ["@A "], ["b"], ["@c"]])
    assert landed_as_planned(_before(), _plan(), after)
