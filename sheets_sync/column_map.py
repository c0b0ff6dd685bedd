"""How the header row of an input file is read: which column holds which template key,
through an import preset (given, or recognised from the headers) or the alias index."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .a1 import column_letter
from .column_aliases import AliasIndex, alias_index
from .layout import is_blank
from .presets import POSTED_AT, ImportPreset, detect_preset
from .report import Problem
from .template import Column, ColumnType, Template, normalize_header

Role = Literal["input", "category", "posted_at", "derived", "duplicate", "ignored"]

# The date a video was posted: a date column of its own, outside the template.
POSTED_AT_COLUMN = Column(key=POSTED_AT, header="Posted", type=ColumnType.DATE)


@dataclass(frozen=True)
class HeaderCell:
    col: int
    header: str
    role: Role
    column: Column | None = None
    via: str = ""  # 'template', 'another template', 'preset fastmoss'

    @property
    def letter(self) -> str:
        return column_letter(self.col)


@dataclass
class ColumnMap:
    cells: list[HeaderCell]
    preset: ImportPreset | None = None
    preset_detected: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def inputs(self) -> dict[int, Column]:
        return {c.col: c.column for c in self.cells if c.role == "input" and c.column}

    def col_of(self, role: Role) -> int | None:
        return next((c.col for c in self.cells if c.role == role), None)

    @property
    def handle_col(self) -> int | None:
        return next((col for col, c in self.inputs.items() if c.key == "handle"), None)

    @property
    def ignored(self) -> list[str]:
        return [c.header for c in self.cells if c.role == "ignored"]

    @property
    def rows_are_videos(self) -> bool:
        return self.preset is not None and self.preset.rows == "videos"

    @property
    def rows_are_ours(self) -> bool:
        return self.preset is not None and self.preset.account == "our_brand"


def map_columns(header: Sequence[Any], template: Template, label: str,
                preset: ImportPreset | None = None,
                index: AliasIndex | None = None) -> ColumnMap:
    """Read a header row. Without a `preset`, one is used when the headers clearly are
    its export and hold no Handle column of the template's."""
    index = index or alias_index(template)
    texts = [("" if is_blank(t) else str(t).strip()) for t in header]
    detected = False
    if preset is None and not any(
            (c := index.column(t)) is not None and c.key == "handle" for t in texts if t):
        preset = detect_preset([t for t in texts if t])
        detected = preset is not None
    result = ColumnMap([], preset, detected)
    preset_keys = preset.header_keys if preset else {}
    taken: dict[str, int] = {}
    for col, text in enumerate(texts):
        if not text:
            continue
        norm = normalize_header(text)
        key = preset_keys.get(norm)
        via = f"preset {preset.name}" if key and preset else ""
        column: Column | None
        if key == POSTED_AT:
            column = POSTED_AT_COLUMN
        elif key is not None:
            column = template.by_key.get(key)
        else:
            column = index.column(text)
            if column is not None:
                own = {normalize_header(column.header), normalize_header(column.key)}
                via = "template" if norm in own else "another template"
        if column is None:
            role: Role = "category" if index.is_category_header(text) else "ignored"
            result.cells.append(HeaderCell(col, text, role))
            continue
        if column.derived:
            result.cells.append(HeaderCell(col, text, "derived", column, via))
            continue
        if column.key in taken:
            result.problems.append(Problem(
                f"{label}, column {column_letter(col)}",
                f"a second {column.header!r} column (the first is column "
                f"{column_letter(taken[column.key])}); it was ignored", severity="warning"))
            result.cells.append(HeaderCell(col, text, "duplicate", column, via))
            continue
        taken[column.key] = col
        role = "posted_at" if column.key == POSTED_AT else "input"
        result.cells.append(HeaderCell(col, text, role, column, via))
    return result
