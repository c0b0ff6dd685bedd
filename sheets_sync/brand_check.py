"""A warning when --our-brand names a handle neither the workbook nor the pushed files
hold: usually a typo, which would leave our brand out of the Summary."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .benchmark import Benchmark
from .importer import ImportedRow
from .report import Problem
from .values import normalize_handle


def unknown_brand_warnings(bench: Benchmark, pushed: Iterable[ImportedRow] = ()) -> list[Problem]:
    """One warning per brand handle not found, with the closest handles there are."""
    known: dict[str, str] = {}
    for tab in bench.sheet.tabs.values():
        for row in tab.rows:
            handle = row.values.get("handle")
            if handle:
                known.setdefault(normalize_handle(handle), str(handle))
    for row in pushed:
        handle = row.values.get("handle")
        if handle:
            known.setdefault(normalize_handle(handle), str(handle))
    problems: list[Problem] = []
    if not known:  # a new, empty workbook: nothing to check against yet
        return problems
    for brand in bench.template.our_brand:
        if normalize_handle(brand) in known:
            continue
        close = difflib.get_close_matches(normalize_handle(brand), list(known), n=3, cutoff=0.6)
        hint = ("; did you mean " + " or ".join(known[c] for c in close) + "?") if close else ""
        problems.append(Problem("--our-brand", f"{brand} is not an account in the workbook "
                                "or the pushed files, so the Summary has no row for our "
                                f"brand{hint}", severity="warning"))
    return problems
