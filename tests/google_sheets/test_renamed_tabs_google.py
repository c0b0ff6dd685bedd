"""A teammate renames a category tab on Google Sheets (the emulator): push, refresh, pull,
validate, notes and the side panel still find it by its id. `Q3` and `CRM26` read like
cells in A1 notation, so every range the tool sends must quote the title."""

from __future__ import annotations

import csv
from pathlib import Path

import gspread
import pytest

from tests.conftest import summary_rows
from tests.google_sheets.conftest import Emulator, run_cli
from tests.google_sheets.test_push_google import grid_of
from tests.test_renamed_tabs import two_direct_accounts

pytest.importorskip("flask", reason="the add-on needs Flask (pip install 'sheets-sync[addon]')")
from flask.testing import FlaskClient

from tests.google_sheets.test_addon import (
    Signer,
    addon,  # noqa: F401  (a fixture)
    event,
    navigation,
    post,
    signer,  # noqa: F401  (a fixture)
    texts,
)


def _cli(sheet: str, key: Path, *args: str) -> dict:
    result, report = run_cli(*args[:1], "--sheet", sheet, "--credentials", str(key), *args[1:])
    assert result.exit_code == 0, result.output
    return report


@pytest.mark.parametrize("new_title", ["Q3", "CRM26"])
def test_every_command_finds_a_renamed_tab(new_title: str, sheet: str, service_key_file: Path,
                                           client: gspread.Spreadsheet, emulator: Emulator,
                                           tmp_path: Path) -> None:
    _cli(sheet, service_key_file, "push", "--date", "2026-03-01",
         str(two_direct_accounts(tmp_path, "m0.csv", (50_000, 20_000))))
    _cli(sheet, service_key_file, "refresh", "--date", "2026-03-01")
    client.worksheet("Direct").update_title(new_title)
    tabs_before = [w.title for w in client.worksheets(exclude_hidden=True)]

    _cli(sheet, service_key_file, "push", "--date", "2026-03-31",
         str(two_direct_accounts(tmp_path, "m1.csv", (55_000, 21_000))))
    _cli(sheet, service_key_file, "refresh", "--date", "2026-03-31")
    rows = {r["Handle"]: r for r in grid_of(client, new_title)}
    assert rows["@glowlab"]["Followers"] == 55_000
    assert rows["@glowlab"]["Followers 30d Ago"] == 50_000
    assert abs(rows["@glowlab"]["Follower Growth (30d)"] - 0.1) < 1e-12

    out = tmp_path / "out"
    result, _ = run_cli("pull", "--sheet", sheet, "--credentials", str(service_key_file),
                        "--out", str(out))
    with (out / "direct.csv").open(encoding="utf-8") as handle:
        assert sorted(r["handle"] for r in csv.DictReader(handle)) == ["'@dewdrop",
                                                                        "'@glowlab"]

    client.worksheet(new_title).update_acell("C2", "abc")  # Followers of the first row
    result, report = run_cli("validate", "--sheet", sheet, "--credentials",
                             str(service_key_file))
    assert result.exit_code == 1
    assert [p["where"] for p in report["problems"] if p["severity"] == "error"] == [
        f"'{new_title}'!C2 (Followers)"]

    result, _ = run_cli("note", "add", "Spring launch", "--handle", "@glowlab", "--kind",
                        "product launch", "--date", "2026-03-02", "--sheet", sheet,
                        "--credentials", str(service_key_file))
    assert result.exit_code == 0, result.output
    listed = run_cli("note", "list", "--sheet", sheet, "--credentials",
                     str(service_key_file))[0]
    assert "Spring launch" in listed.stdout
    assert [w.title for w in client.worksheets(exclude_hidden=True)] == tabs_before


def test_the_side_panel_counts_a_renamed_tab(sheet: str, service_key_file: Path,
                                             client: gspread.Spreadsheet, addon: FlaskClient,  # noqa: F811
                                             signer: Signer, tmp_path: Path) -> None:  # noqa: F811
    accounts = two_direct_accounts(tmp_path, "m0.csv", (50_000, 20_000))
    _cli(sheet, service_key_file, "push", str(accounts))
    client.worksheet("Direct").update_title("Q3")
    key = client.id
    card = navigation(post(addon, signer, "/homepage", event(key)), "pushCard")
    assert texts(card)["Accounts in Q3"] == "2"
    reply = post(addon, signer, "/action/refresh", event(key))
    assert navigation(reply, "updateCard")
    assert len(grid_of(client, "History")) == 2


def test_cli_push_and_side_panel_recompute_agree_on_the_summary(
        sheet: str, service_key_file: Path, client: gspread.Spreadsheet,
        addon: FlaskClient, signer: Signer, tmp_path: Path) -> None:  # noqa: F811
    _cli(sheet, service_key_file, "push", "--our-brand", "@dewdrop",
         str(two_direct_accounts(tmp_path, "m0.csv", (50_000, 20_000))))
    after_cli = client.worksheet("Summary").get_all_values(
        value_render_option="UNFORMATTED_VALUE")
    direct = next(r for r in summary_rows(after_cli) if r.get("Category") == "Direct")
    assert direct["Accounts"] == 1  # our brand is compared, not counted
    assert abs(direct["Our Engagement Rate"] - (1_000 + 50 + 20 + 30) / 40_000) < 1e-12
    post(addon, signer, "/action/recompute", event(client.id))
    assert client.worksheet("Summary").get_all_values(
        value_render_option="UNFORMATTED_VALUE") == after_cli
    _cli(sheet, service_key_file, "push")  # no brand given: the remembered one
    assert client.worksheet("Summary").get_all_values(
        value_render_option="UNFORMATTED_VALUE") == after_cli
    _cli(sheet, service_key_file, "push", "--band", "beauty")
    with_band = client.worksheet("Summary").get_all_values(
        value_render_option="UNFORMATTED_VALUE")
    assert with_band[0][1] == "Health & Beauty (Rival IQ 2024)"
    post(addon, signer, "/action/recompute", event(client.id))  # the panel keeps the band
    assert client.worksheet("Summary").get_all_values(
        value_render_option="UNFORMATTED_VALUE") == with_band
