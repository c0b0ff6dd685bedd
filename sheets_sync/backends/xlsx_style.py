"""Formats, highlight rules, dropdowns and header notes of a tab in an .xlsx workbook.

Rules and validations this tool adds are recognised on the next push by their
exact shape and replaced; those a teammate added are left alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from openpyxl.comments import Comment
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..a1 import a1, column_letter
from ..highlights import Highlight, highlight_rules, is_own_formula
from ..summary_layout import text_width
from ..template import Column, ColumnType, Template
from ..workbook import CellStyle, TabWrite

MAX_ROW = 1_048_576
FONT = "Calibri"  # named, or LibreOffice falls back to a serif face
COMMENT_AUTHOR = "sheets-sync"


def _sqref(highlight: Highlight) -> str:
    return (f"{column_letter(highlight.first_col)}2:"
            f"{column_letter(highlight.last_col)}{MAX_ROW}")


def dropdowns(write: TabWrite) -> list[tuple[str, str]]:
    """(sqref, list formula) for every column with choices."""
    found = []
    for column in write.columns:
        if column.choices and column.key in write.layout:
            letter = column_letter(write.layout[column.key])
            found.append((f"{letter}2:{letter}{MAX_ROW}", _list_formula(column)))
    return found


def _list_formula(column: Column) -> str:
    return '"' + ",".join(column.choices) + '"'


def header_notes(write: TabWrite) -> dict[str, str]:
    return {a1(0, write.layout[c.key]): c.description for c in write.columns
            if c.description and c.key in write.layout}


def _own_rules(ws: Worksheet) -> set[tuple[str, str]]:
    return {(str(cf.sqref), rule.formula[0]) for cf in ws.conditional_formatting
            for rule in cf.rules if rule.formula and is_own_formula(rule.formula[0])}


def _own_validations(ws: Worksheet, formulas: set[str]) -> set[tuple[str, str]]:
    return {(str(dv.sqref), dv.formula1) for dv in ws.data_validations.dataValidation
            if dv.type == "list" and dv.formula1 in formulas}


def _own_notes(ws: Worksheet) -> dict[str, str]:
    return {cell.coordinate: cell.comment.text for cell in ws[1]
            if cell.comment is not None and cell.comment.author == COMMENT_AUTHOR}


def freeze_cell(write: TabWrite) -> str:
    if write.is_category:
        return a1(1, write.layout["handle"] + 1)
    return "A2"


LINK_FONT = Font(name=FONT, size=11, color="FF0563C1", underline="single")


def _derived_cells(ws: Worksheet, write: TabWrite) -> Iterable[tuple[object, str]]:
    """(cell, wanted number format) of each derived cell in the table's rows."""
    for column in write.columns:
        fmt = number_format(column)
        if column.derived and fmt and column.key in write.layout:
            col = write.layout[column.key] + 1
            for row in range(2, write.data_rows + 2):
                yield ws.cell(row=row, column=col), fmt


def _link_target(cell: object) -> str | None:
    link = getattr(cell, "hyperlink", None)
    return getattr(link, "target", None) if link is not None else None


def look_in_place(ws: Worksheet, write: TabWrite) -> bool:
    """Derived cells carry their column's number format and profile URLs are links."""
    if any(cell.number_format != fmt for cell, fmt in _derived_cells(ws, write)):  # type: ignore[attr-defined]
        return False
    return all(_link_target(ws.cell(row=r + 1, column=c + 1)) == url
               for (r, c), url in write.links.items())


def apply_look(ws: Worksheet, write: TabWrite) -> None:
    for cell, fmt in _derived_cells(ws, write):
        if cell.number_format != fmt:  # type: ignore[attr-defined]
            cell.number_format = fmt  # type: ignore[attr-defined]
    for (row, col), url in write.links.items():
        cell = ws.cell(row=row + 1, column=col + 1)
        if _link_target(cell) != url:
            cell.hyperlink = url
            cell.font = LINK_FONT


def decorations_in_place(ws: Worksheet, write: TabWrite, template: Template) -> bool:
    if ws.freeze_panes != freeze_cell(write):
        return False
    if not write.is_category:
        return True
    if not look_in_place(ws, write):
        return False
    wanted_rules = {(_sqref(h), h.formula) for h in highlight_rules(write, template)}
    wanted_lists = dict(dropdowns(write))
    all_lists = {_list_formula(c) for c in template.columns if c.choices}
    return (
        _own_rules(ws) == wanted_rules
        and _own_validations(ws, all_lists) == set(wanted_lists.items())
        and _own_notes(ws) == header_notes(write)
    )


def decorate(ws: Worksheet, write: TabWrite, template: Template) -> None:
    """Put this tool's rules, dropdowns and header notes in place for the tab's current layout."""
    ws.freeze_panes = freeze_cell(write)
    if not write.is_category:
        return
    apply_look(ws, write)
    kept = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if not (rule.formula and is_own_formula(rule.formula[0])):
                kept.add(str(cf.sqref), rule)
    for highlight in highlight_rules(write, template):
        kept.add(_sqref(highlight), FormulaRule(
            formula=[highlight.formula],
            fill=PatternFill(start_color=_argb(highlight.fill), end_color=_argb(highlight.fill),
                             fill_type="solid") if highlight.fill else None,
            font=Font(color=_argb(highlight.font)) if highlight.font else None,
            stopIfTrue=False,
        ))
    ws.conditional_formatting = kept

    all_lists = {_list_formula(c) for c in template.columns if c.choices}
    validations = ws.data_validations.dataValidation
    validations[:] = [dv for dv in validations
                      if not (dv.type == "list" and dv.formula1 in all_lists)]
    for sqref, formula in dropdowns(write):
        dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                            showErrorMessage=False)
        dv.add(sqref)
        ws.add_data_validation(dv)

    for coordinate in _own_notes(ws):
        ws[coordinate].comment = None
    for coordinate, text in header_notes(write).items():
        comment = Comment(text, COMMENT_AUTHOR)
        comment.width, comment.height = 320, 110
        ws[coordinate].comment = comment


def style_header(ws: Worksheet, col: int, column: Column | None, template: Template) -> None:
    cell = ws.cell(row=1, column=col + 1)
    colours = template.colors
    derived = column is not None and column.derived
    fill = colours.derived_header_fill if derived else colours.header_fill
    cell.font = Font(name=FONT, size=11, bold=True, color=_argb(colours.header_text))
    cell.fill = PatternFill(start_color=_argb(fill), end_color=_argb(fill), fill_type="solid")
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if column is not None:
        ws.column_dimensions[column_letter(col)].width = column.width


def header_height(columns: Iterable[Column]) -> float:
    """Points for a header row whose labels wrap inside their column widths."""
    # A line of text is about 15 points; a wrapped line loses about a unit at its edges.
    lines = max((math.ceil(text_width(c.header) / max(c.width - 1, 1)) for c in columns),
                default=1)
    return 15.0 * max(lines, 1) + 3


def apply_styles(ws: Worksheet, write: TabWrite) -> None:
    """The cell styles and column widths of a laid-out tab (the Summary)."""
    for (row, col), style in write.styles.items():
        cell = ws.cell(row=row + 1, column=col + 1)
        _style_cell(cell, style)
    for col, width in write.widths.items():
        ws.column_dimensions[column_letter(col)].width = width
    for row, height in write.heights.items():
        ws.row_dimensions[row + 1].height = height


def _style_cell(cell: object, style: CellStyle) -> None:
    cell.number_format = style.number_format or "General"  # type: ignore[attr-defined]
    cell.font = Font(name=FONT, size=11, bold=style.bold,  # type: ignore[attr-defined]
                     color=_argb(style.font_colour) if style.font_colour else None)
    cell.fill = (PatternFill(start_color=_argb(style.fill),  # type: ignore[attr-defined]
                             end_color=_argb(style.fill), fill_type="solid")
                 if style.fill else PatternFill(fill_type=None))
    cell.alignment = Alignment(wrap_text=style.wrap or None,  # type: ignore[attr-defined]
                               vertical="center" if style.wrap else None,
                               horizontal="right" if style.align_right else None)


def print_on_one_page_wide(ws: Worksheet) -> None:
    """Landscape, all columns on one page width: wide tabs print legibly."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def number_format(column: Column | None) -> str | None:
    if column is None:
        return None
    if column.number_format:
        return column.number_format
    return "@" if column.type is ColumnType.TEXT else None


def _argb(hex_colour: str | None) -> str:
    return "FF" + (hex_colour or "#000000").lstrip("#").upper()
