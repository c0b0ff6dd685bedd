"""python -m sheets_sync.emulator [--host HOST] [--port PORT]"""

from __future__ import annotations

import argparse

from .server import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the local Google Sheets/Drive emulator.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    print(f"Sheets/Drive emulator on http://{args.host}:{args.port}", flush=True)
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
