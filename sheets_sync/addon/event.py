"""What the add-on needs from a Google Workspace event object."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class AddonEvent:
    spreadsheet_id: str | None
    has_file_scope: bool
    user_token: str = field(repr=False)
    user_id_token: str = field(default="", repr=False)
    time_zone: str | None = None
    form_inputs: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, body: Any) -> AddonEvent:
        data = body if isinstance(body, dict) else {}
        common = _dict(data.get("commonEventObject"))
        auth = _dict(data.get("authorizationEventObject"))
        sheets = _dict(data.get("sheets"))
        key = sheets.get("id")
        inputs: dict[str, list[str]] = {}
        for name, value in _dict(common.get("formInputs")).items():
            strings = _dict(_dict(value).get("stringInputs")).get("value")
            if isinstance(strings, list):
                inputs[str(name)] = [str(s) for s in strings]
        return cls(
            spreadsheet_id=key if isinstance(key, str) and key else None,
            has_file_scope=sheets.get("addonHasFileScopePermission") is True,
            user_token=str(auth.get("userOAuthToken") or ""),
            user_id_token=str(auth.get("userIdToken") or ""),
            time_zone=_dict(common.get("timeZone")).get("id") or None,
            form_inputs=inputs)

    @property
    def can_open_file(self) -> bool:
        return bool(self.spreadsheet_id and self.has_file_scope and self.user_token)

    def input(self, name: str) -> str:
        return " ".join(self.form_inputs.get(name, [])).strip()

    def today(self) -> dt.date:
        """Today where the user is (the event's time zone), else in UTC."""
        try:
            zone = ZoneInfo(self.time_zone) if self.time_zone else dt.UTC
        except (ZoneInfoNotFoundError, ValueError):
            zone = dt.UTC
        return dt.datetime.now(zone).date()


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
