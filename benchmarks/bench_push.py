"""Time and memory of a push into the local workbook, 3 tabs x N accounts.

Prints seconds for parse+merge+metrics (no workbook I/O), the whole first push
and a repeated push (same file, nothing to change), each measured in a fresh
process with its peak resident memory, and the usual recipe (pandas `to_excel`,
one sheet per category: no formats, no rules, no merge) beside them for scale.

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
    elif case == "recipe_to_excel":
        def recipe() -> None:
            frame = pd.read_csv(source, dtype=str)
            with pd.ExcelWriter(folder / "recipe.xlsx", engine="openpyxl") as writer:
                for category, rows in frame.groupby("category"):
                    rows.to_excel(writer, sheet_name=str(category), index=False)
        seconds, _ = _measure(recipe)
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
    cases = [("compute", "parse + merge + metrics"), ("first_push", "whole first push"),
             ("repeat_push", "repeated push (no change)"),
             ("recipe_to_excel", "usual recipe: pandas to_excel, 3 sheets")]
    print(f"3 tabs x {args.accounts:,} accounts ({3 * args.accounts:,} rows)")
    print(f"{'case':<42}{'seconds':>10}{'peak RSS MB':>13}")
    for case, label in cases:
        out = subprocess.run([sys.executable, __file__, "--case", case, "--accounts",
                              str(args.accounts)], capture_output=True, text=True, check=True)
        numbers = json.loads(out.stdout)
        print(f"{label:<42}{numbers['seconds']:>10.2f}{numbers['peak_rss_mb']:>13.1f}")
    print("targets: compute < 1 s, whole push < 10 s, peak < 400 MB")


if __name__ == "__main__":
    main()
