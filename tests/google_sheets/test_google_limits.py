"""Google's limits that reject a whole write, held back before anything is sent."""

from __future__ import annotations

import csv
from pathlib import Path

import gspread

from tests.conftest import EXAMPLES
from tests.google_sheets.conftest import Emulator, run_cli
from tests.google_sheets.test_push_google import grid_of


def test_an_over_long_cell_is_named_and_the_rest_lands(sheet: str, service_key_file: Path,
                                                       client: gspread.Spreadsheet,
                                                       emulator: Emulator,
                                                       tmp_path: Path) -> None:
    with EXAMPLES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["Notes"] = "x" * 60_000
    source = tmp_path / "long.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result, report = run_cli("push", "--sheet", sheet, "--credentials", str(service_key_file),
                             str(source))
    assert result.exit_code == 1
    (problem,) = [p for p in report["problems"] if "60,000 characters" in p["message"]]
    assert problem["where"].startswith("Direct!") and problem["where"].endswith(" (Notes)")
    landed = {r["Handle"] for tab in ("Direct", "Indirect", "Learning")
              for r in grid_of(client, tab)}
    assert len(landed) == 30  # every account, the long note's own row included
    first = next(r for r in grid_of(client, "Direct") if r["Handle"] == rows[0]["Handle"])
    assert first["Notes"] == ""
