"""Settings: a flag wins over SHEETS_SYNC_* variables, which win over sheets-sync.toml."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

CONFIG_FILE = "sheets-sync.toml"
DEFAULT_SHEET = "benchmark.xlsx"
DEFAULT_TEMPLATE = "en"
KNOWN_SETTINGS = frozenset({"sheet", "template", "our_brand"})


@dataclass(frozen=True)
class Settings:
    sheet: str
    template: str
    our_brand: tuple[str, ...] = ()


def _file_settings(folder: Path) -> dict[str, str]:
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
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}: {key} must be a non-empty text value, got {value!r}")
    return data


def resolve_settings(sheet: str | None = None, template: str | None = None,
                     folder: Path | None = None, our_brand: str | None = None) -> Settings:
    from_file = _file_settings(folder or Path.cwd())
    brand = (our_brand or os.environ.get("SHEETS_SYNC_OUR_BRAND") or from_file.get("our_brand")
             or "")
    return Settings(
        sheet=sheet or os.environ.get("SHEETS_SYNC_SHEET") or from_file.get("sheet")
        or DEFAULT_SHEET,
        template=template or os.environ.get("SHEETS_SYNC_TEMPLATE")
        or from_file.get("template") or DEFAULT_TEMPLATE,
        our_brand=tuple(h.strip() for h in brand.split(",") if h.strip()),
    )
