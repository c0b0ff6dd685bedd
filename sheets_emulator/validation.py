"""Checking requests against Google's discovery documents (see discovery.py).

The documents come with google-api-python-client (the ``emulator`` extra). Without them the
emulator does not run unchecked: ``check_dependencies()``, called when an emulator is
created or started, raises DiscoveryUnavailableError, and so does ``validate()``.
"""

from __future__ import annotations

import functools
from typing import Any

from .discovery import DiscoveryValidator
from .exceptions import DiscoveryUnavailableError


@functools.cache
def discovery_validator() -> DiscoveryValidator:
    """The shared DiscoveryValidator.

    Raises DiscoveryUnavailableError when google-api-python-client or one of its documents
    is missing or cannot be compiled (a failure is not cached: the next call looks again):
    an emulator that skipped validation would accept what Google rejects.
    """
    try:
        return DiscoveryValidator()
    except DiscoveryUnavailableError:
        raise
    except Exception as exc:
        raise DiscoveryUnavailableError(
            f"Google's discovery documents could not be compiled: {exc!r}",
            hint="reinstall google-api-python-client; report this if it persists") from exc


def check_dependencies() -> None:
    """Raise DiscoveryUnavailableError unless requests can be checked against the documents."""
    discovery_validator()


def validate(
    method: str, path: str, query: dict[str, list[str]], body: Any
) -> tuple[bool | None, dict[str, Any] | None]:
    """(passed, error body): passed is None when the request was not checked."""
    validator = discovery_validator()
    match = validator.match(method, path)
    if match is None:
        return None, None
    violations = validator.validate(match, query, body)
    if violations:
        return False, validator.error_body(violations)
    return True, None
