"""What a command found and did, in a shape both people and scripts can read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing that could not be read or done, with where it is and what was expected."""

    where: str  # 'competitors.csv row 7, column D (Followers)' or 'Direct!D7 (Followers)'
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class CellChange:
    tab: str
    cell: str  # A1 reference inside the tab
    column: str  # header label
    before: Any
    after: Any


@dataclass
class Conflict:
    """A cell both a teammate and the pushed file changed since the last push, differently."""

    tab: str
    cell: str
    column: str
    sheet_value: Any
    file_value: Any
    source: str  # 'competitors.csv row 7'

    def __str__(self) -> str:
        return (f"{self.tab}!{self.cell} ({self.column}): the sheet has {self.sheet_value!r}, "
                f"{self.source} has {self.file_value!r}; the sheet's value was kept")


@dataclass
class TabSummary:
    tab: str
    created: bool = False
    rows_added: int = 0
    handles_added: list[str] = field(default_factory=list)  # accounts among the rows added
    input_cells_changed: int = 0
    derived_cells_changed: int = 0
    headers_added: list[str] = field(default_factory=list)
    changes: list[CellChange] = field(default_factory=list)

    @property
    def cells_changed(self) -> int:
        return self.input_cells_changed + self.derived_cells_changed

    @property
    def is_empty(self) -> bool:
        return not (self.created or self.rows_added or self.cells_changed or self.headers_added)


@dataclass
class SyncReport:
    """The outcome of push, plan or validate."""

    target: str
    command: str
    written: bool = False
    tabs: list[TabSummary] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)  # per destination
    alerts_raised: int = 0  # rows a refresh added to the Alerts tab

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.conflicts else 0

    @property
    def cells_changed(self) -> int:
        return sum(t.cells_changed for t in self.tabs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "command": self.command,
            "written": self.written,
            "cells_changed": self.cells_changed,
            "tabs": [
                {**asdict(t), "changes": [_jsonable(asdict(c)) for c in t.changes]}
                for t in self.tabs
            ],
            "problems": [asdict(p) for p in self.problems],
            "conflicts": [_jsonable(asdict(c)) for c in self.conflicts],
            "notes": self.notes,
            "notifications": self.notifications,
            "alerts_raised": self.alerts_raised,
            "exit_code": self.exit_code,
        }


def _jsonable(change: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in change.items()}


def count_of(number: int, noun: str) -> str:
    """'1 row', '3 rows'."""
    return f"{number} {noun}" + ("" if number == 1 else "s")
