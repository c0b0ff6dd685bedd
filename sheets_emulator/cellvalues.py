"""Turning input values into stored cell values, as Sheets does in the en_US locale."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .numfmt import to_serial

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_PERCENT = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))\s*%$")
_CURRENCY = re.compile(r"^([+-]?)\$\s*(\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+\.?\d*|\.\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?$")


def _number_value(text: str) -> float:
    return float(text.replace(",", ""))


def _clean(number: float) -> int | float:
    return int(number) if float(number).is_integer() and abs(number) < 2**53 else number


def _moment(year: int, month: int, day: int, parts: tuple[str | None, ...]) -> dt.datetime | None:
    hour, minute, second = (int(p) if p else 0 for p in parts)
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def _date(text: str) -> tuple[float, dict[str, str]] | None:
    m = _ISO_DATE.match(text)
    if m:
        moment = _moment(int(m[1]), int(m[2]), int(m[3]), (m[4], m[5], m[6]))
        if moment is None:
            return None
        if m[4]:
            return to_serial(moment), {"type": "DATE_TIME", "pattern": "yyyy-mm-dd H:mm:ss"}
        return to_serial(moment), {"type": "DATE", "pattern": "yyyy-mm-dd"}
    m = _US_DATE.match(text)
    if m:
        moment = _moment(int(m[3]), int(m[1]), int(m[2]), (m[4], m[5], m[6]))
        if moment is None:
            return None
        if m[4]:
            return to_serial(moment), {"type": "DATE_TIME", "pattern": "M/d/yyyy H:mm:ss"}
        return to_serial(moment), {"type": "DATE", "pattern": "M/d/yyyy"}
    m = _TIME.match(text)
    if m:
        hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
        suffix = (m[4] or "").lower()
        if suffix:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
        serial = (hour * 3600 + minute * 60 + second) / 86400
        pattern = "h:mm:ss am/pm" if m[3] else "h:mm am/pm"
        return serial, {"type": "TIME", "pattern": pattern}
    return None


def parse_user_entered(value: Any) -> tuple[dict[str, Any] | None, dict[str, str] | None]:
    """A value typed into a cell: its userEnteredValue and, when implied, its numberFormat."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return {"boolValue": value}, None
    if isinstance(value, (int, float)):
        return {"numberValue": _clean(value)}, None
    text = str(value)
    if text == "":
        return None, None
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if text.startswith("=") and len(text) > 1:
        return {"formulaValue": text}, None
    stripped = text.strip()
    upper = stripped.upper()
    if upper in ("TRUE", "FALSE"):
        return {"boolValue": upper == "TRUE"}, None
    if _NUMBER.match(stripped):
        return {"numberValue": _clean(float(stripped))}, None
    if _GROUPED.match(stripped):
        pattern = "#,##0.00" if "." in stripped else "#,##0"
        return {"numberValue": _clean(_number_value(stripped))}, {
            "type": "NUMBER",
            "pattern": pattern,
        }
    m = _PERCENT.match(stripped)
    if m:
        number = float(m[1]) / 100
        pattern = "0.00%" if "." in m[1] else "0%"
        return {"numberValue": _clean(round(number, 15))}, {"type": "PERCENT", "pattern": pattern}
    m = _CURRENCY.match(stripped)
    if m:
        number = _number_value(m[2]) * (-1 if m[1] == "-" else 1)
        return {"numberValue": _clean(number)}, {"type": "CURRENCY", "pattern": '"$"#,##0.00'}
    date = _date(stripped)
    if date is not None:
        serial, number_format = date
        return {"numberValue": _clean(serial)}, number_format
    return {"stringValue": text}, None


def parse_raw(value: Any) -> dict[str, Any] | None:
    """A value written with valueInputOption=RAW: stored as given."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": _clean(value)}
    return {"stringValue": str(value)}
