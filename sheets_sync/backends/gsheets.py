"""Google Sheets through gspread: two lean reads, and one atomic batchUpdate for most pushes.

The read is a metadata-only spreadsheets.get (tabs, the rules, protections and
developer metadata that tell what this tool owns, charts), then the tabs' values (see
grid_values). A write is a single batchUpdate holding every cell write, format, rule,
validation and protection; the reply of the write's last batchUpdate carries what the
post-write check compares (header rows and handle columns), when that is the last call.

A big write (at least VALUES_THRESHOLD_CELLS cells in tabs it creates or in rows that
were empty when read, i.e. new accounts) sends those cells' values by
spreadsheets.values.batchUpdate instead (values_writes: RAW input, the bare value where
an updateCells CellData costs ~40 bytes a cell), in this order:

1. batchUpdate: the version swap (write_version), new tabs, grid sizes, headers, every
   other cell, the number formats of the bulk cells (one repeatCell per column range),
   rules, dropdowns, protections, charts;
2. values.batchUpdate: the bulk values, then the memory of the push (the hidden
   `_sheets_sync` tab, written whole, blanks emptied) in the last of these calls;
3. batchUpdate, only when the push takes the monthly snapshot: its marker, after the
   snapshot's rows, so `refresh --if-due` never skips a snapshot that did not land.

Each call is atomic on its own (values.batchUpdate too: Google answers 400 for the whole
call when one range is bad), but the write as a whole no longer is: a push stopped after
step 1 leaves the structure and formats without the new rows' values. That is acceptable
because nothing is lost or wrong that the next push does not finish: the memory of the
push lands last, so the next push merges against the old memory and writes the rows
again; the version swapped in step 1, so a concurrent push that planned on the old
version is refused as before; bulk cells are only ones that were empty when read, and a
blank among them goes as JSON null, which leaves the cell alone, so a teammate typing
into a new row meanwhile keeps the text; and the engine's post-write check reads the
tabs after every write and repairs what did not land. Small writes (a few changed
numbers) keep today's single atomic batchUpdate.

Every body stays under MAX_BATCH_BYTES, below Google's 10,485,760-byte request limit;
a larger batchUpdate or values write is split, the memory always in the last part.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import gspread
from google.auth.credentials import Credentials
from google.auth.exceptions import GoogleAuthError, TransportError
from gspread.exceptions import APIError
from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL

from ..errors import SheetChangedDuringPush, SheetsSyncError
from ..highlights import is_own_formula
from ..summary_layout import CHART_COLUMN, COLUMNS
from ..sync_state import STATE_TAB
from ..template import Column, Template
from ..workbook import (
    EVERYTHING,
    ReadScope,
    TabGrid,
    TabWrite,
    WorkbookGrid,
    WritePlan,
    fresh_tab_id,
)
from . import grid_values
from . import sheets_requests as rq
from . import values_writes as vw
from .google_errors import GoogleApiError, api_error
from .google_http import RetryingHTTPClient, authorized_session
from .write_version import VERSION_TAB, swap_version, version_id

URL_KEY = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
BARE_KEY = re.compile(r"[A-Za-z0-9_-]{25,}")
# Google refuses a body over 10,485,760 bytes (see sheets_emulator/limits.py); the
# margin covers what gspread and the transport add around the body.
MAX_BATCH_BYTES = 9_000_000
# Below this many bulk cells a write stays one atomic batchUpdate.
VALUES_THRESHOLD_CELLS = 5_000
GOOGLE_TEXT_LIMIT = 50_000
DEFAULT_ROWS, DEFAULT_COLS = 1000, 26
MARKER_FIELDS = "developerMetadata(metadataId,metadataKey,metadataValue)"
# The cells of a write's reply the post-write check compares (see verify.landed_as_planned).
LANDING_FIELDS = ("spreadsheetId,replies,updatedSpreadsheet.sheets(properties(sheetId,title),"
                  "data(startRow,startColumn,rowData.values.effectiveValue))")
METADATA_FIELDS = (
    f"spreadsheetId,properties.title,{MARKER_FIELDS},"
    "sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount,"
    "frozenRowCount,frozenColumnCount)),conditionalFormats,"
    "protectedRanges(protectedRangeId,description,range,warningOnly),"
    "developerMetadata(metadataId,metadataKey,metadataValue),"
    "charts(chartId,spec.title,position.overlayPosition.anchorCell))"
)
T = TypeVar("T")


def spreadsheet_key(target: str) -> str | None:
    """The key of a Google Sheets URL or a bare key; None for anything else."""
    text = target.strip()
    if match := URL_KEY.search(text):
        return match.group(1)
    return text if BARE_KEY.fullmatch(text) else None


def spreadsheet_url(key: str) -> str:
    return f"https://docs.google.com/spreadsheets/d/{key}/edit"


@dataclass
class SheetMeta:
    sheet_id: int
    title: str
    index: int
    rows: int
    cols: int
    rules: list[dict[str, Any]] = field(default_factory=list)
    protections: list[dict[str, Any]] = field(default_factory=list)
    layout: dict[str, int] | None = None
    layout_metadata_id: int | None = None
    look: int = 0  # the LOOK_VERSION this tool last formatted the tab with
    chart_titles: list[str] = field(default_factory=list)
    # (chart id, title, anchor (row, col) or None) of each chart on the tab
    charts: list[tuple[int, str, tuple[int, int] | None]] = field(default_factory=list)
    # The kind of value each cell held when read (see rq.cell_writes); None for a new tab.
    kinds: list[bytes] | None = None


class GoogleSheetsBackend:
    def __init__(self, key: str, client: gspread.Client, credentials: Credentials | None = None,
                 max_batch_bytes: int = MAX_BATCH_BYTES,
                 values_threshold_cells: int = VALUES_THRESHOLD_CELLS) -> None:
        self.key = key
        self.client = client
        self.credentials = credentials
        self.max_batch_bytes = max_batch_bytes
        self.values_threshold_cells = values_threshold_cells
        self.notes: list[str] = []
        self.verifies_writes = True  # teammates may edit between this push's read and write
        # "Your input contains more than the maximum of 50000 characters in a single cell":
        # Google rejects the whole batchUpdate (https://support.google.com/docs/answer/37603).
        self.max_cell_chars = GOOGLE_TEXT_LIMIT
        self._sheets: dict[str, SheetMeta] = {}
        self._created = False
        # The version this backend last read or wrote (see write_version), and the one a
        # write in flight swaps it for.
        self._version: int | None = None
        self._next_version: int | None = None
        self._snapshot_marker: int | None = None  # its developer-metadata id
        self._landed: WorkbookGrid | None = None  # what the last write's reply showed of it

    @classmethod
    def from_credentials(cls, key: str, credentials: Credentials,
                         **options: Any) -> GoogleSheetsBackend:
        session = authorized_session(credentials)
        client = gspread.Client(auth=credentials, session=session,
                                http_client=RetryingHTTPClient)
        return cls(key, client, credentials, **options)

    @property
    def location(self) -> str:
        return spreadsheet_url(self.key)

    @property
    def http(self) -> gspread.http_client.HTTPClient:
        return self.client.http_client

    def writing(self) -> contextlib.AbstractContextManager[None]:
        """Nothing to hold: teammates edit a Google spreadsheet at any time, so every write
        is checked after it lands instead (see the engine)."""
        return contextlib.nullcontext()

    def exists(self) -> bool:
        try:
            self._call(lambda: self.http.spreadsheets_get(self.key, params={
                "fields": "spreadsheetId"}))
        except GoogleApiError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def read(self, scope: ReadScope = EVERYTHING) -> WorkbookGrid:
        """The workbook in its leanest form: a metadata-only get (rules, protections,
        developer metadata, charts), then the tabs' values (one values:batchGet, formulas
        as written), then the values of the formula cells found, then cell notes when the
        scope asks for them."""
        reply = self._call(lambda: self.http.spreadsheets_get(
            self.key, params={"fields": METADATA_FIELDS, "prettyPrint": "false"}))
        sheets = reply.get("sheets", [])
        self._sheets = {}
        self._version = version_id(sheets)
        self._snapshot_marker = next(
            (int(m["metadataId"]) for m in reply.get("developerMetadata", [])
             if m.get("metadataKey") == rq.SNAPSHOT_METADATA_KEY), None)
        metas = [_sheet_meta(sheet) for sheet in sheets
                 if sheet.get("properties", {}).get("title") != VERSION_TAB]
        for meta in metas:
            self._sheets[meta.title.strip().casefold()] = meta
        tabs = grid_values.read_tabs(self._values_reader, metas, scope)
        if scope.cell_notes:
            self._read_notes(tabs, [m for m in metas if m.layout is not None])
        for meta, tab in zip(metas, tabs, strict=True):
            meta.kinds = rq.row_kinds(tab.rows)
        # A blank spreadsheet a person made and shared (a service account cannot make one):
        # its single empty tab goes when the first push lays the workbook out.
        self._created = self._created or (
            len(tabs) == 1 and not any(v is not None for row in tabs[0].rows for v in row))
        cells = sum(m.rows * m.cols for m in self._sheets.values())
        return WorkbookGrid(tabs, has_tab_ids=True, cells_used=cells)

    def _values_reader(self, ranges: list[str], render: str) -> list[list[list[Any]]]:
        """The rows of each A1 range, in order (one values:batchGet)."""
        if not ranges:
            return []
        reply = self._call(lambda: self.http.values_batch_get(
            self.key, ranges, params={"valueRenderOption": render,
                                      "dateTimeRenderOption": "SERIAL_NUMBER",
                                      "majorDimension": "ROWS", "prettyPrint": "false"}))
        found = [r.get("values", []) for r in reply.get("valueRanges", [])]
        return found + [[] for _ in range(len(ranges) - len(found))]

    def _read_notes(self, tabs: list[TabGrid], metas: list[SheetMeta]) -> None:
        """The cell notes of the category tabs (a metadata get with only `note` per cell)."""
        from ..a1 import quote_title

        wanted = {m.sheet_id for m in metas}
        if not wanted:
            return
        reply = self._call(lambda: self.http.spreadsheets_get(self.key, params={
            "ranges": [quote_title(m.title) for m in metas], "includeGridData": "true",
            "fields": "sheets(properties.sheetId,data(startRow,startColumn,"
                      "rowData.values.note))", "prettyPrint": "false"}))
        by_id = {t.tab_id: t for t in tabs}
        for sheet in reply.get("sheets", []):
            tab = by_id.get(sheet.get("properties", {}).get("sheetId"))
            if tab is not None:
                tab.notes = _notes(sheet)

    def read_values(self, titles: list[str],
                    columns: dict[str, list[int]] | None = None) -> WorkbookGrid:
        """Just the values of some tabs, compactly: enough to check where a write landed."""
        tabs = []
        for title in titles:
            meta = self._sheets.get(title.strip().casefold())
            tabs.append(TabGrid(title, [], tab_id=meta.sheet_id if meta else None,
                                formula_values_known=True))
        grid_values.fill_values(self._values_reader, tabs, columns)
        return WorkbookGrid(tabs, has_tab_ids=True)

    def apply(self, plan: WritePlan, template: Template) -> bool:
        requests: list[dict[str, Any]] = []
        values: list[dict[str, Any]] = []
        state_values: list[dict[str, Any]] = []
        bulk = self._bulk_places(plan)
        used_ids: set[int | None] = {m.sheet_id for m in self._sheets.values()}
        for write in plan.tabs:
            meta = self._sheets.get(write.title.strip().casefold())
            places = bulk.get(write.title.strip().casefold())
            if bulk and write.title == STATE_TAB:
                places = set(write.cells)
            if meta is None:
                meta = self._new_sheet(write, used_ids)
                requests.append(rq.add_sheet(
                    meta.sheet_id, write.title, meta.index, meta.rows, meta.cols,
                    frozen_rows=1, frozen_cols=_frozen_cols(write, meta.cols),
                    hidden=write.hidden))
            requests.extend(self._tab_requests(
                write, meta, template, places,
                state_values if write.title == STATE_TAB else values))
        requests.extend(self._missing_charts(plan, template))
        tail: list[dict[str, Any]] = []
        if plan.snapshot_day is not None and (requests or values or state_values):
            (tail if values or state_values else requests).append(rq.snapshot_marker(
                plan.snapshot_day.isoformat(), self._snapshot_marker))
        if self._created:
            # The blank first tab of a new spreadsheet.
            requests.extend({"deleteSheet": {"sheetId": meta.sheet_id}}
                            for meta in self._sheets.values()
                            if meta.title not in {w.title for w in plan.tabs})
        if not (requests or values or state_values or tail):
            return False
        self._next_version = fresh_tab_id(used_ids | {self._version})
        swap = swap_version(self._version, self._next_version, len(self._sheets))
        landing = _landing_ranges(plan)
        try:
            if values or state_values or tail:
                self._send(swap + requests, values=values + state_values, tail=tail,
                           landing=landing)
            else:
                self._send(swap + requests, landing=landing)
        except GoogleApiError as exc:
            if self._next_version is not None and exc.status == 400 and (
                    self._version_moved() or (landing and "parse range" in exc.message)):
                # (A tab renamed meanwhile leaves the check's ranges unparsable.)
                raise SheetChangedDuringPush(
                    "another push or note wrote the spreadsheet since this one read it; "
                    "nothing of this write was applied") from None
            raise
        finally:
            self._next_version = None
        self._created = False
        return True

    def last_snapshot(self) -> dt.date | None:
        reply = self._call(lambda: self.http.spreadsheets_get(self.key, params={
            "fields": MARKER_FIELDS, "prettyPrint": "false"}))
        for metadata in reply.get("developerMetadata", []):
            if metadata.get("metadataKey") == rq.SNAPSHOT_METADATA_KEY:
                try:
                    return dt.date.fromisoformat(str(metadata.get("metadataValue")))
                except ValueError:
                    return None
        return None

    def _version_moved(self) -> bool:
        """Whether someone else's write swapped the version since this backend read it."""
        reply = self._call(lambda: self.http.spreadsheets_get(self.key, params={
            "fields": "sheets.properties(sheetId,title)"}))
        return version_id(reply.get("sheets", [])) != self._version

    def _missing_charts(self, plan: WritePlan, template: Template) -> list[dict[str, Any]]:
        """The Summary's charts, when it has none of its own yet (known by their title); own
        charts an older layout anchored where the blocks now are are moved beside them."""
        summary = self._sheets.get(template.tabs.summary.strip().casefold())
        if summary is None:
            return []
        own = [c for c in summary.charts if c[1].startswith(template.labels.chart_title)]
        if own or any(t.startswith(template.labels.chart_title) for t in summary.chart_titles):
            return _charts_out_of_the_blocks(summary, own)
        sources = []
        for write in plan.tabs:
            meta = self._sheets.get(write.title.strip().casefold())
            if write.is_category and meta is not None:
                sources.append((write.title, meta.sheet_id, write.layout["views_per_follower"],
                                write.layout["engagement_rate"]))
        summary.chart_titles.append(template.labels.chart_title)
        return rq.category_charts(summary.sheet_id, (1, CHART_COLUMN), sources, template)

    def _new_sheet(self, write: TabWrite, used_ids: set[int | None]) -> SheetMeta:
        if write.tab_id is not None and write.tab_id not in used_ids:
            sheet_id = write.tab_id
            used_ids.add(sheet_id)
        else:
            sheet_id = fresh_tab_id(used_ids)
        needed_rows = max([r for r, _ in write.cells] + [write.data_rows], default=0) + 1
        meta = SheetMeta(sheet_id, write.title, len(self._sheets),
                         rows=max(DEFAULT_ROWS, needed_rows + 100),
                         cols=max(DEFAULT_COLS, max(write.layout.values(), default=0) + 1))
        self._sheets[write.title.strip().casefold()] = meta
        return meta

    def _bulk_places(self, plan: WritePlan) -> dict[str, set[tuple[int, int]]]:
        """The cells of each tab (by folded title) whose values go by values.batchUpdate:
        those of new tabs and new rows, when there are enough of them to matter."""
        found = {}
        for write in plan.tabs:
            if write.title == STATE_TAB:
                continue
            key = write.title.strip().casefold()
            meta = self._sheets.get(key)
            found[key] = vw.bulk_places(write.cells, meta.kinds if meta else None)
        if sum(len(places) for places in found.values()) < self.values_threshold_cells:
            return {}
        return found

    def _tab_requests(self, write: TabWrite, meta: SheetMeta, template: Template,
                      bulk: set[tuple[int, int]] | None = None,
                      values: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """The batchUpdate requests of one tab; the values of the `bulk` cells go to
        `values` as ValueRanges instead, their number formats stay here."""
        by_col = {col: column for column in write.columns
                  if (col := write.layout.get(column.key)) is not None}
        requests: list[dict[str, Any]] = []
        needed_rows = max([r for r, _ in write.cells] + [write.data_rows], default=0) + 1
        needed_cols = max([c for _, c in write.cells] + list(write.layout.values()),
                          default=0) + 1
        if needed_rows > meta.rows:
            requests.append(rq.append_dimension(meta.sheet_id, "ROWS", needed_rows - meta.rows))
            meta.rows = needed_rows
        if needed_cols > meta.cols:
            requests.append(rq.append_dimension(meta.sheet_id, "COLUMNS",
                                                needed_cols - meta.cols))
            meta.cols = needed_cols
        headers = ({col: c.header for col, c in by_col.items()} if write.create
                   else write.header_cells)
        requests.extend(rq.header_cells(meta.sheet_id, headers, by_col, template))
        if bulk and values is not None:
            bulk_cells = {place: v for place, v in write.cells.items() if place in bulk}
            rest = {place: v for place, v in write.cells.items() if place not in bulk}
            requests.extend(rq.cell_writes(meta.sheet_id, rest, by_col,
                                           previous_kinds=meta.kinds))
            requests.extend(rq.value_formats(meta.sheet_id, bulk_cells, by_col, meta.kinds))
            # The memory of the push is written whole: its blanks must empty their cells.
            values.extend(vw.value_ranges(write.title, bulk_cells,
                                          clear=write.title == STATE_TAB))
        else:
            requests.extend(rq.cell_writes(meta.sheet_id, write.cells, by_col,
                                           previous_kinds=meta.kinds))
        requests.extend(rq.cell_formats(meta.sheet_id, write.cell_formats))
        requests.extend(rq.cell_note(meta.sheet_id, row, col, text)
                        for (row, col), text in sorted(write.cell_notes.items()))
        for col in sorted(headers):
            if (column := by_col.get(col)) is not None:
                requests.append(rq.column_width(meta.sheet_id, col, column.width))
        requests.extend(rq.cell_styles(meta.sheet_id, write.styles))
        requests.extend(rq.column_width(meta.sheet_id, col, width)
                        for col, width in sorted(write.widths.items()))
        requests.extend(rq.row_height(meta.sheet_id, row, points)
                        for row, points in sorted(write.heights.items()))
        requests.extend(rq.links(meta.sheet_id, {place: url for place, url in write.links.items()
                                                 if place in write.cells}))
        if write.is_category:
            requests.extend(_decorations(write, meta, template, by_col))
        return requests

    def read_landing(self, plan: WritePlan) -> WorkbookGrid:
        """The write's own reply carries the cells the check needs (see `_send`); read them
        only when it did not (a write whose last call is a values write)."""
        landed, self._landed = self._landed, None
        if landed is not None:
            return landed
        titles = [w.title for w in plan.tabs if w.is_category and w.cells]
        return self.read_values(titles, {w.title: [w.layout["handle"]] for w in plan.tabs
                                         if w.title in titles})

    def _send(self, requests: list[dict[str, Any]], *,
              values: list[dict[str, Any]] | None = None,
              tail: list[dict[str, Any]] | None = None,
              landing: list[str] | None = None) -> None:
        """batchUpdates of `requests`, then values.batchUpdates of `values`, then
        batchUpdates of `tail`, in that order (see the module docstring). When the last
        call is a batchUpdate it asks for the `landing` ranges as they stand after it, so
        the post-write check costs no request of its own."""
        self._landed = None
        batches = rq.encoded_batches(requests, self.max_batch_bytes)
        if len(batches) > 1:
            self.notes.append(
                f"the write was larger than {self.max_batch_bytes / 1e6:.0f} MB and went as "
                f"{len(batches)} batchUpdates")
        batch_url = SPREADSHEET_BATCH_UPDATE_URL % self.key
        bodies = [(batch_url, body) for body in batches]
        bodies += [(vw.VALUES_BATCH_URL % self.key, body)
                   for body in vw.encoded_bodies(values or [], self.max_batch_bytes)]
        bodies += [(batch_url, body)
                   for body in rq.encoded_batches(tail or [], self.max_batch_bytes)]
        # The memory of the push (_sheets_sync) is planned last, so it lands in the last
        # batch: a push stopped between batches leaves cells written and the memory not,
        # and the next push, merging against the old memory, finishes the rest.
        landing = landing if bodies and bodies[-1][0] == batch_url else None
        if landing:
            asked = json.dumps({"includeSpreadsheetInResponse": True, "responseRanges": landing,
                                "responseIncludeGridData": True}, separators=(",", ":"))
            bodies[-1] = (batch_url, bodies[-1][1][:-1] + b"," + asked[1:].encode())
        for done, (url, body) in enumerate(bodies):
            last = done == len(bodies) - 1
            params = {"prettyPrint": "false"}
            if landing and last:
                params["fields"] = LANDING_FIELDS
            try:
                reply = self._call(lambda url=url, body=body, params=params: self.http.request(
                    "post", url, data=body, params=params,
                    headers={"Content-Type": "application/json; charset=utf-8"}))
                if landing and last:
                    self._landed = _landed_grid(reply.json())
                if self._next_version is not None:
                    # The first batch carries the version swap: it has landed.
                    self._version, self._next_version = self._next_version, None
            except SheetsSyncError as exc:
                if done:
                    exc.message += (f" ({done} of {len(bodies)} updates of this write "
                                    "were applied before; the next push finishes the rest)")
                raise

    def create(self, title: str, folder_id: str | None = None) -> str:
        """A new spreadsheet (Drive files.create, in `folder_id` when given: a shared
        drive's folder is where a service account may create files); returns its key."""
        spreadsheet = self._call(lambda: self.client.create(title, folder_id=folder_id))
        self.key = spreadsheet.id
        self._created = True
        return self.key

    def share(self, emails: list[str]) -> None:
        for email in emails:
            self._call(lambda email=email: self.http.insert_permission(
                self.key, email, perm_type="user", role="writer", notify=True))

    def _call(self, action: Callable[[], T]) -> T:
        try:
            return action()
        except APIError as exc:
            raise api_error(exc, self.key, self.credentials) from None
        except (TransportError, GoogleAuthError) as exc:
            raise SheetsSyncError(
                f"cannot sign in to Google: {type(exc).__name__}",
                hint="check the credentials file and the network; a key that was deleted "
                     "in the Cloud console no longer works",
            ) from None


def _charts_out_of_the_blocks(summary: SheetMeta,
                              own: list[tuple[int, str, tuple[int, int] | None]]
                              ) -> list[dict[str, Any]]:
    """Our charts anchored over the Summary's blocks go beside them, stacked in the order
    they were; one a teammate put elsewhere stays where it is."""
    requests = []
    for position, (chart_id, _, anchor) in enumerate(sorted(own, key=lambda c: c[2] or (0, 0))):
        if anchor is None or anchor[1] >= COLUMNS:
            continue
        requests.append(rq.move_chart(chart_id, summary.sheet_id,
                                      (1 + rq.CHART_ROWS * position, CHART_COLUMN)))
    return requests


def _frozen_cols(write: TabWrite, grid_cols: int | None = None) -> int:
    """The columns up to Handle stay in view; none when Handle is the last column, since
    "You can't freeze all visible columns on the sheet" (Google's 400)."""
    if not write.is_category:
        return 0
    frozen = write.layout["handle"] + 1
    return 0 if grid_cols is not None and frozen >= grid_cols else frozen


def _sheet_meta(sheet: dict[str, Any]) -> SheetMeta:
    props = sheet.get("properties", {})
    grid = props.get("gridProperties", {})
    meta = SheetMeta(int(props.get("sheetId", 0)), props.get("title", ""),
                     int(props.get("index", 0)), int(grid.get("rowCount", 0)),
                     int(grid.get("columnCount", 0)),
                     rules=list(sheet.get("conditionalFormats", [])),
                     protections=list(sheet.get("protectedRanges", [])),
                     chart_titles=[c.get("spec", {}).get("title", "")
                                   for c in sheet.get("charts", [])],
                     charts=[_chart_meta(c) for c in sheet.get("charts", [])])
    for metadata in sheet.get("developerMetadata", []):
        if metadata.get("metadataKey") == rq.LAYOUT_METADATA_KEY:
            meta.layout_metadata_id = metadata.get("metadataId")
            try:
                stored = json.loads(metadata.get("metadataValue", "{}"))
                meta.layout = {str(k): int(v) for k, v in stored["layout"].items()}
                meta.look = int(stored.get("look", 0))
            except (ValueError, KeyError, TypeError, AttributeError):
                meta.layout = None
    return meta


def _chart_meta(chart: dict[str, Any]) -> tuple[int, str, tuple[int, int] | None]:
    anchor = chart.get("position", {}).get("overlayPosition", {}).get("anchorCell")
    place = (int(anchor.get("rowIndex", 0)), int(anchor.get("columnIndex", 0))) if anchor else None
    return int(chart.get("chartId", 0)), chart.get("spec", {}).get("title", ""), place


def _landing_ranges(plan: WritePlan) -> list[str]:
    """The header row and the handle column of each category tab the plan writes cells in."""
    from ..a1 import column_letter, quote_title

    ranges = []
    for write in plan.tabs:
        if write.is_category and write.cells:
            letter = column_letter(write.layout["handle"])
            ranges += [f"{quote_title(write.title)}!1:1",
                       f"{quote_title(write.title)}!{letter}:{letter}"]
    return ranges


def _landed_grid(reply: dict[str, Any]) -> WorkbookGrid:
    """The cells a write's reply carried, as tabs (unread cells empty)."""
    tabs = []
    for sheet in reply.get("updatedSpreadsheet", {}).get("sheets", []):
        props = sheet.get("properties", {})
        tab = TabGrid(props.get("title", ""), [], tab_id=props.get("sheetId"),
                      formula_values_known=True)
        for block in sheet.get("data", []):
            top, left = block.get("startRow", 0), block.get("startColumn", 0)
            for r, row in enumerate(block.get("rowData", []), start=top):
                for c, cell in enumerate(row.get("values", []), start=left):
                    value = _effective(cell.get("effectiveValue"))
                    if value is not None:
                        grid_values.put_cell(tab, r, c, value)
        tabs.append(tab)
    return WorkbookGrid(tabs, has_tab_ids=True)


def _effective(value: dict[str, Any] | None) -> Any:
    if not value:
        return None
    for kind in ("numberValue", "stringValue", "boolValue"):
        if kind in value:
            return value[kind]
    return None


def _notes(sheet: dict[str, Any]) -> dict[tuple[int, int], str]:
    notes: dict[tuple[int, int], str] = {}
    for block in sheet.get("data", []):
        top, left = block.get("startRow", 0), block.get("startColumn", 0)
        for r, row in enumerate(block.get("rowData", []), start=top):
            for c, cell in enumerate(row.get("values", []), start=left):
                if "note" in cell:
                    notes[(r, c)] = cell["note"]
    return notes


NUMBER = re.compile(r"(?<![A-Z$])\d*\.?\d+(?:E[-+]?\d+)?")


def _formula_key(formula: str) -> str:
    """A rule formula as compared: Google may echo it re-spelled (case, spaces, 0.03 as
    .03 or 3E-2), so spaces are dropped, case folded and numbers written one way."""
    text = re.sub(r"\s+", "", formula).upper()
    return NUMBER.sub(lambda m: f"{float(m.group()):.12g}", text)


def _rule_signature(rule: dict[str, Any], rows: int = 0,
                    cols: int = 0) -> tuple[str, tuple[tuple[int, ...], ...]] | None:
    """What identifies one of our rules. A range is compared open-ended where it reaches
    the grid's edge: Google may echo an unbounded range bounded to the grid."""
    condition = rule.get("booleanRule", {}).get("condition", {})
    values = condition.get("values") or [{}]
    formula = _formula_key(str(values[0].get("userEnteredValue", "")))
    if condition.get("type") != "CUSTOM_FORMULA" or not is_own_formula(formula):
        return None

    def end(value: int | None, edge: int) -> int:
        return -1 if value is None or (edge and value >= edge) else value

    ranges = tuple(
        (r.get("startRowIndex", 0), end(r.get("endRowIndex"), rows),
         r.get("startColumnIndex", 0), end(r.get("endColumnIndex"), cols))
        for r in rule.get("ranges", []))
    return formula, ranges


def _decorations(write: TabWrite, meta: SheetMeta, template: Template,
                 by_col: dict[int, Column]) -> list[dict[str, Any]]:
    """Rules, dropdowns, protections and the layout note, replaced only when out of date."""
    wanted_rules = rq.conditional_rules(meta.sheet_id, write, template)
    own_indexes = [i for i, rule in enumerate(meta.rules) if _rule_signature(rule) is not None]
    wanted_signatures = [_rule_signature(r, meta.rows, meta.cols) for r in wanted_rules]
    have_signatures = [_rule_signature(meta.rules[i], meta.rows, meta.cols)
                       for i in own_indexes]
    derived_cols = sorted(col for col, c in by_col.items() if c.derived)
    own_protections = [p for p in meta.protections if rq.own_protection(p)]
    protected_cols = sorted(p.get("range", {}).get("startColumnIndex", 0)
                            for p in own_protections)
    if (not write.create and meta.layout == write.layout and meta.look == rq.LOOK_VERSION
            and wanted_signatures == have_signatures and protected_cols == derived_cols):
        return []

    requests: list[dict[str, Any]] = [rq.freeze(meta.sheet_id, 1, _frozen_cols(write, meta.cols))]
    for index in reversed(own_indexes):
        requests.append(rq.delete_rule(meta.sheet_id, index))
    first_free = len(meta.rules) - len(own_indexes)
    requests.extend(rq.add_rule(rule, first_free + i) for i, rule in enumerate(wanted_rules))
    choice_cols = {col: c.choices for col, c in by_col.items() if c.choices}
    previous = meta.layout or {}
    for key, col in previous.items():
        column = template.by_key.get(key)
        if column is not None and column.choices and col not in choice_cols:
            requests.append(rq.dropdown(meta.sheet_id, col, None))
    requests.extend(rq.dropdown(meta.sheet_id, col, choices)
                    for col, choices in sorted(choice_cols.items()))
    requests.extend(rq.delete_protection(p["protectedRangeId"]) for p in own_protections)
    requests.extend(rq.protect_derived(meta.sheet_id, col, by_col[col]) for col in derived_cols)
    if meta.look != rq.LOOK_VERSION and not write.create:
        requests.extend(rq.column_formats(meta.sheet_id, by_col, write.data_rows))
        requests.extend(rq.links(meta.sheet_id, write.links))
    requests.append(rq.layout_metadata(meta.sheet_id, write.layout, meta.layout_metadata_id))
    meta.look = rq.LOOK_VERSION
    return requests
