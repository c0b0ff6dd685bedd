"""sheets_emulator stands on its own: it imports nothing from sheets_sync, and it refuses to
run without the package that carries Google's discovery documents."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import sheets_emulator
from sheets_emulator import (
    DiscoveryUnavailableError,
    EmulatorAdapter,
    EmulatorError,
    EmulatorState,
    check_dependencies,
    discovery,
    dispatch,
    running_emulator,
    serve,
    validation,
)

PACKAGE = Path(sheets_emulator.__file__).resolve().parent
EXTRA = "pip install 'sheets-sync[emulator]'"


# --------------------------------------------------------------------------- no sheets_sync


def _module_of(path: Path) -> list[str]:
    """The package a file's relative imports start from, as a list of names."""
    # app.py -> [sheets_emulator]; batch/__init__.py and batch/cells.py -> [.., batch]
    return ["sheets_emulator", *path.relative_to(PACKAGE).parent.parts]


def imported_names(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import in one file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_of(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                if not base:
                    yield node.lineno, "<beyond the top of the package>"
                    continue
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def test_relative_imports_resolve_inside_the_package() -> None:
    assert _module_of(PACKAGE / "app.py") == ["sheets_emulator"]
    assert _module_of(PACKAGE / "__init__.py") == ["sheets_emulator"]
    assert _module_of(PACKAGE / "batch" / "cells.py") == ["sheets_emulator", "batch"]
    assert _module_of(PACKAGE / "batch" / "__init__.py") == ["sheets_emulator", "batch"]


def test_the_emulator_imports_nothing_from_sheets_sync() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 40
    offending = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {name}"
        for path in files
        for line, name in imported_names(path)
        if name == "sheets_sync" or name.startswith("sheets_sync.") or name.startswith("<")
    ]
    assert offending == []


def test_importing_the_emulator_loads_no_sheets_sync_module() -> None:
    code = (
        "import sys, sheets_emulator, sheets_emulator.__main__; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sheets_sync'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]"


# --------------------------------------------------------------------------- missing extra


@pytest.fixture
def without_client_library(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As if google-api-python-client were not installed (nothing compiled or cached yet)."""
    monkeypatch.setitem(sys.modules, "googleapiclient", None)
    monkeypatch.setattr(discovery, "_COMPILED", None)
    validation.discovery_validator.cache_clear()
    yield
    validation.discovery_validator.cache_clear()


def assert_names_the_extra(error: BaseException) -> None:
    assert isinstance(error, DiscoveryUnavailableError)
    assert isinstance(error, EmulatorError)
    assert isinstance(error, ImportError)
    assert error.name == "googleapiclient"
    assert "google-api-python-client" in str(error)
    assert EXTRA in str(error)


@pytest.mark.usefixtures("without_client_library")
def test_check_dependencies_names_the_extra() -> None:
    with pytest.raises(DiscoveryUnavailableError) as caught:
        check_dependencies()
    assert_names_the_extra(caught.value)


@pytest.mark.usefixtures("without_client_library")
def test_an_in_process_emulator_is_not_created() -> None:
    with pytest.raises(DiscoveryUnavailableError) as caught:
        EmulatorAdapter(EmulatorState())
    assert_names_the_extra(caught.value)


@pytest.mark.usefixtures("without_client_library")
def test_a_server_does_not_start() -> None:
    with pytest.raises(DiscoveryUnavailableError) as caught, running_emulator():
        pytest.fail("the emulator started without its validation dependency")
    assert_names_the_extra(caught.value)
    with pytest.raises(DiscoveryUnavailableError):
        serve(port=0)


@pytest.mark.usefixtures("without_client_library")
def test_a_request_is_not_answered_unchecked() -> None:
    status, _, data = dispatch(
        EmulatorState(), "GET", "/v4/spreadsheets/abc", "", {"Authorization": "Bearer t"}, b""
    )
    assert status == 500
    assert EXTRA in data.decode()


@pytest.mark.usefixtures("without_client_library")
def test_the_cli_command_says_what_to_install() -> None:
    from sheets_sync.cli import cli

    result = CliRunner().invoke(cli, ["emulator", "--port", "0"])
    assert result.exit_code == 2
    assert EXTRA in result.output
    assert "Sheets API emulator on" not in result.output


def test_python_m_sheets_emulator_says_what_to_install() -> None:
    code = (
        "import runpy, sys; sys.modules['googleapiclient'] = None; "
        "sys.argv = ['sheets_emulator', '--port', '0']; "
        "runpy.run_module('sheets_emulator', run_name='__main__', alter_sys=True)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2, done.stderr
    assert EXTRA in done.stderr
    assert "emulator on http" not in done.stdout


def test_python_m_sheets_emulator_shows_its_options() -> None:
    done = subprocess.run([sys.executable, "-m", "sheets_emulator", "--help"],
                          capture_output=True, text=True, timeout=60, check=True)
    assert "--port" in done.stdout
