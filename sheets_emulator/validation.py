"""Checking requests against Google's discovery documents (see discovery.py).

The documents come with google-api-python-client (the ``emulator`` extra). Without them the
emulator does not run unchecked: ``check_dependencies()``, called when an emulator is
created or started, raises DiscoveryUnavailableError, and so does ``validate()``.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

from .discovery import DiscoveryValidator
from .exceptions import DiscoveryUnavailableError


@functools.cache
def discovery_validator() -> DiscoveryValidator | None:
    """The shared DiscoveryValidator; None only when the documents cannot be compiled.

    Raises DiscoveryUnavailableError when google-api-python-client or one of its documents
    is missing (a failure is not cached: the next call looks again).
    """
    try:
        return DiscoveryValidator()
    except DiscoveryUnavailableError:
        raise
    except Exception as exc:  # a document this module cannot read must not take it down
        warnings.warn(f"request validation disabled: {exc!r}", RuntimeWarning, stacklevel=2)
        return None


def check_dependencies() -> None:
    """Raise DiscoveryUnavailableError unless requests can be checked against the documents."""
    discovery_validator()


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
