"""A workbook remembers the template it was laid out with: a command that names none uses
it, one that names another is refused, and tabs are never doubled."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

import sheets_sync
from sheets_sync.cli import cli
from sheets_sync.remembered_template import NAME
from sheets_sync.template import builtin_template_path, load_template
from tests.conftest import EXAMPLES, TODAY

ZH_TABS = list(load_template("zh").category_tabs.values())
EN_TABS = list(load_template("en").category_tabs.values())


def _titles(path: Path) -> list[str]:
    return load_workbook(path).sheetnames


def test_a_zh_workbook_pushed_without_the_flag_stays_zh(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], template="zh", today=TODAY)
    before = _titles(book)
    report = sheets_sync.push(book, [EXAMPLES], today=TODAY)
    assert report.exit_code == 0, [str(p) for p in report.problems]
    assert _titles(book) == before
    assert not set(EN_TABS) & set(_titles(book))
    assert not any("deleted" in n for n in report.notes)


def test_another_template_named_is_refused_with_the_right_flag(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], template="zh", today=TODAY)
    before = book.read_bytes()
    result = CliRunner().invoke(cli, ["push", "--sheet", str(book), "--template", "en",
                                      str(EXAMPLES)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "laid out with the 'zh' template" in text and "--template zh" in text
    assert book.read_bytes() == before


def test_the_same_template_named_is_fine_and_refresh_follows(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], template="zh", today=TODAY)
    assert sheets_sync.push(book, [EXAMPLES], template="zh", today=TODAY).exit_code == 0
    sheets_sync.refresh(book, today=TODAY)
    assert not set(EN_TABS) & set(_titles(book))


def test_a_workbook_from_before_is_known_by_its_tab_titles(tmp_path: Path) -> None:
    """A workbook pushed before the template was remembered: the zh tab titles tell."""
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], template="zh", today=TODAY)
    wb = load_workbook(book)
    state = wb["_sheets_sync"]
    for row in state.iter_rows():
        if any(c.value == NAME for c in row):
            for cell in row:
                cell.value = None
    wb.save(book)
    before = _titles(book)
    assert sheets_sync.push(book, [EXAMPLES], today=TODAY).exit_code == 0
    assert _titles(book) == before


def test_a_custom_template_file_is_remembered_by_its_path(tmp_path: Path) -> None:
    custom = tmp_path / "ours.toml"
    source = builtin_template_path("zh")
    assert source is not None
    shutil.copy(source, custom)
    custom.write_text(custom.read_text(encoding="utf-8").replace('name = "zh"', 'name = "ours"'),
                      encoding="utf-8")
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], template=custom, today=TODAY)
    assert sheets_sync.push(book, [EXAMPLES], today=TODAY).exit_code == 0
    assert not set(EN_TABS) & set(_titles(book))
    result = CliRunner().invoke(cli, ["push", "--sheet", str(book), "--template", "zh",
                                      str(EXAMPLES)])
    assert result.exit_code == 2 and str(custom.resolve()) in " ".join(result.output.split())
