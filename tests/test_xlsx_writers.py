"""The local workbook with several writers: sheets-sync runs at once, Excel or LibreOffice
holding the file, a killed save, a shared file mode and a symlinked workbook."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sheets_sync
from sheets_sync.errors import WorkbookError
from tests.conftest import EXAMPLES, table, write_csv

TODAY = dt.date(2026, 3, 1)
ROOT = Path(__file__).resolve().parent.parent


def _start(code: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(process: subprocess.Popen[str]) -> None:
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err


def test_two_notes_added_at_once_are_both_kept(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=TODAY)
    for trial in range(3):
        runs = [_start(f"import sheets_sync, datetime; sheets_sync.add_note({str(book)!r}, "
                       f"'note {trial}-{i}', date=datetime.date(2026, 3, 1), author='t')")
                for i in range(2)]
        for run in runs:
            _finish(run)
    texts = sorted(n.text for n in sheets_sync.list_notes(book))
    assert texts == sorted(f"note {t}-{i}" for t in range(3) for i in range(2))


def test_two_pushes_at_once_keep_both_new_accounts(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=TODAY)
    files = [write_csv(tmp_path / f"new{i}.csv", [
        {"category": "direct", "Handle": f"@new{i}_{n}", "Followers": 1000 + n}
        for n in range(5)]) for i in range(2)]
    runs = [_start(f"import sheets_sync; r = sheets_sync.push({str(book)!r}, [{str(f)!r}]); "
                   "raise SystemExit(r.exit_code)") for f in files]
    for run in runs:
        _finish(run)
    handles = {r["Handle"] for r in table(book, "Direct")}
    assert {f"@new{i}_{n}" for i in range(2) for n in range(5)} <= handles


@pytest.mark.parametrize(("owner", "app"), [("~$b.xlsx", "Excel"),
                                            (".~lock.b.xlsx#", "LibreOffice")])
def test_a_workbook_open_in_an_office_program_is_refused(tmp_path: Path, owner: str,
                                                         app: str) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=TODAY)
    before = book.read_bytes()
    (tmp_path / owner).write_text("someone")
    with pytest.raises(WorkbookError, match=f"open in {app}"):
        sheets_sync.add_note(book, "while open", date=TODAY)
    assert book.read_bytes() == before


def test_a_killed_saves_temp_file_is_cleaned_up(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=TODAY)
    leftover = tmp_path / ".b.xlsx.abc123.tmp"
    leftover.write_bytes(b"half a zip")
    sheets_sync.add_note(book, "after a crash", date=TODAY)
    assert not leftover.exists()


def test_a_save_keeps_the_mode_and_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "benchmark.xlsx"
    real.parent.mkdir()
    sheets_sync.push(real, [EXAMPLES], today=TODAY)
    os.chmod(real, 0o664)
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    report = sheets_sync.add_note(link, "through the link", date=TODAY)
    assert report.written
    assert link.is_symlink()
    assert real.stat().st_mode & 0o777 == 0o664
    assert [n.text for n in sheets_sync.list_notes(real)] == ["through the link"]
