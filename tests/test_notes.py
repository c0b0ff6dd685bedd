"""Context notes: added once, listed with the ones typed by hand, kept by every push."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import sheets_sync
from sheets_sync.cli import cli
from sheets_sync.errors import ConfigError
from sheets_sync.notes import add_note, list_notes, note_kind
from tests.conftest import EXAMPLES, TODAY


def test_add_list_and_no_duplicate(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=TODAY)
    first = add_note(book, "Launched SPF stick", handle="@glowpuff.skin",
                     kind="product launch", date=dt.date(2026, 11, 20), author="Mia")
    assert first.written
    again = add_note(book, "Launched SPF stick", handle="glowpuff.skin",
                     kind="Product Launch", date=dt.date(2026, 11, 20), author="Mia")
    assert not again.written and "already there" in again.notes[0]
    ws = load_workbook(book)["Context Notes"]
    ws.append([dt.datetime(2026, 11, 22), "", "algorithm change", "For You reach dipped", "Li"])
    ws.parent.save(book)
    sheets_sync.push(book, [EXAMPLES], today=TODAY)
    notes = list_notes(book)
    assert [(n.date, n.kind, n.text, n.author) for n in notes] == [
        (dt.date(2026, 11, 20), "product launch", "Launched SPF stick", "Mia"),
        (dt.date(2026, 11, 22), "algorithm change", "For You reach dipped", "Li")]
    assert [n.text for n in list_notes(book, handle="GLOWPUFF.SKIN")] == ["Launched SPF stick"]


def test_only_init_and_push_create_a_workbook(tmp_path: Path) -> None:
    book = tmp_path / "typo.xlsx"
    for command in (["note", "add", "Kick-off"], ["note", "list"], ["refresh"], ["validate"],
                    ["pull", "--out", str(tmp_path / "out")]):
        result = CliRunner().invoke(cli, [*command, "--sheet", str(book)])
        assert result.exit_code == 2, (command, result.output)
        assert "typo.xlsx does not exist" in result.output
        assert not book.exists()
    assert CliRunner().invoke(cli, ["init", "--sheet", str(book)]).exit_code == 0
    add_note(book, "Kick-off", kind="campaign", date=TODAY, author="")
    names = load_workbook(book).sheetnames
    assert "Direct" in names and "Context Notes" in names


def test_bad_kind_and_empty_text(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown note kind"):
        add_note(tmp_path / "b.xlsx", "x", kind="gossip")
    with pytest.raises(ConfigError, match="needs some text"):
        add_note(tmp_path / "b.xlsx", "  ")


def test_note_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    result = runner.invoke(cli, ["note", "add", "Holiday sale started", "--kind",
                                 "seasonal event", "--date", "2026-11-27", "--author", "Ana"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(cli, ["note", "list"])
    assert "2026-11-27 [seasonal event]: Holiday sale started (Ana)" in listed.output
    as_json = json.loads(runner.invoke(cli, ["note", "list", "--json"]).output)
    assert as_json == [{"date": "2026-11-27", "handle": "", "kind": "seasonal event",
                        "text": "Holiday sale started", "author": "Ana"}]
    assert runner.invoke(cli, ["note", "add", "x", "--kind", "gossip"]).exit_code == 2


def test_a_note_longer_than_a_cell_is_refused_with_its_cell(tmp_path: Path) -> None:
    import sheets_sync

    book = tmp_path / "b.xlsx"
    sheets_sync.init(book)
    report = sheets_sync.add_note(book, "z" * 40_000, date=dt.date(2026, 3, 1), author="Mia")
    assert report.exit_code == 1
    (problem,) = report.errors
    assert problem.where == "'Context Notes'!D2 (Note)"
    assert "40,000 characters" in problem.message
    assert sheets_sync.list_notes(book) == []


@pytest.mark.parametrize(("given", "kind"), [
    ("launch", "product launch"), ("Launch", "product launch"), ("collab", "creator collab"),
    ("viral", "viral video"), ("algo", "algorithm change"), ("season", "seasonal event")])
def test_a_word_or_start_of_a_kind_is_that_kind(given: str, kind: str) -> None:
    assert note_kind(sheets_sync.load_template("en"), given) == kind


def test_an_ambiguous_kind_is_refused_naming_the_candidates() -> None:
    with pytest.raises(ConfigError) as info:
        note_kind(sheets_sync.load_template("en"), "cr")
    assert "fits more than one kind: creator collab, crisis" in str(info.value)


def test_note_add_kind_launch_on_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    result = runner.invoke(cli, ["note", "add", "SPF stick out", "--kind", "launch",
                                 "--date", "2026-11-20", "--author", "Mia"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(cli, ["note", "list"])
    assert "2026-11-20 [product launch]: SPF stick out (Mia)" in listed.output
    ambiguous = runner.invoke(cli, ["note", "add", "x", "--kind", "c"])
    assert ambiguous.exit_code == 2 and "creator collab, campaign" in ambiguous.output
