"""The seam between the sync logic and a place that holds a workbook."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import Protocol

from ..template import Template
from ..workbook import EVERYTHING, ReadScope, WorkbookGrid, WritePlan


class Backend(Protocol):
    """A workbook store: read every tab's grid, then apply one plan of writes.

    A backend may keep what it read (an open file, a revision) between `read`
    and `apply`; callers always call `read` first.
    """

    notes: list[str]  # what the last write wants the person to know (e.g. it was split)
    # True: others may edit between read and write, so the push reads again to check
    # where its values landed. False: apply refuses to save over a concurrent change.
    verifies_writes: bool
    # The longest text a cell may hold; the engine holds longer ones back and reports them.
    max_cell_chars: int

    @property
    def location(self) -> str:
        """Where the workbook lives, for messages: a path or a URL."""
        ...

    def exists(self) -> bool: ...

    def writing(self) -> AbstractContextManager[None]:
        """Held around a writing command's rounds: whatever keeps two writers apart."""
        ...

    def read(self, scope: ReadScope = EVERYTHING) -> WorkbookGrid: ...

    def read_values(self, titles: list[str],
                    columns: dict[str, list[int]] | None = None) -> WorkbookGrid:
        """The values of the named tabs only, as cheaply as the backend can (used to check
        a write when `verifies_writes`). With `columns` (title -> column indexes), only the
        header row and those columns of each tab; the other cells read as empty."""
        ...

    def read_landing(self, plan: WritePlan) -> WorkbookGrid:
        """After `apply(plan)`: the header row and the handle column of each category tab
        the plan wrote cells in, as the write left them (see verify.landed_as_planned)."""
        ...

    def last_snapshot(self) -> dt.date | None:
        """The day of the last monthly snapshot when the backend can tell it without
        reading the workbook (a Google spreadsheet's marker); None otherwise."""
        ...

    def apply(self, plan: WritePlan, template: Template) -> bool:
        """Write the plan, with the formats, rules and validations of each tab's layout.

        Returns False when nothing needed writing (no cell changes, decorations in place).
        """
        ...
