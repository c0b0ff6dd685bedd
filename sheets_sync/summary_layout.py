"""Where the Summary's numbers go: titled blocks stacked in five narrow columns, one layout
for every backend.

From the top: the engagement band in use (what it measures and where it comes from; its
title row stays frozen in view), accounts per category, our brand against the medians, the
top movers, then the quartiles of every rate. Categories run across (each tab, then all),
measures down, so nothing needs scrolling to the right; the chart sits beside the blocks.
Positions depend only on the template, so the Summary is read back by position.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from .summary import QUARTILES, RATES, TOP_MOVERS
from .template import Column, Template
from .values import Value
from .workbook import CellStyle, TabGrid

COLUMNS = 5  # the label column, then the three category tabs and all of them
LABEL_WIDTH = 36
VALUE_WIDTH = 15
LINE_POINTS = 15.0  # one line of 11-point text
CHART_COLUMN = COLUMNS + 1  # charts go beside the blocks, one empty column apart
BAND_RANGE = "{low} - {high}"

ACCOUNT_KEYS = ("accounts", "tier_micro", "tier_mid", "tier_macro", "outside_band")
OUR_KEYS = ("our_engagement_rate", "median_engagement_rate", "engagement_gap",
            "our_follower_growth_30d", "median_follower_growth_30d", "growth_gap")
MOVER_KEYS = ("mover_handle", "mover_rank", "mover_growth", "mover_followers",
              "mover_category")


@dataclass
class SummarySheet:
    """The cells and styles of the Summary, and what each number cell holds."""

    cells: dict[tuple[int, int], Value] = field(default_factory=dict)
    styles: dict[tuple[int, int], CellStyle] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)  # rows of wrapped headings
    # (row, col) -> ("group", index of the category group, key) or ("mover", rank - 1, key)
    holds: dict[tuple[int, int], tuple[str, int, str]] = field(default_factory=dict)
    rows: int = 0

    @property
    def extent(self) -> Iterator[tuple[int, int]]:
        """Every cell the Summary owns, blanks included."""
        for row in range(self.rows):
            for col in range(COLUMNS):
                yield row, col


class _Builder:
    def __init__(self, template: Template) -> None:
        self.template = template
        self.sheet = SummarySheet(widths={0: LABEL_WIDTH, **{c: VALUE_WIDTH
                                                             for c in range(1, COLUMNS)}})
        self.columns = {c.key: c for c in template.summary_columns}
        colours = template.colors
        self.title = CellStyle(bold=True, fill=colours.header_fill,
                               font_colour=colours.header_text)
        self.group_title = CellStyle(bold=True, fill=colours.header_fill,
                                     font_colour=colours.header_text, align_right=True)
        self.heading = CellStyle(bold=True, fill=colours.derived_header_fill,
                                 font_colour=colours.header_text, wrap=True)
        self.row = 0

    def put(self, col: int, value: Value, style: CellStyle | None = None) -> None:
        self.sheet.cells[(self.row, col)] = value
        if style is not None:
            self.sheet.styles[(self.row, col)] = style

    def title_row(self, text: str, headings: list[str]) -> None:
        self.put(0, text, self.title)
        for col in range(1, COLUMNS):
            self.put(col, headings[col - 1] if col - 1 < len(headings) else None,
                     self.group_title)
        self.row += 1

    def fit_height(self, texts: dict[int, str]) -> None:
        """Make this row tall enough for its wrapped texts (col -> text)."""
        lines = max(math.ceil(text_width(text) / max(self.sheet.widths[col] - 1, 1))
                    for col, text in texts.items())
        if lines > 1:
            self.sheet.heights[self.row] = LINE_POINTS * lines + 3

    def gap(self) -> None:
        self.row += 1

    def column(self, key: str) -> Column:
        return self.columns[key]

    def value_style(self, key: str) -> CellStyle:
        return CellStyle(number_format=self.column(key).number_format)


def text_width(text: str) -> float:
    """Width units of bold text: about 1.2 a character, twice that for a full-width
    (Chinese, Japanese, Korean) character."""
    return sum(2.4 if unicodedata.east_asian_width(ch) in "WF" else 1.2 for ch in text)


def _percent(value: float) -> str:
    return f"{value * 100:.2f}%"


def _band_block(b: _Builder) -> None:
    band, labels = b.template.band, b.template.labels
    b.put(0, labels.summary_band, b.title)
    b.put(1, band.title, CellStyle(bold=True))
    b.row += 1
    rows: list[tuple[str, Value, CellStyle | None]] = [
        (labels.summary_band_range,
         BAND_RANGE.format(low=_percent(band.engagement_low),
                           high=_percent(band.engagement_high)), None),
        (labels.summary_band_measure,
         labels.summary_band_formula_saves if band.includes_saves
         else labels.summary_band_formula_no_saves, None),
        (labels.summary_band_saves,
         labels.summary_band_saves_in if band.includes_saves else labels.summary_band_saves_out,
         None),
        (labels.summary_band_median, band.industry_median, CellStyle(number_format="0.00%")),
        (labels.summary_band_source, band.source or None, None),
    ]
    for label, value, style in rows:
        b.put(0, label)
        b.put(1, value, style)
        b.row += 1


def _group_block(b: _Builder, title: str, keys: tuple[str, ...], groups: list[str]) -> None:
    b.title_row(title, groups)
    for key in keys:
        b.put(0, b.column(key).header)
        for index in range(len(groups)):
            b.put(1 + index, None, b.value_style(key))
            b.sheet.holds[(b.row, 1 + index)] = ("group", index, key)
        b.row += 1


def _movers_block(b: _Builder) -> None:
    b.title_row(b.template.labels.summary_movers, [])
    for col, key in enumerate(MOVER_KEYS):
        b.put(col, b.column(key).header, b.heading)
    b.fit_height({col: b.column(key).header for col, key in enumerate(MOVER_KEYS)})
    b.row += 1
    for rank in range(TOP_MOVERS):
        for col, key in enumerate(MOVER_KEYS):
            b.put(col, None, b.value_style(key))
            b.sheet.holds[(b.row, col)] = ("mover", rank, key)
        b.row += 1


def summary_skeleton(template: Template) -> SummarySheet:
    """The Summary without numbers: titles, labels, the band and where each number goes."""
    b = _Builder(template)
    groups = [*template.category_tabs.values(), template.labels.all_categories]
    _band_block(b)
    b.gap()
    _group_block(b, template.labels.summary_accounts, ACCOUNT_KEYS, groups)
    b.gap()
    _group_block(b, template.labels.summary_ours, OUR_KEYS, groups)
    b.put(0, None)
    b.row += 1  # a line for the hint when no brand is set
    b.gap()
    _movers_block(b)
    b.gap()
    rate_keys = tuple(f"{prefix}_{rate}" for rate in RATES for prefix, _ in QUARTILES)
    _group_block(b, template.labels.summary_rates, rate_keys, groups)
    b.sheet.rows = b.row
    return b.sheet


def summary_sheet(table: list[dict[str, Value]], template: Template) -> SummarySheet:
    """The Summary of `table` (summary.summary_table: one row per category group, the
    movers in the mover keys of the first rows)."""
    sheet = summary_skeleton(template)
    for place, (kind, index, key) in sheet.holds.items():
        row = table[index] if index < len(table) else {}
        if kind == "mover" and "mover_rank" not in row:
            continue
        sheet.cells[place] = row.get(key)
    if not template.our_brand:
        hint_row = next(r for (r, c), (_, _, key) in sheet.holds.items()
                        if key == OUR_KEYS[-1]) + 1
        sheet.cells[(hint_row, 0)] = template.labels.summary_no_brand
        sheet.styles[(hint_row, 0)] = CellStyle(font_colour=template.colors.stale_text)
    return sheet


def read_summary(grid: TabGrid | None, template: Template) -> list[dict[str, Value]]:
    """The Summary as it stands in the workbook, as summary_table gives it: one row per
    category group (category label included), the movers in the first rows' mover keys."""
    if grid is None:
        return []
    sheet = summary_skeleton(template)
    groups = [*template.category_tabs.values(), template.labels.all_categories]
    table: list[dict[str, Value]] = [{"category": label} for label in groups]
    for (row, col), (_kind, index, key) in sheet.holds.items():
        value = grid.cell(row, col)
        if value is None:
            continue
        while index >= len(table):
            table.append({})
        table[index].setdefault(key, value)
    return table
