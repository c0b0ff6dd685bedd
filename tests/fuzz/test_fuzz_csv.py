"""Fuzzed CSV files through the real CLI: plan, push, push again, validate.

Each run must end in a known way, the workbook must hold every accepted account once with
exactly the values the generator meant, every refused row must be named in an error, and
a second push of the same file must change nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from .cli_check import check_workbook, input_cells_changed, rows_added, run
from .csv_inputs import CsvDocument, csv_documents

FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])


def _push_args(workbook: Path, source: Path, document: CsvDocument) -> list[str]:
    category = ["--category", document.category_option] if document.category_option else []
    return ["--sheet", str(workbook), *category, str(source)]


def check_document(document: CsvDocument) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "competitors.csv"
        source.write_bytes(document.data)
        workbook = Path(folder) / "benchmark.xlsx"

        planned = run("plan", *_push_args(workbook, source, document))
        assert planned.exit_code in (0, 1), planned.output
        assert not workbook.exists(), "plan must write nothing"

        first = run("push", *_push_args(workbook, source, document))
        assert first.exit_code == (1 if document.problems_expected else 0), first.problems
        assert rows_added(first) == len(document.accepted)
        check_workbook(workbook, document.accepted, document.refused, first)

        again = run("push", *_push_args(workbook, source, document))
        assert again.exit_code == first.exit_code, again.problems
        assert rows_added(again) == 0 and input_cells_changed(again) == 0, again.report
        check_workbook(workbook, document.accepted, document.refused, again)

        checked = run("validate", "--sheet", str(workbook))
        assert checked.exit_code == 0, checked.problems


@settings(FUZZ, max_examples=35)
@given(document=csv_documents())
def test_fuzzed_csv_files_land_exactly_or_are_named(document: CsvDocument) -> None:
    check_document(document)


@pytest.mark.slow
@settings(FUZZ, max_examples=200, derandomize=False)  # CI time: about a minute
@given(document=csv_documents())
def test_many_more_fuzzed_csv_files(document: CsvDocument) -> None:
    check_document(document)
