"""Import presets: named column mappings for the exports people have (a scraper's CSV,
FastMoss, TikTok Studio), kept as data in templates/presets/*.toml and checked on load."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError, TemplateError
from .template import BUILTIN_DIR_CANDIDATES, REQUIRED_CATEGORY_KEYS, normalize_header

# Not a template column: the date a video was posted, used when rows are videos.
POSTED_AT = "posted_at"
_OPTIONAL_INPUT_KEYS = frozenset({
    "posting_times", "content_style", "business_goal", "content_themes", "top_audio",
    "hashtags", "formats", "us_audience_share", "tiktok_shop", "product_tags",
    "live_shopping", "promotions", "creator_partnerships", "notes"})
MAPPABLE_KEYS = REQUIRED_CATEGORY_KEYS | _OPTIONAL_INPUT_KEYS | {POSTED_AT}


class ImportPreset(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    title: str
    basis: Literal["documented", "best reading"]
    source: str
    # 'videos': one row per video, averaged into one row per account.
    rows: Literal["accounts", "videos"] = "accounts"
    # 'our_brand': the file has no handle; its rows are our own account's.
    account: Literal["handle_column", "our_brand"] = "handle_column"
    # The file is this preset's when, for every group, one of its headers is there.
    signature: tuple[tuple[str, ...], ...]
    columns: dict[str, tuple[str, ...]]

    @field_validator("columns")
    @classmethod
    def _known_keys(cls, columns: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        unknown = sorted(set(columns) - MAPPABLE_KEYS)
        if unknown:
            raise ValueError(f"unknown column keys {', '.join(unknown)}")
        return columns

    @property
    def header_keys(self) -> dict[str, str]:
        """Normalised header -> column key."""
        return {normalize_header(header): key for key, headers in self.columns.items()
                for header in headers}

    def matches(self, headers: Sequence[str]) -> bool:
        present = {normalize_header(h) for h in headers}
        return all(any(normalize_header(h) in present for h in group)
                   for group in self.signature)


def _preset_files() -> dict[str, Path]:
    files: dict[str, Path] = {}
    for folder in BUILTIN_DIR_CANDIDATES:
        for path in sorted((folder / "presets").glob("*.toml")):
            files.setdefault(path.stem, path)
    return files


@cache
def builtin_presets() -> dict[str, ImportPreset]:
    presets: dict[str, ImportPreset] = {}
    for stem, path in _preset_files().items():
        try:
            preset = ImportPreset.model_validate(tomllib.loads(path.read_text("utf-8")))
        except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
            raise TemplateError(f"import preset {path} is not valid: {exc}") from None
        if preset.name != stem:
            raise TemplateError(f"import preset {path} is named {preset.name!r}; "
                                f"the file name says {stem!r}")
        presets[preset.name] = preset
    return presets


def preset_named(name: str) -> ImportPreset:
    presets = builtin_presets()
    found = presets.get(name.strip().lower())
    if found is None:
        raise ConfigError(f"unknown import preset {name!r}",
                          hint="known presets: " + ", ".join(sorted(presets)))
    return found


def detect_preset(headers: Sequence[str]) -> ImportPreset | None:
    """The one preset whose signature the headers carry; None when none or several do."""
    found = [p for p in builtin_presets().values() if p.matches(headers)]
    return found[0] if len(found) == 1 else None
