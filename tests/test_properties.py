"""Random sequences of teammate edits, sorts, column moves, pushes and stale pushes, on both
backends (Google Sheets through the emulator, in-process). After every push:

- no teammate edit made since the last push is lost (a conflict keeps the sheet's value);
- every derived cell equals the metrics of the row's inputs as they now stand;
- pushing the same file again changes nothing.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import sheets_sync
from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.values import normalize_handle
from tests.conftest import TODAY, write_csv

HANDLES = ["@alpha", "@bravo", "@charlie", "@delta"]
VALUES: dict[str, list[Any]] = {
    "Followers": [8000, 50000, 150000, 2000000],
    "Avg Views": [0, 1200, 90000],
    "Avg Likes": [100, 5000],
    "Notes": ["", "launch", "collab"],
}
HEADERS = list(VALUES)
# In CI a failure is reported as found: shrinking these slow examples can take minutes.
PHASES = tuple(p for p in Phase if p is not Phase.shrink) if os.environ.get("CI") else tuple(Phase)


class Sheet(Protocol):
    def target(self) -> Any: ...
    def edit(self, handle: str, header: str, value: Any) -> bool: ...
    def sort(self, header: str, reverse: bool) -> None: ...
    def move(self, header: str, to: int) -> None: ...
    def rows(self) -> list[dict[str, Any]]: ...


class XlsxSheet:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "book.xlsx"

    def target(self) -> Any:
        return XlsxBackend(self.path)

    def _table(self) -> tuple[Any, Any, list[list[Any]]]:
        wb = load_workbook(self.path)
        ws = wb["Direct"]
        return wb, ws, [[c.value for c in row] for row in ws.iter_rows()]

    def _rewrite(self, wb: Any, ws: Any, grid: list[list[Any]],
                 formats: list[list[str]]) -> None:
        """Cells move with their number format, as when a person moves them in Excel."""
        for r, row in enumerate(grid, start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                cell.value = value
                cell.number_format = formats[r - 1][c - 1]
                if isinstance(value, str):
                    cell.data_type = "s"
        wb.save(self.path)

    def _formats(self, ws: Any) -> list[list[str]]:
        return [[c.number_format for c in row] for row in ws.iter_rows()]

    def edit(self, handle: str, header: str, value: Any) -> bool:
        if not self.path.exists():
            return False
        wb, ws, grid = self._table()
        col = grid[0].index(header)
        for r, row in enumerate(grid[1:], start=2):
            if row[grid[0].index("Handle")] == handle:
                ws.cell(row=r, column=col + 1).value = value if value != "" else None
                wb.save(self.path)
                return True
        return False

    def sort(self, header: str, reverse: bool) -> None:
        wb, ws, grid = self._table()
        col = grid[0].index(header)
        formats = self._formats(ws)
        body = [(row, fmt) for row, fmt in zip(grid[1:], formats[1:], strict=True)
                if any(v is not None for v in row)]
        body.sort(key=lambda item: (item[0][col] is None, str(item[0][col])), reverse=reverse)
        self._rewrite(wb, ws, [grid[0], *[row for row, _ in body]],
                      [formats[0], *[fmt for _, fmt in body]])

    def move(self, header: str, to: int) -> None:
        wb, ws, grid = self._table()
        col = grid[0].index(header)
        width = len(grid[0])
        order = [c for c in range(width) if c != col]
        order.insert(min(to, width - 1), col)
        formats = self._formats(ws)
        self._rewrite(wb, ws, [[row[c] if c < len(row) else None for c in order]
                               for row in grid],
                      [[row[c] if c < len(row) else "General" for c in order]
                       for row in formats])

    def rows(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        _, _, grid = self._table()
        return [dict(zip(grid[0], row, strict=False)) for row in grid[1:]
                if any(v is not None for v in row)]


class GoogleSheet:
    def __init__(self, folder: Path) -> None:
        import gspread
        from google.oauth2.credentials import Credentials

        from sheets_emulator import EmulatorAdapter, EmulatorState
        from sheets_sync.backends.google_http import RetryingHTTPClient, authorized_session
        from sheets_sync.backends.gsheets import GoogleSheetsBackend

        creds = Credentials(token="teammate")
        session = authorized_session(creds, EmulatorAdapter(EmulatorState()))
        client = gspread.Client(auth=creds, session=session, http_client=RetryingHTTPClient)
        self.backend = GoogleSheetsBackend("", client, creds)
        self.backend.create("properties")
        self.http = client.http_client
        del folder

    def target(self) -> Any:
        return self.backend

    def _grid(self) -> tuple[int, list[list[Any]]]:
        meta = self.http.spreadsheets_get(self.backend.key, params={"fields": "sheets.properties"})
        sheet_id = next((s["properties"]["sheetId"] for s in meta["sheets"]
                         if s["properties"]["title"] == "Direct"), None)
        if sheet_id is None:
            return 0, [[]]
        values = self.http.values_get(self.backend.key, "'Direct'", params={
            "valueRenderOption": "UNFORMATTED_VALUE"}).get("values", [])
        return sheet_id, values

    def _update(self, requests: list[dict[str, Any]]) -> None:
        self.http.batch_update(self.backend.key, {"requests": requests})

    def edit(self, handle: str, header: str, value: Any) -> bool:
        sheet_id, grid = self._grid()
        if not grid[0]:
            return False
        col = grid[0].index(header)
        for r, row in enumerate(grid[1:], start=1):
            if row and row[grid[0].index("Handle")] == handle:
                cell = ({} if value == "" else {"userEnteredValue": (
                    {"stringValue": value} if isinstance(value, str) else {"numberValue": value})})
                self._update([{"updateCells": {
                    "rows": [{"values": [cell]}], "fields": "userEnteredValue",
                    "start": {"sheetId": sheet_id, "rowIndex": r, "columnIndex": col}}}])
                return True
        return False

    def sort(self, header: str, reverse: bool) -> None:
        sheet_id, grid = self._grid()
        rows = sum(1 for row in grid[1:] if any(v not in ("", None) for v in row))
        self._update([{"sortRange": {
            "range": {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": 1 + rows},
            "sortSpecs": [{"dimensionIndex": grid[0].index(header),
                           "sortOrder": "DESCENDING" if reverse else "ASCENDING"}]}}])

    def move(self, header: str, to: int) -> None:
        sheet_id, grid = self._grid()
        col = grid[0].index(header)
        destination = min(to, len(grid[0]))
        if destination in (col, col + 1):
            return
        self._update([{"moveDimension": {
            "source": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col,
                       "endIndex": col + 1},
            "destinationIndex": destination}}])

    def rows(self) -> list[dict[str, Any]]:
        _, grid = self._grid()
        if not grid[0]:
            return []
        return [{h: (row[i] if i < len(row) and row[i] != "" else None)
                 for i, h in enumerate(grid[0])} for row in grid[1:] if any(row)]


file_rows = st.lists(
    st.fixed_dictionaries({"Handle": st.sampled_from(HANDLES),
                           **{h: st.sampled_from(v) for h, v in VALUES.items()}}),
    min_size=1, max_size=4, unique_by=lambda r: r["Handle"])
operations = st.lists(st.one_of(
    st.tuples(st.just("push"), file_rows),
    st.tuples(st.just("stale"), st.integers(0, 5)),
    st.tuples(st.just("edit"), st.sampled_from(HANDLES), st.sampled_from(HEADERS),
              st.integers(0, 3)),
    st.tuples(st.just("sort"), st.sampled_from([*HEADERS, "Handle"]), st.booleans()),
    st.tuples(st.just("move"), st.sampled_from([*HEADERS, "Handle", "Tier"]),
              st.integers(0, 40)),
), min_size=2, max_size=9)


def _check_derived(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        followers, views, likes = row.get("Followers"), row.get("Avg Views"), row.get("Avg Likes")
        tier = None
        if isinstance(followers, int | float):
            tier = "Micro" if followers < 100_000 else "Mid" if followers <= 1_000_000 else "Macro"
        assert row.get("Tier") == tier, row
        expected_vpf = views / followers if isinstance(views, int | float) and followers else None
        actual = row.get("Views per Follower")
        if expected_vpf is None:
            assert actual is None, row
        else:
            assert math.isclose(actual, expected_vpf, rel_tol=1e-9), row
        ratio = likes / views if isinstance(likes, int | float) and views else None
        assert (row.get("ER Band") is None) == (ratio is None) or ratio is not None, row


def run_sequence(sheet: Sheet, ops: list[tuple[Any, ...]], folder: Path) -> None:
    pushed: list[Path] = []
    edits: dict[tuple[str, str], Any] = {}
    for number, op in enumerate(ops):
        kind = op[0]
        if kind in ("push", "stale"):
            if kind == "push":
                source = write_csv(folder / f"f{number}.csv",
                                   [{"category": "direct", **row} for row in op[1]])
                pushed.append(source)
            elif pushed:
                source = pushed[op[1] % len(pushed)]
            else:
                continue
            report = sheets_sync.push(sheet.target(), [source], today=TODAY)
            rows = {normalize_handle(r["Handle"]): r for r in sheet.rows()}
            for (handle, header), value in edits.items():
                row = rows.get(normalize_handle(handle))
                if row is not None:
                    assert (row.get(header) if row.get(header) is not None else "") == value, (
                        f"teammate's {header}={value!r} on {handle} lost", report.conflicts)
            _check_derived(list(rows.values()))
            again = sheets_sync.push(sheet.target(), [source], today=TODAY)
            assert again.cells_changed == 0 and not again.written, again.tabs
            edits = {}
        elif kind == "edit":
            _, handle, header, index = op
            value = VALUES[header][index % len(VALUES[header])]
            before = {normalize_handle(r["Handle"]): r for r in sheet.rows()}.get(
                normalize_handle(handle), {}).get(header)
            if sheet.edit(handle, header, value) and (before if before is not None
                                                       else "") != value:
                edits[(handle, header)] = value  # an edit to the value already there is none
        elif kind == "sort" and sheet.rows():
            sheet.sort(op[1], op[2])
        elif kind == "move" and sheet.rows():
            sheet.move(op[1], op[2])


@settings(max_examples=25, deadline=None, phases=PHASES,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operations)
def test_random_teammate_sessions_on_the_local_workbook(ops: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run_sequence(XlsxSheet(Path(folder)), ops, Path(folder))


@settings(max_examples=20, deadline=None, phases=PHASES,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operations)
def test_random_teammate_sessions_on_google_sheets(ops: list[tuple[Any, ...]]) -> None:
    pytest.importorskip("googleapiclient", reason="the emulator needs google-api-python-client")
    with tempfile.TemporaryDirectory() as folder:
        run_sequence(GoogleSheet(Path(folder)), ops, Path(folder))
