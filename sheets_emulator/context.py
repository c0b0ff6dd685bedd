"""What a handler receives (Call) and returns (Reply)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import invalid
from .models import ANONYMOUS, EmulatorState


@dataclass
class Call:
    state: EmulatorState
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, list[str]]
    body: Any
    raw_body: bytes
    headers: dict[str, str]
    identity: str = ANONYMOUS

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def args(self, name: str) -> list[str]:
        return list(self.query.get(name, []))

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.arg(name)
        if value is None or value == "":
            return default
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise invalid(f"Invalid value at '{name}' (TYPE_BOOL), \"{value}\"")

    def int_arg(self, name: str, default: int) -> int:
        value = self.arg(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise invalid(f"Invalid value at '{name}' (TYPE_INT32), \"{value}\"") from None

    def json_body(self) -> dict[str, Any]:
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise invalid("Invalid JSON payload received. Expected an object.")
        return self.body


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=UTF-8"
