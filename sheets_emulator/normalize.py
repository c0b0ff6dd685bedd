"""How Google stores what it is sent: nulls dropped, colours in 8 bits, default fields left out."""

from __future__ import annotations

import math
import struct
from typing import Any


def strip_nulls(value: Any) -> Any:
    """Drop null members of objects (Google treats them as unset); list items stay."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value


def float32(value: float) -> int | float:
    """The shortest decimal that reads back as the same float32, as Google prints it."""
    packed = struct.pack("<f", value)
    single = struct.unpack("<f", packed)[0]
    if single.is_integer():
        return int(single)
    for digits in range(1, 10):
        candidate = float(f"{single:.{digits}g}")
        if struct.pack("<f", candidate) == packed:
            return candidate
    return single


def _channel(value: Any) -> int | float:
    number = min(1.0, max(0.0, float(value)))
    return float32(math.floor(number * 255 + 0.5 - 1e-6) / 255)


def color(value: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("red", "green", "blue"):
        if key in value:
            channel = _channel(value[key])
            if channel:
                out[key] = channel
    if "alpha" in value and float(value["alpha"]) != 1:
        out["alpha"] = float32(float(value["alpha"]))
    return out


def color_style(value: dict[str, Any]) -> dict[str, Any]:
    if "rgbColor" in value:
        return {"rgbColor": color(value["rgbColor"])}
    return dict(value)


def colors(value: Any) -> Any:
    """Quantize colours and keep each `xColor` and its `xColorStyle` twin in step."""
    if isinstance(value, list):
        return [colors(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key.endswith("ColorStyle") and isinstance(item, dict):
            style = color_style(item)
            out[key] = style
            if "rgbColor" in style:
                out[key[: -len("Style")]] = style["rgbColor"]
        elif (key.endswith("Color") or key == "color") and isinstance(item, dict):
            rgb = color(item)
            out[key] = rgb
            style_key = key + "Style"
            if style_key not in value:
                out[style_key] = {"rgbColor": rgb}
        else:
            out[key] = colors(item)
    return out


def grid_range_out(rng: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as Google prints it: sheetId 0 left out, indices kept."""
    out = {}
    for key in ("sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"):
        if key in rng and rng[key] is not None:
            out[key] = rng[key]
    if out.get("sheetId") == 0:
        del out["sheetId"]
    return out


def dimension_range_out(rng: dict[str, Any]) -> dict[str, Any]:
    out = {k: rng[k] for k in ("sheetId", "dimension", "startIndex", "endIndex") if k in rng}
    if out.get("sheetId") == 0:
        del out["sheetId"]
    return out


def drop_defaults(value: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """Leave out the listed members when they hold 0, false or an empty value."""
    return {k: v for k, v in value.items() if not (k in keys and not v)}


SHEET_FLAGS = ("hidden", "rightToLeft")
GRID_FLAGS = (
    "frozenRowCount",
    "frozenColumnCount",
    "hideGridlines",
    "rowGroupControlAfter",
    "columnGroupControlAfter",
)


def sheet_properties(props: dict[str, Any]) -> dict[str, Any]:
    out = colors(drop_defaults(props, SHEET_FLAGS))
    if "gridProperties" in out:
        out["gridProperties"] = drop_defaults(out["gridProperties"], GRID_FLAGS)
    return out
