"""A corpus of damaged and hostile .xlsx files, made at test time, through the real CLI.

An input that can be read lands exactly (checked against what the case meant, not what
the importer says) and a second push adds nothing; one that cannot is refused with a
known error naming the file (and the sheet), and the target workbook is left as it was.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sheets_sync import zip_limits

from .cli_check import Expected, check_workbook, input_cells_changed, rows_added, run
from .xlsx_corpus import SHEET, STRINGS, Book, benchmark_book, number, write_zip

PLAIN = [("@alpha", "<c><v>1200</v></c>", "Q first"), ("@Beta", "12.5K", "Q second"),
         ("gamma", "<c><v>7</v></c>", None)]


def _expected(rows: list[tuple[str, int | None, str | None]],
              refused_rows: tuple[int, ...] = ()) -> tuple[list[Expected], list[Expected]]:
    made = [Expected(handle, "Direct", {"Followers": followers, "Notes": note}, n)
            for n, (handle, followers, note) in enumerate(rows, start=2)]
    return ([e for e in made if e.row not in refused_rows],
            [e for e in made if e.row in refused_rows])


PLAIN_MEANT = [("@alpha", 1200, "Q first"), ("@Beta", 12500, "Q second"), ("gamma", 7, None)]


@dataclass
class Readable:
    """A case whose file is read: the accounts it means, and whether errors are reported."""

    name: str
    make: Callable[[], Book]
    meant: list[tuple[str, int | None, str | None]]
    refused_rows: tuple[int, ...] = ()
    problems: bool = False


def _plain() -> Book:
    return benchmark_book(PLAIN)


def _with_dimension(ref: str | None) -> Callable[[], Book]:
    def make() -> Book:
        book = _plain()
        book.dimension = ref
        return book
    return make


def _far_cell() -> Book:
    book = _plain()
    book.rows.extend([[None]] * 3)
    xml = book.sheet_xml().replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>5</v></c></row></sheetData>')
    book.sheet_xml = lambda: xml  # type: ignore[method-assign]
    return book


def _odd_numbers() -> Book:
    return benchmark_book([("@big", number("1E+300"), None), ("@tiny", number("1E-300"), None),
                           ("@bool", '<c t="b"><v>1</v></c>', None),
                           ("@err", '<c t="e"><v>#DIV/0!</v></c>', None),
                           ("@fine", number("1.5E+3"), None)])


def _escaped_control() -> Book:
    return benchmark_book([("@ga_x0001_mma", number(3), "Q_x0007_ bell"),
                           ("@de_x200B_lta", number(4), None)])


def _rich_text() -> Book:
    book = _plain()
    book.rows.append(['<c t="inlineStr"><is><r><t>@rich</t></r><r><t>Run</t></r></is></c>',
                      number(9), '<c t="inlineStr"><is><t>Q inline</t></is></c>'])
    return book


def _long_note() -> Book:
    return benchmark_book([("@short", number(1), "Q" + "x" * 32_766),
                           ("@long", number(2), "Q" + "x" * 40_000), ("@next", number(3), None)])


def _padded(megabytes: int) -> Callable[[], Book]:
    def make() -> Book:
        book = _plain()
        book.extra_parts["xl/media/padding.bin"] = b"\0" * (megabytes * 1_000_000)
        return book
    return make


READABLE = [
    Readable("dimension understated", _with_dimension("A1:A1"), PLAIN_MEANT),
    Readable("dimension missing", _with_dimension(None), PLAIN_MEANT),
    Readable("dimension overstated to the last cell", _with_dimension("A1:XFD1048576"),
             PLAIN_MEANT),
    Readable("a cell at XFD1048576", _far_cell, PLAIN_MEANT, problems=True),
    Readable("numbers too big or tiny, booleans, errors", _odd_numbers,
             [("@big", None, None), ("@tiny", None, None), ("@bool", None, None),
              ("@err", None, None), ("@fine", 1500, None)],
             problems=True),
    Readable("control characters escaped as _xHHHH_", _escaped_control,
             [("@gamma", 3, "Q bell"), ("@de\u200blta", 4, None)]),
    Readable("inline rich text", _rich_text, [*PLAIN_MEANT, ("@richRun", 9, "Q inline")]),
    Readable("a note longer than a cell holds", _long_note,
             [("@short", 1, "Q" + "x" * 32_766), ("@long", 2, None), ("@next", 3, None)],
             refused_rows=(3,), problems=True),
    Readable("a zip that inflates to 40 MB, under the limit", _padded(40), PLAIN_MEANT),
]


@pytest.mark.parametrize("case", READABLE, ids=lambda c: c.name)
def test_a_readable_hostile_xlsx_lands_exactly(case: Readable, tmp_path: Path) -> None:
    source = write_zip(tmp_path / "export.xlsx", case.make().parts())
    workbook = tmp_path / "benchmark.xlsx"
    accepted, refused = _expected(case.meant, case.refused_rows)

    first = run("push", "--sheet", str(workbook), str(source))
    assert first.exit_code == (1 if case.problems else 0), first.problems
    check_workbook(workbook, accepted, refused, first)
    again = run("push", "--sheet", str(workbook), str(source))
    assert rows_added(again) == 0 and input_cells_changed(again) == 0, again.report
    check_workbook(workbook, accepted, refused, again)
    assert run("validate", "--sheet", str(workbook)).exit_code == 0


def _parts_with(change: Callable[[dict[str, bytes]], None]) -> Callable[[], dict[str, bytes]]:
    def make() -> dict[str, bytes]:
        parts = _plain().parts()
        change(parts)
        return parts
    return make


def _replace(name: str, old: bytes, new: bytes) -> Callable[[dict[str, bytes]], None]:
    def change(parts: dict[str, bytes]) -> None:
        assert old in parts[name]
        parts[name] = parts[name].replace(old, new, 1)
    return change


def _drop(name: str) -> Callable[[dict[str, bytes]], None]:
    return lambda parts: parts.pop(name)


def _row_2(parts: dict[str, bytes]) -> bytes:
    found = re.search(rb'<row r="2">.*?</row>', parts[SHEET])
    assert found is not None
    return found.group(0)


def _move_row_2_last(parts: dict[str, bytes]) -> None:
    row = _row_2(parts)
    parts[SHEET] = parts[SHEET].replace(row, b"").replace(b"</sheetData>", row + b"</sheetData>")


def _row_2_twice(parts: dict[str, bytes]) -> None:
    row = _row_2(parts)
    parts[SHEET] = parts[SHEET].replace(row, row + row)


UNREADABLE = [
    ("malformed sheet XML", _parts_with(_replace(SHEET, b"</sheetData>", b"<row><c r='A9'")),
     r"export\.xlsx.*Direct"),
    ("sheet part missing", _parts_with(_drop(SHEET)), r"export\.xlsx.*'Direct'"),
    ("workbook part missing", _parts_with(_drop("xl/workbook.xml")), r"export\.xlsx"),
    ("content types missing", _parts_with(_drop("[Content_Types].xml")), r"export\.xlsx"),
    ("shared strings missing", _parts_with(_drop(STRINGS)), r"export\.xlsx.*sharedStrings"),
    ("a number cell holding NaN",
     _parts_with(_replace(SHEET, b"<v>1200</v>", b"<v>NaN</v>")), r"export\.xlsx.*Direct"),
    ("a number cell holding INF",
     _parts_with(_replace(SHEET, b"<v>7</v>", b"<v>INF</v>")), r"export\.xlsx.*Direct"),
    ("shared string index out of range",
     _parts_with(_replace(SHEET, b'<c r="A2" t="s"><v>3</v>', b'<c r="A2" t="s"><v>999</v>')),
     r"export\.xlsx.*Direct"),
    ("shared string index not a number",
     _parts_with(_replace(SHEET, b'<c r="A2" t="s"><v>3</v>', b'<c r="A2" t="s"><v>x</v>')),
     r"export\.xlsx.*Direct"),
    ("rows out of order", _parts_with(_move_row_2_last), r"export\.xlsx.*Direct.*row 2"),
    ("a row twice", _parts_with(_row_2_twice), r"export\.xlsx.*Direct.*row 2"),
    ("a cell twice",
     _parts_with(_replace(SHEET, b'<c r="B2"><v>1200</v></c>',
                          b'<c r="B2"><v>1200</v></c><c r="B2"><v>99</v></c>')),
     r"export\.xlsx.*Direct.*B2"),
    ("a column past ZZZ", _parts_with(_replace(SHEET, b"</sheetData>",
                                               b'<row r="9"><c r="ZZZZ9"><v>1</v></c></row>'
                                               b"</sheetData>")),
     r"export\.xlsx.*Direct"),
    ("an entity expansion bomb",
     _parts_with(_replace(STRINGS, b"<sst", b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
                                            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                                            b"<sst")),
     r"export\.xlsx"),
    ("not a zip at all", lambda: {"": b""}, r"export\.xlsx"),
]


@pytest.mark.parametrize(("name", "make", "message"), UNREADABLE, ids=[c[0] for c in UNREADABLE])
def test_an_unreadable_xlsx_is_refused_by_name_and_nothing_is_written(
        name: str, make: Callable[[], dict[str, bytes]], message: str, tmp_path: Path) -> None:
    source = tmp_path / "export.xlsx"
    parts = make()
    if "" in parts:
        source.write_bytes(b"PK\x03\x04 this is no workbook")
    else:
        write_zip(source, parts)
    workbook = tmp_path / "benchmark.xlsx"
    assert run("init", "--sheet", str(workbook)).exit_code == 0
    before = workbook.read_bytes()
    for command in ("plan", "push"):
        refused = run(command, "--sheet", str(workbook), str(source))
        assert refused.exit_code == 2, refused.output
        assert re.search(message, refused.output), refused.output
    assert workbook.read_bytes() == before


def test_a_zip_bomb_over_the_limit_is_refused_before_it_is_unpacked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_limits, "MAX_INFLATED_BYTES", 20_000_000)
    source = write_zip(tmp_path / "export.xlsx", _padded(40)().parts())
    assert source.stat().st_size < 200_000
    refused = run("push", "--sheet", str(tmp_path / "benchmark.xlsx"), str(source))
    assert refused.exit_code == 2 and "would inflate to 40 MB" in refused.output
    assert not (tmp_path / "benchmark.xlsx").exists()


def _damage_garbage(path: Path) -> None:
    path.write_bytes(b"this was never a workbook")


def _damage_truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _damage_part(name: str, change: Callable[[bytes], bytes | None]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
        changed = change(parts[name])
        if changed is None:
            del parts[name]
        else:
            parts[name] = changed
        write_zip(path, parts)
    return damage


DAMAGED_TARGETS = [
    ("garbage", _damage_garbage, "cannot be opened"),
    ("cut off half way", _damage_truncated, "cannot be opened"),
    ("a sheet's XML broken", _damage_part("xl/worksheets/sheet1.xml",
                                          lambda xml: xml.replace(b"</sheetData>", b"<row>")),
     "cannot be opened"),
    ("a sheet's part missing", _damage_part("xl/worksheets/sheet1.xml", lambda xml: None),
     "'Direct'"),
]


@pytest.mark.filterwarnings("ignore:Defined names for sheet index")
@pytest.mark.parametrize(("name", "damage", "message"), DAMAGED_TARGETS,
                         ids=[c[0] for c in DAMAGED_TARGETS])
def test_a_damaged_target_workbook_is_named_and_left_as_it_is(
        name: str, damage: Callable[[Path], None], message: str, tmp_path: Path) -> None:
    source = write_zip(tmp_path / "export.xlsx", _plain().parts())
    workbook = tmp_path / "benchmark.xlsx"
    assert run("push", "--sheet", str(workbook), str(source)).exit_code == 0
    damage(workbook)
    before = workbook.read_bytes()
    for command in (("push", str(source)), ("plan", str(source)), ("validate",), ("refresh",)):
        refused = run(command[0], "--sheet", str(workbook), *command[1:])
        assert refused.exit_code == 2, refused.output
        assert str(workbook) in refused.output and message in refused.output, refused.output
    assert workbook.read_bytes() == before
