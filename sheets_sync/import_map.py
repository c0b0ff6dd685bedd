"""`import-map`: how each column of an input file would be read, before any push: the
encoding, the preset, header -> column, a sample value and how it parses, and every cell
that cannot be read, by A1 reference. Reads the files only; writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .column_aliases import alias_index
from .column_map import HeaderCell, map_columns
from .errors import InputFileError
from .importer import read_sheets, resolve_options
from .layout import is_blank
from .presets import ImportPreset
from .template import Template
from .values import CellValueError, parse_value
from .video_rows import parse_posted

ROLE_TEXT = {"category": "category", "derived": "ignored (derived: recomputed on push)",
             "duplicate": "ignored (a second column for the same key)",
             "ignored": "ignored (not a template column)"}


@dataclass
class ColumnReading:
    column: str  # letter, 'D'
    header: str
    reads_as: str  # 'followers (Followers)', 'category', 'ignored (...)'
    via: str  # 'template', 'another template', 'preset fastmoss', ''
    sample: str | None = None  # the first non-empty cell, as the file has it
    parsed: Any = None  # how that sample parses
    sample_unreadable: bool = False
    unreadable: int = 0  # cells of this column that cannot be read


@dataclass
class BadCell:
    cell: str  # 'D7'
    row: int
    header: str
    value: str
    expected: str


@dataclass
class SheetReading:
    label: str
    encoding: str | None  # None for an .xlsx sheet
    encoding_detected: bool
    preset: str | None
    preset_detected: bool
    rows: int
    columns: list[ColumnReading] = field(default_factory=list)
    bad_cells: list[BadCell] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for column in data["columns"]:
            if isinstance(column["parsed"], dt.date):
                column["parsed"] = column["parsed"].isoformat()
        return data


def import_map(paths: Sequence[str | Path], template: Template, *,
               encoding: str | None = None,
               preset: str | ImportPreset | None = None) -> list[SheetReading]:
    options = resolve_options(template, encoding=encoding, preset=preset)
    index = alias_index(template)
    readings: list[SheetReading] = []
    for raw_path in paths:
        path = Path(raw_path)
        if not path.is_file():
            raise InputFileError(f"input file {path} does not exist")
        for sheet in read_sheets(path, options.encoding, index):
            rows = [list(r) for r in sheet.rows]
            header = rows[0] if rows else []
            mapping = map_columns(header, template, sheet.label, options.preset, index)
            data = [r for r in rows[1:] if not all(is_blank(v) for v in r)]
            reading = SheetReading(
                sheet.label,
                sheet.decoded.encoding if sheet.decoded else None,
                bool(sheet.decoded and sheet.decoded.detected),
                mapping.preset.name if mapping.preset else None, mapping.preset_detected,
                len(data))
            for cell in mapping.cells:
                reading.columns.append(_column_reading(cell, rows[1:], reading.bad_cells))
            reading.bad_cells.sort(key=lambda bad: bad.row)
            readings.append(reading)
    return readings


def _column_reading(cell: HeaderCell, rows: list[list[Any]],
                    bad: list[BadCell]) -> ColumnReading:
    if cell.role in ("input", "posted_at") and cell.column is not None:
        reads_as = (f"{cell.column.key} ({cell.column.header})" if cell.role == "input"
                    else "post date (videos are averaged per account)")
    else:
        reads_as = ROLE_TEXT[cell.role]
    reading = ColumnReading(cell.letter, cell.header, reads_as, cell.via)
    column = cell.column
    reads = cell.role in ("input", "posted_at") and column is not None
    for number, row in enumerate(rows, start=2):
        raw = row[cell.col] if cell.col < len(row) else None
        if is_blank(raw):
            continue
        first = reading.sample is None
        if first:
            reading.sample = str(raw)
        if not reads or column is None:
            continue
        try:
            value = (parse_posted(raw, column) if cell.role == "posted_at"
                     else parse_value(raw, column))
        except CellValueError as exc:
            reading.unreadable += 1
            reading.sample_unreadable = reading.sample_unreadable or first
            bad.append(BadCell(f"{cell.letter}{number}", number, cell.header, str(raw),
                               exc.expected))
            continue
        if first:
            reading.parsed = value
    return reading


def format_readings(readings: Sequence[SheetReading]) -> list[str]:
    """The text `import-map` prints."""
    lines: list[str] = []
    for sheet in readings:
        how = []
        if sheet.encoding:
            how.append(f"encoding {sheet.encoding}"
                       + (" (detected)" if sheet.encoding_detected else " (given)"))
        how.append(f"preset {sheet.preset}" + (" (recognised from its headers)"
                                                if sheet.preset_detected else "")
                   if sheet.preset else "no preset")
        lines.append(f"{sheet.label}: {sheet.rows} rows, " + ", ".join(how))
        for col in sheet.columns:
            line = f"  {col.column} {col.header!r} -> {col.reads_as}"
            if col.via and col.via != "template":
                line += f" [{col.via}]"
            if col.sample is not None:
                line += f"; e.g. {_short(col.sample)!r}"
                if col.sample_unreadable:
                    line += " -> cannot be read"
                elif not col.reads_as.startswith(("ignored", "category")) \
                        and col.parsed != col.sample.strip():
                    line += f" -> {_shown(col.parsed)}"
            if col.unreadable:
                line += f"; {col.unreadable} unreadable"
            lines.append(line)
        for bad in sheet.bad_cells:
            lines.append(f"  bad cell {bad.cell} ({bad.header}): {bad.value!r}, "
                         f"expected {bad.expected}")
    return lines


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4g}"
    return repr(value) if isinstance(value, str) else str(value)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "\u2026"
