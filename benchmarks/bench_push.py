"""Time and memory of a push into the local workbook, 3 tabs x N accounts.

Prints seconds for parse+merge+metrics (no workbook I/O), the whole first push,
a repeated push (same file, nothing to change) and a push where 1% of the
accounts changed their Avg Views, each measured in a fresh process with its peak
resident memory and its ratio to the usual recipe: pandas `to_excel` (openpyxl,
one sheet per category) plus the same two engagement-rate band rules added with
`ws.conditional_formatting.add`.

    python benchmarks/bench_push.py [--accounts 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

TODAY = dt.date(2026, 11, 25)


def _measure(action) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _recipe(pd, template, source: Path, target: Path) -> None:
    """What teams usually write: compute in pandas, to_excel per tab, add the band rules."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    import sheets_sync

    imported = sheets_sync.read_input_files([source], template)
    frame = pd.DataFrame([{"category": r.category, **r.values} for r in imported.rows])
    frame = pd.concat([frame, sheets_sync.compute_metrics(frame, template)], axis=1)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for category, title in template.category_tabs.items():
            rows = frame[frame["category"] == category].drop(columns="category")
            rows.to_excel(writer, sheet_name=title, index=False)
            column = get_column_letter(list(rows.columns).index("engagement_rate") + 1)
            cells = f"{column}2:{column}{len(rows) + 1}"
            rules = writer.sheets[title].conditional_formatting
            for formula, colour in ((f"{column}2<0.03", "F4CCCC"), (f"{column}2>0.09", "D9EAD3")):
                rules.add(cells, FormulaRule(formula=[formula], fill=PatternFill(
                    start_color=colour, end_color=colour, fill_type="solid")))


def run_case(case: str, accounts: int, folder: Path) -> dict[str, float]:
    """One measurement in this process; the parent runs each in a fresh process."""
    import resource

    import pandas as pd
    from generate import write_accounts

    import sheets_sync
    from sheets_sync.benchmark import read_benchmark
    from sheets_sync.importer import read_input_files
    from sheets_sync.planner import plan_push
    from sheets_sync.workbook import WorkbookGrid

    source = write_accounts(folder / "accounts.csv", accounts)
    book = folder / "benchmark.xlsx"
    template = sheets_sync.load_template()
    if case == "compute":
        seconds, _ = _measure(lambda: plan_push(
            read_benchmark(WorkbookGrid([]), template),
            read_input_files([source], template).rows, TODAY))
    elif case == "first_push":
        seconds, _ = _measure(lambda: sheets_sync.push(book, [source], today=TODAY))
    elif case == "repeat_push":
        sheets_sync.push(book, [source], today=TODAY)
        seconds, report = _measure(lambda: sheets_sync.push(book, [source], today=TODAY))
        assert report.cells_changed == 0 and not report.written
    elif case == "changed_push":
        from bench_scale import changed_copy

        sheets_sync.push(book, [source], today=TODAY)
        changed = changed_copy(source, folder / "changed.csv")
        seconds, report = _measure(lambda: sheets_sync.push(book, [changed], today=TODAY))
        assert report.cells_changed > 0
    elif case == "recipe_to_excel":
        seconds, _ = _measure(lambda: _recipe(pd, template, source, folder / "recipe.xlsx"))
    else:
        raise SystemExit(f"unknown case {case}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_rss_mb": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2000, help="accounts per category tab")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(run_case(args.case, args.accounts, Path(folder))))
        return
    cases = [("recipe_to_excel", "usual recipe: to_excel + band rules"),
             ("compute", "parse + merge + metrics"), ("first_push", "whole first push"),
             ("repeat_push", "repeated push (no change)"),
             ("changed_push", "push with 1% of accounts changed")]
    print(f"3 tabs x {args.accounts:,} accounts ({3 * args.accounts:,} rows)")
    print(f"{'case':<42}{'seconds':>10}{'x recipe':>10}{'peak RSS MB':>13}")
    recipe_seconds = 0.0
    for case, label in cases:
        out = subprocess.run([sys.executable, __file__, "--case", case, "--accounts",
                              str(args.accounts)], capture_output=True, text=True, check=True)
        numbers = json.loads(out.stdout)
        recipe_seconds = recipe_seconds or numbers["seconds"]
        ratio = numbers["seconds"] / recipe_seconds
        print(f"{label:<42}{numbers['seconds']:>10.2f}{ratio:>10.2f}"
              f"{numbers['peak_rss_mb']:>13.1f}")
    print("targets: 1%-changed push <= 1.3x recipe, peak < 300 MB")


if __name__ == "__main__":
    main()
