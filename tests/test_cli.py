"""The command line: exit codes, JSON reports, settings, and the Quickstart's workbook."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

import sheets_sync
from sheets_sync.cli import cli
from tests.conftest import EXAMPLES, table, write_csv

CATEGORY_TABS = ("Direct", "Indirect", "Learning")


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHEETS_SYNC_SHEET", raising=False)
    monkeypatch.delenv("SHEETS_SYNC_TEMPLATE", raising=False)
    return CliRunner()


def test_every_command_has_help(runner: CliRunner) -> None:
    for name, command in cli.commands.items():
        assert command.help or command.short_help, name
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.output


def test_quickstart_push_builds_the_benchmark(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["push", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    book = tmp_path / "benchmark.xlsx"
    wb = load_workbook(book)
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == ["Direct", "Indirect", "Learning", "Summary", "Context Notes",
                       "History", "Alerts"]
    assert wb["_sheets_sync"].sheet_state == "hidden"
    template = sheets_sync.load_template()
    expected_headers = [c.header for c in template.columns]
    imported = sheets_sync.read_input_files([EXAMPLES], template)
    assert not imported.problems
    by_handle = {r.handle_id: r.values for r in imported.rows}
    seen = 0
    for tab in CATEGORY_TABS:
        ws = wb[tab]
        assert [c.value for c in ws[1]] == expected_headers
        letter = get_column_letter(expected_headers.index("Engagement Rate") + 1)
        formulas = {r.formula[0] for cf in ws.conditional_formatting for r in cf.rules}
        assert f"AND(ISNUMBER({letter}2),{letter}2<0.03)" in formulas
        assert f"AND(ISNUMBER({letter}2),{letter}2>0.09)" in formulas
        for row in table(book, tab):
            values = by_handle[str(row["Handle"]).lstrip("@").lower()]
            _check_derived(row, values)
            seen += 1
    assert seen == len(imported.rows) == 30


def _check_derived(row: dict, v: dict) -> None:
    """Each formula of the spec, computed here row by row, against the saved cell."""
    def close(actual: object, expected: float | None) -> None:
        if expected is None:
            assert actual is None, row["Handle"]
        else:
            assert math.isclose(actual, expected, rel_tol=0, abs_tol=1e-9), row["Handle"]

    followers, before, views = v.get("followers"), v.get("followers_30d_ago"), v["avg_views"]
    parts = [v["avg_likes"], v["avg_comments"], v["avg_shares"], v["avg_saves"]]
    close(row["Follower Growth (30d)"], (followers - before) / before if before else None)
    close(row["Views per Follower"], views / followers)
    close(row["Engagement Rate"], sum(parts) / views)
    close(row["ER excl. Saves"], sum(parts[:3]) / views)
    close(row["Save Rate"], parts[3] / views)
    close(row["Posts per Week"], v["posts_30d"] * 7 / 30)
    tier = "Micro" if followers < 100_000 else "Mid" if followers <= 1_000_000 else "Macro"
    assert row["Tier"] == tier
    rate = sum(parts) / views
    assert row["ER Band"] == ("low" if rate < 0.03 else "high" if rate > 0.09 else "in band")


def test_second_push_reports_nothing_to_change(runner: CliRunner) -> None:
    runner.invoke(cli, ["push", str(EXAMPLES)])
    result = runner.invoke(cli, ["push", str(EXAMPLES), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["cells_changed"] == 0
    assert report["written"] is False


def test_bad_cell_exits_1_and_names_it(runner: CliRunner, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "bad.csv", [
        {"Handle": "@a", "Followers": "12..5K", "Avg Views": "1K"},
        {"Handle": "@b", "Followers": "2K", "Avg Views": "1K"},
    ])
    result = runner.invoke(cli, ["push", str(source), "--category", "direct"])
    assert result.exit_code == 1
    assert "bad.csv row 2, column B (Followers): '12..5K' cannot be read" in result.output
    rows = table(tmp_path / "benchmark.xlsx", "Direct")
    assert [r["Handle"] for r in rows] == ["@a", "@b"]
    assert rows[0]["Avg Views"] == 1000


def test_usage_and_configuration_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["push", "--sheet", "notes.txt"]).exit_code == 2
    assert runner.invoke(cli, ["push", "--template", "klingon"]).exit_code == 2
    assert runner.invoke(cli, ["push", "missing.csv"]).exit_code == 2
    source = write_csv(tmp_path / "x.csv", [{"Handle": "@a"}])
    result = runner.invoke(cli, ["push", str(source), "--category", "rivals"])
    assert result.exit_code == 2
    assert "unknown category 'rivals'" in result.output
    (tmp_path / "sheets-sync.toml").write_text("sheet = [1]\n")
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 2
    assert "sheets-sync.toml" in result.output


def test_target_from_env_and_settings_file(runner: CliRunner, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sheets-sync.toml").write_text('sheet = "from-file.xlsx"\n')
    assert runner.invoke(cli, ["init"]).exit_code == 0
    assert (tmp_path / "from-file.xlsx").is_file()
    monkeypatch.setenv("SHEETS_SYNC_SHEET", str(tmp_path / "from-env.xlsx"))
    assert runner.invoke(cli, ["init"]).exit_code == 0
    assert (tmp_path / "from-env.xlsx").is_file()
    assert runner.invoke(cli, ["init", "--sheet", "flag.xlsx"]).exit_code == 0
    assert (tmp_path / "flag.xlsx").is_file()


def test_init_leaves_an_existing_workbook_alone(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(cli, ["push", str(EXAMPLES)])
    before = (tmp_path / "benchmark.xlsx").read_bytes()
    result = runner.invoke(cli, ["init"])
    assert result.exit_code == 0
    assert "already exists" in result.output
    assert (tmp_path / "benchmark.xlsx").read_bytes() == before


def test_validate_lists_unreadable_cells(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(cli, ["push", str(EXAMPLES)])
    book = tmp_path / "benchmark.xlsx"
    wb = load_workbook(book)
    wb["Indirect"]["C3"] = "lots"
    wb["Learning"]["E2"] = -5
    wb.save(book)
    result = runner.invoke(cli, ["validate", "--json"])
    assert result.exit_code == 1
    where = {p["where"] for p in json.loads(result.output)["problems"]}
    assert where == {"Indirect!C3 (Followers)", "Learning!E2 (Avg Views)"}


def test_plan_shows_cells_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(cli, ["push", str(EXAMPLES)])
    book = tmp_path / "benchmark.xlsx"
    before = book.read_bytes()
    source = write_csv(tmp_path / "new.csv", [{"category": "direct", "Handle": "@glowpuff.skin",
                                                 "Followers": "1.3M"}])
    result = runner.invoke(cli, ["plan", str(source)])
    assert result.exit_code == 0
    assert "C2 (Followers): 1200000 -> 1300000" in result.output
    assert book.read_bytes() == before


def test_plan_names_the_accounts_it_would_add(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(cli, ["push", str(EXAMPLES)])
    source = write_csv(tmp_path / "new.csv", [
        {"category": "direct", "Handle": "@newcomer.lab", "Followers": "42K"}])
    result = runner.invoke(cli, ["plan", str(source)])
    assert result.exit_code == 0, result.output
    assert "Direct: 1 row added, " in result.output and "rows added" not in result.output
    assert "    new: @newcomer.lab" in result.output


def test_pull_writes_one_csv_per_tab(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(cli, ["push", str(EXAMPLES)])
    result = runner.invoke(cli, ["pull", "--out", "out"])
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["alerts.csv", "context_notes.csv", "direct.csv", "history.csv",
                     "indirect.csv", "learning.csv", "summary.csv"]
    header = (tmp_path / "out" / "direct.csv").read_text().splitlines()[0].split(",")
    assert header[:3] == ["category", "handle", "display_name"]
    assert "engagement_rate" in header


def test_a_damaged_workbook_is_a_clear_message(tmp_path: Path) -> None:
    book = tmp_path / "benchmark.xlsx"
    book.write_bytes(b"PK\x03\x04 this is not a whole zip file")
    result = CliRunner().invoke(cli, ["push", "--sheet", str(book)])
    assert result.exit_code == 2
    assert "cannot be opened as an .xlsx workbook" in result.output
    assert "Traceback" not in result.output
    assert book.read_bytes().startswith(b"PK\x03\x04 this is not")  # nothing overwritten


def test_an_unexpected_error_is_one_line_and_exit_2(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import sheets_sync.sync

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(sheets_sync.sync, "validate", broken)
    result = CliRunner().invoke(cli, ["validate", "--sheet", str(tmp_path / "b.xlsx")])
    assert result.exit_code == 2
    assert "an unexpected RuntimeError: a bug" in result.output
    assert "report it" in result.output


def test_our_brand_not_in_the_workbook_is_a_warning_with_close_matches(
        runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["push", "--our-brand", "@glowpuf.skin", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert ("warning: --our-brand: @glowpuf.skin is not an account in the workbook or the "
            "pushed files") in result.output
    assert "did you mean @glowpuff.skin?" in result.output
    found = runner.invoke(cli, ["validate", "--our-brand", "@glowpuff.skin"])
    assert "--our-brand" not in found.output
    missing = runner.invoke(cli, ["validate", "--our-brand", "@nosuch"])
    assert missing.exit_code == 0
    assert "@nosuch is not an account" in missing.output
    assert "did you mean" not in missing.output


def test_a_headers_only_file_says_0_accounts_and_exits_1(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("Handle,Followers\n", encoding="utf-8")
    result = runner.invoke(cli, ["push", "--category", "direct", str(path)])
    assert result.exit_code == 1
    assert f"0 accounts in {path}" in result.output


def test_a_new_empty_workbook_gives_no_brand_warning(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["init", "--our-brand", "@ours"])
    assert result.exit_code == 0 and "warning" not in result.output
