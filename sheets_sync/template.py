"""Declarative workbook templates: tabs, columns, formats, band, colours, thresholds."""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import TemplateError

CATEGORY_KEYS: tuple[str, ...] = ("direct", "indirect", "learning")

_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class ColumnType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    PERCENT = "percent"
    ENUM = "enum"
    YESNO = "yesno"
    DATE = "date"

    @property
    def is_numeric(self) -> bool:
        return self in (ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.PERCENT)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_Strict):
    key: Annotated[str, Field(pattern=_KEY.pattern)]
    header: Annotated[str, Field(min_length=1)]
    type: ColumnType
    derived: bool = False
    number_format: str | None = None
    width: Annotated[float, Field(gt=0, le=255)] = 14
    choices: tuple[str, ...] = ()
    description: str = ""

    @model_validator(mode="after")
    def _choices_match_type(self) -> Column:
        if self.type in (ColumnType.ENUM, ColumnType.YESNO) and not self.choices:
            raise ValueError(f"column {self.key!r} of type {self.type} needs choices")
        if self.choices and self.type not in (ColumnType.ENUM, ColumnType.YESNO):
            raise ValueError(f"column {self.key!r} of type {self.type} cannot have choices")
        return self


class Band(_Strict):
    """The healthy engagement range, with what it measures and where it comes from."""

    engagement_low: Annotated[float, Field(ge=0, le=1)]
    engagement_high: Annotated[float, Field(ge=0, le=1)]
    name: str = "custom"  # the preset's key in [bands], set when the template loads
    label: str = ""  # what people read, e.g. "Health & Beauty"
    # Engagement is measured against views only: the tool computes no rate per follower.
    denominator: Literal["views"] = "views"
    # False: the band counts likes, comments and shares, so it is compared with ER excl. Saves.
    includes_saves: bool = True
    industry_median: Annotated[float | None, Field(ge=0, le=1)] = None
    source: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.engagement_low >= self.engagement_high:
            raise ValueError("engagement_low must be below engagement_high")
        return self

    @property
    def rate_key(self) -> str:
        """The derived column this band is compared with."""
        return "engagement_rate" if self.includes_saves else "engagement_rate_no_saves"

    @property
    def title(self) -> str:
        return self.label or self.name


class Thresholds(_Strict):
    stale_days: Annotated[int, Field(gt=0)] = 35
    growth_spike: Annotated[float, Field(gt=0)] = 0.20
    growth_spike_median_multiple: Annotated[float, Field(gt=0)] = 3.0
    views_per_follower_jump: Annotated[float, Field(gt=0)] = 2.0
    review_months: Annotated[int, Field(gt=0)] = 6


class Colours(_Strict):
    header_fill: str
    header_text: str
    derived_header_fill: str
    below_band: str
    above_band: str
    stale_text: str
    growth_spike: str

    @field_validator("*")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX_COLOUR.fullmatch(value):
            raise ValueError(f"{value!r} is not a colour like #F4CCCC")
        return value.upper()


class Tabs(_Strict):
    direct: str
    indirect: str
    learning: str
    summary: str
    context_notes: str
    history: str
    alerts: str

    @model_validator(mode="after")
    def _distinct(self) -> Tabs:
        titles = [t.casefold() for t in self.model_dump().values()]
        if len(set(titles)) != len(titles):
            raise ValueError("tab names must be distinct")
        return self


class Labels(_Strict):
    tier_micro: str = "Micro"
    tier_mid: str = "Mid"
    tier_macro: str = "Macro"
    band_low: str = "low"
    band_in: str = "in band"
    band_high: str = "high"
    chart_title: str = "Engagement rate vs views per follower"
    all_categories: str = "All"
    summary_band: str = "Engagement band"
    summary_band_name: str = "Band"
    summary_band_range: str = "Range"
    summary_band_measure: str = "Measured as"
    summary_band_formula_saves: str = "(likes + comments + shares + saves) / views"
    summary_band_formula_no_saves: str = "(likes + comments + shares) / views"
    summary_band_saves: str = "Saves"
    summary_band_saves_in: str = "counted (compared with Engagement Rate)"
    summary_band_saves_out: str = "not counted (compared with ER excl. Saves)"
    summary_band_median: str = "Industry median"
    summary_band_source: str = "Source"
    summary_accounts: str = "Accounts per category"
    summary_ours: str = "Our brand vs the median"
    summary_no_brand: str = "set our_brand in sheets-sync.toml (or --our-brand) to compare"
    summary_rates: str = "Rates: Q1, median, Q3"
    summary_movers: str = "Top movers by 30-day growth rate (not size)"


def normalize_header(text: str) -> str:
    """Header text compared ignoring case, spaces and punctuation: 'Avg Views' == 'avg_views'."""
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


def _check_columns(columns: tuple[Column, ...], where: str) -> None:
    seen: dict[str, str] = {}
    for column in columns:
        for name in {column.key, column.header}:
            norm = normalize_header(name)
            if not norm:
                raise ValueError(f"{where}: column {column.key!r} has an empty header")
            owner = seen.setdefault(norm, column.key)
            if owner != column.key:
                raise ValueError(
                    f"{where}: columns {owner!r} and {column.key!r} are indistinguishable "
                    f"when case, spaces and punctuation are ignored ({name!r})"
                )


REQUIRED_CATEGORY_KEYS = frozenset(
    {
        "handle", "display_name", "followers", "followers_30d_ago", "avg_views", "avg_likes",
        "avg_comments", "avg_shares", "avg_saves", "posts_30d", "tier", "follower_growth_30d",
        "views_per_follower", "engagement_rate", "engagement_rate_no_saves", "comment_rate",
        "share_rate", "save_rate", "posts_per_week", "er_band", "profile_url", "last_changed",
    }
)


class Template(_Strict):
    name: str
    description: str = ""
    band: Band  # the band in use; the template names it with band = "preset"
    bands: dict[str, Band] = Field(default_factory=dict)  # named presets
    thresholds: Thresholds = Thresholds()
    colors: Colours
    tabs: Tabs
    labels: Labels = Labels()
    columns: tuple[Column, ...]
    summary_columns: tuple[Column, ...]
    context_notes_columns: tuple[Column, ...]
    history_columns: tuple[Column, ...]
    alerts_columns: tuple[Column, ...]
    # Handles of our own brand's accounts: compared with the competitors in the Summary,
    # left out of their counts and medians.
    our_brand: tuple[str, ...] = ()
    source: str = Field(default="", exclude=True)
    # False when nothing named the template: a workbook's own (remembered) one then wins.
    chosen: bool = Field(default=True, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _named_band(cls, data: Any) -> Any:
        """`band = "beauty"` picks a preset of [bands]; a [band] table is a band of its own."""
        if not isinstance(data, dict):
            return data
        bands = data.get("bands")
        if isinstance(bands, dict):
            bands = {key: {**value, "name": key} if isinstance(value, dict) else value
                     for key, value in bands.items()}
            data = {**data, "bands": bands}
        band = data.get("band")
        if isinstance(band, str):
            presets = bands if isinstance(bands, dict) else {}
            if band not in presets:
                known = ", ".join(sorted(presets)) or "none ([bands] is empty)"
                raise ValueError(f"band {band!r} is not one of the [bands] presets: {known}")
            data = {**data, "band": presets[band]}
        return data

    def with_band(self, name: str | None) -> Template:
        """This template using the preset `name` (None: as it is)."""
        if name is None or name == self.band.name:
            return self
        if name not in self.bands:
            raise TemplateError(
                f"unknown band {name!r}",
                hint="known bands: " + (", ".join(sorted(self.bands)) or "none")
                     + f" (the [bands] of template {self.name!r})")
        return self.model_copy(update={"band": self.bands[name]})

    @model_validator(mode="after")
    def _consistent(self) -> Template:
        _check_columns(self.columns, "columns")
        for name in ("summary_columns", "context_notes_columns", "history_columns",
                     "alerts_columns"):
            _check_columns(getattr(self, name), name)
        keys = {c.key for c in self.columns}
        missing = sorted(REQUIRED_CATEGORY_KEYS - keys)
        if missing:
            raise ValueError(f"columns: missing required keys {', '.join(missing)}")
        handle = next(c for c in self.columns if c.key == "handle")
        if handle.derived or handle.type is not ColumnType.TEXT:
            raise ValueError("columns: 'handle' must be an input text column")
        return self

    @cached_property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @cached_property
    def input_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.derived)

    @cached_property
    def derived_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.derived)

    @cached_property
    def category_tabs(self) -> dict[str, str]:
        """Category key -> tab title, in template order."""
        return {key: getattr(self.tabs, key) for key in CATEGORY_KEYS}

    def category_for(self, text: str) -> str | None:
        """'direct', 'Direct' or the tab title (any case and spacing) -> category key."""
        return self._category_names.get(normalize_header(text))

    @cached_property
    def _category_names(self) -> dict[str, str]:
        names = {normalize_header(key): key for key in CATEGORY_KEYS}
        names.update({normalize_header(title): key for key, title in self.category_tabs.items()})
        return names

    def columns_of(self, tab_key: str) -> tuple[Column, ...]:
        if tab_key in CATEGORY_KEYS:
            return self.columns
        return getattr(self, f"{tab_key}_columns")

    @cached_property
    def all_tabs(self) -> dict[str, str]:
        """Every tab key -> title, in the order tabs are laid out."""
        return dict(self.tabs.model_dump())


BUILTIN_DIR_CANDIDATES = (
    Path(__file__).with_name("templates"),  # installed wheel
    Path(__file__).resolve().parent.parent / "templates",  # source checkout
)


def builtin_template_path(name: str) -> Path | None:
    for folder in BUILTIN_DIR_CANDIDATES:
        path = folder / f"{name}.toml"
        if path.is_file():
            return path
    return None


def builtin_template_names() -> list[str]:
    names: set[str] = set()
    for folder in BUILTIN_DIR_CANDIDATES:
        if folder.is_dir():
            names.update(p.stem for p in folder.glob("*.toml"))
    return sorted(names)


def _field_path(loc: tuple[object, ...], data: dict) -> str:
    """('columns', 3, 'type') -> "columns[3] (key 'avg_views').type"."""
    parts: list[str] = []
    node: object = data
    for item in loc:
        if isinstance(item, int):
            entry = node[item] if isinstance(node, list) and item < len(node) else None
            key = entry.get("key") if isinstance(entry, dict) else None
            parts[-1] += f"[{item}]" + (f" (key {key!r})" if key else "")
        else:
            parts.append(str(item))
        try:
            node = node[item]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts) or "(top level)"


def load_template(name_or_path: str | Path = "en") -> Template:
    """Load a built-in template by name ('en') or a template file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        found = builtin_template_path(str(name_or_path))
        if found is None:
            raise TemplateError(
                f"unknown template {str(name_or_path)!r}",
                hint=f"built-in templates: {', '.join(builtin_template_names())}; "
                "or give the path of a .toml template file",
            )
        path = found
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(f"template file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"template file {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"template file {path} is not valid TOML: {exc}") from None
    try:
        return Template.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        lines = [
            f"  {_field_path(err['loc'], data)}: {err['msg']}" for err in exc.errors()
        ]
        raise TemplateError(
            f"template file {path} is not valid:\n" + "\n".join(lines),
            hint="compare it with the built-in template templates/en.toml",
        ) from None



def as_template(template: str | Path | Template | None) -> Template:
    """A loaded template as it is; a name or path loaded; None is the default, en, which
    gives way to the template a workbook remembers."""
    if isinstance(template, Template):
        return template
    if template is None:
        return load_template("en").model_copy(update={"chosen": False})
    return load_template(template)
