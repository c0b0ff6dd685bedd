"""Number formats: how Sheets turns a number and a numberFormat into display text."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

EPOCH = dt.datetime(1899, 12, 30)

DEFAULT_PATTERNS = {
    "NUMBER": "#,##0.00",
    "PERCENT": "0.00%",
    "CURRENCY": '"$"#,##0.00',
    "DATE": "M/d/yyyy",
    "TIME": "h:mm:ss am/pm",
    "DATE_TIME": "M/d/yyyy H:mm:ss",
    "SCIENTIFIC": "0.00E+00",
}
DATE_TYPES = frozenset({"DATE", "TIME", "DATE_TIME"})

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DATE_TOKEN = re.compile(
    r'"[^"]*"|\\.|am/pm|a/p|yyyy|yy|y|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss\.0+|ss|s|.',
    re.IGNORECASE,
)


def _round_half_up(value: float, digits: int) -> Decimal:
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def general(value: float) -> str:
    """Sheets' "General" display: integers in full, else ten significant digits."""
    if value == 0:
        return "0"
    if math.isinf(value) or math.isnan(value):
        return "#NUM!"
    magnitude = abs(value)
    if float(value).is_integer() and magnitude < 1e15:
        return str(int(value))
    if magnitude >= 1e15 or magnitude < 1e-6:
        mantissa, exponent = f"{value:.5E}".split("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        sign = "-" if exponent.startswith("-") else "+"
        return f"{mantissa}E{sign}{abs(int(exponent)):02d}"
    digits = max(0, 10 - (math.floor(math.log10(magnitude)) + 1))
    text = format(_round_half_up(value, digits), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _split_sections(pattern: str) -> list[str]:
    sections, current, quoted, i = [], "", False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and i + 1 < len(pattern):
            current += pattern[i : i + 2]
            i += 2
            continue
        elif ch == ";" and not quoted:
            sections.append(current)
            current = ""
            i += 1
            continue
        current += ch
        i += 1
    sections.append(current)
    return sections


def _strip_literals(text: str) -> str:
    out, i = "", 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            end = text.find('"', i + 1)
            end = len(text) if end < 0 else end
            out += text[i + 1 : end]
            i = end + 1
        elif ch == "\\" and i + 1 < len(text):
            out += text[i + 1]
            i += 2
        elif ch in "_*":
            i += 2
        elif ch == "[":
            end = text.find("]", i)
            i = len(text) if end < 0 else end + 1
        else:
            out += ch
            i += 1
    return out


def is_date_pattern(pattern: str) -> bool:
    plain = re.sub(r'"[^"]*"|\\.', "", pattern).lower()
    return bool(re.search(r"[ymdhs]", plain)) and not re.search(r"[0#]", plain)


def _number_section(value: float, section: str) -> str:
    m = re.search(r"[0#?][0#?,.]*(?:[eE][+-][0#]+)?|\.[0#?]+", section)
    if not m:
        return _strip_literals(section)
    prefix = _strip_literals(section[: m.start()])
    suffix = _strip_literals(section[m.end() :])
    body = m.group(0)
    if "%" in section.replace('"%"', ""):
        value *= 100
    sci = re.search(r"[eE]([+-])([0#]+)$", body)
    if sci:
        mant_pat = body[: sci.start()]
        decimals = len(mant_pat.split(".")[1]) if "." in mant_pat else 0
        exponent = 0 if value == 0 else math.floor(math.log10(abs(value)))
        mantissa = value / (10**exponent) if value else 0.0
        mant_text = format(_round_half_up(mantissa, decimals), "f")
        if mant_text.lstrip("-").startswith("10"):
            exponent += 1
            mant_text = format(_round_half_up(value / (10**exponent), decimals), "f")
        sign = "-" if exponent < 0 else "+" if sci.group(1) == "+" else ""
        exp_text = str(abs(exponent)).rjust(len(sci.group(2)), "0")
        return f"{prefix}{mant_text}E{sign}{exp_text}{suffix}"
    int_pat, _, dec_pat = body.partition(".")
    grouping = "," in int_pat
    int_pat = int_pat.replace(",", "")
    required = len(dec_pat.rstrip("#?")) if dec_pat else 0
    optional = len(dec_pat) - required if dec_pat else 0
    text = format(_round_half_up(abs(value), required + optional), "f")
    int_part, _, dec_part = text.partition(".")
    if optional:
        keep = required + len(dec_part[required:].rstrip("0"))
        dec_part = dec_part[:keep]
    min_int = len(int_pat.lstrip("#?"))
    if int_part == "0" and min_int == 0:
        int_part = ""
    int_part = int_part.rjust(min_int, "0")
    if grouping and int_part:
        int_part = f"{int(int_part):,}"
    number = f"{int_part}.{dec_part}" if dec_part else int_part
    return f"{prefix}{number}{suffix}"


def _format_date(value: float, pattern: str) -> str:
    moment = EPOCH + dt.timedelta(days=value)
    if moment.microsecond >= 500_000 and not re.search(r"ss\.0", pattern, re.IGNORECASE):
        moment = moment.replace(microsecond=0) + dt.timedelta(seconds=1)
    tokens = _DATE_TOKEN.findall(pattern)
    twelve_hour = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    out = []
    for i, tok in enumerate(tokens):
        low = tok.lower()
        if low.startswith('"'):
            out.append(tok[1:-1])
        elif low.startswith("\\"):
            out.append(tok[1:])
        elif low in ("yyyy", "y"):
            out.append(f"{moment.year:04d}")
        elif low == "yy":
            out.append(f"{moment.year % 100:02d}")
        elif low in ("m", "mm"):
            prev = next(
                (t.lower() for t in reversed(tokens[:i]) if t.strip() and t[0].isalpha()), ""
            )
            nxt = next((t.lower() for t in tokens[i + 1 :] if t.strip() and t[0].isalpha()), "")
            is_minute = prev.startswith("h") or nxt.startswith("s")
            number = moment.minute if is_minute else moment.month
            out.append(f"{number:02d}" if low == "mm" else str(number))
        elif low == "mmm":
            out.append(_MONTHS[moment.month - 1][:3])
        elif low == "mmmm":
            out.append(_MONTHS[moment.month - 1])
        elif low == "d":
            out.append(str(moment.day))
        elif low == "dd":
            out.append(f"{moment.day:02d}")
        elif low == "ddd":
            out.append(_DAYS[moment.weekday()][:3])
        elif low == "dddd":
            out.append(_DAYS[moment.weekday()])
        elif low in ("h", "hh"):
            hour = moment.hour
            if twelve_hour:
                hour = hour % 12 or 12
            out.append(f"{hour:02d}" if low == "hh" else str(hour))
        elif low.startswith("ss."):
            digits = len(low) - 3
            frac = f"{moment.microsecond / 1e6:.{digits}f}"[1:]
            out.append(f"{moment.second:02d}{frac}")
        elif low == "ss":
            out.append(f"{moment.second:02d}")
        elif low == "s":
            out.append(str(moment.second))
        elif low == "am/pm":
            out.append("AM" if moment.hour < 12 else "PM")
        elif low == "a/p":
            out.append("A" if moment.hour < 12 else "P")
        else:
            out.append(tok)
    return "".join(out)


def pattern_of(number_format: dict[str, Any] | None) -> str | None:
    if not number_format:
        return None
    pattern = number_format.get("pattern")
    if pattern:
        return str(pattern)
    return DEFAULT_PATTERNS.get(str(number_format.get("type", "")))


def format_number(value: float, number_format: dict[str, Any] | None) -> str:
    """Display text of a number under a cell's numberFormat."""
    pattern = pattern_of(number_format)
    kind = (number_format or {}).get("type")
    if not pattern or pattern.lower() == "general" or kind == "TEXT":
        return general(value)
    if is_date_pattern(pattern):
        try:
            return _format_date(value, pattern)
        except (OverflowError, ValueError):
            return general(value)
    sections = _split_sections(pattern)
    if value < 0 and len(sections) >= 2:
        return _number_section(-value, sections[1])
    if value == 0 and len(sections) >= 3:
        return _number_section(value, sections[2])
    text = _number_section(abs(value), sections[0])
    if value < 0 and re.search(r"[1-9]", text):
        return "-" + text
    return text


def is_date_format(number_format: dict[str, Any] | None) -> bool:
    if not number_format:
        return False
    if number_format.get("type") in DATE_TYPES:
        return True
    pattern = number_format.get("pattern")
    return bool(pattern) and is_date_pattern(str(pattern))


def to_serial(moment: dt.datetime) -> float:
    delta = moment - EPOCH
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
