"""Settings, in one place for the CLI, the library and the side panel: a flag wins over
SHEETS_SYNC_* variables, which win over sheets-sync.toml, which wins over what the
workbook remembers from its last push (our brand, the band), which wins over the defaults."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .destinations import Destination, parse_destinations
from .errors import ConfigError

CONFIG_FILE = "sheets-sync.toml"
DEFAULT_SHEET = "benchmark.xlsx"
DEFAULT_TEMPLATE = "en"
KNOWN_SETTINGS = frozenset({"sheet", "template", "our_brand", "band", "destinations"})
TABLE_SETTINGS = frozenset({"destinations"})


@dataclass(frozen=True)
class Settings:
    """The target workbook, the template, and our own handles. `our_brand` is None when
    nothing names it: commands then use the brand the workbook's last push used, so the
    CLI and the side panel write the same Summary."""

    sheet: str = DEFAULT_SHEET
    # None when nothing names it: the workbook's own template, else en.
    template: str | None = None
    our_brand: tuple[str, ...] | None = None
    # A band preset of the template (beauty, fashion, ...); None: the one the workbook's last
    # push was told to use, else the template's own.
    band: str | None = None
    destinations: tuple[Destination, ...] = ()  # where the refresh sends new alerts


def _file_settings(folder: Path) -> dict[str, Any]:
    path = folder / CONFIG_FILE
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read: {exc}",
                          hint='it should hold lines like: sheet = "benchmark.xlsx"') from None
    unknown = sorted(set(data) - KNOWN_SETTINGS)
    if unknown:
        raise ConfigError(f"{path}: unknown setting {', '.join(unknown)}",
                          hint=f"known settings: {', '.join(sorted(KNOWN_SETTINGS))}")
    for key, value in data.items():
        if key in TABLE_SETTINGS:
            continue
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}: {key} must be a non-empty text value, got {value!r}")
    return data


def resolve_settings(sheet: str | None = None, template: str | None = None,
                     folder: Path | None = None, our_brand: str | None = None,
                     environ: Mapping[str, str] | None = None,
                     band: str | None = None) -> Settings:
    """`our_brand=""` (an empty flag) says "no brand", where None says nothing."""
    env = os.environ if environ is None else environ
    folder = folder or Path.cwd()
    from_file = _file_settings(folder)
    brand = next((v for v in (our_brand, env.get("SHEETS_SYNC_OUR_BRAND"),
                              from_file.get("our_brand")) if v is not None), None)
    return Settings(
        sheet=sheet or env.get("SHEETS_SYNC_SHEET") or from_file.get("sheet")
        or DEFAULT_SHEET,
        template=template or env.get("SHEETS_SYNC_TEMPLATE") or from_file.get("template"),
        our_brand=None if brand is None else tuple(
            h.strip() for h in brand.split(",") if h.strip()),
        band=(band or env.get("SHEETS_SYNC_BAND") or from_file.get("band") or "").strip()
        or None,
        destinations=parse_destinations(from_file.get("destinations"),
                                        str(folder / CONFIG_FILE), env),
    )
