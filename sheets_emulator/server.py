"""The emulator over HTTP: a threading server, `serve()` and `running_emulator()`."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .app import dispatch, reason
from .local_only import refusal
from .models import EmulatorState
from .validation import check_dependencies


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "SheetsEmulator/1.0"
    timeout = 120
    server: _Server

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._read_body()
        path, _, query = self.path.partition("?")
        status, headers, data = self._refused(path) or dispatch(
            self.server.state, self.command, path, query, dict(self.headers.items()), body
        )
        lines = [f"HTTP/1.1 {status} {reason(status)}", f"Date: {formatdate(usegmt=True)}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines.append(f"Content-Length: {len(data)}")
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + data)

    def _refused(self, path: str) -> tuple[int, dict[str, str], bytes] | None:
        """403 for a control or token request from anywhere but this machine."""
        lowered = {name.lower(): value for name, value in self.headers.items()
                   if name.lower() != "host"}
        hosts = self.headers.get_all("Host") or []
        if hosts:
            lowered["host"] = ", ".join(hosts)  # two Host headers never pass as one host
        host, port = self.server.server_address[:2]
        error = refusal(path, lowered, int(port), str(host))
        if error is None:
            return None
        data = json.dumps(error.body(), indent=2).encode("utf-8") + b"\n"
        return error.code, {"Content-Type": "application/json; charset=UTF-8"}, data

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def log_message(self, format: str, *args: object) -> None:
        """Requests are recorded in the state log instead."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: EmulatorState) -> None:
        check_dependencies()  # before the port is bound
        super().__init__(address, _Handler)
        self.state = state


@dataclass
class RunningEmulator:
    """A started emulator: its base URL ("http://127.0.0.1:54321"), host:port and state."""

    url: str
    host_port: str
    state: EmulatorState


def _address(server: _Server) -> str:
    host, port = server.server_address[:2]
    host_text = host.decode() if isinstance(host, bytes) else str(host)
    if ":" in host_text:
        host_text = f"[{host_text}]"
    return f"{host_text}:{port}"


@contextlib.contextmanager
def running_emulator(
    host: str = "127.0.0.1", port: int = 0, state: EmulatorState | None = None
) -> Iterator[RunningEmulator]:
    """Run the emulator in a background thread (port 0 picks a free port) until the block ends.

    Raises DiscoveryUnavailableError when google-api-python-client is not installed.
    """
    server = _Server((host, port), state or EmulatorState())
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    host_port = _address(server)
    try:
        yield RunningEmulator(url=f"http://{host_port}", host_port=host_port, state=server.state)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def serve(host: str = "127.0.0.1", port: int = 8765, state: EmulatorState | None = None) -> None:
    """Run the emulator in the foreground until interrupted.

    Raises DiscoveryUnavailableError when google-api-python-client is not installed.
    """
    server = _Server((host, port), state or EmulatorState())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
