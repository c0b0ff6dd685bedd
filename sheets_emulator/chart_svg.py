"""A chart of the emulator's page as an inline SVG: scatter points read from the chart spec's
source ranges (the first domain for x, each series for y), with its title and axis titles.

Only what the page needs to show that a chart points at the right cells: BASIC charts drawn
as points, axes from zero (or the data's minimum, when negative) to a rounded maximum.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from .calc import Calc
from .models import Spreadsheet

WIDTH, HEIGHT = 420, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 34, 44
TICKS = 5
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd")

Point = tuple[float, float]


def _column_values(calc: Calc, spreadsheet: Spreadsheet, source: dict[str, Any],
                   skip: int) -> list[float | None]:
    """The numbers of a ChartSourceRange's first GridRange, top to bottom (None where a cell
    holds no number); the first `skip` rows (headers) left out."""
    ranges = source.get("sourceRange", {}).get("sources") or []
    if not ranges:
        return []
    grid = ranges[0]
    sheet = spreadsheet.sheet_by_id(int(grid.get("sheetId", 0)))
    if sheet is None:
        return []
    start = int(grid.get("startRowIndex", 0)) + skip
    end = int(grid.get("endRowIndex", len(sheet.rows)))
    col = int(grid.get("startColumnIndex", 0))
    values: list[float | None] = []
    for row in range(start, min(end, len(sheet.rows))):
        value = calc.value(sheet, row, col)
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        values.append(float(number) if number is not None and math.isfinite(number) else None)
    return values


def chart_series(calc: Calc, spreadsheet: Spreadsheet,
                 chart: dict[str, Any]) -> list[list[Point]]:
    """The (x, y) points of each series of a BASIC chart; [] for any other chart."""
    basic = chart.get("spec", {}).get("basicChart")
    if not basic or not basic.get("domains"):
        return []
    skip = int(basic.get("headerCount", 0))
    xs = _column_values(calc, spreadsheet, basic["domains"][0].get("domain", {}), skip)
    found = []
    for series in basic.get("series", []):
        ys = _column_values(calc, spreadsheet, series.get("series", {}), skip)
        found.append([(x, y) for x, y in zip(xs, ys, strict=False)
                      if x is not None and y is not None])
    return found


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _tick(value: float) -> str:
    return f"{value:.3g}"


def chart_svg(calc: Calc, spreadsheet: Spreadsheet, chart: dict[str, Any]) -> str:
    """The chart as an <svg> element; a note instead when it has nothing to draw."""
    spec = chart.get("spec", {})
    title = escape(str(spec.get("title", "")))
    series = chart_series(calc, spreadsheet, chart)
    points = [p for s in series for p in s]
    if not points:
        return f'<figure class="chart"><figcaption>{title}</figcaption>' \
               '<p class="empty">no points to draw</p></figure>'
    x_low = min(0.0, min(x for x, _ in points))
    y_low = min(0.0, min(y for _, y in points))
    x_high = _nice_top(max(x for x, _ in points))
    y_high = _nice_top(max(y for _, y in points))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x: float) -> float:
        return LEFT + (x - x_low) / ((x_high - x_low) or 1) * plot_w

    def sy(y: float) -> float:
        return TOP + plot_h - (y - y_low) / ((y_high - y_low) or 1) * plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{title}">',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff" stroke="#ccc"/>',
             f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="13" '
             f'font-weight="bold">{title}</text>']
    for i in range(TICKS + 1):
        xv = x_low + (x_high - x_low) * i / TICKS
        yv = y_low + (y_high - y_low) * i / TICKS
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{sy(yv):.1f}" '
                     f'y2="{sy(yv):.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{sy(yv) + 4:.1f}" text-anchor="end" '
                     f'font-size="10">{_tick(yv)}</text>')
        parts.append(f'<text x="{sx(xv):.1f}" y="{TOP + plot_h + 14}" text-anchor="middle" '
                     f'font-size="10">{_tick(xv)}</text>')
    parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" '
                 'fill="none" stroke="#999"/>')
    axes = {a.get("position"): escape(str(a.get("title", "")))
            for a in spec.get("basicChart", {}).get("axis", [])}
    if axes.get("BOTTOM_AXIS"):
        parts.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 8}" text-anchor="middle" '
                     f'font-size="11">{axes["BOTTOM_AXIS"]}</text>')
    if axes.get("LEFT_AXIS"):
        parts.append(f'<text x="14" y="{TOP + plot_h / 2}" text-anchor="middle" font-size="11" '
                     f'transform="rotate(-90 14 {TOP + plot_h / 2})">{axes["LEFT_AXIS"]}</text>')
    for index, points_of in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        parts.extend(f'<circle class="pt" cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3.5" '
                     f'fill="{colour}"><title>{_tick(x)}, {_tick(y)}</title></circle>'
                     for x, y in points_of)
    parts.append("</svg>")
    return f'<figure class="chart">{"".join(parts)}</figure>'
