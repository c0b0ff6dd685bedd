"""`import-map`: how each column of a file would be read, before any push; writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sheets_sync.cli import cli
from sheets_sync.import_map import import_map
from sheets_sync.template import load_template
from tests.conftest import EXAMPLES, write_csv

EN = load_template("en")


def test_each_column_with_its_reading_sample_and_bad_cells(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.csv", [
        {"Handle": "@a", "Followers": "12.5K", "US Audience %": "abc", "Tier": "Mid",
         "Vibe": "cosy", "名称": "美妆"},
        {"Handle": "@b", "Followers": "lots", "US Audience %": "45%", "Tier": "",
         "Vibe": "", "名称": ""}])
    [sheet] = import_map([path], EN)
    assert (sheet.label, sheet.rows, sheet.encoding, sheet.preset) == (
        "export.csv", 2, "utf_8", None)
    by_header = {c.header: c for c in sheet.columns}
    followers = by_header["Followers"]
    assert (followers.column, followers.reads_as, followers.sample, followers.parsed) == (
        "B", "followers (Followers)", "12.5K", 12_500)
    assert by_header["US Audience %"].sample_unreadable
    assert by_header["Tier"].reads_as.startswith("ignored (derived")
    assert by_header["Vibe"].reads_as == "ignored (not a template column)"
    assert (by_header["名称"].reads_as, by_header["名称"].via) == (
        "display_name (Name)", "another template")
    assert [(b.cell, b.value) for b in sheet.bad_cells] == [("C2", "abc"), ("B3", "lots")]


def test_the_cli_prints_the_map_exits_1_on_bad_cells_and_writes_nothing(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_csv(tmp_path / "export.csv", [{"Handle": "@a", "Followers": "lots"}])
    result = CliRunner().invoke(cli, ["import-map", str(path)])
    assert result.exit_code == 1
    assert "B 'Followers' -> followers (Followers); e.g. 'lots' -> cannot be read" in \
        result.output
    assert "bad cell B2 (Followers): 'lots'" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]


def test_the_cli_shows_how_a_sample_parses_and_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["import-map", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "D 'Followers' -> followers (Followers); e.g. '1.2M' -> 1200000" in result.output
    assert "encoding utf_8 (detected), no preset" in result.output
    data = json.loads(CliRunner().invoke(cli, ["import-map", "--json", str(EXAMPLES)]).output)
    [sheet] = data
    assert sheet["rows"] == 30 and sheet["bad_cells"] == []
    us = next(c for c in sheet["columns"] if c["header"] == "US Audience %")
    assert (us["sample"], us["parsed"]) == ("71%", 0.71)


def test_the_preset_recognised_is_shown(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dataset.csv", [
        {"authorMeta.name": "glowlab", "playCount": 100, "diggCount": 5,
         "createTimeISO": "2026-11-20T10:00:00.000Z"}])
    result = CliRunner().invoke(cli, ["import-map", str(path)])
    assert result.exit_code == 0, result.output
    assert "preset tiktok-scraper (recognised from its headers)" in result.output
    assert "A 'authorMeta.name' -> handle (Handle) [preset tiktok-scraper]" in result.output
    assert "'2026-11-20T10:00:00.000Z' -> 2026-11-20" in result.output


def test_an_empty_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = CliRunner().invoke(cli, ["import-map", str(path)])
    assert result.exit_code == 2
    assert f"{path}: the file is empty (0 bytes)" in result.output
