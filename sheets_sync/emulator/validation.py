"""Checking requests against Google's discovery documents (see discovery.py), when available."""

from __future__ import annotations

import functools
import importlib
import warnings
from typing import Any


@functools.cache
def discovery_validator() -> Any | None:
    """The shared DiscoveryValidator, or None when discovery.py or its documents are missing."""
    try:
        module = importlib.import_module(f"{__package__}.discovery")
    except ImportError:
        return None
    try:
        return module.DiscoveryValidator()
    except ImportError:
        return None
    except Exception as exc:  # a broken validator must not take the emulator down
        warnings.warn(f"request validation disabled: {exc!r}", RuntimeWarning, stacklevel=2)
        return None


def validate(
    method: str, path: str, query: dict[str, list[str]], body: Any
) -> tuple[bool | None, dict[str, Any] | None]:
    """(passed, error body): passed is None when the request was not checked."""
    validator = discovery_validator()
    if validator is None:
        return None, None
    match = validator.match(method, path)
    if match is None:
        return None, None
    violations = validator.validate(match, query, body)
    if violations:
        return False, validator.error_body(violations)
    return True, None
