"""The emulator against Google's recorded traffic (gspread's test-suite cassettes).

The recordings live outside the project, in a `shared/` folder beside the checkout; a clone
without it skips these tests.  Nothing from the recordings is copied into the project.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from sheets_emulator import RunningEmulator, running_emulator

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
RECORDINGS = SHARED / "sheets-api-recordings"
REPLAYER = SHARED / "tools" / "replay_cassettes.py"

pytestmark = pytest.mark.skipif(
    not (RECORDINGS / "CORE.txt").is_file() or not REPLAYER.is_file(),
    reason=f"the recorded Google traffic is not available at {RECORDINGS}",
)


def _names(kind: str) -> list[str]:
    """Cassette names of one kind ("core" or "stretch") from INDEX.txt, or CORE.txt for core."""
    if kind == "core" and (RECORDINGS / "CORE.txt").is_file():
        lines = (RECORDINGS / "CORE.txt").read_text(encoding="utf-8").splitlines()
        return [line.split("#")[0].split()[-1] for line in lines if line.split("#")[0].strip()]
    index = RECORDINGS / "INDEX.txt"
    if not index.is_file():
        return []
    names = []
    for line in index.read_text(encoding="utf-8").splitlines():
        words = line.split("#")[0].split()
        if len(words) >= 2 and words[0] == kind:
            names.append(words[-1])
    return names


@pytest.fixture(scope="module")
def replayer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("replay_cassettes", REPLAYER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with running_emulator() as emu:
        yield emu


def _replay(replayer: ModuleType, emulator: RunningEmulator, name: str) -> tuple[bool, str]:
    emulator.state.reset()
    interactions = json.loads((RECORDINGS / f"{name}.json").read_text(encoding="utf-8"))
    runner = replayer.Replayer(emulator.url, timeout=30)
    return runner.run_cassette(name, interactions["interactions"])


@pytest.mark.parametrize("name", _names("core"))
def test_core_cassette(replayer: ModuleType, emulator: RunningEmulator, name: str) -> None:
    ok, message = _replay(replayer, emulator, name)
    assert ok, message


@pytest.mark.parametrize("name", _names("stretch"))
def test_stretch_cassette(replayer: ModuleType, emulator: RunningEmulator, name: str) -> None:
    ok, message = _replay(replayer, emulator, name)
    assert ok, message


def test_replay_tool_reports_every_core_cassette_passing(emulator: RunningEmulator) -> None:
    """The shared command-line harness, run as documented, over CORE.txt."""
    emulator.state.reset()
    result = subprocess.run(
        [
            sys.executable,
            str(REPLAYER),
            "--base",
            emulator.url,
            "--cassettes",
            str(RECORDINGS),
            "--names-file",
            str(RECORDINGS / "CORE.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    failures = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert result.returncode == 0, "\n".join(failures) or result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"{len(_names('core'))} passed, 0 failed"
