"""Two writers of the tool at once on one Google spreadsheet: pushes, notes, side-panel
clicks. Each write carries the version it was planned on (backends/write_version.py), so
the one that comes second is refused whole, reads again and plans anew: nothing is lost,
nothing is doubled."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gspread
import pytest

from sheets_sync import add_note, list_notes, push
from sheets_sync.backends import google_credentials
from sheets_sync.backends.gsheets import GoogleSheetsBackend, spreadsheet_key
from sheets_sync.backends.write_version import VERSION_TAB
from sheets_sync.benchmark import load_benchmark
from sheets_sync.context_notes import ContextNote
from sheets_sync.errors import SheetChangedDuringPush
from sheets_sync.notes import NOTE_PARTS, plan_note
from sheets_sync.template import load_template
from sheets_sync.workbook import WritePlan
from tests.conftest import EXAMPLES, write_csv
from tests.google_sheets.conftest import Emulator
from tests.google_sheets.test_push_google import grid_of


def _accounts(prefix: str, count: int = 5) -> list[dict[str, Any]]:
    return [{"category": "direct", "Handle": f"@{prefix}{i}", "Followers": f"{10 + i}K",
             "Avg Views": "4K", "Avg Likes": "300"} for i in range(count)]


def _backend(sheet: str, key_file: Path) -> GoogleSheetsBackend:
    return GoogleSheetsBackend.from_credentials(spreadsheet_key(sheet) or "",
                                                google_credentials(key_file))


class Racing(GoogleSheetsBackend):
    """A backend whose first write waits while another writer goes first."""

    competitor: Callable[[], Any] | None = None

    def apply(self, plan: WritePlan, template: Any) -> bool:
        competitor, self.competitor = self.competitor, None
        if competitor is not None:
            competitor()
        return super().apply(plan, template)


def _racing(sheet: str, key_file: Path, competitor: Callable[[], Any]) -> Racing:
    backend = Racing.from_credentials(spreadsheet_key(sheet) or "",
                                      google_credentials(key_file))
    assert isinstance(backend, Racing)
    backend.competitor = competitor
    return backend


def _handles(client: gspread.Spreadsheet) -> list[str]:
    return [r["Handle"] for r in grid_of(client, "Direct") if r.get("Handle")]


@pytest.fixture
def pushed(sheet: str, service_key_file: Path) -> str:
    push(sheet, [EXAMPLES], credentials=service_key_file)
    return sheet


def test_a_push_that_lands_between_read_and_write_is_kept(
        pushed: str, service_key_file: Path, client: gspread.Spreadsheet,
        tmp_path: Path, emulator: Emulator) -> None:
    ours, theirs = (write_csv(tmp_path / f"{p}.csv", _accounts(p)) for p in ("ours", "theirs"))
    racing = _racing(pushed, service_key_file,
                     lambda: push(pushed, [theirs], credentials=service_key_file))
    emulator.clear_log()
    report = push(racing, [ours])
    handles = _handles(client)
    assert len(handles) == len(set(handles)) == 12 + 10
    assert {f"@ours{i}" for i in range(5)} | {f"@theirs{i}" for i in range(5)} <= set(handles)
    assert any("saved by someone else" in note for note in report.notes)
    refused = [c for c in emulator.api_calls() if c["path"].endswith(":batchUpdate")
               and c["status"] == 400]
    assert len(refused) == 1  # our first write, planned on the version before theirs


def test_a_refused_write_applies_nothing(pushed: str, service_key_file: Path) -> None:
    """A write planned on a stale version is refused whole: not one cell of it lands."""
    template = load_template()
    stale = _backend(pushed, service_key_file)
    bench = load_benchmark(stale, template, parts=NOTE_PARTS)
    planned = plan_note(bench, ContextNote(dt.date(2026, 12, 1), "@glowpuff.skin", "other",
                                           "planned on a stale read", "ana"))
    add_note(pushed, "added meanwhile", handle="@glowpuff.skin", credentials=service_key_file)
    with pytest.raises(SheetChangedDuringPush):
        stale.apply(planned.plan, template)
    texts = [n.text for n in list_notes(pushed, credentials=service_key_file)]
    assert "added meanwhile" in texts and "planned on a stale read" not in texts


def test_the_version_tab_is_hidden_and_one_cell(pushed: str, client: gspread.Spreadsheet) -> None:
    meta = client.fetch_sheet_metadata({"fields": "sheets.properties"})
    version = [s["properties"] for s in meta["sheets"]
               if s["properties"]["title"] == VERSION_TAB]
    assert len(version) == 1
    assert version[0]["hidden"] is True
    assert version[0]["gridProperties"] == {"rowCount": 1, "columnCount": 1}


def test_two_different_notes_at_once_are_two(pushed: str, service_key_file: Path) -> None:
    racing = _racing(pushed, service_key_file, lambda: add_note(
        pushed, "restock of the serum", handle="@glowpuff.skin", kind="other",
        credentials=service_key_file))
    add_note(racing, "price cut to $19", handle="@glowpuff.skin", kind="other")
    texts = sorted(n.text for n in list_notes(pushed, credentials=service_key_file))
    assert texts == ["price cut to $19", "restock of the serum"]


def test_the_same_note_clicked_twice_at_once_is_one(pushed: str, service_key_file: Path) -> None:
    def same_note(target: Any, **auth: Any) -> Any:
        return add_note(target, "live stream 8pm", handle="@glowpuff.skin", kind="other",
                        **auth)

    racing = _racing(pushed, service_key_file,
                     lambda: same_note(pushed, credentials=service_key_file))
    same_note(racing)
    texts = [n.text for n in list_notes(pushed, credentials=service_key_file)]
    assert texts.count("live stream 8pm") == 1


def _run_at_once(*jobs: Callable[[], Any]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> None:
        start.wait()
        try:
            job()
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_pushes_and_notes_in_threads_lose_nothing(pushed: str, service_key_file: Path,
                                                 client: gspread.Spreadsheet, tmp_path: Path,
                                                 emulator: Emulator) -> None:
    emulator.admin("POST", "latency", {"ms": 20})
    for trial in range(3):
        files = [write_csv(tmp_path / f"{trial}{p}.csv", _accounts(f"t{trial}{p}", 5))
                 for p in "ab"]
        errors = _run_at_once(
            *(lambda f=f: push(pushed, [f], credentials=service_key_file) for f in files),
            *(lambda n=n, t=trial: add_note(pushed, f"trial {t} note {n}", handle="@glowpuff.skin",
                                   kind="other", credentials=service_key_file)
              for n in range(2)))
        assert errors == []
    handles = _handles(client)
    assert len(handles) == len(set(handles)) == 12 + 3 * 10
    texts = [n.text for n in list_notes(pushed, credentials=service_key_file)]
    assert sorted(t for t in texts if t.startswith("trial")) == sorted(
        f"trial {t} note {n}" for t in range(3) for n in range(2))
