"""State shared by the requests of one batchUpdate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..calc import Calc
from ..errors import RequestError
from ..models import EmulatorState, Spreadsheet


@dataclass
class BatchContext:
    state: EmulatorState
    spreadsheet: Spreadsheet
    identity: str

    def new_id(self) -> int:
        return self.state.new_int_id(self.spreadsheet.used_ids() | {0})

    def calc(self) -> Calc:
        """An evaluator over the spreadsheet as it stands now."""
        return Calc(self.spreadsheet)


def require(payload: dict[str, Any], key: str) -> Any:
    if key not in payload:
        raise RequestError(f"{key} is required.")
    return payload[key]
