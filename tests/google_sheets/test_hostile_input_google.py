"""Hostile input on Google Sheets: the same cleaning and the same handle identity as the .xlsx
backend, so a handle spelled oddly never gains a second row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gspread

from tests.fuzz.cli_check import rows_added, run


def _direct(client: gspread.Spreadsheet) -> list[dict[str, Any]]:
    rows = client.worksheet("Direct").get_all_values(value_render_option="UNFORMATTED_VALUE")
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:] if any(row)]


def test_odd_handles_and_unholdable_characters_land_once(
        sheet: str, client: gspread.Spreadsheet, service_key_file: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("Handle,Followers,Notes\n"
                      "@ctrl\x01one,10,Q\ufffftwo\n"
                      "\uff20\uff26ull,20,Q\n"
                      "@zero\u200bwidth,30,Q\n"
                      "@huge,1234567890123456789,Q\n", encoding="utf-8")
    key = ["--credentials", str(service_key_file)]
    first = run("push", "--sheet", sheet, *key, "--category", "direct", str(source))
    assert first.exit_code == 1 and rows_added(first) == 4
    rows = {r["Handle"]: r for r in _direct(client)}
    assert set(rows) == {"@ctrlone", "\uff20\uff26ull", "@zero\u200bwidth", "@huge"}
    assert rows["@ctrlone"]["Notes"] == "Qtwo"
    assert rows["@huge"]["Followers"] == ""
    assert rows["\uff20\uff26ull"]["Profile"] == "https://www.tiktok.com/@Full"

    # A teammate types the handles their own way; the file's spelling still finds them.
    client.worksheet("Direct").update([["@CTRL\u0007ONE"]], "A2", raw=True)
    again = run("push", "--sheet", sheet, *key, "--category", "direct", str(source))
    assert rows_added(again) == 0, again.report
    assert len(_direct(client)) == 4
