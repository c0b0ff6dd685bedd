"""python -m sheets_emulator [--host HOST] [--port PORT]"""

from __future__ import annotations

import argparse
import sys

from .exceptions import DiscoveryUnavailableError
from .server import serve
from .validation import check_dependencies


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the local Google Sheets/Drive emulator.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    try:
        check_dependencies()
    except DiscoveryUnavailableError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(2)
    print(f"Sheets/Drive emulator on http://{args.host}:{args.port}", flush=True)
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
