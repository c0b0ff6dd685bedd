"""The controls and token routes answer only to this machine.

`/_emulator/*` resets state, seeds files and mints tokens, and `/token` hands out access
tokens: a web page open in the tester's browser must not reach them. A page on another
site can send requests to 127.0.0.1 (its Origin header then names that site), or make
its own domain name resolve to 127.0.0.1 (DNS rebinding: its Host header then names
that domain). So those routes need a loopback Host with the server's own port and, when
an Origin is sent, a loopback one; anything else gets 403 and nothing runs. The Sheets
and Drive routes are left as Google has them.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from .errors import ApiError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
GUARDED_PREFIXES = ("/_emulator/",)
GUARDED_PATHS = frozenset({"/token"})


def is_guarded(path: str) -> bool:
    return path in GUARDED_PATHS or path.startswith(GUARDED_PREFIXES)


def _host_and_port(text: str) -> tuple[str, int | None] | None:
    """'localhost:8765' -> ('localhost', 8765); '[::1]:80' -> ('::1', 80); None if malformed."""
    try:
        parts = urlsplit(f"//{text.strip()}")
        return (parts.hostname or ""), parts.port
    except ValueError:
        return None


def refusal(path: str, headers: Mapping[str, str], port: int,
            bound_host: str | None = None) -> ApiError | None:
    """The 403 a request to a guarded route gets, or None when it may go on.

    `headers` have lower-case names; `bound_host` is the address the server listens on,
    accepted as well when it is a specific one (not 0.0.0.0 or ::)."""
    if not is_guarded(path):
        return None
    allowed = set(LOOPBACK_HOSTS)
    if bound_host and bound_host not in ("0.0.0.0", "::", ""):
        allowed.add(bound_host.strip("[]").lower())
    host = headers.get("host")
    found = _host_and_port(host) if host is not None else None
    if found is None or found[0].lower() not in allowed or (found[1] or 80) != port:
        return ApiError(403, f"{path} answers only requests addressed to this machine "
                        f"(Host 127.0.0.1:{port}, localhost:{port} or [::1]:{port}); "
                        f"this one has Host {host!r}")
    origin = headers.get("origin")
    if origin is not None:
        parsed = _host_and_port(urlsplit(origin).netloc) if "://" in origin else None
        if parsed is None or parsed[0].lower() not in allowed:
            return ApiError(403, f"{path} answers no request sent by a web page of another "
                            f"site; this one has Origin {origin!r}")
    return None
