"""Service accounts own no Drive files (Google answers 403 storageQuotaExceeded): the ways a
service-account user still gets a workbook, and the message when they try the one that
cannot work."""

from __future__ import annotations

from pathlib import Path

import gspread
from click.testing import CliRunner

from sheets_sync.backends import google_credentials
from sheets_sync.backends.gsheets import GoogleSheetsBackend, spreadsheet_key
from sheets_sync.cli import cli
from tests.conftest import EXAMPLES

from .conftest import PERSON, SERVICE_EMAIL, Emulator, run_cli, shared_spreadsheet

CATEGORY_TABS = ["Direct", "Indirect", "Learning"]


def _open(url: str, key_file: Path) -> gspread.Spreadsheet:
    backend = GoogleSheetsBackend.from_credentials(spreadsheet_key(url),
                                                   google_credentials(key_file))
    return backend.client.open_by_key(spreadsheet_key(url))


def _files(emulator: Emulator) -> list[str]:
    return [f["id"] for f in emulator.admin("GET", "files")["files"]]


def test_init_as_a_service_account_names_the_ways_out(emulator: Emulator,
                                                      service_key_file: Path) -> None:
    result = CliRunner().invoke(cli, ["init", "--google", "--credentials",
                                      str(service_key_file), "--title", "Benchmark"])
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert f"a service account ({SERVICE_EMAIL}) cannot own files" in message
    assert "--oauth" in message and "--folder" in message
    assert f"share it with {SERVICE_EMAIL}" in message
    assert "not shared" not in message
    assert _files(emulator) == []


def test_init_as_a_service_account_in_a_shared_drive_folder(emulator: Emulator,
                                                            service_key_file: Path) -> None:
    folder = emulator.admin("POST", "files", {
        "owner": PERSON, "name": "Team benchmarks", "shared_drive": "0ATeam",
        "mime_type": "application/vnd.google-apps.folder", "shared_with": [SERVICE_EMAIL]})
    result, report = run_cli("init", "--google", "--credentials", str(service_key_file),
                             "--title", "Benchmark", "--folder", folder["id"])
    assert result.exit_code == 0, result.output
    spreadsheet = _open(report["target"], service_key_file)
    assert [ws.title for ws in spreadsheet.worksheets()][:3] == CATEGORY_TABS
    made = spreadsheet.client.request(
        "get", f"https://www.googleapis.com/drive/v3/files/{spreadsheet.id}",
        params={"supportsAllDrives": "true", "fields": "driveId,parents"}).json()
    assert made == {"driveId": "0ATeam", "parents": [folder["id"]]}


def test_a_folder_in_my_drive_is_no_way_out(emulator: Emulator, service_key_file: Path) -> None:
    folder = emulator.admin("POST", "files", {
        "owner": PERSON, "name": "Benchmarks",
        "mime_type": "application/vnd.google-apps.folder", "shared_with": [SERVICE_EMAIL]})
    result = CliRunner().invoke(cli, ["init", "--google", "--credentials",
                                      str(service_key_file), "--folder", folder["id"]])
    assert result.exit_code == 2, result.output
    assert "cannot own files" in " ".join(result.output.split())
    assert _files(emulator) == [folder["id"]]


def test_a_spreadsheet_a_person_shared_is_laid_out_without_its_blank_tab(
        emulator: Emulator, service_key_file: Path) -> None:
    url = shared_spreadsheet(emulator)
    result, _ = run_cli("push", "--sheet", url, "--credentials", str(service_key_file),
                        str(EXAMPLES))
    assert result.exit_code == 0, result.output
    titles = [ws.title for ws in _open(url, service_key_file).worksheets()]
    assert "Sheet1" not in titles and titles[:3] == CATEGORY_TABS


def test_a_first_tab_a_person_typed_in_is_kept(emulator: Emulator,
                                               service_key_file: Path) -> None:
    url = shared_spreadsheet(emulator)
    _open(url, service_key_file).sheet1.update([["our launch plan"]], "B2")
    result, _ = run_cli("push", "--sheet", url, "--credentials", str(service_key_file),
                        str(EXAMPLES))
    assert result.exit_code == 0, result.output
    spreadsheet = _open(url, service_key_file)
    assert spreadsheet.worksheet("Sheet1").acell("B2").value == "our launch plan"
    assert [ws.title for ws in spreadsheet.worksheets()][1:4] == CATEGORY_TABS
