"""A fleet file: many workbooks, each with its own template, brand and destinations, refreshed
by one command under one set of Google quotas; and which of them one machine takes.

    credentials = "key.json"          # defaults for every workbook
    notify = ["team-slack"]

    [quota]                           # requests a minute (Google's published defaults)
    reads_per_minute_per_user = 60

    [destinations.team-slack]
    type = "slack"
    url_env = "SLACK_WEBHOOK_URL"

    [[workbooks]]
    id = "acme"
    sheet = "https://docs.google.com/spreadsheets/d/KEY/edit"
    template = "zh"
    our_brand = "@acme"

Paths (credentials, .xlsx workbooks, template files) are relative to the fleet file.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .backends.pacing import Quota
from .destinations import Destination, parse_destinations
from .errors import ConfigError

SHARD_COUNT_ENV = "SHEETS_SYNC_SHARD_COUNT"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _QuotaTable(_Strict):
    reads_per_minute_per_user: Annotated[int, Field(ge=1)] = 60
    writes_per_minute_per_user: Annotated[int, Field(ge=1)] = 60
    reads_per_minute_per_project: Annotated[int, Field(ge=1)] = 300
    writes_per_minute_per_project: Annotated[int, Field(ge=1)] = 300


class _WorkbookTable(_Strict):
    sheet: Annotated[str, Field(min_length=1)]
    id: str | None = None
    name: str | None = None
    template: str | None = None
    our_brand: str | None = None
    credentials: str | None = None
    notify: tuple[str, ...] | None = None


class _FleetTable(_Strict):
    workbooks: Annotated[tuple[_WorkbookTable, ...], Field(min_length=1)]
    template: str = "en"
    credentials: str | None = None
    notify: tuple[str, ...] = ()
    quota: _QuotaTable = _QuotaTable()
    destinations: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class FleetWorkbook:
    id: str
    sheet: str
    name: str
    template: str
    our_brand: tuple[str, ...] | None
    credentials: str | None
    destinations: tuple[Destination, ...]


@dataclass(frozen=True)
class Fleet:
    path: Path
    workbooks: tuple[FleetWorkbook, ...]
    quota: Quota


def load_fleet(path: Path, environ: Mapping[str, str] | None = None) -> Fleet:
    """Read and check a fleet file; every problem names the file and the entry."""
    env = os.environ if environ is None else environ
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read: {exc}") from None
    try:
        table = _FleetTable.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_where(exc, data)}",
                          hint="see the README's 'Many workbooks: a fleet' section") from None
    destinations = {d.name: d for d in parse_destinations(table.destinations, str(path), env)}
    folder = path.parent
    seen: dict[str, int] = {}
    workbooks = []
    for number, entry in enumerate(table.workbooks, start=1):
        sheet = _local(folder, entry.sheet)
        ident = entry.id or _sheet_id(sheet)
        where = f"{path}: workbook {number} ({ident})"
        if ident in seen:
            raise ConfigError(f"{where}: the same id as workbook {seen[ident]}",
                              hint="give each workbook its own id")
        seen[ident] = number
        names = table.notify if entry.notify is None else entry.notify
        unknown = [n for n in names if n not in destinations]
        if unknown:
            raise ConfigError(f"{where}: notify names {', '.join(map(repr, unknown))}, "
                              "which no [destinations.NAME] table defines",
                              hint="defined: " + (", ".join(destinations) or "none"))
        credentials = entry.credentials or table.credentials
        brand = entry.our_brand
        workbooks.append(FleetWorkbook(
            ident, sheet, entry.name or ident, _template(folder, entry.template or table.template),
            None if brand is None else tuple(h.strip() for h in brand.split(",") if h.strip()),
            str(folder / credentials) if credentials else None,
            tuple(destinations[n] for n in names)))
    return Fleet(path, tuple(workbooks), Quota(**table.quota.model_dump()))


def _local(folder: Path, sheet: str) -> str:
    if sheet.lower().endswith((".xlsx", ".xlsm")):
        return str(folder / sheet)
    return sheet


def _template(folder: Path, template: str) -> str:
    return str(folder / template) if template.endswith(".toml") else template


def _sheet_id(sheet: str) -> str:
    from .backends.gsheets import spreadsheet_key

    return spreadsheet_key(sheet) or sheet


def _where(exc: ValidationError, data: Any) -> str:
    error = exc.errors()[0]
    loc = list(error["loc"])
    parts = []
    if loc[:1] == ["workbooks"] and len(loc) > 1 and isinstance(loc[1], int):
        entry = (data.get("workbooks") or [{}])[loc[1]]
        label = entry.get("id") or entry.get("sheet") if isinstance(entry, dict) else None
        parts.append(f"workbook {loc[1] + 1}" + (f" ({label})" if label else ""))
        loc = loc[2:]
    if loc:
        parts.append(".".join(str(p) for p in loc))
    message = error["msg"]
    return f"{' '.join(parts)}: {message}" if parts else message


@dataclass(frozen=True)
class Shard:
    """Which workbooks this machine refreshes: those whose id hashes to `index` of `count`.
    A stable hash of the id, so adding a workbook never moves the others."""

    index: int = 0
    count: int = 1

    def takes(self, workbook_id: str) -> bool:
        if self.count == 1:
            return True
        digest = hashlib.sha256(workbook_id.encode("utf-8")).hexdigest()
        return int(digest[:16], 16) % self.count == self.index

    def select(self, workbooks: Sequence[FleetWorkbook]) -> list[FleetWorkbook]:
        return [w for w in workbooks if self.takes(w.id)]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str, source: str = "--shard") -> Shard:
    index, sep, count = text.partition("/")
    try:
        shard = Shard(int(index), int(count))
    except ValueError:
        shard = None
    if not sep or shard is None or shard.count < 1 or not 0 <= shard.index < shard.count:
        raise ConfigError(f"{source} {text!r} should be I/N with 0 <= I < N, e.g. 0/4")
    return shard


def shard_from(option: str | None, environ: Mapping[str, str] | None = None) -> Shard:
    """--shard I/N; else Cloud Run Jobs' CLOUD_RUN_TASK_INDEX and CLOUD_RUN_TASK_COUNT; else
    a Kubernetes Indexed Job's JOB_COMPLETION_INDEX with SHEETS_SYNC_SHARD_COUNT; else all."""
    env = os.environ if environ is None else environ
    if option:
        return parse_shard(option)
    for index_var, count_var in (("CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_COUNT"),
                                 ("JOB_COMPLETION_INDEX", SHARD_COUNT_ENV)):
        index = env.get(index_var, "").strip()
        if not index:
            continue
        count = env.get(count_var, "").strip()
        if not count:
            raise ConfigError(f"{index_var} is set but {count_var} is not",
                              hint=f"set {count_var} to the number of tasks (the Job's "
                                   "completions), or pass --shard I/N")
        return parse_shard(f"{index}/{count}", f"{index_var}/{count_var}")
    return Shard()
