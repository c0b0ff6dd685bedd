"""The one write loop every command goes through: read -> plan -> write -> check.

A round reads the workbook into a `Benchmark`, asks the command for its plan and has
the backend apply it. It goes round again after a lost reply (only what is still
missing is sent), after a concurrent save of a local workbook, and after a write a
concurrent edit displaced (the post-write check puts it right).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

from .backends import Backend
from .benchmark import Benchmark, Part, load_benchmark
from .errors import SheetChangedDuringPush, WriteOutcomeUnknown
from .planner import PlannedPush
from .report import SyncReport
from .template import Template
from .verify import checked_tabs, landed_as_planned, repair_plan
from .workbook import WritePlan

Progress = Callable[[str], None]
MakePlan = Callable[[Benchmark], PlannedPush]
# Enough rounds for several writers at once (four side-panel clicks, two pushes): each
# round one of them lands and the others plan anew.
WRITE_ATTEMPTS = 8


def step(progress: Progress | None, label: str) -> None:
    if progress is not None:
        progress(label)


def run_rounds(backend: Backend, template: Template, report: SyncReport, make_plan: MakePlan,
               *, parts: Part = Part.ALL, our_brand: Sequence[str] | None = None,
               dry_run: bool = False, progress: Progress | None = None,
               first_read: Benchmark | None = None, band: str | None = None) -> PlannedPush:
    """Read, plan and write until the plan has landed (at most WRITE_ATTEMPTS rounds).

    The report keeps what the first write did; later rounds only finish it. `first_read`
    is a benchmark the caller has just read, used for the first round instead of reading
    again.
    """
    if dry_run:
        return _rounds(backend, template, report, make_plan, parts, our_brand, dry_run,
                       progress, first_read, band)
    with backend.writing():
        return _rounds(backend, template, report, make_plan, parts, our_brand, dry_run,
                       progress, first_read, band)


def _rounds(backend: Backend, template: Template, report: SyncReport, make_plan: MakePlan,
            parts: Part, our_brand: Sequence[str] | None, dry_run: bool,
            progress: Progress | None, first_read: Benchmark | None,
            band: str | None) -> PlannedPush:
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        step(progress, "reading the workbook")
        if attempt == 1 and first_read is not None:
            bench = first_read
        else:
            bench = load_benchmark(backend, template, parts=parts, our_brand=our_brand,
                                   band=band)
        step(progress, "merging and computing")
        planned = make_plan(bench)
        if not report.written:
            # After a write, a further round only finishes it: the report stays the first's.
            report.tabs = planned.tabs
            report.conflicts = planned.conflicts
            report.problems = list(planned.problems)
        if dry_run:
            break
        step(progress, "writing the workbook")
        try:
            wrote = backend.apply(planned.plan, bench.template)
        except WriteOutcomeUnknown:
            # The write may have landed: read again and send only what is still missing.
            if attempt == WRITE_ATTEMPTS:
                raise
            report.written = True
            report.notes.append("a write got no reply; the workbook was read again and "
                                "only what was still missing was sent")
            continue
        except SheetChangedDuringPush:
            if attempt == WRITE_ATTEMPTS:
                raise
            _note_once(report, "the workbook was saved by someone else during the push; "
                               "it was read again and the push made anew")
            _stand_back(attempt)
            continue
        report.written = wrote or report.written
        try:
            displaced = wrote and backend.verifies_writes and _put_right(backend, bench,
                                                                          planned.plan)
        except SheetChangedDuringPush:
            # Another writer came in after this write: the next round checks it afresh.
            _stand_back(attempt)
            continue
        if displaced:
            report.notes.append("the sheet changed while this push was writing (rows sorted, "
                                "inserted or columns moved); the cells that landed on the "
                                "wrong account were put right")
            if attempt < WRITE_ATTEMPTS:
                continue
        break
    report.notes.extend(backend.notes)
    return planned


def _note_once(report: SyncReport, note: str) -> None:
    if note not in report.notes:
        report.notes.append(note)


def _stand_back(attempt: int) -> None:
    """A short random wait, so writers that collided do not collide again."""
    time.sleep(random.uniform(0.0, 0.05 * 2 ** min(attempt, 5)))


def _put_right(backend: Backend, before: Benchmark, plan: WritePlan) -> bool:
    """Read the sheet back; undo what a concurrent edit displaced. True if anything was."""
    checked = [w.title for w in checked_tabs(plan)]
    if not checked or landed_as_planned(before.grid, plan, backend.read_landing(plan)):
        return False
    repair = repair_plan(before.grid, plan, backend.read_values(checked), before.template)
    if not repair.has_cell_writes:
        return False
    backend.apply(repair, before.template)
    return True
