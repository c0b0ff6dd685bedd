"""The Summary's native chart in an .xlsx workbook: engagement rate against views per
follower, one series per category tab.

It is drawn anew, from the workbook as it is, each time the file is saved (the one from
the last save, known by its title, is replaced; a teammate's charts are kept).
"""

from __future__ import annotations

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..template import Template, normalize_header

CHART_ANCHOR_ROW_GAP = 3


def add_summary_chart(book: Workbook, template: Template) -> None:
    summary = _sheet(book, template.tabs.summary)
    if summary is None:
        return
    chart = ScatterChart()
    chart.title = template.labels.chart_title
    chart.style = 13
    chart.x_axis.title = template.by_key["views_per_follower"].header
    chart.y_axis.title = template.by_key["engagement_rate"].header
    chart.y_axis.number_format = "0%"
    chart.height, chart.width = 9, 18
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
        series = Series(y, x, title=ws.title)
        series.marker.symbol = "circle"
        series.graphicalProperties.line.noFill = True
        chart.series.append(series)
    summary._charts = [c for c in summary._charts  # openpyxl keeps a sheet's charts there
                       if _title_text(c) != template.labels.chart_title]
    if chart.series:
        summary.add_chart(chart, f"B{summary.max_row + CHART_ANCHOR_ROW_GAP}")


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
