"""Requests, bytes and seconds of a push to Google Sheets, beside the usual gspread recipe.

Runs against the project's emulator (started here on a free loopback port) with a
fixed latency per request (150 ms by default, about a real round trip to Google),
through the real gspread and google-auth code. For the examples and for 3 tabs x N
accounts it prints, for the first push and a repeated push:

- sheets-sync: `sheets-sync push` (one read, one batchUpdate; none on a repeat);
- the usual recipe: pandas computes the metrics, gspread-dataframe's
  set_with_dataframe writes each tab, gspread-formatting adds the highlight rules.

    pip install '.[bench]'
    python benchmarks/bench_google.py [--accounts 2000] [--latency-ms 150]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate import write_accounts  # noqa: E402

import sheets_sync  # noqa: E402
from sheets_emulator import running_emulator  # noqa: E402
from sheets_sync.backends.google_http import authorized_session  # noqa: E402

TODAY = dt.date(2026, 11, 25)
EXAMPLES = HERE.parent / "examples" / "competitors.csv"


class Meter:
    def __init__(self, url: str) -> None:
        self.url = url

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        reply = requests.request(method, f"{self.url}/_emulator/{path}", json=body, timeout=60)
        reply.raise_for_status()
        return reply.json() if reply.content else None

    def measure(self, action: Callable[[], Any]) -> dict[str, float]:
        self.admin("DELETE", "log")
        start = time.perf_counter()
        action()
        seconds = time.perf_counter() - start
        log = [r for r in self.admin("GET", "log")["requests"] if r["path"] != "/token"]
        return {
            "reads": sum(r["method"] == "GET" for r in log),
            "writes": sum(r["method"] != "GET" for r in log),
            "sent_kb": sum(r["request_bytes"] for r in log) / 1024,
            "received_kb": sum(r["response_bytes"] for r in log) / 1024,
            "seconds": seconds,
        }


def recipe_push(client: Any, key: str, source: Path) -> None:
    """What teams usually write: compute in pandas, overwrite each tab, add rules."""
    import gspread
    import gspread_dataframe
    import gspread_formatting as fmt

    template = sheets_sync.load_template()
    imported = sheets_sync.read_input_files([source], template)
    import pandas as pd

    frame = pd.DataFrame([{"category": r.category, **r.values} for r in imported.rows])
    frame = pd.concat([frame, sheets_sync.compute_metrics(frame, template)], axis=1)
    spreadsheet = client.open_by_key(key)
    existing = {ws.title: ws for ws in spreadsheet.worksheets()}
    for category, title in template.category_tabs.items():
        rows = frame[frame["category"] == category].drop(columns="category")
        ws = existing.get(title) or spreadsheet.add_worksheet(title, rows=len(rows) + 1,
                                                              cols=len(rows.columns))
        gspread_dataframe.set_with_dataframe(ws, rows, resize=True)
        column = gspread.utils.rowcol_to_a1(1, list(rows.columns).index("engagement_rate") + 1)[:-1]
        rules = fmt.get_conditional_format_rules(ws)
        rules.clear()
        for formula, colour in ((f"={column}2<0.03", (0.96, 0.8, 0.8)),
                                (f"={column}2>0.09", (0.85, 0.92, 0.83))):
            rules.append(fmt.ConditionalFormatRule(
                ranges=[fmt.GridRange.from_a1_range(f"{column}2:{column}", ws)],
                booleanRule=fmt.BooleanRule(
                    condition=fmt.BooleanCondition("CUSTOM_FORMULA", [formula]),
                    format=fmt.CellFormat(backgroundColor=fmt.Color(*colour)))))
        rules.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2000, help="accounts per category tab")
    parser.add_argument("--latency-ms", type=int, default=150)
    args = parser.parse_args()
    with running_emulator() as emulator, tempfile.TemporaryDirectory() as folder:
        os.environ["SHEETS_SYNC_EMULATOR_HOST"] = emulator.host_port
        meter = Meter(emulator.url)
        big = write_accounts(Path(folder) / "accounts.csv", args.accounts)
        print(f"emulator latency {args.latency_ms} ms per request")
        print(f"{'input':<22}{'method':<24}{'push':<8}{'reads':>6}{'writes':>7}"
              f"{'sent KB':>10}{'recv KB':>10}{'seconds':>9}")
        for label, source in (("examples (30)", EXAMPLES),
                              (f"3 x {args.accounts:,}", big)):
            for method in ("sheets-sync", "usual recipe"):
                meter.admin("POST", "latency", {"ms": 0})
                report = sheets_sync.sync.init_google(title=f"bench {label} {method}")
                key = report.target.split("/d/")[1].split("/")[0]
                meter.admin("POST", "latency", {"ms": args.latency_ms})
                if method == "sheets-sync":
                    def action(source: Path = source, key: str = key) -> None:
                        sheets_sync.push(key, [source], today=TODAY)
                else:
                    import gspread

                    from sheets_sync.backends import google_credentials

                    creds = google_credentials()
                    client = gspread.Client(auth=creds, session=authorized_session(creds))

                    def action(source: Path = source, key: str = key,
                               client: Any = client) -> None:
                        recipe_push(client, key, source)
                for run in ("first", "repeat"):
                    n = meter.measure(action)
                    print(f"{label:<22}{method:<24}{run:<8}{n['reads']:>6.0f}{n['writes']:>7.0f}"
                          f"{n['sent_kb']:>10.1f}{n['received_kb']:>10.1f}{n['seconds']:>9.2f}")
        print("targets (sheets-sync): reads <= 2, writes <= 1 (more only for the 2 MB split), "
              "0 writes on a repeated push")


if __name__ == "__main__":
    main()
