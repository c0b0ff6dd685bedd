"""Cost of the monthly refresh with 24 months x N accounts of History, on Google Sheets
(the emulator, in this process) : requests, bytes, wall seconds, and the local compute
seconds (read History, fill, recompute, snapshot, alerts) measured apart.

    pip install '.[bench]'
    python benchmarks/bench_refresh.py [--accounts 2000] [--months 24]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_google import Meter  # noqa: E402
from generate import write_accounts  # noqa: E402

import sheets_sync  # noqa: E402
from sheets_emulator import running_emulator  # noqa: E402
from sheets_sync.backends import open_backend  # noqa: E402
from sheets_sync.benchmark import read_benchmark  # noqa: E402
from sheets_sync.monthly import plan_refresh  # noqa: E402
from sheets_sync.values import SPREADSHEET_EPOCH  # noqa: E402

TODAY = dt.date(2026, 11, 25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2000, help="accounts in all")
    parser.add_argument("--months", type=int, default=24)
    args = parser.parse_args()
    with running_emulator() as emulator, tempfile.TemporaryDirectory() as folder:
        os.environ["SHEETS_SYNC_EMULATOR_HOST"] = emulator.host_port
        meter = Meter(emulator.url)
        source = write_accounts(Path(folder) / "a.csv", args.accounts // 3)
        key = sheets_sync.sync.init_google(title="refresh bench").target.split("/d/")[1][:44]
        sheets_sync.push(key, [source], today=TODAY)
        backend = open_backend(key)
        template = sheets_sync.load_template()
        grid = backend.read()
        handles = [r[0] for tab in ("Direct", "Indirect", "Learning")
                   for r in grid.find(tab).rows[1:] if r and r[0]]
        rows = []
        for month in range(args.months, 0, -1):
            day = TODAY - dt.timedelta(days=30 * month)
            for i, handle in enumerate(handles):
                rows.append([(day - SPREADSHEET_EPOCH).days, "Direct", handle, 50_000 + i,
                             10_000, 0.05, 0.2, 12])
        history = f"History!A2:H{len(rows) + 1}"
        backend.client.http_client.batch_update(key, {"requests": [{"appendDimension": {
            "sheetId": next(t.tab_id for t in grid.tabs if t.title == "History"),
            "dimension": "ROWS", "length": len(rows)}}]})
        backend.client.http_client.values_update(key, history, params={
            "valueInputOption": "RAW"}, body={"values": rows})
        print(f"History: {len(rows):,} rows ({args.months} months x {len(handles):,} accounts)")

        grid = backend.read()
        start = time.perf_counter()
        plan_refresh(read_benchmark(grid, template), TODAY)
        compute = time.perf_counter() - start

        meter.admin("POST", "latency", {"ms": 150})
        numbers = meter.measure(lambda: sheets_sync.refresh(key, today=TODAY))
        again = meter.measure(lambda: sheets_sync.refresh(key, today=TODAY))
        for label, n in (("refresh", numbers), ("repeated refresh", again)):
            print(f"{label:<18} reads {n['reads']:.0f}  writes {n['writes']:.0f}  "
                  f"sent {n['sent_kb']:,.0f} KB  received {n['received_kb']:,.0f} KB  "
                  f"{n['seconds']:.2f} s (150 ms latency)")
        print(f"local compute (read History, fill, recompute, snapshot, alerts): "
              f"{compute:.2f} s   target < 2 s; reads <= 2, writes <= 1 (+2 MB splits)")


if __name__ == "__main__":
    main()
