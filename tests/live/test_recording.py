"""The recorder of live runs, checked without Google: a run on the emulator is recorded,
the cassette has the shared recordings' format with no credential left in it, and it
replays on the emulator.  Needs vcrpy, like a live run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sheets_emulator import running_emulator
from sheets_sync import init_google, push
from sheets_sync.backends import google_credentials
from sheets_sync.backends.google_http import EMULATOR_ENV
from sheets_sync.backends.gsheets import GoogleSheetsBackend, spreadsheet_key

from .conftest import cassette_name, shared_drive_folder
from .recording import recording
from .test_live import EXAMPLES
from .test_replay import api_interactions, load_replayer, replay

pytest.importorskip("vcr", reason="recording needs vcrpy: pip install vcrpy")


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live_emulator_server: Any,
             live_service_key: Path, request: pytest.FixtureRequest) -> tuple[Path, list]:
    live_emulator_server.admin("POST", "reset")
    monkeypatch.setenv(EMULATOR_ENV, live_emulator_server.host_port)
    path = tmp_path / cassette_name(request.node)
    folder = shared_drive_folder(live_emulator_server)
    with recording(path) as tape:
        report = init_google(title="recorded run", credentials=live_service_key,
                             folder=folder)
        push(report.target, [EXAMPLES], credentials=live_service_key)
        push(report.target, [EXAMPLES], credentials=live_service_key)
        GoogleSheetsBackend.from_credentials("", google_credentials(live_service_key)) \
            .client.del_spreadsheet(spreadsheet_key(report.target) or "")
        calls = tape.calls()
    return path, calls


def test_cassette_has_the_shared_format_and_no_secrets(recorded: tuple[Path, list],
                                                       live_service_key: Path) -> None:
    path, calls = recorded
    assert path.name == "LiveTest.test_cassette_has_the_shared_format_and_no_secrets.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    interactions = data["interactions"]
    assert len(interactions) == len(calls)
    assert [i["request"]["method"] for i in interactions] == [m for m, _ in calls]
    token = [i for i in interactions if i["request"]["uri"].endswith("/token")]
    assert token, "the token exchange was not recorded"
    for i in token:
        assert "<ASSERTION>" in i["request"]["body"]
        reply = json.loads(i["response"]["body"]["string"])
        assert reply["access_token"] == "<ACCESS_TOKEN>"
    api = [i for i in interactions if i not in token]
    assert all(i["request"]["headers"]["authorization"] == ["<ACCESS_TOKEN>"] for i in api)
    text = path.read_text(encoding="utf-8")
    key = json.loads(live_service_key.read_text())
    signed = [i for i in token if "eyJ" in i["request"]["body"]]
    assert signed == [] and "Bearer " not in text and key["private_key"][40:80] not in text
    # The second push only read: one GET of the spreadsheet, no batchUpdate.
    paths = [p for _, p in calls]
    assert sum(p.endswith(":batchUpdate") for p in paths) == 2  # init, first push


def test_recorded_run_replays_on_the_emulator(recorded: tuple[Path, list],
                                              live_emulator_server: Any) -> None:
    path, _ = recorded
    module = load_replayer()
    assert api_interactions(path)[0]["request"]["method"] == "POST"
    with running_emulator() as emu:  # a second emulator: the replay starts from nothing
        ok, message = replay(module, emu, path)
    assert ok, message
