"""Requests, bytes, seconds and memory of pushes to Google Sheets as the workbook grows.

For each size (accounts per category tab, 3 tabs) both contenders push to the
project's emulator with a fixed latency per request, in the same run:

- sheets-sync: `sheets_sync.push` (one read, one batchUpdate; new rows' values of a big
  write by values.batchUpdate);
- the usual recipe of benchmarks/bench_google.py (gspread-dataframe per tab plus
  gspread-formatting rules).

Cases: a first push into a new spreadsheet, the same push repeated, and a push
where 1% of the accounts changed their average views. Every push runs in a child
process, so its peak RSS is the pushing process's own (the emulator stays here).

    pip install '.[bench]'
    python benchmarks/bench_scale.py [--sizes 30,300,3000,6000] [--latency-ms 150]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_google import TODAY, Meter, recipe_push  # noqa: E402
from generate import write_accounts  # noqa: E402

DEFAULT_SIZES = (30, 300, 3000, 6000)
CONTENDERS = ("sheets-sync", "recipe")


def changed_copy(source: Path, target: Path, share: float = 0.01) -> Path:
    """The same accounts, with the average views of one account in 1/share changed."""
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    views = header.index("Avg Views")
    step = max(1, round(1 / share))
    for number, row in enumerate(body[::step]):
        row[views] = str(1_234_567 + number)
    with target.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *body])
    return target


def child_push(contender: str, key: str, source: Path) -> None:
    """Run in a child process: one push, then its seconds and peak RSS on stdout."""
    import sheets_sync

    start = time.perf_counter()
    if contender == "sheets-sync":
        sheets_sync.push(key, [source], today=TODAY)
    else:
        import gspread

        from sheets_sync.backends import google_credentials
        from sheets_sync.backends.google_http import authorized_session

        creds = google_credentials()
        recipe_push(gspread.Client(auth=creds, session=authorized_session(creds)), key, source)
    print(json.dumps({"seconds": time.perf_counter() - start, "rss_mb": peak_rss_mb()}))


def run_child(contender: str, key: str, source: Path) -> dict[str, float]:
    """Seconds of one push and the peak RSS (MB) of the child process that made it."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", contender, "--key", key, "--source", str(source)],
        capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{contender} push failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_rss_mb() -> float:
    """This process's own high-water mark. Not ru_maxrss: Linux carries that over from the
    parent through fork and exec, so a child would report the emulator's memory."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(meter: Meter, contender: str, key: str, source: Path) -> dict[str, Any]:
    meter.admin("DELETE", "log")
    pushed = run_child(contender, key, source)
    log = [r for r in meter.admin("GET", "log")["requests"] if r["path"] != "/token"]
    return {
        "requests": len(log),
        "batch_updates": sum(r["path"].endswith(":batchUpdate")
                             and not r["path"].endswith("/values:batchUpdate") for r in log),
        "values_batch_updates": sum(r["path"].endswith("/values:batchUpdate") for r in log),
        "sent_kb": sum(r["request_bytes"] for r in log) / 1024,
        "received_kb": sum(r["response_bytes"] for r in log) / 1024,
        **pushed,
    }


def new_spreadsheet(meter: Meter, title: str, latency_ms: int) -> str:
    import sheets_sync

    meter.admin("POST", "latency", {"ms": 0})
    report = sheets_sync.sync.init_google(title=title)
    meter.admin("POST", "latency", {"ms": latency_ms})
    return report.target.split("/d/")[1].split("/")[0]


def bench_size(meter: Meter, folder: Path, accounts: int, latency_ms: int) -> list[str]:
    source = write_accounts(folder / f"accounts-{accounts}.csv", accounts)
    changed = changed_copy(source, folder / f"accounts-{accounts}-changed.csv")
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for contender in CONTENDERS:
        key = new_spreadsheet(meter, f"scale {accounts} {contender}", latency_ms)
        for case, path in (("first", source), ("repeat", source), ("1% changed", changed)):
            results[(contender, case)] = measure(meter, contender, key, path)
    lines = []
    for (contender, case), n in results.items():
        recipe = results[("recipe", case)]["seconds"]
        lines.append(
            f"| {accounts:,} | {case} | {contender} | {n['requests']} | {n['batch_updates']} | "
            f"{n['values_batch_updates']} | "
            f"{n['sent_kb']:,.1f} | {n['received_kb']:,.1f} | {n['seconds']:.2f} | "
            f"{n['seconds'] / recipe:.2f} | {n['rss_mb']:.0f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="accounts per category tab, comma separated")
    parser.add_argument("--latency-ms", type=int, default=150)
    parser.add_argument("--child", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--key", help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_push(args.child, args.key, args.source)
        return
    try:
        sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    except ValueError:
        raise SystemExit(
            f"--sizes takes whole numbers separated by commas, not {args.sizes!r}") from None

    from sheets_emulator import running_emulator

    with running_emulator() as emulator, tempfile.TemporaryDirectory() as folder:
        os.environ["SHEETS_SYNC_EMULATOR_HOST"] = emulator.host_port
        meter = Meter(emulator.url)
        print(f"emulator latency {args.latency_ms} ms per request, 3 tabs x N accounts")
        print("| accounts | case | contender | requests | batchUpdates | values.batchUpdates "
              "| sent kB | received kB | seconds | wall vs recipe | peak RSS MB |")
        print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for accounts in sizes:
            for line in bench_size(meter, Path(folder), accounts, args.latency_ms):
                print(line, flush=True)


if __name__ == "__main__":
    main()
