"""The live suite's own recordings of real Google, replayed on the emulator the way the
shared recordings are (tests/emulator/test_recordings.py), with the shared replayer.

A Google run of the live suite writes one cassette per test into
SHEETS_SYNC_LIVE_RECORD_DIR (default tests/live/cassettes); every cassette found there is
replayed.  The folder need not exist: with no recordings the test is skipped.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from .conftest import record_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
REPLAYER = REPO_ROOT.parent / "shared" / "tools" / "replay_cassettes.py"
NO_RECORDINGS = ("no live recordings in tests/live/cassettes; run the live suite with "
                 "SHEETS_SYNC_LIVE_CREDENTIALS to make some")


def cassettes(folder: Path) -> list[Any]:
    found = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not found:
        return [pytest.param(None, id="none", marks=pytest.mark.skip(reason=NO_RECORDINGS))]
    return [pytest.param(path, id=path.stem) for path in found]


def is_token_exchange(interaction: dict[str, Any]) -> bool:
    """Sign-in traffic is not the Sheets or Drive API, and its secrets are scrubbed."""
    uri = urlsplit(interaction["request"]["uri"])
    return uri.hostname == "oauth2.googleapis.com" or uri.path == "/token"


def api_interactions(path: Path) -> list[dict[str, Any]]:
    recorded = json.loads(path.read_text(encoding="utf-8"))
    return [i for i in recorded["interactions"] if not is_token_exchange(i)]


def load_replayer() -> ModuleType:
    """The shared replayer, also mapping the ids Google hands out for developer metadata
    (where a push keeps its memory) and charts, which gspread's recordings never create."""
    if not REPLAYER.is_file():
        pytest.skip(f"the shared replayer is not available at {REPLAYER}")
    spec = importlib.util.spec_from_file_location("replay_cassettes", REPLAYER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ID_KEYS = {**module.ID_KEYS, "metadataId": "developerMetadata", "chartId": "chart"}
    module.REPLY_IDS = {
        **module.REPLY_IDS,
        "createDeveloperMetadata": (("developerMetadata", "metadataId"), "developerMetadata"),
        "addChart": (("chart", "chartId"), "chart"),
    }
    return module


@pytest.fixture(scope="module")
def replayer() -> ModuleType:
    return load_replayer()


@pytest.fixture(scope="module")
def replay_emulator() -> Iterator[Any]:
    pytest.importorskip("googleapiclient", reason="the emulator needs google-api-python-client "
                        "(pip install 'sheets-sync[emulator]')")
    from sheets_emulator import running_emulator

    with running_emulator() as emu:
        yield emu


def created_in_folders(interactions: list[dict[str, Any]]) -> set[str]:
    """The folders a recorded run created its files in (a shared drive's, on Google)."""
    folders: set[str] = set()
    for interaction in interactions:
        request = interaction["request"]
        if request["method"] == "POST" and urlsplit(request["uri"]).path == "/drive/v3/files":
            body = json.loads(request.get("body") or "{}")
            folders.update(body.get("parents") or [])
    return folders


def replay(replayer: ModuleType, emulator: Any, path: Path) -> tuple[bool, str]:
    emulator.state.reset()
    interactions = api_interactions(path)
    assert interactions, f"{path.name} holds no Sheets or Drive requests"
    for folder in sorted(created_in_folders(interactions)):
        seeded = requests.post(f"{emulator.url}/_emulator/files", timeout=30, json={
            "id": folder, "name": "recorded folder", "shared_drive": "0ARecorded",
            "mime_type": "application/vnd.google-apps.folder"})
        seeded.raise_for_status()
    return replayer.Replayer(emulator.url, timeout=30).run_cassette(path.stem, interactions)


@pytest.mark.parametrize("cassette", cassettes(record_dir()))
def test_live_recording_replays_on_the_emulator(replayer: ModuleType, replay_emulator: Any,
                                                cassette: Path) -> None:
    ok, message = replay(replayer, replay_emulator, cassette)
    assert ok, message
