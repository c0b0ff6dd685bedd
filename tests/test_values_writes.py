"""values.batchUpdate bodies: the cell contents updateCells would write, split under a limit."""

from __future__ import annotations

import datetime as dt
import json

from sheets_sync.backends import values_writes as vw


def test_values_keep_the_meaning_updatecells_gives_them() -> None:
    assert vw.raw_value("=1+1") == "=1+1"
    assert vw.raw_value(dt.date(1899, 12, 31)) == 1
    assert vw.raw_value(dt.datetime(1900, 1, 1, 15, 30)) == 2
    assert vw.raw_value(True) is True
    assert vw.raw_value(float("nan")) is None
    assert vw.raw_value(None) is None and vw.raw_value(None, clear=True) == ""


def test_only_rows_empty_when_read_are_bulk() -> None:
    cells = {(1, 0): "a", (1, 1): 2, (2, 0): "b", (5, 0): "c"}
    kinds = [b"\x03\x03", b"\x00\x00", b"\x03\x01"]
    assert vw.bulk_places(cells, kinds) == {(1, 0), (1, 1), (5, 0)}
    assert vw.bulk_places(cells, None) == set(cells)


def test_bodies_stay_under_the_limit_and_keep_every_row_in_order() -> None:
    cells = {(r, c): f"row {r} col {c}" for r in range(1, 401) for c in range(3)}
    ranges = vw.value_ranges("Direct's", cells)
    assert ranges[0]["range"] == "'Direct''s'!A2:C401"
    bodies = vw.encoded_bodies(ranges, 5_000)
    assert len(bodies) > 1 and all(len(b) <= 5_000 for b in bodies)
    rows = []
    for body in bodies:
        for part in json.loads(body)["data"]:
            first = int(part["range"].split("!A")[1].split(":")[0])
            assert first == len(rows) + 2
            rows.extend(part["values"])
    assert rows == [[f"row {r} col {c}" for c in range(3)] for r in range(1, 401)]
