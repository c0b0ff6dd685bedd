"""The library's public names: every CLI command is a function, and none hides a module."""

from __future__ import annotations

import importlib.util
import inspect

import sheets_sync

PUBLIC = {
    "Benchmark", "ContextNote", "Part", "Problem", "Settings", "SheetsSyncError", "SyncReport",
    "Template", "add_note", "compute_metrics", "init", "init_google", "list_notes",
    "load_benchmark", "load_template", "plan", "pull", "push", "read_benchmark",
    "read_input_files", "refresh", "resolve_settings", "validate",
}
COMMANDS = {"init": "init", "init --google": "init_google", "push": "push", "plan": "plan",
            "validate": "validate", "pull": "pull", "refresh": "refresh",
            "note add": "add_note", "note list": "list_notes"}


def test_all_is_pinned() -> None:
    assert set(sheets_sync.__all__) == PUBLIC
    assert sorted(sheets_sync.__all__) == sheets_sync.__all__
    for name in sheets_sync.__all__:
        assert getattr(sheets_sync, name) is not None


def test_every_command_is_a_library_function() -> None:
    for command, name in COMMANDS.items():
        function = getattr(sheets_sync, name)
        assert inspect.isfunction(function), command
        assert function.__doc__, f"{name} has no docstring"


def test_no_public_name_hides_a_module() -> None:
    hidden = [name for name in sheets_sync.__all__
              if importlib.util.find_spec(f"sheets_sync.{name}") is not None]
    assert hidden == []
