"""The limits a hostile input meets, at their edges: 15 significant digits, cell length, CSV
field size, characters no cell can hold, bytes that are no UTF-8."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.cli import cli

from .cli_check import category_rows, rows_added, run


def run_notes(workbook: Path) -> list[dict[str, str]]:
    listed = CliRunner().invoke(cli, ["note", "list", "--sheet", str(workbook), "--json"])
    assert listed.exit_code == 0, listed.output
    return list(json.loads(listed.stdout))


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding, "surrogatepass"))
    return path


def test_fifteen_digits_go_in_and_sixteen_are_refused_naming_the_cell(tmp_path: Path) -> None:
    source = _csv(tmp_path / "in.csv", "Handle,Followers,Avg Views\n"
                  "@edge,999999999999999,999999999999999.5\n@over,1000000000000000,1.5E3\n")
    workbook = tmp_path / "b.xlsx"
    pushed = run("push", "--sheet", str(workbook), "--category", "direct", str(source))
    assert pushed.exit_code == 1
    rows = {r["Handle"]: r for r in category_rows(workbook)["Direct"]}
    assert rows["@edge"]["Followers"] == 999_999_999_999_999
    assert rows["@over"]["Followers"] is None
    wheres = {p["where"]: p["message"] for p in pushed.problems}
    over = wheres["in.csv row 3, column B (Followers)"]
    assert "15 significant digits" in over and "16 digits" in over


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date")
def test_a_huge_number_a_teammate_typed_is_named_by_its_a1_reference(tmp_path: Path) -> None:
    workbook = tmp_path / "b.xlsx"
    source = _csv(tmp_path / "in.csv", "Handle,Followers\n@glowlab,1200\n")
    assert run("push", "--sheet", str(workbook), "--category", "direct", str(source)) \
        .exit_code == 0
    book = load_workbook(workbook)
    header = [c.value for c in book["Direct"][1]]
    book["Direct"].cell(row=2, column=header.index("Followers") + 1).value = 1e300
    book["Direct"].cell(row=2, column=header.index("Last Changed") + 1).value = 1e300
    book.save(workbook)
    checked = run("validate", "--sheet", str(workbook))
    assert checked.exit_code == 1
    column = chr(ord("A") + header.index("Followers"))
    assert any(p["where"] == f"Direct!{column}2 (Followers)" and "301 digits" in p["message"]
               for p in checked.problems), checked.problems
    pushed = run("push", "--sheet", str(workbook))
    assert pushed.exit_code == 1
    row = category_rows(workbook)["Direct"][0]
    assert row["Followers"] == 1e300, "the teammate's cell is kept as it is"
    assert row["Last Changed"] is None, "a row with an unreadable cell has no derived values"
    book = load_workbook(workbook)
    book["Direct"].cell(row=2, column=header.index("Followers") + 1).value = 1300
    book["Direct"].cell(row=2, column=header.index("Last Changed") + 1).value = 1e300
    book.save(workbook)
    assert run("push", "--sheet", str(workbook)).exit_code == 0
    assert isinstance(category_rows(workbook)["Direct"][0]["Last Changed"], dt.datetime)


def test_a_whole_number_past_a_floats_range_in_the_workbook_is_refused_untouched(
        tmp_path: Path) -> None:
    workbook = tmp_path / "b.xlsx"
    source = _csv(tmp_path / "in.csv", "Handle,Followers\n@glowlab,1200\n")
    assert run("push", "--sheet", str(workbook), "--category", "direct", str(source)) \
        .exit_code == 0
    with zipfile.ZipFile(workbook) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/")
                 and b"<v>1200</v>" in parts[name])
    parts[sheet] = parts[sheet].replace(b"<v>1200</v>", b"<v>1" + b"0" * 400 + b"</v>")
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    before = workbook.read_bytes()
    for command in ("push", "validate"):
        refused = run(command, "--sheet", str(workbook))
        assert refused.exit_code == 2
        assert "Direct!" in refused.output and "401 digits" in refused.output, refused.output
    assert workbook.read_bytes() == before



def test_a_huge_cell_is_reported_short(tmp_path: Path) -> None:
    source = _csv(tmp_path / "in.csv", "Handle,Followers,Notes\n@a," + "7" * 200_000
                  + ",Q ok\n")
    workbook = tmp_path / "b.xlsx"
    pushed = run("push", "--sheet", str(workbook), "--category", "direct", str(source))
    assert pushed.exit_code == 1
    (problem,) = [p for p in pushed.problems if p["severity"] == "error"]
    assert problem["where"] == "in.csv row 2, column B (Followers)"
    assert "(200,000 characters)" in problem["message"] and len(problem["message"]) < 400
    assert category_rows(workbook)["Direct"][0]["Notes"] == "Q ok"


def test_a_field_longer_than_the_csv_modules_default_limit_is_read(tmp_path: Path) -> None:
    note = "Q" + "x" * 131_072
    source = _csv(tmp_path / "in.csv", f'Handle,Notes,Followers\n@a,"{note}",5\n@b,Q,6\n')
    workbook = tmp_path / "b.xlsx"
    pushed = run("push", "--sheet", str(workbook), "--category", "direct", str(source))
    assert pushed.exit_code == 1 and rows_added(pushed) == 1
    (problem,) = [p for p in pushed.problems if p["severity"] == "error"]
    assert "131,073 characters" in problem["message"]
    assert "in.csv row 2, column B" in problem["message"]
    assert [r["Handle"] for r in category_rows(workbook)["Direct"]] == ["@b"]


def test_characters_no_cell_can_hold_are_removed_with_a_warning(tmp_path: Path) -> None:
    source = _csv(tmp_path / "in.csv", "Handle,Notes\n@a\x01,Q\uffffnote\x00\n")
    workbook = tmp_path / "b.xlsx"
    pushed = run("push", "--sheet", str(workbook), "--category", "direct", str(source))
    assert pushed.exit_code == 0
    warned = {p["where"]: p["message"] for p in pushed.problems}
    assert "U+0001" in warned["in.csv row 2, column A"]
    assert "U+FFFF, U+0000" in warned["in.csv row 2, column B"]
    (row,) = category_rows(workbook)["Direct"]
    assert (row["Handle"], row["Notes"]) == ("@a", "Qnote")
    again = run("push", "--sheet", str(workbook), "--category", "direct", str(source))
    assert rows_added(again) == 0


def test_a_file_with_a_lone_surrogate_ends_in_a_known_way(tmp_path: Path) -> None:
    source = _csv(tmp_path / "in.csv", "Handle,Followers,Notes\n@plain,5,Q\n@odd,6,Q\ud800Z\n")
    workbook = tmp_path / "b.xlsx"
    pushed = run("push", "--sheet", str(workbook), "--category", "direct", str(source))
    if pushed.exit_code == 2:
        assert "in.csv" in pushed.output
        return
    rows = {r["Handle"]: r for r in category_rows(workbook)["Direct"]}
    assert rows["@plain"]["Followers"] == 5
    assert rows_added(run("push", "--sheet", str(workbook), "--category", "direct",
                          str(source))) == 0


def test_a_note_with_characters_no_cell_can_hold_is_added_once(tmp_path: Path) -> None:
    workbook = tmp_path / "b.xlsx"
    assert run("init", "--sheet", str(workbook)).exit_code == 0
    for _ in range(2):
        added = CliRunner().invoke(cli, ["note", "add", "Spring\uffff launch\x01", "--handle",
                                         "@glow\x01lab", "--sheet", str(workbook),
                                         "--date", "2026-11-01"])
        assert added.exit_code == 0, added.output
    listed = run_notes(workbook)
    assert [(n["handle"], n["text"]) for n in listed] == [("@glowlab", "Spring launch")]
