"""The emulator's state: spreadsheets, Drive files, tokens and test controls, behind one lock.

Cell dicts and row/column metadata dicts are never changed in place once stored in
a grid: writers build a new dict and store it.  That keeps `Spreadsheet.clone()`
cheap, which is how a batchUpdate is applied atomically (to a clone, swapped in on
success).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import string
import threading
from dataclasses import dataclass, field
from typing import Any

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
FOLDER_MIME = "application/vnd.google-apps.folder"
ANONYMOUS = "anonymous"
DEFAULT_ROWS = 1000
DEFAULT_COLS = 26
_ID_CHARS = string.ascii_letters + string.digits + "-_"

Cell = dict[str, Any]


def now_rfc3339() -> str:
    moment = dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Sheet:
    """One tab: its properties, its cells and everything anchored to its grid."""

    def __init__(self, properties: dict[str, Any]) -> None:
        self.properties = properties
        self.rows: list[list[Cell | None]] = []
        self.row_meta: list[dict[str, Any] | None] = [None] * self.row_count
        self.col_meta: list[dict[str, Any] | None] = [None] * self.col_count
        self.merges: list[dict[str, Any]] = []
        self.conditional_formats: list[dict[str, Any]] = []
        self.protected_ranges: list[dict[str, Any]] = []
        self.basic_filter: dict[str, Any] | None = None
        self.filter_views: list[dict[str, Any]] = []
        self.banded_ranges: list[dict[str, Any]] = []
        self.charts: list[dict[str, Any]] = []
        self.row_groups: list[dict[str, Any]] = []
        self.column_groups: list[dict[str, Any]] = []

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def grid(self) -> dict[str, Any]:
        return self.properties.setdefault("gridProperties", {})

    @property
    def row_count(self) -> int:
        return int(self.properties.get("gridProperties", {}).get("rowCount", 0))

    @property
    def col_count(self) -> int:
        return int(self.properties.get("gridProperties", {}).get("columnCount", 0))

    def clone(self) -> Sheet:
        other = Sheet.__new__(Sheet)
        other.properties = copy.deepcopy(self.properties)
        other.rows = [list(row) for row in self.rows]
        other.row_meta = list(self.row_meta)
        other.col_meta = list(self.col_meta)
        for name in (
            "merges",
            "conditional_formats",
            "protected_ranges",
            "basic_filter",
            "filter_views",
            "banded_ranges",
            "charts",
            "row_groups",
            "column_groups",
        ):
            setattr(other, name, copy.deepcopy(getattr(self, name)))
        return other

    # ------------------------------------------------------------ cells

    def cell(self, row: int, col: int) -> Cell | None:
        if row < len(self.rows):
            cells = self.rows[row]
            if col < len(cells):
                return cells[col]
        return None

    def set_cell(self, row: int, col: int, cell: Cell | None) -> None:
        if not cell:
            cell = None
        if cell is None and self.cell(row, col) is None:
            return
        while len(self.rows) <= row:
            self.rows.append([])
        cells = self.rows[row]
        if len(cells) <= col:
            cells.extend([None] * (col + 1 - len(cells)))
        cells[col] = cell

    def used_extent(self) -> tuple[int, int]:
        """(rows, cols) covering every stored cell."""
        last_row, last_col = 0, 0
        for r, cells in enumerate(self.rows):
            for c in range(len(cells) - 1, -1, -1):
                if cells[c] is not None:
                    last_row = r + 1
                    last_col = max(last_col, c + 1)
                    break
        return last_row, last_col

    # ------------------------------------------------------------ grid size

    def resize(self, rows: int | None = None, cols: int | None = None) -> None:
        if rows is not None:
            current = self.row_count
            if rows < current:
                del self.rows[rows:]
                del self.row_meta[rows:]
            else:
                self.row_meta.extend([None] * (rows - current))
            self.grid["rowCount"] = rows
        if cols is not None:
            current = self.col_count
            if cols < current:
                for cells in self.rows:
                    del cells[cols:]
                del self.col_meta[cols:]
            else:
                self.col_meta.extend([None] * (cols - current))
            self.grid["columnCount"] = cols


class Spreadsheet:
    def __init__(self, spreadsheet_id: str, properties: dict[str, Any]) -> None:
        self.id = spreadsheet_id
        self.properties = properties
        self.sheets: list[Sheet] = []
        self.named_ranges: list[dict[str, Any]] = []
        self.developer_metadata: list[dict[str, Any]] = []

    @property
    def title(self) -> str:
        return str(self.properties.get("title", ""))

    def clone(self) -> Spreadsheet:
        other = Spreadsheet(self.id, copy.deepcopy(self.properties))
        other.sheets = [sheet.clone() for sheet in self.sheets]
        other.named_ranges = copy.deepcopy(self.named_ranges)
        other.developer_metadata = copy.deepcopy(self.developer_metadata)
        return other

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def sheet_by_title(self, title: str) -> Sheet | None:
        exact = next((s for s in self.sheets if s.title == title), None)
        if exact is not None:
            return exact
        folded = title.casefold()
        return next((s for s in self.sheets if s.title.casefold() == folded), None)

    def reindex(self) -> None:
        for i, sheet in enumerate(self.sheets):
            sheet.properties["index"] = i

    def used_ids(self) -> set[int]:
        ids: set[int] = set()
        for sheet in self.sheets:
            ids.add(sheet.sheet_id)
            ids.update(int(p["protectedRangeId"]) for p in sheet.protected_ranges)
            ids.update(int(f["filterViewId"]) for f in sheet.filter_views)
            ids.update(int(b["bandedRangeId"]) for b in sheet.banded_ranges)
            ids.update(int(c["chartId"]) for c in sheet.charts)
        ids.update(int(m["metadataId"]) for m in self.developer_metadata)
        return ids


@dataclass
class DriveFile:
    id: str
    name: str
    mime_type: str
    owner: str
    created_time: str
    modified_time: str
    parents: list[str] = field(default_factory=list)
    trashed: bool = False
    starred: bool = False
    description: str | None = None
    permissions: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    content: bytes = b""
    version: int = 1
    # The shared drive the file lives in; None for a file in someone's My Drive.
    drive_id: str | None = None


@dataclass
class LogEntry:
    method: str
    path: str
    query: str
    request_bytes: int
    response_bytes: int
    status: int
    seconds: float
    valid: bool | None
    error: str | None = None
    received: float = 0.0  # Unix time the request arrived: to measure request rates

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "request_bytes": self.request_bytes,
            "response_bytes": self.response_bytes,
            "status": self.status,
            "seconds": round(self.seconds, 6),
            "valid": self.valid,
            "received": round(self.received, 6),
        }
        if self.error is not None:
            out["error"] = self.error
        return out


@dataclass
class Fault:
    status: int = 503
    count: int | None = None
    rate: float | None = None
    lost_reply: bool = False
    method: str | None = None
    path_contains: str | None = None
    retry_after: float | None = None
    rng: random.Random = field(default_factory=random.Random)

    def matches(self, method: str, path: str, is_write: bool) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if self.path_contains and self.path_contains not in path:
            return False
        return not (self.lost_reply and not is_write)

    def fires(self) -> bool:
        if self.count is not None:
            if self.count <= 0:
                return False
            self.count -= 1
            return True
        if self.rate is not None:
            return self.rng.random() < self.rate
        return False

    @property
    def spent(self) -> bool:
        return self.count is not None and self.count <= 0


@dataclass
class Hook:
    spreadsheet_id: str
    before: str
    requests: list[dict[str, Any]]
    once: bool = True


class EmulatorState:
    """Everything the emulator knows; API calls hold `lock` while they read or write."""

    def __init__(self, seed: int | None = None) -> None:
        self.lock = threading.RLock()
        self.rng = random.Random(seed)
        self.files: dict[str, DriveFile] = {}
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.tokens: dict[str, str] = {}
        self.log: list[LogEntry] = []
        self.faults: list[Fault] = []
        self.latency_ms: float = 0.0
        self.hooks: list[Hook] = []
        # How spreadsheets.get echoes the ranges of conditional formats and protected ranges:
        # "as_sent" (open-ended sides stay open) or "bounded" (filled with the grid size).
        self.echo_ranges: str = "as_sent"
        self.echo_by_spreadsheet: dict[str, str] = {}

    def echo_bounded(self, spreadsheet_id: str) -> bool:
        mode = self.echo_by_spreadsheet.get(spreadsheet_id, self.echo_ranges)
        return mode == "bounded"

    def reset(self) -> None:
        with self.lock:
            self.files.clear()
            self.spreadsheets.clear()
            self.tokens.clear()
            self.log.clear()
            self.faults.clear()
            self.hooks.clear()
            self.latency_ms = 0.0
            self.echo_ranges = "as_sent"
            self.echo_by_spreadsheet.clear()

    # ------------------------------------------------------------ ids

    def new_file_id(self) -> str:
        while True:
            file_id = "1" + "".join(self.rng.choice(_ID_CHARS) for _ in range(43))
            if file_id not in self.files:
                return file_id

    def new_int_id(self, taken: set[int]) -> int:
        while True:
            value = self.rng.randint(1, 2**31 - 1)
            if value not in taken:
                return value

    def new_token(self) -> str:
        return "ya29.emu-" + "".join(self.rng.choice(_ID_CHARS) for _ in range(40))

    def spreadsheet(self, spreadsheet_id: str) -> Spreadsheet | None:
        return self.spreadsheets.get(spreadsheet_id)
