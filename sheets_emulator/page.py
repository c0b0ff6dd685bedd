"""The emulator's HTML pages: the spreadsheets, and one spreadsheet drawn as Sheets shows it.

Cell text is the formatted value; the sheet's conditional formats are evaluated cell by cell
(the first matching rule in rule order sets each format property, as in Sheets) and drawn
over the cell's own format.  The page needs no scripts and no external assets.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote

from .a1 import Rect, col_to_index, format_cells, index_to_col
from .calc import Calc, _SheetResolver, display, number_format
from .cellvalues import parse_user_entered
from .chart_svg import chart_svg
from .formula import evaluate, split_ref, tokenize
from .formula_values import Failure, FormulaError, Scalar, compare
from .models import DriveFile, EmulatorState, Sheet, Spreadsheet
from .ranges import rect_of
from .resources import DEFAULT_COLUMN_PIXELS, SPREADSHEET_THEME

ROW_LIMIT = 500
DEFAULT_HOST = "127.0.0.1:8765"
_ROW_HEADER_PIXELS = 46
_HOST_RE = re.compile(r"^[A-Za-z0-9.\-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$")
_ENDPOINT_RE = re.compile(r"^(\$?)([A-Za-z]*)(\$?)([0-9]*)$")
_THEME = {item["colorType"]: item["color"]["rgbColor"] for item in SPREADSHEET_THEME["themeColors"]}
_NUMBER_TESTS = {
    "NUMBER_GREATER": lambda v, a, b: v > a,
    "NUMBER_GREATER_THAN_EQ": lambda v, a, b: v >= a,
    "NUMBER_LESS": lambda v, a, b: v < a,
    "NUMBER_LESS_THAN_EQ": lambda v, a, b: v <= a,
    "NUMBER_EQ": lambda v, a, b: v == a,
    "NUMBER_NOT_EQ": lambda v, a, b: v != a,
    "NUMBER_BETWEEN": lambda v, a, b: min(a, b) <= v <= max(a, b),
    "NUMBER_NOT_BETWEEN": lambda v, a, b: not min(a, b) <= v <= max(a, b),
}
_TWO_VALUES = frozenset({"NUMBER_BETWEEN", "NUMBER_NOT_BETWEEN"})
_TEXT_TESTS = {
    "TEXT_CONTAINS": lambda text, arg: arg in text,
    "TEXT_NOT_CONTAINS": lambda text, arg: arg not in text,
    "TEXT_STARTS_WITH": lambda text, arg: text.startswith(arg),
    "TEXT_ENDS_WITH": lambda text, arg: text.endswith(arg),
    "TEXT_EQ": lambda text, arg: text == arg,
}
_TEXT_STYLES = ("bold", "italic", "strikethrough", "underline")
_DOT = " \u00b7 "
_NONE = "\u2014"

Style = dict[str, Any]
RGB = tuple[int, int, int]
Endpoint = tuple[str, int | None, str, int | None]

# ---------------------------------------------------------------- colours


def _channel(value: Any) -> int:
    return max(0, min(255, round(float(value) * 255)))


def _rgb(color: dict[str, Any]) -> RGB:
    red, green, blue = (_channel(color.get(key, 0)) for key in ("red", "green", "blue"))
    return red, green, blue


def _color_of(holder: dict[str, Any], key: str) -> RGB | None:
    """The colour `holder[key]` names, preferring its `keyStyle` twin (RGB or theme colour)."""
    style = holder.get(key + "Style")
    if isinstance(style, dict):
        if isinstance(style.get("rgbColor"), dict):
            return _rgb(style["rgbColor"])
        theme = _THEME.get(str(style.get("themeColor", "")))
        if theme is not None:
            return _rgb(theme)
    plain = holder.get(key)
    return _rgb(plain) if isinstance(plain, dict) else None


def _hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _blend(low: RGB, high: RGB, t: float) -> RGB:
    r, g, b = (round(a + (z - a) * t) for a, z in zip(low, high, strict=True))
    return r, g, b


def _format_style(fmt: dict[str, Any]) -> Style:
    """The drawable properties of a CellFormat: background, text colour and text styles."""
    out: Style = {}
    background = _color_of(fmt, "backgroundColor")
    if background is not None:
        out["background"] = background
    text = fmt.get("textFormat") or {}
    foreground = _color_of(text, "foregroundColor")
    if foreground is not None:
        out["color"] = foreground
    for key in _TEXT_STYLES:
        if key in text:
            out[key] = bool(text[key])
    return out


# ---------------------------------------------------------------- conditional formats


class _Relative:
    """A rule's formula, parsed once, whose relative references follow the cell it is tested on."""

    def __init__(self, formula: str) -> None:
        body = formula[1:] if formula.startswith("=") else formula
        self.pieces: list[str | tuple[str, list[Endpoint]]] = []
        self.moves_rows = self.moves_cols = False
        try:
            tokens = tokenize(body)
        except Failure:
            tokens = []
        last = 0
        for tok in tokens:
            if tok.kind != "ref":
                continue
            _, ref = split_ref(tok.text)
            endpoints: list[Endpoint] = []
            for part in ref.split(":"):
                m = _ENDPOINT_RE.match(part)
                assert m is not None
                col_abs, letters, row_abs, digits = m.groups()
                col = col_to_index(letters) if letters else None
                row = int(digits) - 1 if digits else None
                self.moves_cols |= col is not None and not col_abs
                self.moves_rows |= row is not None and not row_abs
                endpoints.append((col_abs, col, row_abs, row))
            self.pieces.append(body[last : tok.start])
            self.pieces.append((tok.text[: len(tok.text) - len(ref)], endpoints))
            last = tok.end
        self.pieces.append(body[last:])

    def offset(self, rows: int, cols: int) -> tuple[int, int]:
        """The part of a move that changes the formula: none along a dimension it pins."""
        return (rows if self.moves_rows else 0, cols if self.moves_cols else 0)

    def text(self, rows: int, cols: int) -> str | None:
        """The formula moved by (rows, cols); None when a reference falls off the grid."""
        out = ["="]
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            prefix, endpoints = piece
            moved = []
            for col_abs, col, row_abs, row in endpoints:
                if col is not None and not col_abs:
                    col += cols
                if row is not None and not row_abs:
                    row += rows
                if (col is not None and col < 0) or (row is not None and row < 0):
                    return None
                letters = "" if col is None else index_to_col(col)
                digits = "" if row is None else str(row + 1)
                moved.append(f"{col_abs}{letters}{row_abs}{digits}")
            out.append(prefix + ":".join(moved))
        return "".join(out)


def _number(value: Scalar) -> float | None:
    """The value if it is a number (not a boolean), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


@dataclass
class _Window:
    """The rendered block of a sheet: rows [0, rows) and columns [0, cols)."""

    rows: int
    cols: int

    def cells(self, rect: Rect) -> Iterable[tuple[int, int]]:
        bounded = rect.clamp(self.rows, self.cols)
        assert bounded.start_row is not None and bounded.end_row is not None
        assert bounded.start_col is not None and bounded.end_col is not None
        for r in range(bounded.start_row, min(bounded.end_row, self.rows)):
            for c in range(bounded.start_col, min(bounded.end_col, self.cols)):
                yield r, c


@dataclass
class _Conditions:
    """Evaluates the conditions of one sheet's rules, each formula once per distinct move."""

    calc: Calc
    sheet: Sheet
    resolver: _SheetResolver = field(init=False)
    parsed: dict[str, _Relative] = field(default_factory=dict)
    results: dict[tuple[str, int, int], Scalar] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.resolver = _SheetResolver(self.calc, self.sheet)

    def formula(self, text: str, rows: int, cols: int) -> Scalar:
        relative = self.parsed.get(text)
        if relative is None:
            relative = self.parsed[text] = _Relative(text)
        key = (text, *relative.offset(rows, cols))
        if key not in self.results:
            moved = relative.text(key[1], key[2])
            self.results[key] = (
                FormulaError("#REF!") if moved is None else evaluate(moved, self.resolver)
            )
        return self.results[key]

    def operand(self, item: dict[str, Any], rows: int, cols: int) -> Scalar:
        entered = str(item.get("userEnteredValue", ""))
        if entered.startswith("=") and len(entered) > 1:
            return self.formula(entered, rows, cols)
        parsed, _ = parse_user_entered(entered)
        if not parsed:
            return None
        for key in ("numberValue", "boolValue", "stringValue"):
            if key in parsed:
                value = parsed[key]
                return float(value) if key == "numberValue" else value
        return None

    def matches(
        self, condition: dict[str, Any], row: int, col: int, anchor: tuple[int, int]
    ) -> bool:
        kind = str(condition.get("type", ""))
        args = condition.get("values") or []
        rows, cols = row - anchor[0], col - anchor[1]
        if kind == "CUSTOM_FORMULA":
            if not args:
                return False
            result = self.formula(str(args[0].get("userEnteredValue", "")), rows, cols)
            number = _number(result)
            return result is True or (number is not None and number != 0)
        value = self.calc.value(self.sheet, row, col)
        if kind == "BLANK":
            return value is None or value == ""
        if kind == "NOT_BLANK":
            return not (value is None or value == "")
        if kind in _NUMBER_TESTS:
            needed = 2 if kind in _TWO_VALUES else 1
            if len(args) < needed:
                return False
            operands = [self.operand(a, rows, cols) for a in args[:needed]]
            if kind in ("NUMBER_EQ", "NUMBER_NOT_EQ") and isinstance(operands[0], str):
                equal = value is not None and compare(value, operands[0]) == 0
                return equal == (kind == "NUMBER_EQ")
            number = _number(value)
            bounds = [b for b in (_number(o) for o in operands) if b is not None]
            if number is None or len(bounds) < needed:
                return False
            return bool(_NUMBER_TESTS[kind](number, bounds[0], bounds[-1]))
        if kind in _TEXT_TESTS:
            if not args or value is None or isinstance(value, FormulaError):
                return False
            text = display(value, number_format(self.sheet.cell(row, col))) or ""
            arg = self.operand(args[0], rows, cols)
            needle = display(arg, None) if arg is not None else ""
            return bool(_TEXT_TESTS[kind](text.casefold(), (needle or "").casefold()))
        return False


def _anchor(rule: dict[str, Any]) -> tuple[int, int]:
    first = (rule.get("ranges") or [{}])[0]
    return int(first.get("startRowIndex") or 0), int(first.get("startColumnIndex") or 0)


def _percentile(ordered: list[float], percent: float) -> float:
    position = (len(ordered) - 1) * max(0.0, min(100.0, percent)) / 100
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _point(point: dict[str, Any], ordered: list[float]) -> tuple[float, RGB] | None:
    color = _color_of(point, "color")
    if color is None:
        return None
    kind = str(point.get("type", "NUMBER"))
    if kind == "MIN":
        return ordered[0], color
    if kind == "MAX":
        return ordered[-1], color
    parsed, _ = parse_user_entered(str(point.get("value", "")))
    if not parsed or "numberValue" not in parsed:
        return None
    number = float(parsed["numberValue"])
    if kind == "PERCENT":
        return ordered[0] + (ordered[-1] - ordered[0]) * number / 100, color
    if kind == "PERCENTILE":
        return _percentile(ordered, number), color
    return number, color


def _gradient_color(stops: list[tuple[float, RGB]], value: float) -> RGB:
    if value <= stops[0][0]:
        return stops[0][1]
    if value >= stops[-1][0]:
        return stops[-1][1]
    index = bisect.bisect_right([s[0] for s in stops], value)
    (low, low_color), (high, high_color) = stops[index - 1], stops[index]
    return _blend(low_color, high_color, (value - low) / (high - low) if high > low else 1.0)


def _gradient(
    calc: Calc, sheet: Sheet, rule: dict[str, Any], used: _Window, shown: _Window
) -> dict[tuple[int, int], Style]:
    gradient = rule["gradientRule"]
    rects = [rect_of(r) for r in rule.get("ranges", [])]
    numbers = {
        cell: number
        for rect in rects
        for cell in used.cells(rect)
        if (number := _number(calc.value(sheet, *cell))) is not None
    }
    if not numbers:
        return {}
    ordered = sorted(numbers.values())
    names = ("minpoint", "midpoint", "maxpoint")
    stops = [_point(gradient[name], ordered) for name in names if name in gradient]
    if any(stop is None for stop in stops) or len(stops) < 2:
        return {}
    ready = sorted((s for s in stops if s is not None), key=lambda s: s[0])
    return {
        cell: {"background": _gradient_color(ready, number)}
        for cell, number in numbers.items()
        if cell[0] < shown.rows and cell[1] < shown.cols
    }


def _conditional_styles(
    calc: Calc, sheet: Sheet, shown: _Window, used: _Window
) -> dict[tuple[int, int], Style]:
    """What the sheet's conditional formats draw on each shown cell."""
    conditions = _Conditions(calc, sheet)
    out: dict[tuple[int, int], Style] = {}
    for rule in sheet.conditional_formats:
        if "gradientRule" in rule:
            for cell, style in _gradient(calc, sheet, rule, used, shown).items():
                current = out.setdefault(cell, {})
                current.setdefault("background", style["background"])
            continue
        boolean = rule.get("booleanRule") or {}
        style = _format_style(boolean.get("format") or {})
        if not style:
            continue
        condition = boolean.get("condition") or {}
        anchor = _anchor(rule)
        for rng in rule.get("ranges", []):
            for cell in shown.cells(rect_of(rng)):
                current = out.get(cell, {})
                if all(key in current for key in style):
                    continue
                if conditions.matches(condition, cell[0], cell[1], anchor):
                    out[cell] = {**style, **current}
    return out


# ---------------------------------------------------------------- protection


def _protection_levels(sheet: Sheet, shown: _Window) -> dict[tuple[int, int], int]:
    """1 for cells under a warning-only protected range, 2 for cells under a protected one."""
    out: dict[tuple[int, int], int] = {}
    for protected in sheet.protected_ranges:
        level = 1 if protected.get("warningOnly") else 2
        spared = [rect_of(r) for r in protected.get("unprotectedRanges", [])]
        for cell in shown.cells(rect_of(protected.get("range", {}))):
            if out.get(cell, 0) < level and not any(s.contains(*cell) for s in spared):
                out[cell] = level
    return out


def _column_protection(sheet: Sheet, cols: int) -> dict[int, tuple[int, list[str]]]:
    out: dict[int, tuple[int, list[str]]] = {}
    for protected in sheet.protected_ranges:
        level = 1 if protected.get("warningOnly") else 2
        rng = protected.get("range", {})
        start = int(rng.get("startColumnIndex") or 0)
        end = min(cols, int(rng.get("endColumnIndex") or cols))
        label = ("protected (warning only)" if level == 1 else "protected") + (
            f": {protected['description']}" if protected.get("description") else ""
        )
        for col in range(start, end):
            current, labels = out.get(col, (0, []))
            out[col] = (max(current, level), [*labels, label])
    return out


# ---------------------------------------------------------------- page parts

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
color:#202124;background:#f8f9fa}
a{color:#1a56c4;text-decoration:none}a:hover{text-decoration:underline}
header.top{background:#fff;border-bottom:1px solid #dadce0;padding:12px 20px}
header.top h1{margin:0;font-size:19px;font-weight:600}
.meta{color:#5f6368;font-size:12px;margin-top:3px}.meta code{font-size:11.5px}
main{padding:14px 20px 40px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f3f4;
padding:1px 4px;border-radius:3px}
.hint{background:#fff;border:1px solid #dadce0;border-radius:6px;padding:8px 12px;margin:0 0 14px}
table.list{border-collapse:collapse;background:#fff;border:1px solid #dadce0;min-width:720px}
table.list th,table.list td{padding:6px 12px;border-bottom:1px solid #e8eaed;text-align:left}
table.list th{font-weight:600;color:#5f6368;background:#f1f3f4;font-size:12px}
table.list td.num{text-align:right}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12px;color:#5f6368;margin-top:8px}
.legend span{display:inline-flex;align-items:center;gap:5px}
.sw{display:inline-block;width:16px;height:12px;border:1px solid #c0c4c9;background-color:#fff}
nav.tabs{position:sticky;top:0;z-index:10;background:#f8f9fa;border-bottom:1px solid #dadce0;
padding:6px 20px 0;display:flex;gap:2px;flex-wrap:wrap}
nav.tabs a{padding:5px 14px;border:1px solid #dadce0;border-bottom:3px solid transparent;
border-radius:6px 6px 0 0;background:#fff;color:#202124}
nav.tabs a.hidden{color:#80868b;font-style:italic}
section.sheet{margin:0 0 26px;scroll-margin-top:44px}
section.sheet h2{font-size:15px;margin:0 0 2px;font-weight:600}
.info{color:#5f6368;font-size:12px;margin:0 0 6px}
.trunc{display:inline-block;background:#fef7e0;border:1px solid #f9e3a3;color:#7a5b00;
border-radius:4px;padding:1px 8px;margin:0 0 6px;font-size:12px}
.empty{color:#80868b;font-style:italic}
.charts{display:flex;flex-wrap:wrap;gap:12px;margin:10px 0 0}.chart{margin:0}
.grid{overflow:auto;max-height:76vh;width:fit-content;max-width:100%;border:1px solid #c0c4c9;
background:#fff}
table.cells{border-collapse:separate;border-spacing:0;table-layout:fixed;
font:12px/17px Arial,Helvetica,sans-serif;color:#000}
table.cells td,table.cells th{border-right:1px solid #e2e3e3;border-bottom:1px solid #e2e3e3;
padding:2px 4px;height:22px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;
background-color:#fff;position:relative;vertical-align:bottom}
table.cells thead{position:sticky;top:0;z-index:3}
table.cells th{background-color:#f1f3f4;color:#5f6368;font-weight:normal;text-align:center;
font-size:11px}
table.cells tr.letters th{border-bottom:1px solid #c0c4c9;scroll-margin:110px 0 0 var(--frozen)}
table.cells th.rn{position:sticky;left:0;z-index:2;border-right:1px solid #c0c4c9}
table.cells thead th.rn{z-index:4}
table.cells tr.hdr th.rn{background-color:#e3e8ef;color:#3c4043;font-weight:600}
table.cells tr.hdr td{font-weight:600;background-color:#f6f8fb}
table.cells tr.last-frozen td,table.cells tr.last-frozen th{border-bottom:3px solid #a7b4c6}
table.cells tr.last-hdr td,table.cells tr.last-hdr th{border-bottom:2px solid #c0c4c9}
table.cells .fz,table.cells .fz-last{position:sticky;z-index:1}
table.cells thead .fz,table.cells thead .fz-last{z-index:2}
table.cells .fz-last{border-right:3px solid #a7b4c6}
table.cells td.n{text-align:right}
table.cells td.c{text-align:center}
table.cells td.w{white-space:normal;overflow-wrap:anywhere}
table.cells td.p,table.cells th.p,.sw.p{background-image:repeating-linear-gradient(135deg,
rgba(95,99,104,.28) 0 1px,transparent 1px 6px)}
table.cells td.pw,table.cells th.pw,.sw.pw{background-image:repeating-linear-gradient(135deg,
rgba(227,116,0,.26) 0 1px,transparent 1px 6px)}
.nt{position:absolute;top:0;right:0;width:0;height:0;border-style:solid;border-width:0 7px 7px 0;
border-color:transparent #e37400 transparent transparent;cursor:help}
.dv{float:right;color:#80868b;font-size:11px;margin-left:3px;cursor:help}
.sw.fr{border:none;border-bottom:3px solid #a7b4c6;height:8px;background:none}
.sw.nt-sw{position:relative;overflow:hidden}
"""


def _document(title: str, body: str) -> str:
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _host_hint(host: str | None) -> str:
    shown = host if host and _HOST_RE.match(host) else DEFAULT_HOST
    return (
        '<p class="hint">Point sheets-sync at this emulator: '
        f"<code>export SHEETS_SYNC_EMULATOR_HOST={escape(shown)}</code></p>"
    )


def _view_href(spreadsheet_id: str) -> str:
    return "/view/" + quote(spreadsheet_id, safe="")


def _when(stamp: str | None) -> str:
    if not stamp:
        return _NONE
    return stamp.replace("T", " ").split(".")[0].rstrip("Z") + " UTC"


def _index_row(spreadsheet: Spreadsheet, drive_file: DriveFile | None) -> str:
    trashed = (
        ' <span class="meta">(in trash)</span>' if drive_file and drive_file.trashed else ""
    )
    title = escape(spreadsheet.title) or "<em>Untitled</em>"
    return (
        "<tr>"
        f'<td><a href="{escape(_view_href(spreadsheet.id))}">{title}</a>{trashed}</td>'
        f"<td><code>{escape(spreadsheet.id)}</code></td>"
        f'<td class="num">{len(spreadsheet.sheets)}</td>'
        f"<td>{escape(drive_file.owner) if drive_file else _NONE}</td>"
        f"<td>{escape(_when(drive_file.modified_time if drive_file else None))}</td>"
        "</tr>"
    )


def index_html(state: EmulatorState, host: str | None = None) -> str:
    """The list of spreadsheets, newest change first, each linking to its view."""
    with state.lock:
        entries = [(book, state.files.get(sid)) for sid, book in state.spreadsheets.items()]
        entries.sort(key=lambda entry: entry[1].modified_time if entry[1] else "", reverse=True)
        rows = [_index_row(spreadsheet, drive_file) for spreadsheet, drive_file in entries]
    if rows:
        listing = (
            '<table class="list"><thead><tr><th>Title</th><th>ID</th><th>Tabs</th><th>Owner</th>'
            "<th>Last modified</th></tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
        )
    else:
        listing = '<p class="empty">No spreadsheets yet.</p>'
    count = len(rows)
    body = (
        '<header class="top"><h1>Sheets emulator</h1>'
        f'<div class="meta">{count} spreadsheet{"" if count == 1 else "s"}</div></header>\n'
        f"<main>{_host_hint(host)}\n{listing}</main>"
    )
    return _document("Sheets emulator", body)


def missing_html(spreadsheet_id: str) -> str:
    """The page for an id the emulator does not hold."""
    body = (
        '<header class="top"><h1>Spreadsheet not found</h1></header>'
        f"<main><p>No spreadsheet with id <code>{escape(spreadsheet_id)}</code>.</p>"
        '<p><a href="/">All spreadsheets</a></p></main>'
    )
    return _document("Spreadsheet not found", body)


def _data_extent(sheet: Sheet) -> tuple[int, int]:
    """(rows, cols) covering every cell that holds a value or a note."""
    last_row = last_col = 0
    for r, cells in enumerate(sheet.rows):
        for c in range(len(cells) - 1, -1, -1):
            cell = cells[c]
            if cell and ("userEnteredValue" in cell or "note" in cell):
                last_row = r + 1
                last_col = max(last_col, c + 1)
                break
    return last_row, last_col


def _validation_label(rule: dict[str, Any]) -> str:
    condition = rule.get("condition") or {}
    kind = str(condition.get("type", ""))
    values = [str(v.get("userEnteredValue", "")) for v in condition.get("values") or []]
    if kind == "ONE_OF_LIST":
        text = "Dropdown: " + ", ".join(values)
    elif kind == "ONE_OF_RANGE":
        text = "Dropdown from " + ", ".join(values)
    else:
        text = f"Validation {kind}" + (f": {', '.join(values)}" if values else "")
    return text + (" (strict)" if rule.get("strict") else "")


def _alignment(cell: dict[str, Any] | None, value: Scalar) -> str:
    fmt = (cell or {}).get("userEnteredFormat") or {}
    align = fmt.get("horizontalAlignment")
    if align == "RIGHT" or (align is None and _number(value) is not None):
        return "n"
    if align == "CENTER" or (align is None and isinstance(value, bool | FormulaError)):
        return "c"
    return ""


def _declarations(style: Style) -> list[str]:
    parts = []
    background = style.get("background")
    if background is not None and background != (255, 255, 255):
        parts.append(f"background-color:{_hex(background)}")
    color = style.get("color")
    if color is not None and color != (0, 0, 0):
        parts.append(f"color:{_hex(color)}")
    if style.get("bold") is not None:
        parts.append("font-weight:" + ("bold" if style["bold"] else "normal"))
    if style.get("italic"):
        parts.append("font-style:italic")
    lines = [name for name in ("underline", "strikethrough") if style.get(name)]
    if lines:
        parts.append("text-decoration:" + " ".join(
            "line-through" if name == "strikethrough" else name for name in lines
        ))
    return parts


@dataclass
class _SheetView:
    calc: Calc
    sheet: Sheet
    shown: _Window
    header_rows: int
    frozen_rows: int
    frozen_cols: int
    lefts: list[int]
    conditional: dict[tuple[int, int], Style]
    protection: dict[tuple[int, int], int]

    def cell(self, row: int, col: int) -> str:
        sheet = self.sheet
        cell = sheet.cell(row, col)
        classes = []
        attrs = ""
        style: Style = {}
        text = ""
        extras = ""
        if cell:
            value = self.calc.value(sheet, row, col)
            text = display(value, number_format(cell)) or ""
            fmt = cell.get("userEnteredFormat") or {}
            style = _format_style(fmt)
            align = _alignment(cell, value)
            if align:
                classes.append(align)
            if fmt.get("wrapStrategy") == "WRAP":
                classes.append("w")
            entered = cell.get("userEnteredValue") or {}
            if "formulaValue" in entered:
                attrs += f' title="{escape(str(entered["formulaValue"]))}"'
            if "dataValidation" in cell:
                label = escape(_validation_label(cell["dataValidation"]))
                extras += f'<span class="dv" title="{label}">\u25be</span>'
            if cell.get("note"):
                extras += f'<span class="nt" title="{escape(str(cell["note"]))}"></span>'
        drawn = self.conditional.get((row, col))
        if drawn:
            style = {**style, **drawn}
        level = self.protection.get((row, col), 0)
        if level:
            classes.append("p" if level == 2 else "pw")
        declarations = _declarations(style)
        if col < self.frozen_cols:
            classes.append("fz-last" if col == self.frozen_cols - 1 else "fz")
            declarations.insert(0, f"left:{self.lefts[col]}px")
        css = f' style="{";".join(declarations)}"' if declarations else ""
        klass = f' class="{" ".join(classes)}"' if classes else ""
        return f"<td{klass}{css}{attrs}>{extras}{escape(text)}</td>"

    def row(self, row: int) -> str:
        classes = []
        if row < self.header_rows:
            classes.append("hdr")
        if self.frozen_rows and row == self.frozen_rows - 1:
            classes.append("last-frozen")
        elif not self.frozen_rows and row == self.header_rows - 1:
            classes.append("last-hdr")
        klass = f' class="{" ".join(classes)}"' if classes else ""
        cells = "".join(self.cell(row, col) for col in range(self.shown.cols))
        return f'<tr{klass}><th class="rn">{row + 1}</th>{cells}</tr>'


def _column_widths(sheet: Sheet, cols: int) -> list[int]:
    widths = []
    for col in range(cols):
        meta = sheet.col_meta[col] if col < len(sheet.col_meta) else None
        widths.append(int((meta or {}).get("pixelSize", DEFAULT_COLUMN_PIXELS)))
    return widths


def _sheet_info(sheet: Sheet, rows: int, cols: int, frozen_rows: int, frozen_cols: int) -> str:
    parts = [f"grid {sheet.row_count:,} \u00d7 {sheet.col_count:,}"]
    if rows and cols:
        parts.append("used range " + format_cells(Rect(0, rows, 0, cols)))
    frozen = []
    if frozen_rows:
        frozen.append(f"{frozen_rows} row{'s' if frozen_rows != 1 else ''}")
    if frozen_cols:
        frozen.append(f"{frozen_cols} column{'s' if frozen_cols != 1 else ''}")
    if frozen:
        parts.append("frozen: " + ", ".join(frozen))
    for count, noun in (
        (len(sheet.conditional_formats), "conditional format rule"),
        (len(sheet.protected_ranges), "protected range"),
    ):
        if count:
            parts.append(f"{count} {noun}{'s' if count != 1 else ''}")
    if sheet.properties.get("hidden"):
        parts.append("hidden")
    return _DOT.join(escape(p) for p in parts)


def _sheet_section(calc: Calc, sheet: Sheet) -> str:
    anchor = f"sheet-{sheet.sheet_id}"
    heading = f'<h2><a href="#{anchor}">{escape(sheet.title)}</a></h2>'
    if sheet.properties.get("sheetType", "GRID") != "GRID":
        return (
            f'<section class="sheet" id="{anchor}">{heading}'
            f'<p class="empty">{escape(str(sheet.properties["sheetType"]))} sheet: no cells.</p>'
            "</section>"
        )
    grid = sheet.properties.get("gridProperties", {})
    rows, cols = _data_extent(sheet)
    frozen_rows = min(int(grid.get("frozenRowCount") or 0), rows)
    frozen_cols = min(int(grid.get("frozenColumnCount") or 0), cols)
    info = f'<p class="info">{_sheet_info(sheet, rows, cols, frozen_rows, frozen_cols)}</p>'
    if not rows or not cols:
        return (
            f'<section class="sheet" id="{anchor}">{heading}{info}'
            '<p class="empty">This sheet is empty.</p></section>'
        )
    shown = _Window(min(rows, ROW_LIMIT), cols)
    widths = _column_widths(sheet, cols)
    lefts = [_ROW_HEADER_PIXELS]
    for width in widths[: max(frozen_cols - 1, 0)]:
        lefts.append(lefts[-1] + width)
    view = _SheetView(
        calc=calc,
        sheet=sheet,
        shown=shown,
        header_rows=max(frozen_rows, 1),
        frozen_rows=frozen_rows,
        frozen_cols=frozen_cols,
        lefts=lefts,
        conditional=_conditional_styles(calc, sheet, shown, _Window(rows, cols)),
        protection=_protection_levels(sheet, shown),
    )
    columns = _column_protection(sheet, cols)
    colgroup = f'<col style="width:{_ROW_HEADER_PIXELS}px">' + "".join(
        f'<col style="width:{w}px">' for w in widths
    )
    letters = ['<th class="rn"></th>']
    for col in range(cols):
        classes = []
        title = ""
        if col in columns:
            level, labels = columns[col]
            classes.append("p" if level == 2 else "pw")
            title = f' title="{escape("; ".join(labels))}"'
        left = ""
        if col < frozen_cols:
            classes.append("fz-last" if col == frozen_cols - 1 else "fz")
            left = f' style="left:{lefts[col]}px"'
        klass = f' class="{" ".join(classes)}"' if classes else ""
        letter = index_to_col(col)
        letters.append(f'<th id="{anchor}-{letter}"{klass}{left}{title}>{letter}</th>')
    head_rows = "".join(view.row(r) for r in range(min(view.header_rows, shown.rows)))
    body_rows = "\n".join(view.row(r) for r in range(view.header_rows, shown.rows))
    table = (
        f'<table class="cells" style="width:{_ROW_HEADER_PIXELS + sum(widths)}px;'
        f'--frozen:{_ROW_HEADER_PIXELS + sum(widths[:frozen_cols])}px">'
        f"<colgroup>{colgroup}</colgroup>"
        f'<thead><tr class="letters">{"".join(letters)}</tr>{head_rows}</thead>'
        f"<tbody>\n{body_rows}\n</tbody></table>"
    )
    note = (
        f'<p class="trunc">showing {shown.rows:,} of {rows:,} rows</p>' if rows > shown.rows else ""
    )
    charts = "".join(chart_svg(calc, calc.spreadsheet, chart) for chart in sheet.charts)
    drawn = f'<div class="charts">{charts}</div>' if charts else ""
    return (
        f'<section class="sheet" id="{anchor}">{heading}{info}{note}'
        f'<div class="grid">{table}</div>{drawn}</section>'
    )


_LEGEND = (
    '<div class="legend">'
    '<span><i class="sw p"></i>protected</span>'
    '<span><i class="sw pw"></i>protected (warning only)</span>'
    '<span><i class="sw fr"></i>frozen rows / columns</span>'
    '<span><i class="sw nt-sw"><span class="nt"></span></i>note (hover)</span>'
    '<span><span class="dv" style="float:none;margin:0">\u25be</span>data validation</span>'
    "<span>hover a formula cell for its formula</span>"
    "</div>"
)


def _tab(sheet: Sheet) -> str:
    color = _color_of(sheet.properties, "tabColor")
    style = f' style="border-bottom-color:{_hex(color)}"' if color is not None else ""
    hidden = ' class="hidden"' if sheet.properties.get("hidden") else ""
    return f'<a href="#sheet-{sheet.sheet_id}"{hidden}{style}>{escape(sheet.title)}</a>'


def view_html(state: EmulatorState, spreadsheet_id: str) -> str | None:
    """The spreadsheet's page, every sheet drawn as a table; None if there is no such id."""
    with state.lock:
        spreadsheet = state.spreadsheets.get(spreadsheet_id)
        if spreadsheet is None:
            return None
        drive_file = state.files.get(spreadsheet_id)
        calc = Calc(spreadsheet)
        sections = "\n".join(_sheet_section(calc, sheet) for sheet in spreadsheet.sheets)
        tabs = "".join(_tab(sheet) for sheet in spreadsheet.sheets)
        meta = [f"<code>{escape(spreadsheet.id)}</code>"]
        if drive_file is not None:
            meta.append(f"owner {escape(drive_file.owner)}")
            meta.append(f"modified {escape(_when(drive_file.modified_time))}")
        meta.append(f"{len(spreadsheet.sheets)} tab{'s' if len(spreadsheet.sheets) != 1 else ''}")
        title = spreadsheet.title
    body = (
        '<header class="top"><div class="meta"><a href="/">\u2190 All spreadsheets</a></div>'
        f"<h1>{escape(title) or '<em>Untitled</em>'}</h1>"
        f'<div class="meta">{_DOT.join(meta)}</div>{_LEGEND}</header>\n'
        f'<nav class="tabs">{tabs}</nav>\n<main>\n{sections}\n</main>'
    )
    return _document(f"{title} \u2013 Sheets emulator", body)
