"""The pure batchUpdate builders: blocks cover exactly the written cells, text stays text."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.backends import sheets_requests as rq
from sheets_sync.backends.gsheets import spreadsheet_key
from sheets_sync.highlights import is_own_formula
from sheets_sync.template import load_template

TEMPLATE = load_template()


@given(st.sets(st.tuples(st.integers(0, 30), st.integers(0, 12)), min_size=1, max_size=120))
def test_blocks_cover_each_written_cell_exactly_once(cells: set[tuple[int, int]]) -> None:
    covered: list[tuple[int, int]] = []
    for row, end_row, col, end_col in rq._runs(dict.fromkeys(cells)):
        assert row < end_row and col < end_col
        covered.extend((r, c) for r in range(row, end_row) for c in range(col, end_col))
    assert sorted(covered) == sorted(cells)


def test_a_full_table_is_one_block() -> None:
    cells = {(r, c): 1 for r in range(1, 301) for c in range(36)}
    assert list(rq._runs(cells)) == [(1, 301, 0, 36)]


def test_values_keep_their_kind() -> None:
    assert rq.extended_value("=1+1") == {"stringValue": "=1+1"}
    assert rq.extended_value("+1 555") == {"stringValue": "+1 555"}
    assert rq.extended_value(52500) == {"numberValue": 52500}
    assert rq.extended_value(0.05) == {"numberValue": 0.05}
    assert rq.extended_value(dt.date(2026, 11, 25)) == {"numberValue": 46351}
    assert rq.extended_value(None) is None
    assert rq.extended_value(float("inf")) is None


def test_cell_writes_send_values_then_column_formats() -> None:
    by_col = {c: TEMPLATE.columns[c] for c in range(3)}  # Handle, Name, Followers
    cells = {(5, 0): "=1+1", (5, 1): None, (5, 2): 12500}
    requests = rq.cell_writes(7, cells, by_col)
    update = requests[0]["updateCells"]
    assert update["start"] == {"sheetId": 7, "rowIndex": 5, "columnIndex": 0}
    assert update["fields"] == "userEnteredValue"
    assert update["rows"][0]["values"] == [
        {"userEnteredValue": {"stringValue": "=1+1"}}, {},
        {"userEnteredValue": {"numberValue": 12500}}]
    formats = {r["repeatCell"]["range"]["startColumnIndex"]:
               r["repeatCell"]["cell"]["userEnteredFormat"]["numberFormat"] for r in requests[1:]}
    assert formats == {0: {"type": "TEXT"}, 1: {"type": "TEXT"},
                       2: {"type": "NUMBER", "pattern": "#,##0"}}


def test_large_blocks_are_cut_into_requests_under_the_size() -> None:
    by_col = {c: TEMPLATE.columns[c] for c in range(36)}
    cells = {(r, c): 123456 for r in range(1, 3001) for c in range(36)}
    requests = [r for r in rq.cell_writes(1, cells, by_col) if "updateCells" in r]
    assert len(requests) > 1
    assert all(len(json.dumps(r)) < 500_000 for r in requests)
    assert sum(len(r["updateCells"]["rows"]) for r in requests) == 3000


def test_split_keeps_order_and_size() -> None:
    requests = [{"n": i, "pad": "x" * 1000} for i in range(500)]
    batches = rq.split_requests(requests, 100_000)
    assert [r["n"] for batch in batches for r in batch] == list(range(500))
    assert all(rq.body_size(batch) <= 100_000 for batch in batches)
    assert len(batches) == 6


def test_number_formats_by_column() -> None:
    by_key = TEMPLATE.by_key
    assert rq.number_format(by_key["engagement_rate"]) == {"type": "PERCENT", "pattern": "0.00%"}
    assert rq.number_format(by_key["last_changed"]) == {"type": "DATE", "pattern": "yyyy-mm-dd"}
    assert rq.number_format(by_key["notes"]) == {"type": "TEXT"}
    assert rq.number_format(by_key["content_style"]) is None


def test_own_rules_and_protections_are_recognised() -> None:
    assert is_own_formula("=AND(ISNUMBER(AB2),AB2<0.03)")
    assert is_own_formula("AND(ISNUMBER($AJ2),TODAY()-$AJ2>35)")
    assert not is_own_formula("=B2>100")
    assert rq.own_protection({"description": "sheets-sync: Tier is recomputed on every push"})
    assert not rq.own_protection({"description": "Finance only"})


def test_spreadsheet_keys_from_urls_and_bare_keys() -> None:
    key = "1VYZV6IRnymjtcrTiKitjSdyIpBjiKTnzjBT-J87QLjI"
    assert spreadsheet_key(f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0") == key
    assert spreadsheet_key(key) == key
    assert spreadsheet_key("benchmark.xlsx") is None
    assert spreadsheet_key("short") is None


def test_own_rules_are_recognised_in_any_echo_form() -> None:
    from sheets_sync.backends.gsheets import _rule_signature

    sent = {"ranges": [{"sheetId": 1, "startRowIndex": 1, "startColumnIndex": 12,
                        "endColumnIndex": 13}],
            "booleanRule": {"condition": {"type": "CUSTOM_FORMULA", "values": [
                {"userEnteredValue": "=AND(ISNUMBER(M2),M2<0.03)"}]}}}
    bounded = {"ranges": [{"sheetId": 1, "startRowIndex": 1, "endRowIndex": 1000,
                           "startColumnIndex": 12, "endColumnIndex": 13}],
               "booleanRule": {"condition": {"type": "CUSTOM_FORMULA", "values": [
                   {"userEnteredValue": "=and(isnumber(M2), M2 < .03)"}]}}}
    assert _rule_signature(sent, 1000, 30) == _rule_signature(bounded, 1000, 30)
    assert _rule_signature(bounded, 1000, 30) is not None
    other = {**bounded, "ranges": [{**bounded["ranges"][0], "endRowIndex": 500}]}
    assert _rule_signature(other, 1000, 30) != _rule_signature(sent, 1000, 30)


def test_a_changed_number_over_a_number_is_sent_without_its_format() -> None:
    by_col = {c: TEMPLATE.columns[c] for c in range(3)}  # Handle, Name, Followers
    kinds = rq.row_kinds([["Handle", "Name", "Followers"], ["@a", "A", 1000], ["@b", "B", None]])
    cells = {(1, 2): 2000, (2, 2): 3000, (1, 1): None}
    requests = rq.cell_writes(7, cells, by_col, previous_kinds=kinds)
    written = {(r["updateCells"]["start"]["rowIndex"], r["updateCells"]["start"]["columnIndex"])
               for r in requests if "updateCells" in r}
    assert written == {(1, 1), (2, 2)}
    formatted = [r["repeatCell"]["range"] for r in requests if "repeatCell" in r]
    # only the cell that was empty gets its column's format; a cleared cell needs none
    assert formatted == [rq.grid_range(7, row=2, end_row=3, col=2, end_col=3)]


def test_a_value_of_another_kind_gets_its_columns_format() -> None:
    by_col = {c: TEMPLATE.columns[c] for c in range(3)}
    kinds = rq.row_kinds([["Handle", "Name", "Followers"], ["@a", "A", "12K"]])
    requests = rq.cell_writes(7, {(1, 2): 12000}, by_col, previous_kinds=kinds)
    assert [r["repeatCell"]["cell"]["userEnteredFormat"]["numberFormat"]
            for r in requests if "repeatCell" in r] == [{"type": "NUMBER", "pattern": "#,##0"}]


def test_rows_beyond_the_grid_as_read_are_formatted() -> None:
    by_col = {c: TEMPLATE.columns[c] for c in range(3)}
    kinds = rq.row_kinds([["Handle", "Name", "Followers"], ["@a", "A", 1]])
    cells = {(r, c): v for r in (5, 6) for c, v in enumerate(("@n", "N", 5))}
    requests = rq.cell_writes(7, cells, by_col, previous_kinds=kinds)
    text, followers = {"type": "TEXT"}, {"type": "NUMBER", "pattern": "#,##0"}
    assert formatted_cells(requests) == {(5, 0): text, (5, 1): text, (5, 2): followers,
                                         (6, 0): text, (6, 1): text, (6, 2): followers}
    assert len([r for r in requests if "repeatCell" in r]) == 2  # Handle and Name as one


def formatted_cells(requests: list[dict]) -> dict[tuple[int, int], dict]:
    found = {}
    for request in requests:
        if "repeatCell" in request:
            where = request["repeatCell"]["range"]
            for r in range(where["startRowIndex"], where["endRowIndex"]):
                for c in range(where["startColumnIndex"], where["endColumnIndex"]):
                    assert (r, c) not in found
                    found[(r, c)] = request["repeatCell"]["cell"]["userEnteredFormat"][
                        "numberFormat"]
    return found


@given(st.dictionaries(st.tuples(st.integers(1, 20), st.integers(0, 5)),
                       st.sampled_from([None, 1, "x"]), min_size=1, max_size=60),
       st.lists(st.binary(min_size=0, max_size=6).map(
           lambda b: bytes(x % 4 for x in b)), max_size=22))
def test_exactly_the_cells_without_their_format_get_it(cells: dict, kinds: list[bytes]) -> None:
    by_col = {c: TEMPLATE.columns[c] for c in range(6)}
    found = formatted_cells(rq.cell_writes(7, cells, by_col, previous_kinds=kinds))
    for (row, col), value in cells.items():
        before = kinds[row][col] if row < len(kinds) and col < len(kinds[row]) else 0
        fmt = rq.number_format(by_col[col])
        if value is not None and before != rq.value_kind(value) and fmt is not None:
            assert found[(row, col)] == fmt
        elif (row, col) in found:
            assert value is None and found[(row, col)] == fmt  # a cleared cell in a run
    assert set(found) <= set(cells)


def test_encoded_batches_are_the_split_requests_as_json() -> None:
    requests = [{"n": i, "pad": "x" * (i % 7) * 300} for i in range(400)]
    bodies = rq.encoded_batches(requests, 50_000)
    assert len(bodies) > 1 and all(len(body) <= 50_000 for body in bodies)
    assert [json.loads(body)["requests"] for body in bodies] == rq.split_requests(
        requests, 50_000)


def test_encoded_text_is_utf8_and_a_lone_surrogate_stays_an_escape() -> None:
    body = rq.encoded_batches([{"note": "竞品 ✓"}, {"note": "bad \udc80"}], 2_000_000)[0]
    assert "竞品 ✓".encode() in body
    assert json.loads(body)["requests"][1]["note"] == "bad \udc80"
