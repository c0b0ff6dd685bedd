"""The Summary's native chart in an .xlsx workbook: engagement rate against views per
follower, one series per category tab.

It is drawn anew, from the workbook as it is, each time the file is saved (the one from
the last save, known by its title, is replaced; a teammate's charts are kept).
"""

from __future__ import annotations

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.axis import ChartLines
from openpyxl.chart.legend import Legend
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..a1 import a1
from ..summary_layout import CHART_COLUMN
from ..template import Template, normalize_header

# One colour per category tab (direct, indirect, learning), readable on white and in print.
SERIES_COLOURS = ("1F77B4", "FF7F0E", "2CA02C")
MARKER_SIZE = 7


def add_summary_chart(book: Workbook, template: Template) -> None:
    summary = _sheet(book, template.tabs.summary)
    if summary is None:
        return
    chart = _scatter(template)
    wanted = {normalize_header(template.by_key[k].header): k
              for k in ("views_per_follower", "engagement_rate")}
    for title in template.category_tabs.values():
        ws = _sheet(book, title)
        if ws is None or ws.max_row < 2:
            continue
        cols = {wanted[normalize_header(str(c.value))]: c.column for c in ws[1]
                if c.value is not None and normalize_header(str(c.value)) in wanted}
        if len(cols) < 2:
            continue
        x = Reference(ws, min_col=cols["views_per_follower"], min_row=2, max_row=ws.max_row)
        y = Reference(ws, min_col=cols["engagement_rate"], min_row=2, max_row=ws.max_row)
        chart.series.append(_points(Series(y, x, title=ws.title), len(chart.series)))
    summary._charts = [c for c in summary._charts  # openpyxl keeps a sheet's charts there
                       if _title_text(c) != template.labels.chart_title]
    if chart.series:
        summary.add_chart(chart, a1(1, CHART_COLUMN))


def _scatter(template: Template) -> ScatterChart:
    """A points-only scatter both Excel and LibreOffice draw: openpyxl leaves axes marked
    deleted and both on the left unless told, and LibreOffice then draws an empty plot."""
    chart = ScatterChart()
    chart.title = template.labels.chart_title
    chart.style = 13
    chart.scatterStyle = "marker"
    chart.height, chart.width = 10, 18
    chart.x_axis.title = template.by_key["views_per_follower"].header
    chart.y_axis.title = template.by_key["engagement_rate"].header
    chart.x_axis.number_format = "0.0"
    chart.y_axis.number_format = "0%"
    for axis, position in ((chart.x_axis, "b"), (chart.y_axis, "l")):
        axis.delete = False
        axis.axPos = position
        axis.majorTickMark = "out"
        axis.tickLblPos = "nextTo"
    chart.y_axis.majorGridlines = ChartLines()
    chart.x_axis.majorGridlines = None
    chart.y_axis.crosses = "min"
    chart.x_axis.crosses = "min"
    chart.legend = Legend()
    chart.legend.position = "b"
    return chart


def _points(series: Series, index: int) -> Series:
    """Filled round markers, no connecting line."""
    colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    series.marker.symbol = "circle"
    series.marker.size = MARKER_SIZE
    series.marker.graphicalProperties = GraphicalProperties(solidFill=colour)
    series.marker.graphicalProperties.line.solidFill = colour
    series.graphicalProperties.line.noFill = True
    series.smooth = False
    return series


def _title_text(chart: object) -> str:
    """The plain text of a chart's title as openpyxl reads it back ('' when it has none)."""
    title = getattr(chart, "title", None)
    if isinstance(title, str) or title is None:
        return title or ""
    rich = getattr(getattr(title, "tx", None), "rich", None)
    paragraphs = getattr(rich, "p", None) or []
    return "".join(run.t for p in paragraphs for run in (getattr(p, "r", None) or []))


def _sheet(book: Workbook, title: str) -> Worksheet | None:
    wanted = title.strip().casefold()
    return next((ws for ws in book.worksheets if ws.title.strip().casefold() == wanted), None)
