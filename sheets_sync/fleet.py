"""The monthly refresh over a fleet of workbooks, one after another, paced under the Google
quotas shared by all of them.

Resumable: a workbook already refreshed this calendar month is skipped (one read, and the
alerts it has not yet sent go out), so a rerun after a crash finishes the fleet without a
second snapshot or notification. One workbook's failure never stops the others; the exit
code is the worst workbook's.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from .backends import Backend, google_credentials
from .backends.pacing import READ, WRITE, Pacer, pacing
from .errors import SheetsSyncError
from .fleet_config import Fleet, FleetWorkbook, Shard
from .monthly import refresh
from .report import SyncReport
from .template import Template, as_template

EXIT_USAGE = 2
REFRESHED, SKIPPED, FAILED = "refreshed", "skipped", "failed"


@dataclass
class WorkbookOutcome:
    id: str
    name: str
    status: str
    exit_code: int
    alerts: int = 0
    sent: int = 0
    unsent: int = 0
    reads: int = 0
    writes: int = 0
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)

    def line(self) -> str:
        parts = [self.status]
        if self.status != FAILED:
            parts.append(f"{self.alerts} new alert(s)")
            parts.append(f"{self.sent} notification(s) sent")
            if self.unsent:
                parts.append(f"{self.unsent} not delivered (retried next run)")
        parts.append(f"{self.reads} reads, {self.writes} writes, {self.seconds:.1f} s")
        text = f"{self.id}: " + ", ".join(parts)
        if self.status == FAILED and self.messages:
            text += f"\n  {self.messages[0]}"
        return text


@dataclass
class FleetReport:
    fleet: str
    shard: str
    today: dt.date
    outcomes: list[WorkbookOutcome] = field(default_factory=list)
    waited: float = 0.0  # seconds spent waiting for the quota

    @property
    def exit_code(self) -> int:
        return max((o.exit_code for o in self.outcomes), default=0)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def to_dict(self) -> dict[str, Any]:
        return {"fleet": self.fleet, "shard": self.shard, "date": self.today.isoformat(),
                "workbooks": len(self.outcomes),
                **{s: self.count(s) for s in (REFRESHED, SKIPPED, FAILED)},
                "reads": sum(o.reads for o in self.outcomes),
                "writes": sum(o.writes for o in self.outcomes),
                "seconds_waiting_for_quota": round(self.waited, 1),
                "outcomes": [asdict(o) for o in self.outcomes], "exit_code": self.exit_code}

    def summary(self) -> str:
        lines = [f"Fleet {self.fleet} (shard {self.shard}), {self.today.isoformat()}: "
                 f"{len(self.outcomes)} workbook(s): {self.count(REFRESHED)} refreshed, "
                 f"{self.count(SKIPPED)} already done this month, {self.count(FAILED)} failed"]
        reads = sum(o.reads for o in self.outcomes)
        writes = sum(o.writes for o in self.outcomes)
        lines.append(f"  {reads} reads and {writes} writes to Google Sheets; "
                     f"{self.waited:.0f} s spent waiting for the quota")
        lines.extend(f"  {o.line()}" for o in self.outcomes
                     if o.status == FAILED or o.unsent or o.exit_code)
        return "\n".join(lines)


class _Opener:
    """Backends for the fleet's workbooks; one credentials object per key file, so a
    fleet signs in once per identity rather than once per workbook."""

    def __init__(self) -> None:
        self._credentials: dict[str | None, Any] = {}
        self._templates: dict[str, Template] = {}

    def template(self, name: str) -> Template:
        if name not in self._templates:
            self._templates[name] = as_template(name)
        return self._templates[name]

    def backend(self, workbook: FleetWorkbook) -> str | Backend:
        from .backends.gsheets import GoogleSheetsBackend, spreadsheet_key

        key = None if workbook.sheet.lower().endswith((".xlsx", ".xlsm")) else \
            spreadsheet_key(workbook.sheet)
        if key is None:
            return workbook.sheet
        if workbook.credentials not in self._credentials:
            self._credentials[workbook.credentials] = google_credentials(workbook.credentials)
        return GoogleSheetsBackend.from_credentials(key, self._credentials[workbook.credentials])


def refresh_fleet(fleet: Fleet, *, today: dt.date | None = None, shard: Shard | None = None,
                  on_done: Callable[[WorkbookOutcome, int, int], None] | None = None
                  ) -> FleetReport:
    """Refresh this shard's workbooks, paced under its part of the quotas."""
    day = today or dt.date.today()
    shard = shard or Shard()
    chosen = shard.select(fleet.workbooks)
    report = FleetReport(str(fleet.path), str(shard), day)
    opener = _Opener()
    # Shards run at once on other machines against the same project: each takes its part.
    with pacing(Pacer(fleet.quota.shared(shard.count))) as pacer:
        for number, workbook in enumerate(chosen, start=1):
            pacer.workbook = workbook.id
            outcome = _refresh_one(workbook, opener, day)
            counts = pacer.counts.get(workbook.id, {})
            outcome.reads, outcome.writes = counts.get(READ, 0), counts.get(WRITE, 0)
            report.outcomes.append(outcome)
            if on_done is not None:
                on_done(outcome, number, len(chosen))
        report.waited = pacer.waited
    return report


def _refresh_one(workbook: FleetWorkbook, opener: _Opener, day: dt.date) -> WorkbookOutcome:
    started = time.monotonic()
    try:
        result = refresh(opener.backend(workbook), today=day,
                         template=opener.template(workbook.template),
                         our_brand=workbook.our_brand, notify=workbook.destinations,
                         workbook=workbook.name, skip_done=True)
    except SheetsSyncError as exc:
        return WorkbookOutcome(workbook.id, workbook.name, FAILED, EXIT_USAGE,
                               seconds=time.monotonic() - started, messages=[str(exc)])
    except Exception as exc:  # one workbook's bug must not stop the rest of the fleet
        return WorkbookOutcome(workbook.id, workbook.name, FAILED, EXIT_USAGE,
                               seconds=time.monotonic() - started,
                               messages=[f"an unexpected {type(exc).__name__}: {exc} (a bug "
                                         "in sheets-sync, not in the workbook)"])
    return _outcome(workbook, result, time.monotonic() - started)


def _outcome(workbook: FleetWorkbook, result: SyncReport, seconds: float) -> WorkbookOutcome:
    skipped = any(n.startswith("already refreshed this month") for n in result.notes)
    return WorkbookOutcome(
        workbook.id, workbook.name, SKIPPED if skipped else REFRESHED, result.exit_code,
        alerts=result.alerts_raised,
        sent=sum(n["sent"] for n in result.notifications),
        unsent=sum(n["pending"] - n["sent"] for n in result.notifications),
        seconds=seconds,
        messages=[str(p) for p in result.errors] + list(result.notes))
