"""Trial counts: writers at once and teammates' structural edits during a push, on both
backends. Nothing may be lost, doubled or put on the wrong account.

Google runs go to the project's emulator (started here on a free loopback port, 20 ms per
request so that threads interleave); a teammate's edit between a push's read and its write
is an emulator hook that applies it just before the push's batchUpdate. Local runs use a
.xlsx in a temporary folder; a teammate's save between read and write is made by a backend
that saves the file (as Excel would, without the tool's lock) just before writing.

    python benchmarks/bench_concurrency.py [--trials 20]

Columns: trials, trials with an account or note lost, with one doubled, with a value on
the wrong account, with a teammate's value overwritten without a conflict in the report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import requests
from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import sheets_sync  # noqa: E402
from sheets_emulator import running_emulator  # noqa: E402
from sheets_sync.backends import XlsxBackend, open_backend  # noqa: E402
from sheets_sync.backends.gsheets import spreadsheet_key  # noqa: E402

TODAY = dt.date(2026, 11, 25)
EXAMPLES = HERE.parent / "examples" / "competitors.csv"
HEADER = ["category", "Handle", "Followers", "Avg Views", "Avg Likes"]
TYPED = 777_000  # what a teammate types into a cell the push also writes


@dataclass
class Outcome:
    lost: bool = False
    doubled: bool = False
    misplaced: bool = False
    overwritten_silently: bool = False


def write_accounts(path: Path, rows: list[dict[str, Any]]) -> Path:
    lines = [",".join(HEADER)]
    lines += [",".join(str(r.get(h, "")) for h in HEADER) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def new_accounts(prefix: str, count: int = 5) -> list[dict[str, Any]]:
    return [{"category": "direct", "Handle": f"@{prefix}{i}", "Followers": 10_000 + i,
             "Avg Views": 4000, "Avg Likes": 300} for i in range(count)]


def direct_rows(target: Any) -> list[tuple[str | None, dict[str, Any]]]:
    bench = sheets_sync.load_benchmark(open_backend(target), sheets_sync.load_template())
    return [(r.handle_id, r.values) for r in bench.sheet.tabs["direct"].rows]


def notes_of(target: Any) -> list[str]:
    return [n.text for n in sheets_sync.list_notes(target)]


def at_once(*jobs: Callable[[], Any]) -> None:
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], Any]) -> None:
        start.wait()
        try:
            job()
        except BaseException as exc:  # counted as a loss by the caller's check
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def check_accounts(target: Any, expected: dict[str, int]) -> Outcome:
    """`expected`: handle id -> Followers every listed account must show, once."""
    rows = direct_rows(target)
    handles = [h for h, _ in rows if h]
    followers = {h: v.get("followers") for h, v in rows if h}
    return Outcome(
        lost=any(h not in followers for h in expected),
        doubled=len(handles) != len(set(handles)),
        misplaced=any(h in followers and followers[h] != f for h, f in expected.items()),
    )


# ------------------------------------------------------------------ the cases


def two_pushes(target: Any, folder: Path, trial: int) -> Outcome:
    before = {h: v["followers"] for h, v in direct_rows(target) if h}
    files = {p: new_accounts(f"t{trial}{p}") for p in "ab"}
    paths = [write_accounts(folder / f"{trial}{p}.csv", rows) for p, rows in files.items()]
    try:
        at_once(*(lambda p=p: sheets_sync.push(target, [p], today=TODAY) for p in paths))
    except Exception:
        return Outcome(lost=True)
    expected = dict(before)
    for rows in files.values():
        expected.update({r["Handle"].lstrip("@").lower(): r["Followers"] for r in rows})
    return check_accounts(target, expected)


def two_notes(target: Any, folder: Path, trial: int) -> Outcome:
    texts = [f"trial {trial} note {n}" for n in range(2)]
    try:
        at_once(*(lambda t=t: sheets_sync.add_note(target, t, handle="@glowpuff.skin")
                  for t in texts))
    except Exception:
        return Outcome(lost=True)
    found = notes_of(target)
    return Outcome(lost=any(t not in found for t in texts),
                   doubled=any(found.count(t) > 1 for t in texts))


def same_note_twice(target: Any, folder: Path, trial: int) -> Outcome:
    text = f"trial {trial} live stream"
    try:
        at_once(*(lambda: sheets_sync.add_note(target, text, handle="@glowpuff.skin")
                  for _ in range(2)))
    except Exception:
        return Outcome(lost=True)
    found = notes_of(target)
    return Outcome(lost=text not in found, doubled=found.count(text) > 1)


UPDATE = {"category": "direct", "Handle": "@glowpuff.skin", "Followers": 1_300_000,
          "Avg Views": 380_000, "Avg Likes": 16_000}


def push_with_edit(edit: str) -> Callable[[Any, Path, int], Outcome]:
    """A push (one changed account, one new) while a teammate makes `edit`."""

    def case(target: Any, folder: Path, trial: int) -> Outcome:
        before = {h: v["followers"] for h, v in direct_rows(target) if h}
        new = new_accounts(f"t{trial}new", 1)[0]
        path = write_accounts(folder / f"{trial}.csv", [UPDATE, new])
        deleted, typed_on = EDITS[edit](target, before)
        report = sheets_sync.push(target, [path], today=TODAY)
        expected = {h: f for h, f in before.items() if h != deleted}
        expected["glowpuff.skin"] = UPDATE["Followers"]
        expected[new["Handle"].lstrip("@").lower()] = new["Followers"]
        outcome = check_accounts(target, {h: f for h, f in expected.items() if h != typed_on})
        if typed_on is not None:
            shown = dict(direct_rows(target))[typed_on].get("followers")
            outcome.overwritten_silently = shown != TYPED and not report.conflicts
        return outcome

    return case


def _google_hook(target: str, requests_: list[dict[str, Any]]) -> None:
    requests.post(f"{EMULATOR_URL}/_emulator/hooks", timeout=30, json={
        "spreadsheet_id": spreadsheet_key(target), "before": "batchUpdate",
        "requests": requests_, "once": True}).raise_for_status()


def _xlsx_racing(target: Path, change: Callable[[Any], None]) -> None:
    RacingXlsx.pending[str(target)] = change


class RacingXlsx(XlsxBackend):
    """Saves a teammate's change (as Excel would, without the tool's lock) once, just
    before the tool's first save."""

    pending: ClassVar[dict[str, Callable[[Any], None]]] = {}

    def apply(self, plan: Any, template: Any) -> bool:
        change = self.pending.pop(str(self.path), None)
        if change is not None:
            book = load_workbook(self.path)
            change(book["Direct"])
            book.save(self.path)
        return super().apply(plan, template)


def _edit(kind: str, target: Any, before: dict[str, int]) -> tuple[str | None, str | None]:
    """Arrange the teammate's edit; returns (handle deleted, handle whose Followers is typed)."""
    rows = direct_rows(target)
    handle_ids = [h for h, _ in rows]
    fifth = handle_ids[4]
    if isinstance(target, Path):
        header = [c.value for c in load_workbook(target)["Direct"][1]]
        followers = header.index("Followers") + 1
        changes: dict[str, Callable[[Any], None]] = {
            "inserted row": lambda ws: ws.insert_rows(2),
            "deleted row": lambda ws: ws.delete_rows(6),
            "moved column": lambda ws: ws.move_range(f"A1:A{ws.max_row}",
                                                     cols=ws.max_column),
            "typed value": lambda ws: ws.cell(row=2, column=followers, value=TYPED),
        }
        _xlsx_racing(target, changes[kind])
    else:
        direct = open_backend(target).read().find("Direct")
        assert direct is not None and direct.tab_id is not None
        sheet_id = direct.tab_id
        followers = [str(v) for v in direct.header].index("Followers")
        dims = {"sheetId": sheet_id, "dimension": "ROWS"}
        requests_ = {
            "inserted row": {"insertDimension": {
                "range": {**dims, "startIndex": 1, "endIndex": 2}, "inheritFromBefore": False}},
            "deleted row": {"deleteDimension": {"range": {**dims, "startIndex": 5,
                                                          "endIndex": 6}}},
            "moved column": {"moveDimension": {"source": {
                "sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": followers,
                "endIndex": followers + 1}, "destinationIndex": 0}},
            "typed value": {"updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": followers},
                "rows": [{"values": [{"userEnteredValue": {"numberValue": TYPED}}]}],
                "fields": "userEnteredValue"}},
        }
        _google_hook(target, [requests_[kind]])
    if kind == "deleted row":
        return fifth, None
    if kind == "typed value":
        return None, handle_ids[0]
    return None, None


EDITS: dict[str, Callable[[Any, dict[str, int]], tuple[str | None, str | None]]] = {
    kind: (lambda target, before, kind=kind: _edit(kind, target, before))
    for kind in ("inserted row", "deleted row", "moved column", "typed value")
}

CASES: dict[str, Callable[[Any, Path, int], Outcome]] = {
    "two pushes at once": two_pushes,
    "two different notes at once": two_notes,
    "the same note twice at once": same_note_twice,
    **{f"push vs a teammate's {kind}": push_with_edit(kind) for kind in EDITS},
}

EMULATOR_URL = ""


def fresh_google() -> str:
    made = sheets_sync.init_google(title="concurrency trial", today=TODAY)
    sheets_sync.push(made.target, [EXAMPLES], today=TODAY)
    return made.target


def slug(label: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in label)


def fresh_xlsx(folder: Path, name: str) -> Path:
    path = folder / f"{name}.xlsx"
    sheets_sync.push(path, [EXAMPLES], today=TODAY)
    return path


def main() -> None:
    global EMULATOR_URL
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    args = parser.parse_args()
    print(f"{'backend':<9}{'case':<34}{'trials':>7}{'lost':>6}{'doubled':>9}"
          f"{'misplaced':>11}{'overwritten':>13}")
    with running_emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        EMULATOR_URL = emulator.url
        os.environ["SHEETS_SYNC_EMULATOR_HOST"] = emulator.host_port
        requests.post(f"{emulator.url}/_emulator/latency", json={"ms": 20},
                      timeout=30).raise_for_status()
        folder = Path(tmp)
        import sheets_sync.backends as backends

        for name in ("google", "xlsx"):
            for label, case in CASES.items():
                counts = Outcome.__annotations__.keys()
                totals = dict.fromkeys(counts, 0)
                for trial in range(args.trials):
                    if name == "google":
                        target: Any = fresh_google()
                    else:
                        target = fresh_xlsx(folder, f"{slug(label)}-{trial}")
                        backends.XlsxBackend = RacingXlsx  # type: ignore[misc]
                    try:
                        outcome = case(target, folder, trial)
                    finally:
                        backends.XlsxBackend = XlsxBackend  # type: ignore[misc]
                    for key in counts:
                        totals[key] += int(getattr(outcome, key))
                print(f"{name:<9}{label:<34}{args.trials:>7}{totals['lost']:>6}"
                      f"{totals['doubled']:>9}{totals['misplaced']:>11}"
                      f"{totals['overwritten_silently']:>13}", flush=True)


if __name__ == "__main__":
    main()
